"""The whole book: chapters run as notebooks, the HTML holds the posts, drafts, and a real browser."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlparse

import frontmatter
import jupytext
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from nbclient import NotebookClient

from ai4neuro.bookext import drafts

ROOT = Path(__file__).resolve().parent.parent
PART_1, PART_3 = "beyond-neuroai-we-need-ai4neuro-part-1", "beyond-neuroai-we-need-ai4neuro-part-3"
CHAPTERS = {
    f"posts/_posts/2024-01-01-{PART_1}.md": f"chapters/{PART_1}",
    f"posts/_drafts/{PART_3}.md": f"chapters/{PART_3}",
}
DRAFT = "chapters/beyond-neuroai-we-need-ai4neuro-part-3"
BANNER = "Draft — not published on the blog"
# What MyST renders with the book's replacements + smartquotes extensions (kramdown's typography).
TYPOGRAPHER = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])


def chapter_sources() -> list[Path]:
    """Every page that is a notebook (front matter with a kernelspec), the imported chapters among them."""
    notebooks = sorted(
        path for path in (ROOT / "chapters").glob("*.md") if "kernelspec" in frontmatter.load(path).metadata
    )
    assert {ROOT / f"{chapter}.md" for chapter in CHAPTERS.values()} <= set(notebooks)
    return notebooks


def test_every_page_with_code_cells_is_a_notebook():
    for page in (ROOT / "chapters").glob("*.md"):
        if "{code-cell}" in page.read_text(encoding="utf-8"):
            assert "kernelspec" in frontmatter.load(page).metadata, f"{page}: code cells need myst-nb front matter"


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def article_text(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return " ".join(soup.select_one("article").get_text(" ").split())


# --- chapters as notebooks ----------------------------------------------------------------------


@pytest.mark.parametrize("chapter", chapter_sources(), ids=lambda path: path.stem)
@pytest.mark.parametrize("where", ["own folder", "repository root"])
def test_chapter_runs_top_to_bottom_in_a_fresh_kernel(chapter, where, tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_FIGURES", str(tmp_path / "figures"))  # never touch the published figures/
    monkeypatch.delenv("AI4NEURO_REFRESH", raising=False)
    notebook = jupytext.read(chapter)
    cwd = chapter.parent if where == "own folder" else ROOT
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []


# --- the built book -----------------------------------------------------------------------------


def post_blocks(post: Path) -> tuple[list[str], str]:
    """The post's prose blocks (source text) and its link definitions."""
    body = frontmatter.load(post).content
    lines = body.splitlines()
    tokens = [
        token for token in MarkdownIt("commonmark").parse(body) if token.level == 0 and token.map and token.nesting >= 0
    ]
    blocks = ["\n".join(lines[token.map[0] : token.map[1]]) for token in tokens if token.type != "hr"]
    definitions = "\n".join(line for line in lines if re.match(r"^\[[^\]]+\]:\s*\S", line))
    return blocks, definitions


@pytest.mark.book
@pytest.mark.parametrize("post, chapter", CHAPTERS.items(), ids=lambda value: Path(value).stem)
def test_chapter_html_holds_its_title_and_every_prose_block(book_html, post, chapter):
    page = book_html / f"{chapter}.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    title = TYPOGRAPHER.renderInline(frontmatter.load(ROOT / post)["title"])
    assert soup.select_one("article h1").get_text().rstrip("#").strip() == text_of(title)
    text = article_text(page)
    blocks, definitions = post_blocks(ROOT / post)
    for block in blocks:
        expected = text_of(TYPOGRAPHER.render(block.lstrip("#").lstrip() + "\n\n" + definitions))
        assert expected in text, f"not in {page.name}: {expected[:80]}"
    # Every reference-style link the post uses points where the post says (query strings intact).
    hrefs = {a["href"] for a in soup.select("article a[href]")}
    body = frontmatter.load(ROOT / post).content
    for label, url in re.findall(r"^\[([^\]]+)\]:\s*(\S+)", definitions, flags=re.MULTILINE):
        if f"][{label}]" in body:
            assert url in hrefs, f"{label}: {url} not linked in {page.name}"


@pytest.mark.book
def test_draft_banner_shows_on_drafts_only(book_html):
    banner = BeautifulSoup((book_html / f"{DRAFT}.html").read_text(encoding="utf-8"), "html.parser").select_one(
        "article .admonition .admonition-title"
    )
    assert banner is not None and banner.get_text(strip=True) == BANNER
    for chapter in set(CHAPTERS.values()) - {DRAFT}:
        assert BANNER not in article_text(book_html / f"{chapter}.html")


@pytest.mark.book
def test_landing_page_links_every_chapter(book_html):
    links = {
        a["href"]
        for a in BeautifulSoup(
            (book_html / "chapters" / "index.html").read_text(encoding="utf-8"), "html.parser"
        ).select("article a[href]")
    }
    for chapter in CHAPTERS.values():
        assert f"{Path(chapter).name}.html" in links


@pytest.mark.book
def test_drafts_can_be_left_out_of_a_build(build_book):
    html = build_book(env={"AI4NEURO_DRAFTS": "0"})  # the build itself passes -W: no warning
    assert not (html / f"{DRAFT}.html").exists()
    for chapter in set(CHAPTERS.values()) - {DRAFT}:
        assert (html / f"{chapter}.html").exists()
    for page in html.rglob("*.html"):
        assert Path(DRAFT).name not in page.read_text(encoding="utf-8"), f"{page} still links the draft"


def test_drafts_setting_and_its_environment_variable(monkeypatch):
    monkeypatch.delenv(drafts.ENV_VARIABLE, raising=False)
    assert drafts.include_drafts(SimpleNamespace(ai4neuro_include_drafts=True))
    assert not drafts.include_drafts(SimpleNamespace(ai4neuro_include_drafts=False))
    monkeypatch.setenv(drafts.ENV_VARIABLE, "0")
    assert not drafts.include_drafts(SimpleNamespace(ai4neuro_include_drafts=True))
    monkeypatch.setenv(drafts.ENV_VARIABLE, "1")
    assert drafts.include_drafts(SimpleNamespace(ai4neuro_include_drafts=False))


# --- a real browser -----------------------------------------------------------------------------


def built_pages(html: Path) -> list[Path]:
    return sorted(page for page in html.rglob("*.html") if "_static" not in page.parts and "_sources" not in page.parts)


@cache
def anchors_of(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return frozenset(element["id"] for element in soup.select("[id]")) | frozenset(
        element["name"] for element in soup.select("a[name]")
    )


def broken_internal_links(page: Path, hrefs: list[str]) -> list[str]:
    broken = []
    for href in hrefs:
        link = urlparse(href)
        if link.scheme or link.netloc or href.startswith("//"):
            continue  # external: not followed (the network is blocked)
        target = (page.parent / unquote(link.path)).resolve() if link.path else page
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file)")
        elif link.fragment and target.suffix == ".html" and unquote(link.fragment) not in anchors_of(target):
            broken.append(f"{href} (no #{link.fragment})")
    return broken


@pytest.mark.book
@pytest.mark.browser
def test_every_page_opens_offline_without_errors_or_broken_links(book_html, visit_page):
    pages = built_pages(book_html)
    assert {f"{chapter}.html" for chapter in CHAPTERS.values()} <= {
        page.relative_to(book_html).as_posix() for page in pages
    }
    problems = {}
    for page in pages:
        visit = visit_page(page)
        visit.page.wait_for_load_state("networkidle")
        hrefs = visit.page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))")
        found = (
            visit.console_errors
            + [f"blocked {url}" for url in visit.blocked_requests]
            + [f"failed {url}" for url in visit.failed_requests]
        )
        shown = Path(unquote(urlparse(visit.page.url).path))  # the top index.html redirects to chapters/index.html
        found += broken_internal_links(shown, hrefs)
        if found:
            problems[page.relative_to(book_html).as_posix()] = found
    assert problems == {}


@pytest.mark.book
@pytest.mark.browser
def test_every_page_fits_a_phone_screen(book_html, visit_page):
    """At 390 px nothing widens the page: long code and URLs wrap, wide tables scroll in their own box."""
    too_wide = {}
    for page in built_pages(book_html):
        visit = visit_page(page, width=390)
        if page == book_html / "index.html":  # the site's root: measure the page it sends the reader to
            visit.page.wait_for_url("**/chapters/index.html")
        visit.page.wait_for_timeout(300)  # charts size themselves after load
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[page.relative_to(book_html).as_posix()] = width
    assert too_wide == {}
