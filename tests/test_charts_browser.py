"""The published book's charts as readers meet them (issue 14): at any width after a resize, by touch, by
keyboard and screen reader, on paper; and numbers that agree between chart, table and caption.

Pages open from file:// in Debian's chromium with the network blocked (``conftest.visit_page``). Screenshots
at 1200 and 390 px, light and dark, each taken after a resize, are written to ``_build/screenshots/``
(gitignored); the test prints the folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ai4neuro.testing import ROOT, wait_drawn

pytestmark = [pytest.mark.book, pytest.mark.browser]

PART1 = Path("chapters") / "beyond-neuroai-we-need-ai4neuro-part-1.html"
PART3 = Path("chapters") / "beyond-neuroai-we-need-ai4neuro-part-3.html"
LABELS = "#ai4n-chart-papers-neuroai-ai4neuro"
SHARE = "#ai4n-chart-papers-neurips-share"
SCREENSHOTS = ROOT / "_build" / "screenshots"
UNSTICK = ".bd-header, .bd-header-article { position: static !important; } #pst-skip-link { display: none; }"

# How wide each chart is against its column, and its smallest text as drawn on screen (after any scaling).
MEASURE = """c => {
  const svg = c.querySelector('svg');
  const drawn = svg.getBoundingClientRect().width;
  const scale = drawn / parseFloat(svg.getAttribute('width'));
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {column: c.getBoundingClientRect().width, drawn: drawn, font: Math.min(...sizes)};
}"""
FITTED = """c => c.dataset.rendered === 'true' && c.querySelector('svg')
  && parseFloat(c.querySelector('svg').getAttribute('width')) <= c.getBoundingClientRect().width + 0.5
  && parseFloat(c.querySelector('svg').getAttribute('width')) >= 0.9 * c.getBoundingClientRect().width"""


def resize_and_measure(page, width: int) -> list[dict]:
    """Resize the window, wait until every drawn chart has refitted, and measure each."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # resize observed
    found = []
    for chart in page.locator("div.ai4n-chart").all():
        page.wait_for_function(FITTED, arg=chart.element_handle(), timeout=10000)
        found.append({"id": chart.get_attribute("id"), **chart.evaluate(MEASURE)})
    return found


# WCAG contrast of each element's text against the first opaque background behind it, in JavaScript.
CONTRAST = """elements => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = e => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0) { return c.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  return elements.map(e => {
    const colour = rgb(e instanceof SVGElement ? getComputedStyle(e).fill : getComputedStyle(e).color);
    const [a, b] = [lum(colour), lum(behind(e.closest('div') || e))].sort((x, y) => y - x);
    return {text: e.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05)};
  });
}"""
# The text of a figure's small print: caption, link under it, data line, "Show the data".
SMALL_PRINT = "figure.ai4n-figure :is(figcaption span, .ai4n-figure-link a, p.ai4n-figure-data a, summary)"


def numbers(text: str) -> list[int]:
    return [int(number.replace(",", "")) for number in re.findall(r"\d[\d,]*", text)]


def table_rows(page, chart: str) -> list[dict]:
    """The "Show the data" table under a chart, as dicts (header → cell text)."""
    table = page.locator(f"figure:has({chart}) details.ai4n-chart-data table")
    head = table.locator("thead th").all_text_contents()
    return [
        dict(zip(head, row.locator("td").all_text_contents(), strict=True)) for row in table.locator("tbody tr").all()
    ]


def bar_values(page, chart: str) -> list[dict]:
    """Each drawn bar's fields, from the aria labels Vega writes on its marks ("Year: 2013; Papers: 6; ...")."""
    labels = page.locator(f"{chart} g.mark-rect path").evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))")
    return [dict(part.split(": ", 1) for part in label.split("; ")) for label in labels if label and "Papers" in label]


@pytest.mark.parametrize(("start", "end"), [(800, 1200), (390, 1200), (1200, 390)])
def test_after_a_resize_every_chart_fits_its_column_and_its_text_stays_legible(book_html, visit_page, start, end):
    for page_path in (PART1, PART3):
        visit = visit_page(book_html / page_path, width=start)
        wait_drawn(visit.page)
        for chart in resize_and_measure(visit.page, end):
            assert chart["drawn"] <= chart["column"] + 0.5, (page_path.name, start, end, chart)
            assert chart["font"] >= 10, (page_path.name, start, end, chart)
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= end
        assert visit.console_errors == [], visit.console_errors


def test_screenshots_light_and_dark_after_a_resize(book_html, visit_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page_path in (PART1, PART3):
        for width, other in ((1200, 390), (390, 1200)):
            for theme in ("light", "dark"):
                visit = visit_page(book_html / page_path, width=other)
                page = visit.page
                page.evaluate(f"document.documentElement.setAttribute('data-theme', '{theme}')")
                wait_drawn(page)
                for chart in resize_and_measure(page, width):
                    assert chart["drawn"] <= chart["column"] + 0.5 and chart["font"] >= 10, (theme, width, chart)
                page.add_style_tag(content=UNSTICK)
                for figure in page.locator("figure:has(div.ai4n-chart)").all():
                    name = figure.get_attribute("id").removeprefix("fig-")
                    figure.screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-{theme}.png"))
    print(f"\nscreenshots: {SCREENSHOTS}")
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 8


def test_chart_table_caption_and_aria_label_give_the_same_counts(book_html, visit_page):
    visit = visit_page(book_html / PART1)
    page = visit.page
    wait_drawn(page, LABELS)
    rows = table_rows(page, LABELS)
    bars = bar_values(page, LABELS)
    for label in ("NeuroAI", "AI4Neuro", "Both", "Unclear"):
        in_table = sum(int(row[label]) for row in rows)
        in_chart = sum(int(bar["Papers"]) for bar in bars if bar["Label"] == label)
        assert in_chart == in_table, label
    assert sum(int(bar["Papers"]) for bar in bars) == sum(int(row["Total"]) for row in rows)
    totals = [sum(int(row[label]) for row in rows) for label in ("NeuroAI", "AI4Neuro", "Both", "Unclear")]
    caption = page.locator(f"figure:has({LABELS}) figcaption").inner_text()
    label = page.locator(LABELS).get_attribute("aria-label")
    finding = "{:,} titles are NeuroAI and {:,} AI4Neuro ({:,} both, {:,} unclear)".format(*totals)
    assert finding in caption and finding in label
    assert f"In {len(rows)} conference-years" in label

    visit = visit_page(book_html / PART3)
    page = visit.page
    wait_drawn(page, SHARE)
    rows = table_rows(page, SHARE)
    bars = {int(bar["Year"]): int(bar["Papers"]) for bar in bar_values(page, SHARE)}
    assert bars == {int(row["Year"]): int(row["Neuroscience-related papers"]) for row in rows}
    last = rows[-1]
    said = (
        f"In {last['Year']}, {last['Neuroscience-related papers']} of {int(last['Published papers']):,} NeurIPS titles"
    )
    assert said in page.locator(f"figure:has({SHARE}) figcaption").inner_text()
    assert said in page.locator(SHARE).get_attribute("aria-label")


def test_a_legend_click_leaves_a_series_out_and_the_others_restack(book_html, visit_page):
    visit = visit_page(book_html / PART1)
    page = visit.page
    wait_drawn(page, LABELS)

    def bottom_of(label: str) -> float:  # the lowest edge of that label's first bar (NeurIPS 2013)
        path = page.locator(f'{LABELS} g.mark-rect path[aria-label*="Label: {label}"]').first
        box = path.bounding_box()
        return box["y"] + box["height"]

    def count(label: str) -> int:
        return page.locator(f'{LABELS} g.mark-rect path[aria-label*="Label: {label}"]').count()

    above = bottom_of("AI4Neuro")
    assert count("NeuroAI") > 0
    page.locator(f"{LABELS} g.role-legend text", has_text="NeuroAI").first.click()
    page.wait_for_function(f"!document.querySelector('{LABELS} g.mark-rect path[aria-label*=\"Label: NeuroAI\"]')")
    assert count("NeuroAI") == 0 and bottom_of("AI4Neuro") > above + 5  # it dropped to the axis
    page.locator(f"{LABELS} g.role-legend text", has_text="NeuroAI").first.click()
    page.wait_for_function(f"!!document.querySelector('{LABELS} g.mark-rect path[aria-label*=\"Label: NeuroAI\"]')")
    assert abs(bottom_of("AI4Neuro") - above) < 1
    assert visit.console_errors == []


def test_on_a_phone_a_tap_shows_the_values_and_the_hint_says_tap(book_html, visit_page):
    visit = visit_page(book_html / PART1, width=390, height=800, touch=True)
    page = visit.page
    wait_drawn(page, LABELS)
    widths = page.locator(f"{LABELS} g.mark-rect path").evaluate_all(
        "ps => ps.filter(p => (p.getAttribute('aria-label') || '').includes('Papers'))"
        ".map(p => p.getBoundingClientRect().width)"
    )
    assert min(widths) >= 12, min(widths)  # not 6 px
    bar = page.locator(f'{LABELS} g.mark-rect path[aria-label*="Year: 2023"][aria-label*="NeurIPS"]').first
    bar.tap()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5000)
    text = " ".join(tooltip.inner_text().split())
    assert "NeurIPS" in text and "2023" in text and "Papers" in text, text
    hints = [hint for hint in page.locator(f"figure:has({LABELS}) .ai4n-hint").all() if hint.is_visible()]
    assert len(hints) == 1 and "Tap" in hints[0].inner_text() and "hover" not in hints[0].inner_text().lower()
    assert visit.console_errors == []


def test_the_keyboard_reaches_each_charts_numbers_and_the_chart_takes_no_focus(book_html, visit_page):
    visit = visit_page(book_html / PART3)
    page = visit.page
    focused = []
    for _ in range(120):
        page.keyboard.press("Tab")
        here = page.evaluate(
            "() => { const e = document.activeElement; return e ? e.tagName + '|' + (e.className || '') + '|'"
            " + (e.closest('figure') ? e.closest('figure').id : '') : ''; }"
        )
        focused.append(here)
        if here.startswith("SUMMARY|") and here.endswith("|fig-papers-neurips-share"):
            break
    else:
        pytest.fail(f"Tab never reached the chart's data: {focused[-10:]}")
    assert not [stop for stop in focused if "ai4n-chart|" in stop]  # the chart itself is no tab stop
    page.keyboard.press("Enter")
    table = page.locator("figure#fig-papers-neurips-share details.ai4n-chart-data table")
    table.wait_for(state="visible")
    assert "Neuroscience-related papers" in table.inner_text() and "2024" in table.inner_text()


def test_screen_readers_get_the_finding_with_numbers(book_html, visit_page):
    for page_path, chart in ((PART1, LABELS), (PART3, SHARE)):
        visit = visit_page(book_html / page_path)
        wait_drawn(visit.page, chart)
        container = visit.page.locator(chart)
        assert container.get_attribute("role") == "img" and container.get_attribute("tabindex") is None
        label = container.get_attribute("aria-label")
        assert len(numbers(label)) >= 5, label  # a finding with numbers, not the chart's form alone
        assert visit.page.locator(f"{chart} .ai4n-view").get_attribute("aria-hidden") == "true"


def test_on_paper_captions_stay_with_their_figures_and_the_numbers_print(book_html, visit_page):
    visit = visit_page(book_html / PART3)
    page = visit.page
    wait_drawn(page)
    page.emulate_media(media="print")
    for figure in page.locator("figure.ai4n-figure").all():
        assert figure.evaluate("f => getComputedStyle(f).breakInside") == "avoid"
        assert figure.locator("figcaption").evaluate("c => getComputedStyle(c).breakBefore") == "avoid"
    table = page.locator("figure#fig-papers-neurips-share details.ai4n-chart-data table")
    assert table.is_visible() and table.bounding_box()["height"] > 100  # printed open
    assert not [hint for hint in page.locator(".ai4n-hint").all() if hint.is_visible()]


def test_no_rules_notice_when_the_rules_match_the_snapshot(book_html):
    for page_path in (PART1, PART3):
        assert "classification rules changed" not in (book_html / page_path).read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [1200, 390])
def test_axe_finds_nothing_serious_in_drawn_charts_and_their_data(book_html, visit_page, width):
    """axe-core on each chart's figure once drawn, its data open, in light and dark (test_pages checks whole pages)."""
    from test_pages import AXE, tool

    for page_path in (PART1, PART3):
        for mode in ("light", "dark"):
            visit = visit_page(book_html / page_path, width=width)
            page = visit.page
            page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
            wait_drawn(page)
            page.locator("details.ai4n-chart-data > summary").first.click()
            page.evaluate(tool(AXE).read_text(encoding="utf-8"))
            found = page.evaluate(
                "axe.run({include: [...document.querySelectorAll('figure:has(div.ai4n-chart)')]},"
                " {resultTypes: ['violations'], preload: false})"
                ".then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))"
            )
            assert found == [], (page_path.name, mode, width)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_panel_titles_are_titles_and_every_bar_has_a_round_tick_above_it(book_html, visit_page, mode):
    """Fig. 2's panels are named in text of 12 px or more at 4.5:1; the value axis of every bar chart ends at a
    round tick above its tallest bar, with room between them."""
    for page_path, chart in ((PART1, LABELS), (PART3, SHARE)):
        for width in (1200, 390):
            visit = visit_page(book_html / page_path, width=width)
            page = visit.page
            page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
            page.locator(chart).scroll_into_view_if_needed()
            wait_drawn(page, chart)
            page.wait_for_timeout(300)  # redrawn in the mode's colours
            if chart == LABELS:
                titles = page.locator(f"{chart} g.role-title text")
                assert titles.all_text_contents() == ["NeurIPS", "ICLR", "ICML"]
                sizes = titles.evaluate_all("ts => ts.map(t => t.getBoundingClientRect().height)")
                assert min(sizes) >= 12, sizes  # drawn, at the chart's scale
                assert all(found["ratio"] >= 4.5 for found in titles.evaluate_all(CONTRAST)), (mode, width)
            axes = headroom(page, chart)
            assert len(axes) == (3 if chart == LABELS else 1)  # Fig. 2's three panels; Fig. 4's lower panel
            for axis in axes:
                assert axis["top"] > axis["tallest"] and axis["gap"] >= 4, (page_path.name, mode, width, axis)
            assert visit.console_errors == []


def headroom(page, chart: str) -> list[dict]:
    """For each value axis beside bars: its top tick's value and the tallest bar's, and the pixels between them."""
    return page.evaluate(
        """chart => {
      const svg = document.querySelector(chart + ' svg');
      const bars = [...svg.querySelectorAll('g.mark-rect path')]
        .filter(p => /(^|; )Papers: /.test(p.getAttribute('aria-label') || ''))
        .map(p => ({box: p.getBoundingClientRect(), value: null}));
      return [...svg.querySelectorAll('g.role-axis')].map(axis => {
        const labels = [...axis.querySelectorAll('g.role-axis-label text')]
          .map(t => ({value: parseFloat(t.textContent.replace(/,/g, '')), y: t.getBoundingClientRect()}))
          .filter(l => !isNaN(l.value));
        if (labels.length < 2 || labels[0].y.top === labels[1].y.top) { return null; }  // a horizontal axis
        const top = labels.reduce((a, b) => (a.value > b.value ? a : b));
        const bottom = labels.reduce((a, b) => (a.value < b.value ? a : b));
        const topY = (top.y.top + top.y.bottom) / 2, bottomY = (bottom.y.top + bottom.y.bottom) / 2;
        const beside = bars.filter(b => b.box.bottom > topY && b.box.bottom <= bottomY + 1 && b.box.height > 0);
        if (!beside.length) { return null; }  // the share panel: a line
        const highest = Math.min(...beside.map(b => b.box.top));
        const perPixel = (top.value - bottom.value) / (bottomY - topY);
        return {top: top.value, tallest: (bottomY - highest) * perPixel, gap: highest - topY};
      }).filter(Boolean);
    }""",
        chart,
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_captions_and_the_small_print_under_figures_read_at_4_5_to_1(book_html, visit_page, mode):
    for page_path in (PART1, PART3):
        visit = visit_page(book_html / page_path, width=1200)
        page = visit.page
        page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
        found = page.locator(SMALL_PRINT).evaluate_all(CONTRAST)
        assert len(found) >= 4
        assert [text for text in found if text["ratio"] < 4.5] == [], (page_path.name, mode)


def test_fig_2_links_to_the_title_box(book_html, visit_page):
    visit = visit_page(book_html / PART1)
    page = visit.page
    link = page.locator(f"figure:has({LABELS}) .ai4n-figure-link a")
    assert link.inner_text() == "Try a title"
    link.click()
    page.wait_for_url("**/about-data.html#try-a-title")
    assert page.locator("#try-a-title input").is_visible()


def test_screenshots_of_each_pages_first_screen_and_end(book_html, visit_page):
    """The header (one search button), the sidebar and previous/next (short titles), light and dark."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page_path in (Path("chapters") / "index.html", PART1, PART3, Path("chapters") / "about-data.html"):
        for width in (1200, 390):
            for mode in ("light", "dark"):
                visit = visit_page(book_html / page_path, width=width, height=900)
                page = visit.page
                page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
                page.wait_for_timeout(200)
                name = page_path.stem.replace("beyond-neuroai-we-need-ai4neuro-", "")
                page.screenshot(path=str(SCREENSHOTS / f"page-{name}-top-{width}px-{mode}.png"))
                page.locator(".prev-next-area").scroll_into_view_if_needed()
                page.wait_for_timeout(200)
                page.screenshot(path=str(SCREENSHOTS / f"page-{name}-end-{width}px-{mode}.png"))
                assert visit.console_errors == []
    print(f"\nscreenshots: {SCREENSHOTS}")
