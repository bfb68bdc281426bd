"""The paper figures in a real browser: drawn offline, hover shows a year's counts, titles stay text."""

import re
import shutil
from pathlib import Path

import pytest
from test_papers import FIXTURES, LISTS, _use_registry

from ai4neuro import evidence
from ai4neuro.bookext import tables
from ai4neuro.testing import hover_until_tooltip, open_page, wait_drawn
from ai4neuro.views import papers as paper_views

pytestmark = [pytest.mark.book, pytest.mark.browser]

PART1 = Path("chapters") / "beyond-neuroai-we-need-ai4neuro-part-1.html"
PART3 = Path("chapters") / "beyond-neuroai-we-need-ai4neuro-part-3.html"
ABOUT = Path("chapters") / "about-data.html"
TABLES_JS = Path(tables.__file__).with_name("tables.js")


def _caption(page, selector: str) -> str:
    return page.locator("figure", has=page.locator(selector)).locator("figcaption").inner_text()


def test_neurips_share_is_drawn_offline_and_hover_shows_the_years_counts(book_html, visit_page):
    visit = visit_page(book_html / PART3)
    page = visit.page
    chart = "#ai4n-chart-papers-neurips-share"
    wait_drawn(page, chart)
    caption = _caption(page, chart)
    assert caption.startswith("Fig. ") and "share (top) and number (bottom)" in caption
    assert "Source: Paper Copilot lists" in caption
    assert re.search(r"which find \d+% \(90% interval \d+%–\d+%\) of such papers", caption)  # recall, with its interval
    assert len(caption.removeprefix("Fig. 4").strip()) <= 400
    assert "a197245" not in caption  # the commits are on About the data
    text = hover_until_tooltip(page, chart, "g.mark-symbol path")
    assert "Published papers" in text and "Neuroscience-related papers" in text and "Year" in text, text
    assert visit.console_errors == [] and visit.blocked_requests == []


def test_neuroai_vs_ai4neuro_and_the_table_are_drawn_offline(book_html, visit_page):
    visit = visit_page(book_html / PART1)
    page = visit.page
    chart = "#ai4n-chart-papers-neuroai-ai4neuro"
    wait_drawn(page, chart)
    caption = _caption(page, chart)
    assert "NeuroAI, AI4Neuro, both or unclear (grey: no list)" in caption and "(90% interval" in caption
    text = hover_until_tooltip(page, chart, "g.mark-rect path")
    assert "Papers" in text and "Year" in text, text

    table = page.locator("#ai4n-table-papers-table")
    rows = table.locator("tbody tr")
    assert rows.count() > 10  # the page's plain table of the year it opens at, before any script
    table.scroll_into_view_if_needed()
    table.locator("select").first.wait_for(timeout=10000)
    assert table.locator("select").nth(0).input_value() == "NeurIPS"
    assert table.locator("select").nth(1).input_value() == "2023"
    total = rows.count()
    assert total > 10
    table.locator("input[type=search]").fill("spiking")
    assert 0 < rows.count() < total
    assert all("spik" in row.lower() for row in rows.all_inner_texts())
    table.locator("th button", has_text="Title").click()  # second click on the sorted column: descending
    assert table.locator("th[data-column=title]").get_attribute("aria-sort") == "descending"
    assert "Matched rules" in table.locator("thead").inner_text()
    assert "by title alone, the basis of the charts" in _caption(page, "#ai4n-table-papers-table")
    assert visit.console_errors == [] and visit.blocked_requests == []


def test_table_script_only_on_pages_with_a_table(book_html):
    assert "tables.js" in (book_html / PART1).read_text(encoding="utf-8")
    for page in (PART3, ABOUT, Path("chapters") / "index.html"):
        if (book_html / page).exists():
            assert "tables.js" not in (book_html / page).read_text(encoding="utf-8")


def test_table_rows_live_in_their_own_file_fetched_near_the_screen(book_html, visit_page):
    html = (book_html / PART1).read_text(encoding="utf-8")
    assert "ai4n-table-data" not in html
    name = re.search(r'<div class="ai4n-table"[^>]* data-rows="([0-9a-f]{16})"', html).group(1)
    rows = (book_html / "_static" / "ai4neuro" / "tables" / f"{name}.js").read_text(encoding="utf-8")
    assert rows.startswith("(window.ai4nTableRows") and len(rows) > len(html) / 4  # most of what the page carried
    visit = visit_page(book_html / PART1)
    page = visit.page
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.ai4nTableRows") == "undefined"  # the page opens without them
    page.locator("#ai4n-table-papers-table").scroll_into_view_if_needed()
    page.locator("#ai4n-table-papers-table select").first.wait_for(timeout=10000)
    assert page.evaluate("Object.keys(window.ai4nTableRows)") == [name]
    assert visit.console_errors == [] and visit.blocked_requests == []


def test_about_page_shows_rules_status_and_validation(book_html):
    text = (book_html / ABOUT).read_text(encoding="utf-8")
    for fact in ("Conference papers", "Codebook", "x_optimal_brain", "spike_sorting", "Desk Reject", "98302"):
        assert fact in text
    for fact in ("Recall", "Precision", "Definite label", "Agreement", "uniform (the estimate)", "Held out"):
        assert fact in text
    for fact in ("Chance to be held out", "every paper", "2019–2025", "Wilson", "(90% interval"):
        assert fact in text  # the design, its inclusion probabilities, the intervals
    assert "not reviewed by the essay" in text and "MiB" in text
    assert "a197245 (1987–2018)" in text  # the commits of the lists the figures count
    assert "NeurIPS (1987–2024), ICLR (2013, 2014, 2017–2023) and ICML (2013–2025)" in text  # what they cover
    assert "Not checked yet: no run of the update" in text  # nothing recorded of what the source holds
    assert "Neuroscience-related papers the rules miss" in text and "title and abstract" in text


def test_script_in_a_title_renders_as_text(tmp_path, monkeypatch, browser):
    cache = shutil.copytree(FIXTURES, tmp_path / "mirror")
    _use_registry(tmp_path, monkeypatch, {path: (cache / path).read_bytes() for path in LISTS})
    monkeypatch.setenv("AI4NEURO_CACHE", str(cache))
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path / "data"))
    evidence.refresh_papers(progressbar=False)
    rows = paper_views.table_rows(evidence.load(refresh_first=False).papers.frame)
    widget = paper_views.PaperTable(rows, name="t", conference="NeurIPS", year=2023, caption="test")
    markup = tables.table_html(widget.payload())
    assert "<script>window" not in markup and "&lt;script&gt;window" in markup  # JSON and <noscript> both escaped
    assert "<script>window" not in widget.html() and "&lt;script&gt;window" in widget.html()  # Jupyter's table
    page_file = tmp_path / "table.html"
    page_file.write_text(
        f"<!doctype html><html><body>{markup}<script>{TABLES_JS.read_text()}</script></body></html>", encoding="utf-8"
    )
    visit = open_page(browser, page_file)
    try:
        page = visit.page
        page.locator("#ai4n-table-t tbody tr").first.wait_for(timeout=5000)
        titles = page.locator("#ai4n-table-t tbody td:first-child").all_inner_texts()
        assert "Spike Sorting with Transformers <script>window.pwned = 1</script> & Friends" in titles
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("#ai4n-table-t tbody script").count() == 0
        page.locator("#ai4n-table-t select").nth(0).select_option("ICLR")
        hrefs = [a.get_attribute("href") for a in page.locator("#ai4n-table-t tbody a").all()]
        assert hrefs and all(h.startswith("https://") for h in hrefs)  # the javascript: link was dropped
        assert visit.console_errors == []
    finally:
        visit.page.context.close()
