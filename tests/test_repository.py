"""Repository, issue, edit and launch buttons: off while repository.url is the placeholder, right once it is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPOSITORY_URL

from ai4neuro.bookext import repository

pytestmark = pytest.mark.book
CHAPTERS = ["beyond-neuroai-we-need-ai4neuro-part-1", "beyond-neuroai-we-need-ai4neuro-part-3", "about-data"]
NOTICE = "[ai4neuro] repository and launch buttons are off"


def hrefs(html: Path, chapter: str) -> list[str]:
    soup = BeautifulSoup((html / "chapters" / f"{chapter}.html").read_text(encoding="utf-8"), "html.parser")
    return [link["href"] for link in soup.select(".article-header-buttons a[href], .header-article-items a[href]")]


@pytest.mark.parametrize("url", ["", None, "   ", repository.PLACEHOLDER, "https://gitlab.com/<group>/book"])
def test_unset_and_placeholder_addresses(url):
    assert repository.is_placeholder(url)


def test_a_real_address_is_not_a_placeholder():
    assert not repository.is_placeholder("https://github.com/rdgao/some-book")


def test_the_placeholder_builds_without_buttons_and_says_once_how_to_turn_them_on(book_html):
    log = (book_html.parent / "build.log").read_text(encoding="utf-8")  # the build passed -W: no warning
    assert log.count(NOTICE) == 1 and "set repository.url in _config.yml" in log
    for chapter in CHAPTERS:
        links = hrefs(book_html, chapter)
        assert not [link for link in links if "github.com" in link or "mybinder.org" in link], (chapter, links)


def test_a_real_address_turns_on_buttons_that_point_at_it(book_with_repository):
    log = (book_with_repository.parent / "build.log").read_text(encoding="utf-8")
    assert NOTICE not in log
    for chapter in CHAPTERS:
        links = hrefs(book_with_repository, chapter)
        source = f"chapters/{chapter}.md"
        assert REPOSITORY_URL in links
        assert f"{REPOSITORY_URL}/edit/main/{source}" in links
        assert any(link.startswith(f"{REPOSITORY_URL}/issues/new?") for link in links), links
        assert f"https://mybinder.org/v2/gh/test-owner/test-book/main?urlpath=lab/tree/{source}" in links
