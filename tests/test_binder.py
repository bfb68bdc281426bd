"""Binder as a reader meets it: every chapter's launch link opens a notebook that runs and shows its figures.

A Binder-like environment (see :mod:`binderlike`: repo2docker's Python 3.11 base, then exactly the steps
repo2docker runs for this repository, on a clean copy of it that is also JupyterLab's home), JupyterLab
on 127.0.0.1, and headless Chromium opening each chapter's launch link, the ``lab/tree/...`` path of the
Binder button of a book built with a real repository address. Then "Run all cells", and what the reader
sees is checked against the built book: no error output, every numbered figure drawn (a chart, an image,
a table, or a notice where the book has one) with the book's caption under it, and every whole table.
Screenshots of each chapter and figure are kept in the test's temporary folder (``binder-screenshots``).
"""

from __future__ import annotations

import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import binderlike
import pytest
from bs4 import BeautifulSoup

from ai4neuro.testing import copy_repository, launch_chromium

pytestmark = [pytest.mark.binder, pytest.mark.book, pytest.mark.browser]
RUN_TIMEOUT = 300_000  # ms, "Run all" of one chapter (the book builds each in about 10 s)


def plain(text: str) -> str:
    """Text without typography: Sphinx curls quotes and joins dots in the book's captions (smartquotes)."""
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})).replace("…", "...")


@dataclass(frozen=True)
class BookFigure:
    kind: str  # chart, table, notice or image
    caption: str


def book_chapters(html: Path) -> dict[str, Path]:
    """Every page with a Binder button, by the path of its launch link (``lab/tree/chapters/<name>.md``)."""
    found = {}
    for page in sorted((html / "chapters").glob("*.html")):
        button = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            '.dropdown-launch-buttons a[href*="mybinder.org/v2/"]'
        )
        if button is not None:
            found[parse_qs(urlparse(button["href"]).query)["urlpath"][0]] = page
    return found


def book_figures(page: Path) -> tuple[list[BookFigure], int]:
    """The page's numbered figures (kind and caption, without "Fig. N") and its number of whole tables."""
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    figures = []
    for figure in article.select("figure"):
        kinds = {"chart": "div.ai4n-chart", "table": "div.ai4n-table", "notice": ".ai4n-notice", "image": "img"}
        kind = next(name for name, selector in kinds.items() if figure.select_one(selector))
        caption = figure.select_one("figcaption")
        for anchor in caption.select("a.headerlink, .ai4n-figure-link"):  # the book's own links, not the caption
            anchor.decompose()
        caption = " ".join(caption.get_text(" ").split())
        figures.append(BookFigure(kind, re.sub(r"^Fig\. \d+\s*", "", caption)))
    return figures, len(article.select(".ai4n-wide-table"))


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """JupyterLab in the Binder-like environment, serving a clean copy of the repository as its home."""
    home = copy_repository(tmp_path_factory.mktemp("binder-home"))
    log = tmp_path_factory.mktemp("binder-logs") / "jupyterlab.log"
    with binderlike.locked():
        env = binderlike.base_environment(home)
        binderlike.assemble(env, home)
        with binderlike.jupyterlab(env, home, log) as (base, token):
            yield base, token, home


@pytest.fixture(scope="module")
def launch_links(book_with_repository) -> dict[str, Path]:
    links = book_chapters(book_with_repository)
    assert len(links) >= 3, links  # the posts and About the data
    return links


@pytest.fixture(scope="module")
def browser_with_loopback(playwright):
    """Chromium that reaches 127.0.0.1 (JupyterLab) and nothing else."""
    chromium = launch_chromium(playwright, loopback=True)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("binder-screenshots")


def open_in_jupyterlab(browser, base: str, token: str, urlpath: str):
    """A fresh browser context that reaches only JupyterLab, on the launch link's path."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith((base, "data:", "blob:")) else route.abort(),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.stack or str(error)))
    page.goto(f"{base}/{urlpath}?token={token}")
    return page, errors


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in view


def wait_for_the_kernel(page) -> None:
    """Until the chapter's kernel has started and is idle, as the status bar says (the toolbar's indicator
    reads "idle" for a moment before there is a kernel at all)."""
    page.get_by_text(re.compile(r"^Python 3 \(ipykernel\) \| Idle$")).wait_for(timeout=120_000)


def run_all(page) -> None:
    """Run > Run All Cells, as a reader does; wait until every code cell has run."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    script = """panel => {
        const prompts = [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputPrompt')];
        return prompts.length > 0 && prompts.every(prompt => /\\[\\d+\\]/.test(prompt.textContent));
    }"""
    page.wait_for_function(script, arg=PANEL, timeout=RUN_TIMEOUT)


# Whether JupyterLab drew a figure of each kind (in the output just before its caption). Vega draws on a
# canvas: drawn marks are its coloured pixels (axes and text are grey).
DRAWN = {
    "chart": """output => {
        const canvas = output.querySelector('canvas');
        if (!canvas || !canvas.width) return 0;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let coloured = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            const [r, g, b, a] = pixels.slice(i, i + 4);
            if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
        }
        return coloured;
    }""",
    "image": "output => [...output.querySelectorAll('img')].filter(img => img.naturalWidth > 0).length",
    "table": "output => output.querySelectorAll('table tbody tr').length",
    "notice": "output => output.querySelectorAll('.ai4n-notice').length",
}


CAPTION = '.jp-OutputArea-output[data-mime-type="text/markdown"]'


def shown_figures(page) -> list[dict]:
    """The caption outputs (Markdown that starts with "Figure."), in order: their text, and the index of the output
    before each (the figure) among the notebook's outputs."""
    script = """([panel, caption]) => [...document.querySelectorAll(panel + ' .jp-OutputArea-child')].flatMap(
        (child, index) => {
            const text = (child.querySelector(caption)?.textContent ?? '').replace(/\\s+/g, ' ').trim();
            return text.startsWith('Figure. ') ? [{caption: text.slice(8), index: index - 1}] : [];
        })"""
    return page.evaluate(script, [PANEL, CAPTION])


def launch_and_check(browser, binder, urlpath: str, book_page: Path, screenshots: Path) -> list[str]:
    """Open one chapter's launch link afresh, run it and check what the reader sees against the book; the
    page's uncaught errors (with their stacks) are returned."""
    base, token, home = binder
    name = Path(urlpath).stem
    expected, whole_tables = book_figures(book_page)
    shutil.rmtree(home / ".jupyter" / "lab" / "workspaces", ignore_errors=True)  # each launch starts afresh
    page, page_errors = open_in_jupyterlab(browser, base, token, urlpath)
    try:
        page.locator(PANEL).wait_for(timeout=120_000)  # a notebook, not a text editor
        assert page.locator(".jp-FileEditor").count() == 0, f"{urlpath} opened as text"
        wait_for_the_kernel(page)
        assert page.locator(".jp-Dialog").count() == 0, f"{urlpath}: a dialog asks the reader something"
        run_all(page)
        page.screenshot(path=str(screenshots / f"{name}.png"))
        errors = page.locator(f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, f"{urlpath}: {errors.all_inner_texts()[:3]}"
        outputs = page.locator(f"{PANEL} .jp-OutputArea-child")
        shown = shown_figures(page)
        assert [plain(seen["caption"]) for seen in shown] == [plain(figure.caption) for figure in expected], urlpath
        for number, (figure, seen) in enumerate(zip(expected, shown, strict=True), start=1):
            output = outputs.nth(seen["index"])
            output.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            assert output.evaluate(DRAWN[figure.kind]) > 0, f"{urlpath}: figure {number} ({figure.kind}) not drawn"
            output.screenshot(path=str(screenshots / f"{name}-{number}.png"))
            outputs.nth(seen["index"] + 1).screenshot(path=str(screenshots / f"{name}-{number}-caption.png"))
        tables = page.locator(f"{PANEL} .jp-OutputArea-output .ai4n-wide-table:has(table)")
        assert tables.count() == whole_tables, urlpath
        return list(page_errors)
    finally:
        page.context.close()


def test_every_chapter_opens_runs_and_shows_its_figures(binder, launch_links, browser_with_loopback, screenshots):
    """Everything the reader sees must hold on the first launch. An uncaught error in the page must not
    come back on a second, fresh launch: JupyterLab 4.6 itself now and then throws one while a notebook's
    outputs arrive under load (CI once saw "Cannot read properties of undefined (reading 'node')" in
    About the data, which ran clean on every launch since); the chapter ships no script of its own to
    JupyterLab, so an error that does not recur is JupyterLab's race, reported here as a warning."""
    for urlpath, book_page in launch_links.items():
        page_errors = launch_and_check(browser_with_loopback, binder, urlpath, book_page, screenshots)
        if page_errors:
            warnings.warn(f"{urlpath}: uncaught in JupyterLab, launching again: {page_errors}", stacklevel=1)
            page_errors = launch_and_check(browser_with_loopback, binder, urlpath, book_page, screenshots)
        assert page_errors == [], f"{urlpath}: {page_errors}"
