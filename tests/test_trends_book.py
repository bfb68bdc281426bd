"""The Trends figure in Part 1, in a real browser with the network blocked.

- A hand-made export in the redesigned Explore page's layout, held out from the importer's
  development (``tests/fixtures/trends/exports/redesigned_all_time.csv``), imported into a temporary
  copy of ``data/``, builds into the interactive chart: both terms, the essay's two dates marked,
  "<1" as hollow circles, the month in progress dashed, a tooltip on hover; "About the data" states
  the export's provenance.
- The published build (``data/`` as committed) shows readers a short note in place of the figure
  while no real snapshot exists (what it would show, and the comparison live on Google Trends; no
  author commands: those are in the build's output, once, and in About the data), or the figure
  once one does; either way without console errors.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from ai4neuro import snapshots
from ai4neuro.sources import trends
from ai4neuro.testing import ROOT, copy_repository, hover_until_tooltip, run_build, wait_drawn

pytestmark = [pytest.mark.book, pytest.mark.browser]

PAGE = Path("chapters") / "beyond-neuroai-we-need-ai4neuro-part-1.html"
ABOUT = Path("chapters") / "about-data.html"
CHART = "#ai4n-chart-trends-interest"
EXPORT = ROOT / "tests" / "fixtures" / "trends" / "exports" / "redesigned_all_time.csv"
BOOK_URL = "https://trends.google.com/explore?q=NeuroAI,AI4neuro&date=all&hl=en-GB"  # the redesigned Explore page
IMPORTED_URL = BOOK_URL.replace("hl=en-GB", "hl=en")  # the same query; English, as the export's words say


@pytest.fixture(scope="module")
def imported_book(tmp_path_factory) -> Path:
    """The book built from a copy of data/ into which the fixture export was imported (in November 2026)."""
    data = shutil.copytree(ROOT / "data", tmp_path_factory.mktemp("trends") / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AI4NEURO_DATA", str(data))
        trends.import_export(EXPORT, now=datetime(2026, 11, 20, 12))
    return run_build(copy_repository(tmp_path_factory.mktemp("book")), data_dir=data)


def test_an_imported_export_draws_the_interactive_trends_chart(imported_book, visit_page):
    visit = visit_page(imported_book / PAGE)
    page = visit.page
    wait_drawn(page, CHART)
    svg_texts = page.eval_on_selector_all(f"{CHART} svg text", "nodes => nodes.map(node => node.textContent)")
    for text in ("NeuroAI", "AI4neuro", "NeuroAI paper", "this post", "month in progress", "“<1”: under 1, not 0"):
        assert text in svg_texts, f"{text!r} not drawn (texts: {svg_texts})"
    dashed = page.eval_on_selector_all(
        f"{CHART} g.mark-line path",
        "paths => paths.filter(p => (p.getAttribute('stroke-dasharray') || '') !== '').length",
    )
    assert dashed >= 2, "the month in progress is dashed for both terms"
    assert page.locator(f"{CHART} g.mark-rule line").count() >= 2, "the essay's two dates are marked"

    figure = page.locator("figure", has=page.locator(CHART))
    caption = figure.locator("figcaption").inner_text()
    for fact in (
        "“NeuroAI” and “AI4neuro”, worldwide, monthly, January 2004 to November 2026",
        "0–100 scale: 100 is the month with the most searches for either term",
        "Hollow circles: Google’s “<1”",
        "Dashed: November 2026, still in progress",
        "the NeuroAI perspective paper published online (22 March 2023) and this post (1 January 2024)",
        "Imported on 2026-11-20 from a Google Trends web export (redesigned_all_time.csv)",
        f"Source: Google Trends, {IMPORTED_URL}",
    ):
        assert fact in caption.replace("'", "’")
    assert figure.locator("a[download='trends-interest.csv']").count() == 1
    assert figure.locator(".ai4n-notice").count() == 0

    text = hover_until_tooltip(page, CHART, "g.mark-symbol path")
    assert "Month" in text and "Search interest" in text, f"no tooltip on hover (got {text!r})"
    assert ("NeuroAI" in text or "AI4neuro" in text) and "undefined" not in text
    assert visit.console_errors == [] and visit.blocked_requests == []


def test_about_the_data_states_the_exports_provenance(imported_book, visit_page):
    visit = visit_page(imported_book / ABOUT)
    section = visit.page.locator("section#google-trends")
    text = section.inner_text().replace("’", "'")
    checksum = snapshots.sha256_file(EXPORT)[:16]
    for fact in (
        "Google Trends web export redesigned_all_time.csv",
        f"SHA-256 {checksum}…",
        "imported on 2026-11-20",
        "“NeuroAI” and “AI4neuro”, worldwide, monthly, January 2004 to November 2026 (region and category from "
        "the book's query: the export does not name them)",
        "November 2026, still in progress",
        "data/google_trends.csv, 550 rows",
    ):
        assert fact in text, fact
    assert section.locator(f"a[href='{BOOK_URL}']").count() >= 1  # the book's query
    assert section.locator(f"a[href='{IMPORTED_URL}']").count() == 1  # this snapshot's
    assert visit.console_errors == []


def test_published_build_shows_readers_a_note_or_the_figure(book_html, visit_page):
    visit = visit_page(book_html / PAGE)
    page = visit.page
    body = page.content()
    assert "Traceback" not in body and "Ai4NeuroError" not in body
    if (ROOT / "data" / "google_trends.csv").exists():
        wait_drawn(page, CHART)
    else:
        assert "python -m" not in (book_html / PAGE).read_text(encoding="utf-8")  # no author commands for readers
        notice = page.locator(".ai4n-notice")
        assert notice.count() == 1 and notice.is_visible()
        assert "note" in notice.get_attribute("class").split()  # the page's note colours, not a warning
        words = notice.inner_text()
        assert "“NeuroAI” and “AI4neuro”, worldwide, month by month since 2004" in words
        link = notice.locator(f"a[href='{BOOK_URL}']")
        assert link.count() == 1 and link.inner_text() == "See the same comparison live on Google Trends"
        assert page.locator(CHART).count() == 0
        assert page.locator("figure", has=notice).locator("figcaption").inner_text().startswith("Fig. ")
        # In dark mode the notice keeps the page's colours (the theme puts notebook HTML on a light panel).
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        colours = notice.locator("p").last.evaluate(
            "p => [getComputedStyle(p).color, getComputedStyle(p.closest('.admonition')).backgroundColor]"
        )
        assert colours[0] != colours[1], colours
        # The commands are the author's: one line of the build's output, and About the data.
        log = (book_html.parent / "build.log").read_text(encoding="utf-8")
        lines = [line for line in log.splitlines() if "[ai4neuro] no Google Trends snapshot" in line]
        assert len(lines) == 1 and "python -m ai4neuro import-trends multiTimeline.csv" in lines[0]
        about = re.sub(r"<[^>]+>", "", (book_html / ABOUT).read_text(encoding="utf-8"))
        assert "Rebuilding the figures" in about and "python -m ai4neuro import-trends" in about
    page.wait_for_timeout(300)
    assert visit.console_errors == [] and visit.blocked_requests == []
