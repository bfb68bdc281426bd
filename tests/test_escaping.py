"""Nothing injected, at the level of the code (issue 20, items 1-4): records are text on the page, published
CSVs are safe in a spreadsheet, the search script shows titles as text, and every page's policy hashes only
the book's own inline scripts. The same in a built book and a browser: tests/test_csp_browser.py."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from ai4neuro import csvsafe, figures
from ai4neuro.bookext import csp, search
from ai4neuro.markup import escape_markdown
from ai4neuro.testing import ROOT
from ai4neuro.views import trends as trends_view

HOSTILE = '"><img src=x onerror=alert(1)>'


def as_html(markdown: str) -> str:
    """Markdown as the book renders a ``{glue:md}`` (MyST, with the book's extensions and raw HTML on)."""
    extensions = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["parse"]["myst_enable_extensions"]
    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML).render(markdown)


def hostile_record() -> dict:
    return {
        "source": "Google Trends web export",
        "export_file": f"multiTimeline{HOSTILE}.csv",
        "export_sha256": "0" * 64,
        "imported_at": f"2026-01-01{HOSTILE}",
        "imported_by": "<script>alert(1)</script>",
        "tool": "ai4neuro import-trends`<b>x</b>",
        "tool_version": f"1.0{HOSTILE}\n\n:::{{raw}} html\n<script>alert(2)</script>\n:::",
        "category": "[x](javascript:alert(3))",
        "terms": ["NeuroAI", f"AI4neuro{HOSTILE}"],
        "geo": "",
        "source_url": f"https://trends.google.com/explore?q=NeuroAI&x={HOSTILE}",
        "file": f"google_trends.csv{HOSTILE}",
        "rows": f"12{HOSTILE}",
        "sha256": "1" * 64,
    }


def trends_frame() -> pd.DataFrame:
    dates = pd.to_datetime(["2024-01-01", "2024-02-01"])
    return pd.DataFrame(
        {"date": dates, "term": ["NeuroAI"] * 2, "interest": [10, 20], "is_partial": [False, True], "below_one": False}
    )


def test_about_the_datas_trends_provenance_is_text_whatever_the_record_holds():
    """Issue 20, item 1: import-trends --url '…"><img src=x onerror=alert(1)>' ran script on About the data."""
    page = as_html(trends_view.provenance_markdown(hostile_record(), trends_frame()))
    for tag in ("<img", "<script", "<b>", 'href="javascript'):
        assert tag not in page, (tag, page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown, as text
    links = [part.split('"')[0] for part in page.split('href="')[1:]]
    assert links == ["https://trends.google.com/explore?q=NeuroAI&amp;x=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"]


@pytest.mark.parametrize(
    "text",
    [
        'a *b* _c_ `d` $e$ {{ f }} ~~g~~ [h](i) ![j](k) <b>n</b> <https://o.example> {abbr}`x` \\ &amp; "q" it\'s',
        "# heading",
        "- item",
        "1. item",
        "> quote",
        "::: {note}",
        "www.example.org, example.org and someone@example.org",
        "(c) (TM) +- a--b a---b ... ,, !!!!",
    ],
)
def test_the_one_markdown_escaper_shows_outside_text_as_written(text):
    """Captions and provenance (ai4neuro.markup.escape_markdown): nothing MyST would read as markup, turn into a
    link or a symbol, with every extension the book turns on (_config.yml), smartquotes included."""
    page = BeautifulSoup(as_html(escape_markdown(text)), "html.parser")
    assert page.get_text().strip() == text and not page.find_all(["a", "b", "h1", "ul", "ol", "blockquote"])
    assert escape_markdown("one\n\n# two\n- three") == "one \\# two \\- three"  # one line: no block starts


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://trends.google.com/explore", "data:text/html,x", ""])
def test_the_provenance_links_only_to_https(url):
    page = as_html(trends_view.provenance_markdown({**hostile_record(), "source_url": url}, trends_frame()))
    assert "href=" not in page


# --- CSV --------------------------------------------------------------------------------------------


def test_published_csv_neutralises_formulas_in_text_and_keeps_numbers():
    """Issue 20, item 4 (OWASP's rule): =, +, -, @, tab and carriage return open a text cell; -2 stays a number."""
    frame = pd.DataFrame(
        {
            "term": ['=HYPERLINK("https://evil.example","x")', "+1", "-2", "@SUM(A1)", "\tx", "\ry", "NeuroAI"],
            "interest": [-2, 0, 1, 2, 3, 4, 5],
            "share": [-2.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    back = pd.read_csv(io.BytesIO(csvsafe.csv_bytes(frame)), keep_default_na=False)
    assert list(back["term"]) == ["'" + term for term in frame["term"][:5]] + ["'\ny", "NeuroAI"]
    assert back["interest"].dtype.kind == "i" and back["interest"].iloc[0] == -2
    assert back["share"].dtype.kind == "f" and back["share"].iloc[0] == -2.5


def test_a_figures_csv_and_a_tables_csv_are_spreadsheet_safe(tmp_path, monkeypatch):
    """Issue 20, item 4: a Trends term =HYPERLINK(…) reached figures/trends-interest.csv (and so the page's
    download of the chart's data, which is that file's bytes) unchanged."""
    monkeypatch.setenv("AI4NEURO_FIGURES", str(tmp_path))
    data = pd.DataFrame({"month": [1, 2, 1, 2], "term": ["=cmd()"] * 2 + ["plain"] * 2, "interest": [-2, 3, 4, 5]})
    figure = figures.line_figure(data, x="month", y="interest", series="term", x_title="Month", y_title="Interest")
    files = figures.export(figure, "unit-formula")
    back = pd.read_csv(files["csv"])
    assert back["term"].iloc[0] == "'=cmd()" and back["interest"].iloc[0] == -2
    table = figures.write_table_csv("unit-table", pd.DataFrame({"title": ["@evil", "Fine"], "year": [2023, -1]}))
    assert pd.read_csv(table)["title"].tolist() == ["'@evil", "Fine"] and pd.read_csv(table)["year"].tolist() == [
        2023,
        -1,
    ]


def test_classify_output_is_spreadsheet_safe_and_linear_on_a_long_word():
    """Issue 20, items 4 and 12: classify wrote titles as they came; a long word took 30 s (now checked on load)."""
    titles = "brain " + "a" * 100_000 + '\n=HYPERLINK("https://evil.example","x")\n-2 spikes in cortex\n'
    result = subprocess.run(
        [sys.executable, "-m", "ai4neuro", "classify"],
        input=titles,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    back = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert back["title"].tolist()[1:] == ['\'=HYPERLINK("https://evil.example","x")', "'-2 spikes in cortex"]
    assert back["title"].iloc[0].startswith("brain aaa")


# --- the search page --------------------------------------------------------------------------------


def test_the_search_script_is_sphinxs_with_titles_as_text():
    """Issue 20, item 2: Sphinx 7.4.7's searchtools.js wrote result titles with innerHTML (Sphinx issue 13355)."""
    script = search.patched_script()
    original = search.SOURCE.read_text(encoding="utf-8")
    assert "linkEl.innerHTML = title" in original and "linkEl.innerHTML" not in script
    assert "linkEl.textContent = title" in script and ".innerHTML =\n" not in script.split("_displayItem")[1][:2000]
    assert "index.titles = index.titles.map(_titleText)" in script
    template = (ROOT / "_templates" / "search.html").read_text(encoding="utf-8")
    assert "_static/ai4neuro/searchtools.js" in template and "'_static/searchtools.js'" not in template


# --- the policy -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8" />
<script>document.documentElement.dataset.mode = "auto";</script>
<script type="application/json">{"not": "code"}</script>
<script src="_static/x.js"></script></head>
<body><button onclick="window.print()">Print</button><nav>{toc}</nav><article>{body}</article></body></html>"""
HOSTILE_BODY = (
    "<script>alert(1)</script><img src=x onerror=alert(2)>"
    "<head><script>alert(3)</script></head><body onload=alert(4)></body>"
)


def page_with(body: str, toc: str = "") -> str:
    return PAGE.replace("{body}", body).replace("{toc}", toc)


def test_the_policy_hashes_the_heads_scripts_and_the_themes_handlers():
    scripts, handlers = csp.own_inline_code(page_with(""))
    assert scripts == ['document.documentElement.dataset.mode = "auto";'] and handlers == ["window.print()"]
    text = csp.policy(scripts, handlers)
    assert "script-src 'self' 'unsafe-hashes' 'sha256-" in text and text.count("'sha256-") == 2
    assert "'unsafe-inline'" not in text.split("script-src")[1] and "'unsafe-eval'" not in text
    assert "default-src 'self'" in text and "object-src 'none'" in text and "base-uri 'none'" in text


def test_nothing_in_a_pages_body_is_hashed_not_even_a_copy_of_a_posts_heading():
    """A post's HTML, and the table of contents that repeats its headings' HTML, add no hash: not inline
    scripts, not handlers, not a <head> or <body onload> opened inside the content."""
    plain = csp.own_inline_code(page_with(""))
    assert csp.own_inline_code(page_with(HOSTILE_BODY, toc="<img src=x onerror=alert(5)>")) == plain


def test_every_rendered_page_gets_its_policy_first_in_its_head():
    class Templates:
        def render(self, template, context):
            return page_with(context["body"]) if template == "page.html" else "<div>a component</div>"

    class Builder:
        format = "html"
        templates = Templates()

    class App:
        builder = Builder()

    csp.add_policy_to_pages(App())
    page = App.builder.templates.render("page.html", {"body": HOSTILE_BODY})
    assert HOSTILE_BODY in page
    meta = page.split('<meta http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert meta == csp.policy(*csp.own_inline_code(page_with("")))
    assert all(csp.source_hash(f"alert({n})") not in meta for n in range(1, 6))
    assert page.index("Content-Security-Policy") < page.index("<script")  # before every script
    assert App.builder.templates.render("component.html", {}) == "<div>a component</div>"


def test_the_charts_run_without_eval():
    """Vega compiles expressions with `new Function` unless its interpreter is used (CSP without 'unsafe-eval')."""
    script = (ROOT / "ai4neuro" / "bookext" / "charts.js").read_text(encoding="utf-8")
    assert "parse(spec, null, { ast: true })" in script and "expr: window.vega.expressionInterpreter" in script
    from ai4neuro.bookext import charts

    assert "expressionInterpreter" in charts.EXPORTS and "vega-interpreter" in charts.EXPORTS
