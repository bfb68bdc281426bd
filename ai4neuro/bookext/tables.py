"""The book's searchable paper tables: their HTML, their rows, and their script, served only to pages that hold one.

:func:`table_html` turns a paper-table output (see :mod:`ai4neuro.bookext.outputs`) into a container
that opens as a plain table of the year it opens at (read without JavaScript, printed whole, and what a
phone shows first) and holds every row as JSON. When the page is written, :func:`rows_to_file` moves
that JSON out of the page into ``_static/ai4neuro/tables/<hash>.js``: the rows of every year (in
Part 1, three quarters of the page's weight) are then fetched by ``tables.js`` only when the table nears the
screen, through a ``<script src>`` that works from ``file://`` too. Titles are data from outside:
escaped here, written as text by the script.
Same convention as :mod:`ai4neuro.bookext.charts`: ``tables.js`` and ``tables.css`` are written into
the build's ``_static/ai4neuro/`` and added in ``html-page-context`` to pages whose body contains a
table container. The whole tables (:class:`ai4neuro.figures.Table`) need no script; the ``<style>`` that
left-aligns them in JupyterLab is left out of the book's pages, where ``_static/book.css`` does that.
"""

from __future__ import annotations

import hashlib
import html
import re

from markupsafe import Markup
from sphinx.application import Sphinx

from ai4neuro.bookext.assets import STATIC_SUBDIR, copy_assets, static_folder
from ai4neuro.files import atomic_write
from ai4neuro.markup import Column, html_table
from ai4neuro.outputs import TABLE_CLASS, TEXT_TABLE_STYLE, script_json

ASSETS = ("tables.js", "tables.css")
ROWS_SUBDIR = "tables"  # under STATIC_SUBDIR: each table's rows, by content hash
_CONTAINER = re.compile(rf'<div class="{TABLE_CLASS}"')
_ROWS = re.compile(
    rf'(<div class="{TABLE_CLASS}"[^>]*)><script type="application/json" class="ai4n-table-data">(.*?)</script>',
    re.DOTALL,
)
# As tables.js draws them: each heading names its column; a cell names its heading for the phone cards (the title
# is the card's heading).
COLUMNS = (
    Column("Title", {"scope": "col", "data-column": "title"}, {"class": "ai4n-title"}),
    Column("Label", {"scope": "col", "data-column": "label"}, {"data-label": "Label"}),
    Column("Matched rules", {"scope": "col", "data-column": "rules"}, {"data-label": "Matched rules"}),
)


def table_html(payload: dict) -> str:
    """The searchable table of a paper-table output (see :class:`ai4neuro.views.papers.PaperTable`): the year
    it opens at as a plain table, in the markup ``tables.js`` draws (count line, cells named for phone cards;
    the scroll box takes focus, so that the keyboard scrolls it), and every row as JSON."""
    column = {name: index for index, name in enumerate(payload["columns"])}
    conference, year = payload["conference"], int(payload["year"])
    chosen = sorted(
        (row for row in payload["rows"] if row[column["conference"]] == conference and row[column["year"]] == year),
        key=lambda row: str(row[column["title"]]).casefold(),
    )
    table = html_table(COLUMNS, (_static_row(row, column) for row in chosen))
    count = f"{conference} {year}: {len(chosen)} paper{'' if len(chosen) == 1 else 's'}"
    rows = script_json({"columns": payload["columns"], "rows": payload["rows"]})
    return (
        f'<div class="{TABLE_CLASS}" id="ai4n-table-{html.escape(payload["name"], quote=True)}" '
        f'data-conference="{html.escape(conference, quote=True)}" data-year="{year}" role="group" '
        f'aria-label="{html.escape(payload["label"], quote=True)}">'
        f'<script type="application/json" class="ai4n-table-data">{rows}</script>'
        f'<div class="ai4n-table-controls"><span class="ai4n-table-count">{html.escape(count)}</span></div>'
        f'<div class="ai4n-table-scroll" tabindex="0">{table}</div></div>'
    )


def _static_row(row: list, column: dict[str, int]) -> list[str | Markup]:
    """A row's title (a link to an ``https://`` address only, as tables.js), label and matched rules."""
    title, url = str(row[column["title"]]), str(row[column["url"]] or "")
    if url.startswith("https://"):
        title = Markup(f'<a href="{html.escape(url, quote=True)}" rel="noopener">{html.escape(title)}</a>')
    return [title, str(row[column["label"]]), str(row[column["rules"]])]


def rows_to_file(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Move each table's rows out of the page into ``_static/ai4neuro/tables/<hash>.js`` (written once per
    content; the container names it in ``data-rows``): ``tables.js`` loads them when the table nears the screen."""
    body = context.get("body")
    if not body or not page_has_table(body):
        return

    def to_file(match: re.Match) -> str:
        container, rows = match.groups()
        digest = hashlib.sha256(rows.encode("utf-8")).hexdigest()[:16]
        target = static_folder(app) / ROWS_SUBDIR / f"{digest}.js"
        if not target.exists():
            atomic_write(target, f'(window.ai4nTableRows = window.ai4nTableRows || {{}})["{digest}"] = {rows};\n')
        return f'{container} data-rows="{digest}">'

    context["body"] = _ROWS.sub(to_file, body)


def page_has_table(body: str) -> bool:
    return bool(_CONTAINER.search(body or ""))


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    copy_assets(app, ASSETS)


def without_jupyter_table_style(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop the ``<style>`` that left-aligns the package's tables in JupyterLab (:data:`TEXT_TABLE_STYLE`):
    the book's stylesheet does that, and a ``<style>`` in the body is invalid HTML where its rules reach
    elements before it (the Nu checker)."""
    if "body" in context:
        context["body"] = context["body"].replace(TEXT_TABLE_STYLE, "")


def add_table_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if page_has_table(context.get("body", "")):
        app.add_js_file(f"{STATIC_SUBDIR}/tables.js", loading_method="defer")
        app.add_css_file(f"{STATIC_SUBDIR}/tables.css")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", without_jupyter_table_style, priority=300)
    app.connect("html-page-context", rows_to_file, priority=300)
    app.connect("html-page-context", add_table_assets, priority=400)
    app.connect("build-finished", write_assets)
