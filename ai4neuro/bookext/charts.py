"""The book's charts: their HTML, and the Vega bundle served once, offline, only to pages that hold one.

:func:`chart_html` turns a Vega-Lite output (see :mod:`ai4neuro.bookext.outputs`) into a container
holding the spec, drawn by ``charts.js``, followed by a link to the figure's data as CSV and a hint.

The bundle comes from the pinned ``vl-convert-python`` (Vega, Vega-Lite, Vega-Embed, no
network) and is written at build time into the build's ``_static/ai4neuro/`` (never into the
book's own ``_static/``, whose every ``*.js`` Jupyter Book adds to every page). It is wrapped
in a function scope, so its top-level names (``const n``, ``_``, ...) cannot clash with the
page's globals; only ``window.vegaEmbed`` leaks out. In ``html-page-context`` the bundle, the
renderer (``charts.js``) and its stylesheet are added to pages whose body contains a chart
container; every other page carries no chart JavaScript.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx

from ai4neuro.outputs import CHART_CLASS, SPEC_CLASS, script_json

HERE = Path(__file__).resolve().parent
STATIC_SUBDIR = "ai4neuro"
BUNDLE = "vega-bundle.js"
RENDERER = "charts.js"
STYLES = "charts.css"
EXPORTS = "window.vegaEmbed = vegaEmbed;"
_CONTAINER = re.compile(rf'<div class="{CHART_CLASS}"')


def chart_html(spec: dict, *, name: str, alt: str, csv: str | None = None, hint: str | None = None) -> str:
    """One chart: its container (an image to screen readers, named by ``alt``), then its data and hint."""
    label = html.escape(alt, quote=True)
    chart = (
        f'<div class="{CHART_CLASS}" id="ai4n-chart-{html.escape(name, quote=True)}" role="img" '
        f'aria-label="{label}" tabindex="0">'
        f'<script type="application/json" class="{SPEC_CLASS}">{script_json(spec)}</script>'
        f"<noscript>{label}</noscript></div>"
    )
    extras = []
    if csv is not None:
        link = "data:text/csv;charset=utf-8," + quote(csv, safe=",.:;-_/ ()'").replace(" ", "%20")
        extras.append(f'<a download="{html.escape(name, quote=True)}.csv" href="{link}">Download the data (CSV)</a>')
    if hint:
        extras.append(f'<span class="ai4n-hint">{html.escape(hint)}</span>')
    return chart + (f'<p class="ai4n-figure-data">{" · ".join(extras)}</p>' if extras else "")


def page_has_chart(body: str) -> bool:
    return bool(_CONTAINER.search(body or ""))


def bundle_header() -> str:
    import vl_convert

    return (
        f"/* Vega, Vega-Lite and Vega-Embed, bundled by vl-convert-python {vl_convert.__version__}; "
        "scoped so that only window.vegaEmbed is global. */"
    )


def scoped_bundle() -> str:
    """The Vega bundle as a classic script whose names stay inside one function scope."""
    import vl_convert

    bundle = vl_convert.javascript_bundle(EXPORTS)
    if re.search(r"^\s*(import|export)\b|\bimport\.meta\b", bundle, flags=re.M):
        raise RuntimeError("the vl-convert bundle has module syntax; it cannot run as a classic script")
    return f"{bundle_header()}\n(function () {{\n{bundle}\n}}).call(window);\n"


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    """Write the bundle (once per build folder and vl-convert version), the renderer and the styles."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STATIC_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    path = target / BUNDLE
    if _first_line(path) != bundle_header():
        partial = path.with_suffix(".partial")
        partial.write_text(scoped_bundle(), encoding="utf-8")
        partial.replace(path)  # never a truncated bundle, even if the build is interrupted
    for name in (RENDERER, STYLES):
        shutil.copyfile(HERE / name, target / name)


def add_chart_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Add the bundle, renderer and styles to this page only, if it has a chart."""
    if not page_has_chart(context.get("body", "")):
        return
    app.add_js_file(f"{STATIC_SUBDIR}/{BUNDLE}", loading_method="defer")
    app.add_js_file(f"{STATIC_SUBDIR}/{RENDERER}", loading_method="defer")
    app.add_css_file(f"{STATIC_SUBDIR}/{STYLES}")


def _first_line(path: Path) -> str | None:
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.readline().rstrip("\n")


def setup(app: Sphinx) -> None:
    # After theme.drop_duplicate_scripts (priority 100); a later handler may end the event by returning a template.
    app.connect("html-page-context", add_chart_assets, priority=400)
    app.connect("build-finished", write_assets)
