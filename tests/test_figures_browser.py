"""The figure convention in a built book, in headless Chromium from file:// with the network blocked.

Test bed: the repository plus the fixture chapters of tests/figures_testbed (hand-made data), built once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from figures_testbed.testbed import add_testbed
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ai4neuro.testing import copy_repository, run_build, wait_drawn

pytestmark = [pytest.mark.book, pytest.mark.browser]
BUNDLE = "_static/ai4neuro/vega-bundle.js"


@pytest.fixture(scope="module")
def testbed(tmp_path_factory) -> Path:
    """The built test-bed book's html folder."""
    book = copy_repository(tmp_path_factory.mktemp("figures-testbed"))
    return run_build(book, data_dir=add_testbed(book))


def chart_pages(html: Path) -> list[Path]:
    return [page for page in sorted(html.rglob("*.html")) if 'class="ai4n-chart"' in page.read_text(encoding="utf-8")]


def drawn(visit_result) -> None:
    """Scroll to every chart on the page and wait until it has drawn (or failed)."""
    page = visit_result.page
    wait_drawn(page)
    for chart in page.locator("div.ai4n-chart").all():
        assert chart.get_attribute("data-rendered") == "true", chart.get_attribute("id")
        assert chart.locator("svg g.mark-line, svg g.mark-rect, svg g.mark-symbol").count() > 0, chart.get_attribute(
            "id"
        )


@pytest.fixture(params=["testbed", "book_html"])
def any_book(request) -> Path:
    """The test bed, and the published book (built once per session by conftest)."""
    return request.getfixturevalue(request.param)


def test_figure_pages_draw_every_chart_offline_without_errors(any_book, visit_page):
    pages = chart_pages(any_book)
    assert pages, "a book without figures"
    for path in pages:
        result = visit_page(path)
        drawn(result)
        assert result.console_errors == [], (path.name, result.console_errors)
        assert result.blocked_requests == [], (path.name, result.blocked_requests)
        assert result.page.evaluate("typeof n") == "undefined"  # the bundle's top-level names stay in its scope
        assert result.page.evaluate("typeof vegaEmbed + typeof vegaLite") == "undefinedundefined"  # Vega only


def test_each_figure_is_one_interactive_chart_with_its_data_and_caption_and_no_static_copy(any_book):
    """The figure output also carries the PNG (for print): the book shows the chart only."""
    for path in chart_pages(any_book):
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
        for chart in article.select("div.ai4n-chart"):
            figure = chart.find_parent("figure")
            assert figure is not None and figure["id"] == "fig-" + chart["id"].removeprefix("ai4n-chart-"), path
            assert len(figure.select("div.ai4n-chart")) == 1 and len(figure.select("a[download]")) == 1, path
            assert figure.select_one("figcaption").get_text(" ", strip=True).startswith("Fig. "), path
            assert figure.select("img") == [], path
        assert not [img for img in article.select("img") if re.search(r"_images/[0-9a-f]{64}\.png$", img["src"])], path


def test_print_builds_take_the_png_in_the_same_numbered_figure(testbed):
    """A LaTeX build (print, PDF) of the test bed, from its execution cache: each figure is its PNG, captioned."""
    book = testbed.parent.parent
    result = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(book), "--builder", "latex", "-W"],
        env={**os.environ, "AI4NEURO_DATA": str(book / "testdata"), "AI4NEURO_FIGURES": str(book / "figures")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    tex = next((book / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    figures = re.findall(r"\\begin\{figure\}.*?\\end\{figure\}", tex, flags=re.S)
    for name, caption in [("testbed-lines", "Three test series"), ("testbed-bars", "Test counts per year and venue")]:
        figure = next(figure for figure in figures if caption in figure)
        assert "includegraphics" in figure and ".png}" in figure and f"fig-{name}" in figure
    assert "vega" not in tex.lower()


def test_pages_without_figures_carry_no_chart_javascript(any_book):
    plain = [page for page in sorted(any_book.rglob("*.html")) if page not in chart_pages(any_book)]
    assert plain
    for path in plain:
        text = path.read_text(encoding="utf-8")
        assert "ai4neuro/vega-bundle.js" not in text and "ai4neuro/charts.js" not in text, path
    for path in chart_pages(any_book):  # the renderer, deferred; it fetches the runtime when a chart nears the screen
        text = path.read_text(encoding="utf-8")
        assert text.count("ai4neuro/charts.js") == 1 and "vega-bundle.js" not in text, path


def test_a_page_without_figures_loads_no_chart_javascript(testbed, visit_page):
    result = visit_page(testbed / "chapters" / "testbed-numbers.html")
    loaded = result.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [name for name in loaded if "ai4neuro/" in name]
    assert result.page.evaluate("typeof window.vega") == "undefined"
    assert "The fixture total is" in result.page.inner_text("main")


def test_bundle_is_served_once_and_weighs_at_most_one_megabyte(any_book):
    assert (any_book / BUNDLE).stat().st_size <= 1_000_000
    assert [path.name for path in any_book.rglob("vega*.js")] == ["vega-bundle.js"], "one bundle for the whole book"


def test_hover_shows_exact_values(testbed, visit_page):
    result = visit_page(testbed / "chapters" / "testbed-figures.html")
    drawn(result)
    page = result.page
    chart = page.locator("#ai4n-chart-testbed-lines")
    chart.scroll_into_view_if_needed()
    # The sixth point of the first series: alpha, June 2022, 20 (tests/figures_testbed/data/fixture_series.csv).
    point = chart.locator("g.mark-symbol path").nth(5)
    tooltip = page.locator("#vg-tooltip-element")
    for _ in range(5):  # the page may still be scrolling, or the chart redrawing for a new width, under the pointer
        page.wait_for_function("c => c.dataset.rendered === 'true'", arg=chart.element_handle())
        box = point.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            tooltip.wait_for(state="visible", timeout=1000)
            break
        except PlaywrightTimeout:
            page.mouse.move(0, 0)
    assert tooltip.is_visible()
    text = " ".join(tooltip.inner_text().split())
    assert "alpha" in text and "June 2022" in text and "20" in text


def test_legend_click_hides_a_series_and_a_second_click_shows_it(testbed, visit_page):
    result = visit_page(testbed / "chapters" / "testbed-figures.html")
    drawn(result)
    chart = result.page.locator("#ai4n-chart-testbed-lines")

    def opacity_of(colour: str) -> float:
        return float(chart.locator(f'g.mark-line path[stroke="{colour}"]').get_attribute("opacity") or 1)

    beta = "#D55E00"  # the second series' colour (figures.PALETTE[1])
    assert opacity_of(beta) == 1
    chart.locator("g.role-legend text", has_text="beta").click()
    result.page.wait_for_timeout(200)
    assert opacity_of(beta) < 0.5 and opacity_of("#0072B2") == 1
    chart.locator("g.role-legend text", has_text="beta").click()
    result.page.wait_for_timeout(200)
    assert opacity_of(beta) == 1


def test_plain_wheel_scrolls_the_page_and_shift_wheel_zooms(testbed, visit_page):
    result = visit_page(testbed / "chapters" / "testbed-figures.html")
    drawn(result)
    page = result.page
    chart = page.locator("#ai4n-chart-testbed-lines")
    chart.scroll_into_view_if_needed()

    def x_labels() -> list[str]:
        return chart.locator("g.role-axis-label").first.locator("text").all_inner_texts()

    before, scrolled = x_labels(), page.evaluate("window.scrollY")
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > scrolled and x_labels() == before
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Shift")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Shift")
    page.wait_for_timeout(300)
    assert x_labels() != before


@pytest.mark.parametrize("width", [390, 1200])
def test_charts_fit_the_text_column(testbed, visit_page, width):
    result = visit_page(testbed / "chapters" / "testbed-figures.html", width=width)
    drawn(result)
    page = result.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for chart in page.locator("div.ai4n-chart").all():
        container, drawing = chart.bounding_box(), chart.locator("svg").first.bounding_box()
        assert drawing["width"] <= container["width"] + 1 and drawing["width"] >= 0.6 * container["width"]


def test_dark_mode_redraws_with_the_page_text_colour(testbed, visit_page):
    result = visit_page(testbed / "chapters" / "testbed-figures.html")
    drawn(result)
    page = result.page
    page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(800)
    drawn(result)
    text_colour = page.evaluate("getComputedStyle(document.querySelector('div.ai4n-chart')).color")
    assert page.locator("#ai4n-chart-testbed-lines g.role-axis-label text").first.get_attribute("fill") == text_colour
    assert result.console_errors == []


def test_figures_are_numbered_referable_captioned_and_exported(testbed):
    page = (testbed / "chapters" / "testbed-figures.html").read_text(encoding="utf-8")
    assert 'href="#fig-testbed-lines"' in page and "Fig. 1" in page and "Fig. 2" in page
    assert "Three test series, fetched on 2024-05-01. Source: hand-made test fixture." in page
    assert 'aria-label="Line chart of three made-up series over twelve months of 2022."' in page
    assert page.count('download="testbed-') == 2
    exported = testbed.parent.parent / "figures"
    for name in ("testbed-lines", "testbed-bars"):
        for suffix in ("png", "svg", "csv"):
            assert (exported / f"{name}.{suffix}").stat().st_size > 0
