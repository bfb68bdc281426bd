"""The book's searchable paper tables: their HTML, and their script served only to pages that hold one.

:func:`table_html` turns a paper-table output (see :mod:`ai4neuro.bookext.outputs`) into a container
holding every row as JSON, drawn by ``tables.js``; without JavaScript, a ``<noscript>`` table shows
the year the table opens at. Titles are data from outside: escaped here, written as text by the script.
Same convention as :mod:`ai4neuro.bookext.charts`: ``tables.js`` and ``tables.css`` are written into
the build's ``_static/ai4neuro/`` and added in ``html-page-context`` to pages whose body contains a
table container. The whole tables (:class:`ai4neuro.figures.Table`) need no script; the ``<style>`` that
left-aligns them in JupyterLab is left out of the book's pages, where ``_static/book.css`` does that.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from ai4neuro.outputs import TABLE_CLASS, TEXT_TABLE_STYLE, script_json

HERE = Path(__file__).resolve().parent
STATIC_SUBDIR = "ai4neuro"
ASSETS = ("tables.js", "tables.css")
_CONTAINER = re.compile(rf'<div class="{TABLE_CLASS}"')


def table_html(payload: dict) -> str:
    """The searchable table of a paper-table output (see :class:`ai4neuro.views.papers.PaperTable`)."""
    column = {name: index for index, name in enumerate(payload["columns"])}
    conference, year = payload["conference"], int(payload["year"])
    chosen = [row for row in payload["rows"] if row[column["conference"]] == conference and row[column["year"]] == year]
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(row[column[name]]))}</td>" for name in ("title", "label", "rules"))
        + "</tr>"
        for row in chosen
    )
    rows = script_json({"columns": payload["columns"], "rows": payload["rows"]})
    return (
        f'<div class="{TABLE_CLASS}" id="ai4n-table-{html.escape(payload["name"], quote=True)}" '
        f'data-conference="{html.escape(conference, quote=True)}" data-year="{year}" role="group" '
        f'aria-label="{html.escape(payload["label"], quote=True)}">'
        f'<script type="application/json" class="ai4n-table-data">{rows}</script>'
        "<noscript><table><thead><tr><th>Title</th><th>Label</th><th>Matched rules</th></tr></thead>"
        f"<tbody>{body}</tbody></table></noscript></div>"
    )


def page_has_table(body: str) -> bool:
    return bool(_CONTAINER.search(body or ""))


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STATIC_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(HERE / name, target / name)


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
    app.connect("html-page-context", add_table_assets, priority=400)
    app.connect("build-finished", write_assets)
