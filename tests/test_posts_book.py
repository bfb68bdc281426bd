"""An imported post in the built book: builds with -W, and its page looks right in headless Chromium offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_repository, run_build
from test_posts import add_fixture_post

TOUR = "_posts/2024-05-01-kramdown-tour.md"
CELL = "```{code-cell} ipython3\nprint('ships counted:', 3 + 4)\n```"

pytestmark = [pytest.mark.book, pytest.mark.browser]


@pytest.fixture(scope="module")
def tour_html(tmp_path_factory) -> Path:
    """The book with the kramdown tour imported by the command, built with -W."""
    source = copy_repository(tmp_path_factory.mktemp("tour-book"))
    add_fixture_post(source, TOUR)

    def import_tour() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "ai4neuro", "import-post", f"posts/{TOUR}"],
            cwd=source,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(source)},
        )

    result = import_tour()
    assert result.returncode == 0, result.stderr
    # The author adds a code cell between a footnote's reference and the rest of the post; a re-import keeps it.
    chapter = source / "chapters" / "kramdown-tour.md"
    text = chapter.read_text(encoding="utf-8")
    at = text.index("\n\n", text.index("a kramdown attribute[^tab]"))
    chapter.write_text(text[:at] + "\n\n" + CELL + text[at:], encoding="utf-8")
    (source / "posts" / TOUR).write_text(
        (source / "posts" / TOUR).read_text(encoding="utf-8").replace("eighteen ships", "nineteen ships"),
        encoding="utf-8",
    )
    result = import_tour()
    assert result.returncode == 0 and "kept 1 block(s)" in result.stdout, result.stdout + result.stderr
    return run_build(source)


def test_images_are_drawn_from_the_book(tour_html, visit_page):
    visit = visit_page(tour_html / "chapters" / "kramdown-tour.html")
    images = visit.page.eval_on_selector_all(
        "article img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth])"
    )
    assert len(images) == 4 and all(width > 0 for _, width in images), images
    assert visit.blocked_requests == [] and visit.failed_requests == [] and visit.console_errors == []


def test_math_is_typeset_offline_and_dollars_stay_text(tour_html, visit_page):
    visit = visit_page(tour_html / "chapters" / "kramdown-tour.html")
    visit.page.wait_for_selector("mjx-container svg", timeout=15_000)
    assert visit.page.locator("mjx-container").count() == 2  # $$E = mc^2$$ inline, and the display equation
    assert visit.page.locator("mjx-container[display='true']").count() == 1
    text = visit.page.inner_text("article")
    assert "$5 to climb the tower and $10" in text and "$$" not in text and "\\(" not in text
    scripts = visit.page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    assert any(src.endswith("_static/mathjax/tex-svg-full.js") for src in scripts), scripts
    assert visit.blocked_requests == []


def test_pages_without_math_load_no_mathjax(tour_html):
    for page in ("index.html", "chapters/beyond-neuroai-we-need-ai4neuro-part-1.html"):
        text = (tour_html / page).read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*mathjax|window\.MathJax", text, re.IGNORECASE), page


def test_in_page_links_scroll_to_their_headings(tour_html, visit_page):
    visit = visit_page(tour_html / "chapters" / "kramdown-tour.html", height=700)
    page = visit.page
    for text, heading in [
        ("second section", "Second section"),
        ("custom anchor", "A heading with its own id"),
        ("the lighthouse notes", "The lighthouse keeper’s notes"),
    ]:
        page.evaluate("window.scrollTo(0, 0)")
        page.locator("article p a", has_text=text).first.click()
        page.wait_for_timeout(300)
        target = page.locator("article h2, article h3", has_text=heading).first
        top = target.evaluate("e => e.getBoundingClientRect().top")
        assert page.evaluate("window.scrollY") > 0 and -5 <= top < 200, (text, top)


def test_kramdown_renders_no_literal_syntax(tour_html, visit_page):
    page = visit_page(tour_html / "chapters" / "kramdown-tour.html").page
    assert page.locator("article s", has_text="seventeen").count() == 1
    text = page.evaluate(
        "() => { const a = document.querySelector('article').cloneNode(true);"
        " a.querySelectorAll('code, pre').forEach(e => e.remove()); return a.innerText; }"
    )
    for literal in ("{:", "{%", "{{", "~~", "[^", "* TOC", "<em>features</em>" + "x"):
        assert literal not in text, literal
    assert "A tour of kramdown <em>features</em>" in page.inner_text("article h1")  # the title's HTML is text
    assert page.locator("h1 em").count() == 0  # in the article and in the theme's print header
    assert page.locator("article .admonition.note", has_text="notice in minimal-mistakes").count() == 1
    assert page.locator("article .admonition.warning", has_text="Inside a block of HTML").count() == 1
    assert page.locator("article table").count() == 2
    assert page.locator("article aside.footnote, article .footnote").count() >= 2
    assert page.locator("article a.footnote-reference").count() == 2  # resolved across the added code cell
    assert "nineteen ships" in text and "ships counted: 7" in page.inner_text("article")
