"""Short titles name the chapters in navigation (issue 22): the import sets them, the author may edit them, and
the built book uses them in the sidebar, the table of contents, previous/next and the browser tab, while each
page's heading stays the post's title. On a phone each previous/next link takes one or two lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup

from ai4neuro import posts
from ai4neuro.posts.chapter import SHORT_TITLE_KEY, short_title
from ai4neuro.posts.jekyll import Post
from ai4neuro.testing import ROOT

SERIES = "An essay in parts---and more (at first)."  # hand-made, shaped as posts/_config.yml's series
PART1 = "posts/_posts/2024-01-01-beyond-neuroai-we-need-ai4neuro-part-1.md"
CHAPTER1 = "chapters/beyond-neuroai-we-need-ai4neuro-part-1.md"
PAGES = ["index", "beyond-neuroai-we-need-ai4neuro-part-1", "beyond-neuroai-we-need-ai4neuro-part-3", "about-data"]


def post(title: str, **meta) -> Post:
    return Post(Path("posts/_posts/x.md"), "x", title, date(2024, 1, 1), [], "", False, "", 1, {"title": title, **meta})


def test_a_short_title_comes_from_the_post_or_from_the_series_and_part():
    assert short_title(post("Anything [Part 2]", short_title="  Part 2:  the  gist "), SERIES) == "Part 2: the gist"
    assert short_title(post("An essay in parts---and more (at first). [Part 3]"), SERIES) == "Part 3: An essay in parts"
    assert (
        short_title(post("An essay in parts---and more (at first). (Part 1/3)"), SERIES) == "Part 1: An essay in parts"
    )
    assert short_title(post("Another post [Part 2]"), SERIES) is None  # not of the series: its title serves
    assert short_title(post("An essay in parts---and more (at first)."), SERIES) is None  # no part


def test_the_import_sets_the_short_title_once_and_keeps_the_authors(book):
    chapter = book / CHAPTER1
    meta = frontmatter.loads(chapter.read_text(encoding="utf-8")).metadata
    assert meta[SHORT_TITLE_KEY] == "Part 1: NeuroAI vs AI4Neuro"  # the committed chapter's own
    assert "up to date" in posts.import_post(book / PART1)  # a re-import keeps it, and changes nothing
    chapter.unlink()
    posts.import_post(book / PART1)  # a new chapter: from the series and part
    text = chapter.read_text(encoding="utf-8")
    assert frontmatter.loads(text)[SHORT_TITLE_KEY] == "Part 1: Beyond #NeuroAI, we need #AI4Neuro"
    assert text.index("\ntitle:") < text.index(f"\n{SHORT_TITLE_KEY}:") < text.index("\ndate:")
    edited = text.replace("Part 1: Beyond #NeuroAI, we need #AI4Neuro", "Part 1: mine")
    chapter.write_text(edited, encoding="utf-8")
    assert "up to date" in posts.import_post(book / PART1)
    assert chapter.read_text(encoding="utf-8") == edited


@pytest.mark.book
def test_navigation_uses_short_titles_and_headings_stay_the_posts(book_html):
    def soup(name: str) -> BeautifulSoup:
        return BeautifulSoup((book_html / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")

    page = soup("beyond-neuroai-we-need-ai4neuro-part-1")
    post_title = frontmatter.load(ROOT / CHAPTER1)["title"].replace("---", "—").replace("'", "’")
    assert page.select_one("article h1").get_text().rstrip("#") == post_title
    assert page.select_one("#jb-print-docs-body h1").get_text() == post_title  # the printed page's title
    assert page.title.get_text() == "Part 1: NeuroAI vs AI4Neuro — Beyond #NeuroAI, we need #AI4Neuro"
    sidebar = [link.get_text(strip=True) for link in page.select("nav.bd-docs-nav a")]
    assert sidebar == [
        "Beyond #NeuroAI, we need #AI4Neuro",
        "Part 1: NeuroAI vs AI4Neuro",
        "Part 3: AI4Neuro",
        "About the data",
    ]
    assert [title.get_text(strip=True) for title in page.select(".prev-next-title")] == [
        "Beyond #NeuroAI, we need #AI4Neuro",
        "Part 3: AI4Neuro",
    ]
    contents = [link.get_text(strip=True) for link in soup("index").select("article .toctree-wrapper a")]
    assert contents == ["Part 1: NeuroAI vs AI4Neuro", "Part 3: AI4Neuro", "About the data"]


@pytest.mark.book
@pytest.mark.browser
def test_on_a_phone_each_previous_and_next_link_takes_one_or_two_lines(book_html, visit_page):
    for name in PAGES:
        page = visit_page(book_html / "chapters" / f"{name}.html", width=390).page
        lines = page.locator(".prev-next-title").evaluate_all(
            "ts => ts.map(t => Math.round(t.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(t).lineHeight)))"
        )
        assert lines and max(lines) <= 2, (name, lines)
