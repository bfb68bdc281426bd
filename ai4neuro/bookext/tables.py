"""Serve the searchable-table script only to pages that hold a paper table.

Same convention as :mod:`ai4neuro.bookext.charts`: ``tables.js`` and ``tables.css`` are
written into the build's ``_static/ai4neuro/`` and added in ``html-page-context`` to pages
whose body contains a table container (see :class:`ai4neuro.views.papers.PaperTable`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from ai4neuro.outputs import TABLE_CLASS

HERE = Path(__file__).resolve().parent
STATIC_SUBDIR = "ai4neuro"
ASSETS = ("tables.js", "tables.css")
_CONTAINER = re.compile(rf'<div class="{TABLE_CLASS}"')


def page_has_table(body: str) -> bool:
    return bool(_CONTAINER.search(body or ""))


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STATIC_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(HERE / name, target / name)


def add_table_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if page_has_table(context.get("body", "")):
        app.add_js_file(f"{STATIC_SUBDIR}/tables.js", loading_method="defer")
        app.add_css_file(f"{STATIC_SUBDIR}/tables.css")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_table_assets, priority=400)
    app.connect("build-finished", write_assets)
