"""The Trends figure in Part 1, in a real browser with the network blocked.

- A test build pointed at the FIXTURE snapshot (``tests/fixtures/trends/snapshot``, hand-made,
  labelled as such in its caption) draws the interactive chart, and a hover shows a tooltip.
- The published build (``data/`` as committed) shows the notice in place of the figure while no
  real snapshot exists, or the figure once one does; either way without console errors.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ai4neuro.testing import ROOT, hover_until_tooltip

pytestmark = [pytest.mark.book, pytest.mark.browser]

PAGE = Path("chapters") / "beyond-neuroai-we-need-ai4neuro-part-1.html"
CHART = "#ai4n-chart-trends-interest"
FIXTURE_SNAPSHOT = ROOT / "tests" / "fixtures" / "trends" / "snapshot"


def test_fixture_build_draws_the_interactive_trends_figure(build_book, visit_page, tmp_path):
    data = shutil.copytree(FIXTURE_SNAPSHOT, tmp_path / "data")
    html = build_book(data_dir=data)
    visit = visit_page(html / PAGE)
    page = visit.page
    page.wait_for_selector(f"{CHART}[data-rendered=true]", timeout=15000)

    figure = page.locator("figure", has=page.locator(CHART))
    caption = figure.locator("figcaption").inner_text()
    assert caption.startswith("Fig. ") and "FIXTURE" in caption
    for fact in (
        "“NeuroAI” and “AI4neuro”",
        "worldwide",
        "all time",
        "0–100 scale (100 = the highest point",
        "Fetched on 2024-05-20",
        "Google Trends",
    ):
        assert fact in caption
    assert figure.locator("a[download='trends-interest.csv']").count() == 1
    assert figure.locator(".ai4n-notice").count() == 0  # (the paper figures, without data here, show theirs)

    text = hover_until_tooltip(page, CHART, "g.mark-symbol path")
    assert "Month" in text and "Search interest" in text, f"no tooltip on hover (got {text!r})"
    assert "NeuroAI" in text or "AI4neuro" in text
    assert "undefined" not in text
    assert visit.console_errors == [] and visit.blocked_requests == []


def test_published_build_shows_the_notice_or_the_figure(book_html, visit_page):
    visit = visit_page(book_html / PAGE)
    page = visit.page
    body = page.content()
    assert "Traceback" not in body and "Ai4NeuroError" not in body
    if (ROOT / "data" / "google_trends.csv").exists():
        page.wait_for_selector(f"{CHART}[data-rendered=true]", timeout=15000)
    else:
        notice = page.locator(".ai4n-notice")
        assert notice.count() == 1 and notice.is_visible()
        assert "python -m ai4neuro refresh trends" in notice.inner_text()
        assert page.locator(CHART).count() == 0
        assert page.locator("figure", has=notice).locator("figcaption").inner_text().startswith("Fig. ")
    page.wait_for_timeout(300)
    assert visit.console_errors == [] and visit.blocked_requests == []
