"""The pages as readers, screen readers, validators and link previews meet them.

axe-core (accessibility) and the Nu HTML checker come from ``package.json`` (``./run test`` installs them);
the book is the published one, built once per session (conftest). Lighthouse scores are measured in
``benchmarks/lighthouse.py``, never asserted here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlparse

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup

from ai4neuro.bookext import icons, metadata
from ai4neuro.testing import CHROMIUM, CHROMIUM_ARGS, ROOT, static_host

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SERIOUS = {"serious", "critical"}
PART_1 = "chapters/beyond-neuroai-we-need-ai4neuro-part-1"


def tool(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: `./run test` installs it (npm ci, from package.json)")
    return path


def book_pages(html: Path) -> list[Path]:
    """Every page of the book (the root redirect too), not Sphinx's asset folders."""
    return sorted(page for page in html.rglob("*.html") if not {"_static", "_sources"} & set(page.parts))


def soup_of(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


# --- accessibility ------------------------------------------------------------------------------


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (``preload``: no stylesheet fetches)."""
    page.evaluate(tool(AXE).read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations'], preload: false})")
    return [
        f"{violation['impact']} {violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.mark.book
@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 390])
def test_axe_finds_nothing_serious_on_any_page_light_or_dark(book_html, visit_page, width):
    found = {}
    for path in book_pages(book_html):
        if path == book_html / "index.html":
            continue  # the root redirect: it leaves at once (the Nu checker reads it)
        for mode in ("light", "dark"):
            visit = visit_page(path, width=width)
            visit.page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
            visit.page.wait_for_timeout(300)  # charts redraw in the new colours
            if violations := serious_violations(visit.page):
                found[f"{path.relative_to(book_html)} ({mode})"] = violations
    assert found == {}


@pytest.mark.book
@pytest.mark.browser
def test_keyboard_reaches_the_controls_and_they_work(book_html, visit_page):
    page = visit_page(book_html / f"{PART_1}.html").page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    # The colour-mode button, by keyboard: light, dark, system (pydata-sphinx-theme's order).
    page.focus(".theme-switch-button")
    before = page.evaluate("document.documentElement.dataset.mode")
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.dataset.mode") != before
    # Ctrl+K opens the search dialog with its field focused.
    page.keyboard.press("Control+k")
    page.wait_for_function("document.querySelector('#pst-search-dialog').open")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.press("Escape")
    # A hidden code cell opens from the keyboard and names itself by what it shows.
    summary = page.locator("div.cell details.hide > summary").first
    assert summary.inner_text().strip() == "Show code cell source"
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("div.cell details.hide").first.get_attribute("open") is not None
    assert summary.inner_text().strip() == "Hide code cell source"


@pytest.mark.book
@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 390])
def test_one_search_button_and_no_empty_header_strip(book_html, visit_page, width):
    """At 1200 px the sidebar's search button (no second one in a header strip across the page); on a phone,
    the article header's."""
    for path in book_pages(book_html):
        if path == book_html / "index.html":
            continue
        page = visit_page(path, width=width).page
        buttons = [button for button in page.locator(".search-button__button").all() if button.is_visible()]
        assert len(buttons) == 1, (path.name, width)
        where = "#pst-primary-sidebar" if width == 1200 else ".bd-header-article"
        assert buttons[0].evaluate(f"(b) => !!b.closest('{where}')"), (path.name, width)
        assert page.locator("#pst-header").bounding_box() is None  # hidden: it takes no room
        article = page.locator(".bd-header-article, article").first.bounding_box()
        assert article["y"] < 5, (path.name, width)  # the page starts with the article's own header


@pytest.mark.book
def test_the_landing_page_mentions_the_launch_button_only_where_the_build_has_one(book_html, book_with_repository):
    def launch(html: Path) -> tuple[bool, bool]:
        index = soup_of(html / "chapters" / "index.html").select_one("article").get_text()
        chapter = soup_of(html / f"{PART_1}.html")
        return "rocket" in index, chapter.select_one("a[href*='mybinder.org']") is not None

    assert launch(book_html) == (False, False)  # repository.url is the placeholder: no launch button
    assert launch(book_with_repository) == (True, True)


@pytest.mark.book
def test_the_nu_html_checker_finds_no_error_on_the_book_pages(book_html):
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `./run test` installs Debian's default-jre-headless for the Nu HTML checker")
    pages = [str(path) for path in book_pages(book_html)]
    result = subprocess.run(
        [java, "-jar", str(tool(VNU)), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(urlparse(message.get('url', '')).path).relative_to(book_html)}:{message.get('lastLine')}: "
        f"{message['message']}"
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]
    assert errors == []


# --- weight ------------------------------------------------------------------------------------


@pytest.mark.book
def test_pages_load_only_what_they_use(book_html):
    for path in book_pages(book_html):
        text = path.read_text(encoding="utf-8")
        assert "fontawesome.js" not in text, path  # icons come from the cut-down web fonts
        if path.name != "search.html":
            assert "searchindex.js" not in text and "searchtools.js" not in text, path
        body = str(soup_of(path).select_one("article") or "")
        if 'class="highlight' not in body:
            assert "copybutton.js" not in text and "pygments.css" not in text, path
        assert "sphinx-thebe" not in text, path  # launch_buttons.thebe is off
    head = soup_of(book_html / f"{PART_1}.html").head
    blocking = [
        script["src"] for script in head.find_all("script", src=True) if not {"defer", "async"} & set(script.attrs)
    ]
    assert [Path(urlparse(src).path).name for src in blocking] == ["documentation_options.js"]


@pytest.mark.book
def test_icon_fonts_hold_the_icons_the_pages_show(book_html):
    from fontTools.ttLib import TTFont

    css = (book_html / icons.THEME_STYLESHEET).read_text(encoding="utf-8")
    used = icons.icon_classes_in_pages(book_html)
    # The theme switch and search; the repository and launch icons only once repository.url is set.
    assert {"sun", "moon", "magnifying-glass"} <= used
    _, by_class = icons.glyphs_in_stylesheets(css)
    assert set(by_class) <= used | {"arrow-circle-left", "arrow-circle-right"}  # unused classes are gone
    cut = book_html / "_static" / icons.STATIC_SUBDIR
    covered = set()
    for name in icons.FONT_FILES:
        font = cut / f"{name}.woff2"
        assert font.stat().st_size < 10_000, font
        covered |= set(TTFont(font).getBestCmap())
    for name in used & set(by_class):
        assert by_class[name] <= covered, name


def test_icon_glyphs_are_read_from_class_rules_custom_properties_and_other_rules():
    css = (
        '.fa-sun:before{content:"\\f185"}.fa-bolt:before,.fa-zap:before{content:"\\f0e7"}'
        'html{--pst-icon-warning:"\uf071"}.admonition-title:after{content:"\\f05a";font:var(--fa-font-solid)}'
    )
    always, by_class = icons.glyphs_in_stylesheets(css)
    assert always == {0xF071, 0xF05A}
    assert by_class == {"sun": {0xF185}, "bolt": {0xF0E7}, "zap": {0xF0E7}}
    assert icons.needed_glyphs(css, {"zap"}) == {0xF071, 0xF05A, 0xF0E7}
    kept = icons.without_unused_icon_classes(css, {"zap"})
    assert ".fa-sun" not in kept and '.fa-zap:before{content:"\\f0e7"}' in kept and "--pst-icon-warning" in kept


@pytest.mark.book
@pytest.mark.browser
def test_served_pages_ask_for_nothing_missing_and_never_the_full_icon_fonts(book_html, browser):
    """Over HTTP, as a static host serves them: no 404 (a favicon.ico among them), no full Font Awesome font;
    search works."""
    rules = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"  # only the local host resolves
    args = [arg for arg in CHROMIUM_ARGS if not arg.startswith("--host-resolver-rules")] + [rules]
    served = browser.browser_type.launch(executable_path=CHROMIUM, args=args, headless=True)
    responses = []
    try:
        with static_host(book_html) as base:
            for path in book_pages(book_html):
                page = served.new_page()
                page.on("response", lambda response: responses.append((response.status, response.url)))
                page.goto(urljoin(base, path.relative_to(book_html).as_posix()), wait_until="networkidle")
                page.close()
            # Search, whose scripts only its own page loads, still finds the chapters.
            page, errors = served.new_page(), []
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.goto(urljoin(base, "search.html?q=AI4Neuro"))
            page.wait_for_selector("#search-results li a[href*='part-1']", timeout=20_000)
            assert errors == []
    finally:
        served.close()
    assert [url for status, url in responses if status >= 400] == []
    assert not [url for _, url in responses if "vendor/fontawesome" in url]
    assert any(url.endswith("_static/ai4neuro/fa-solid-900.woff2") for _, url in responses)


# --- metadata ----------------------------------------------------------------------------------


@pytest.mark.book
def test_every_page_has_a_description_and_every_chapter_a_link_preview(book_html):
    book = frontmatter.load(ROOT / "chapters" / "index.md")["description"]
    for path in book_pages(book_html):
        if path == book_html / "index.html":
            continue
        soup = soup_of(path)
        assert meta(soup, "description"), path
        if path.name in {"genindex.html", "search.html"}:
            assert meta(soup, "description") == book
            continue
        for key in ("og:title", "og:description", "og:url", "og:site_name", "twitter:card"):
            assert meta(soup, key), (path, key)
        assert meta(soup, "og:site_name") == "Beyond #NeuroAI, we need #AI4Neuro"
    # A chapter with a description in its front matter and a figure: both in its preview.
    soup = soup_of(book_html / f"{PART_1}.html")
    described = frontmatter.load(ROOT / f"{PART_1}.md")["description"]
    assert meta(soup, "description") == meta(soup, "og:description") == described
    assert meta(soup, "twitter:card") == "summary_large_image"
    image = meta(soup, "og:image")
    repository = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    site = metadata.pages_address(repository)
    # Absolute where the site's address is known (a GitHub repository), else relative to the page.
    assert image == (f"{site}{metadata.PREVIEWS}/" if site else f"../{metadata.PREVIEWS}/") + Path(image).name
    assert image.endswith(".png") and (book_html / metadata.PREVIEWS / Path(image).name).is_file()
    assert meta(soup, "og:image:alt")


def test_the_preview_is_the_first_captioned_figure_with_a_static_image():
    from docutils import nodes
    from docutils.utils import new_document

    doctree = new_document("page")
    plain = nodes.figure("", nodes.caption("Not ours.", "Not ours."))
    plain["names"].append("fig-other")
    ours = nodes.figure(
        "", nodes.caption("Papers. Source: a list.", "Papers. Source: a list."), classes=["ai4n-figure"]
    )
    ours["names"].append("fig-papers-neuroai-ai4neuro")
    doctree += [plain, ours]
    assert metadata.page_figures(doctree) == [("papers-neuroai-ai4neuro", "Papers. Source: a list.")]


def test_site_address_comes_from_the_repository():
    assert metadata.pages_address("https://github.com/RDGao/ai4neuro-book") == "https://rdgao.github.io/ai4neuro-book/"
    assert metadata.pages_address("https://github.com/<owner>/<repository>") == ""
    assert metadata.pages_address("https://gitlab.com/a/b") == ""
    assert metadata.first_sentence("Fig. 2 Papers per year. Source: a list.") == "Papers per year."


@pytest.mark.book
def test_every_page_names_an_existing_favicon_and_the_root_redirects_properly(book_html):
    for path in book_pages(book_html):
        icon = soup_of(path).find("link", rel="icon")
        assert icon is not None, path  # else browsers ask the host for /favicon.ico
        if path != book_html / "index.html":
            assert (path.parent / icon["href"]).resolve().is_file(), path
    root = (book_html / "index.html").read_text(encoding="utf-8")
    assert root.lstrip().lower().startswith("<!doctype html>")
    soup = BeautifulSoup(root, "html.parser")
    assert soup.title.get_text() == "Beyond #NeuroAI, we need #AI4Neuro"
    assert re.search(r"url=chapters/index\.html", soup.find("meta", attrs={"http-equiv": "refresh"})["content"])
    assert soup.find("a", href="chapters/index.html") is not None  # for readers without meta refresh
    assert soup.find("link", rel="icon")["href"] == "data:,"  # it leaves at once: no icon to fetch


# --- print -------------------------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.browser
def test_print_leaves_out_controls_toggles_and_hints(book_html, visit_page):
    page = visit_page(book_html / f"{PART_1}.html").page
    page.emulate_media(media="print")
    for selector in (
        ".theme-switch-button",
        ".search-button__button",
        ".dropdown-launch-buttons",
        ".dropdown-download-buttons",
        "div.cell details.hide",
        ".ai4n-hint",
        "#pst-back-to-top",
    ):
        for element in page.locator(selector).all():
            assert not element.is_visible(), selector
    assert page.locator("#jb-print-docs-body h1").is_visible()  # the theme's print title
    assert page.locator("article p").first.is_visible()
    assert page.locator("article figure").first.is_visible()
