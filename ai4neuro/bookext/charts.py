"""The book's charts: their HTML, and the Vega runtime served once, offline, only to pages that hold one.

:func:`chart_html` turns a Vega-Lite output (see :mod:`ai4neuro.bookext.outputs`) into

- a container holding the chart as a **Vega** spec, compiled from the Vega-Lite one at build time
  (``vl_convert.vegalite_to_vega``), so that pages load the Vega runtime only, not the Vega-Lite
  compiler or Vega-Embed; ``charts.js`` draws it when it scrolls into view, fitted to the column.
  To screen readers the container is an image named by the figure's finding (``alt``), and it takes
  no keyboard focus (there is nothing to do in it without a pointer);
- "Show the data": a disclosure with the chart's numbers as a table (the figure's CSV), the path to
  the numbers for the keyboard and screen readers, and the printed copy's numbers;
- a CSV link and a hint (one for pointers, one for touch screens; ``charts.css`` shows the right one).

The runtime comes from the pinned ``vl-convert-python`` (Vega only, no network) and is written at build
time into the build's ``_static/ai4neuro/`` (never into the book's own ``_static/``, whose every
``*.js`` Jupyter Book adds to every page). It is wrapped in a function scope, so its top-level names
cannot clash with the page's globals; only ``window.vega`` leaks out. In ``html-page-context`` the
renderer (``charts.js``, deferred) and its stylesheet are added to pages whose body contains a chart
container; the renderer fetches the runtime when the first chart nears the screen. Every other page
carries no chart JavaScript.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx

from ai4neuro.bookext.assets import STATIC_SUBDIR, copy_assets, static_folder
from ai4neuro.files import atomic_write
from ai4neuro.markup import Column, html_table
from ai4neuro.outputs import CHART_CLASS, SPEC_CLASS, script_json

BUNDLE = "vega-bundle.js"
RENDERER = "charts.js"
STYLES = "charts.css"
# vl-convert's bundler resolves Vega under the address of the Vega it ships (6.2.0 in vl-convert 1.9), and
# vega-interpreter 2.0.0, which it ships too; only View, parse and the interpreter are exported, so that the
# bundle leaves out what the book does not use (Vega-Lite, Vega-Embed). The interpreter evaluates the specs'
# expressions without `new Function`, so that the pages' Content-Security-Policy needs no 'unsafe-eval'.
VEGA_MODULE = "https://cdn.jsdelivr.net/npm/vega@6.2.0/+esm.js"
INTERPRETER_MODULE = "https://cdn.jsdelivr.net/npm/vega-interpreter@2.0.0/+esm"
EXPORTS = (
    f'import * as vg from "{VEGA_MODULE}";\n'
    f'import {{expressionInterpreter}} from "{INTERPRETER_MODULE}";\n'
    "window.vega = {View: vg.View, parse: vg.parse, expressionInterpreter};\n"
)

_CONTAINER = re.compile(rf'<div class="{CHART_CLASS}"')


_COMPILED: dict[str, Path] = {}  # "folder": where compiled specs are kept between builds (set by setup)


def vega_spec(spec: dict) -> dict:
    """The Vega-Lite spec compiled to Vega (what the page draws); its description is the container's.

    Compiled specs are kept in ``_build/.ai4neuro-vega/`` by content hash and vl-convert version: the
    compiler's first call starts a JavaScript engine (about a second), which a prose edit should not pay."""
    import vl_convert

    text = json.dumps(spec, sort_keys=True)
    version = vl_convert.__version__  # type: ignore[attr-defined]  # set at run time (not in its stubs)
    key = hashlib.sha256(f"{version}\n{text}".encode()).hexdigest()[:32]
    kept = _COMPILED["folder"] / f"{key}.json" if "folder" in _COMPILED else None
    if kept is not None and kept.is_file():
        return json.loads(kept.read_text(encoding="utf-8"))
    compiled = vl_convert.vegalite_to_vega(spec)
    compiled.pop("description", None)
    if kept is not None:
        atomic_write(kept, json.dumps(compiled))
    return compiled


def keep_compiled_specs(app: Sphinx) -> None:
    _COMPILED["folder"] = Path(app.doctreedir).parent / ".ai4neuro-vega"


def static_width(spec: dict) -> int | None:
    """The fixed plot width the spec came with (charts.js swaps it for the column's)."""
    for view in spec.get("vconcat") or [spec.get("spec", spec)]:
        if isinstance(view.get("width"), int | float):
            return int(view["width"])
    return None


def chart_html(
    spec: dict,
    *,
    name: str,
    alt: str,
    csv: str | None = None,
    hint: str | None = None,
    touch_hint: str | None = None,
) -> str:
    """One chart: its container (an image to screen readers, named by ``alt``), then its data and hint."""
    label = html.escape(alt, quote=True)
    width = static_width(spec)
    chart = (
        f'<div class="{CHART_CLASS}" id="ai4n-chart-{html.escape(name, quote=True)}" role="img" '
        f'aria-label="{label}"{f" data-width={chr(34)}{width}{chr(34)}" if width else ""}>'
        f'<script type="application/json" class="{SPEC_CLASS}">{script_json(vega_spec(spec))}</script>'
        f"<noscript>{label}</noscript></div>"
    )
    parts = [chart]
    if csv:
        parts.append(data_table(csv, name))
    extras = []
    if csv is not None:
        link = "data:text/csv;charset=utf-8," + quote(csv, safe=",.:;-_/ ()'").replace(" ", "%20")
        extras.append(f'<a download="{html.escape(name, quote=True)}.csv" href="{link}">Download the data (CSV)</a>')
    if hint:
        touch = touch_hint or hint
        extras.append(
            f'<span class="ai4n-hint ai4n-hint-pointer">{html.escape(hint)}</span>'
            f'<span class="ai4n-hint ai4n-hint-touch">{html.escape(touch)}</span>'
        )
    if extras:
        parts.append(f'<p class="ai4n-figure-data">{" · ".join(extras)}</p>')
    return "".join(parts)


def data_table(text: str, name: str) -> str:
    """The chart's numbers (its CSV) as a table inside a closed "Show the data" disclosure."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return ""
    head, body = rows[0], rows[1:]
    columns = []
    for i, heading in enumerate(head):
        numeric = all(_is_number(row[i]) for row in body if i < len(row) and row[i] != "")
        kind = {"class": "ai4n-num"} if numeric else {}  # right-aligned (charts.css)
        columns.append(Column(_heading(heading), kind, kind))
    label = html.escape(f"The data of figure {name}", quote=True)
    return (
        f'<details class="ai4n-chart-data" id="ai4n-data-{html.escape(name, quote=True)}">'
        f"<summary>Show the data ({len(body)} {'row' if len(body) == 1 else 'rows'})</summary>"
        # a box that scrolls sideways on a phone: the keyboard reaches it, so that it scrolls without a pointer
        f'<div class="ai4n-chart-table" tabindex="0" role="region" aria-label="{label}">'
        f"{html_table(columns, body)}</div></details>"
    )


def _heading(name: str) -> str:
    return name[:1].upper() + name[1:].replace("_", " ") if name.islower() else name


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def page_has_chart(body: str) -> bool:
    return bool(_CONTAINER.search(body or ""))


def bundle_header() -> str:
    import vl_convert

    exports = hashlib.sha256(EXPORTS.encode()).hexdigest()[:12]
    version = vl_convert.__version__  # type: ignore[attr-defined]  # set at run time (not in its stubs)
    return (
        f"/* Vega, bundled by vl-convert-python {version} (exports {exports}); "
        "scoped so that only window.vega (View, parse, expressionInterpreter) is global. */"
    )


def scoped_bundle() -> str:
    """The Vega runtime as a classic script whose names stay inside one function scope."""
    import vl_convert

    bundle = vl_convert.javascript_bundle(EXPORTS)
    if re.search(r"^\s*(import|export)\b|\bimport\.meta\b", bundle, flags=re.M):
        raise RuntimeError("the vl-convert bundle has module syntax; it cannot run as a classic script")
    return f"{bundle_header()}\n(function () {{\n{bundle}\n}}).call(window);\n"


_BUNDLING: dict[str, Future[str]] = {}  # the runtime being made for the build folder that lacks it

_BUNDLE_IN_CHILD = (
    "import sys; from ai4neuro.bookext.charts import scoped_bundle; sys.stdout.buffer.write(scoped_bundle().encode())"
)


def bundle_in_child() -> str:
    """:func:`scoped_bundle` in a separate Python: vl-convert holds the interpreter lock for the second it takes,
    which in a thread would stall the build itself. If the child fails, the runtime is made here instead."""
    child = subprocess.run([sys.executable, "-c", _BUNDLE_IN_CHILD], capture_output=True)
    return child.stdout.decode("utf-8") if child.returncode == 0 else scoped_bundle()


def start_bundle(app: Sphinx) -> None:
    """Make the runtime in the background when the build folder lacks it: vl-convert takes about a second, which
    then passes while Sphinx starts and the chapters run (:mod:`.execution`), not after the pages are written."""
    if app.builder.format == "html" and _first_line(static_folder(app) / BUNDLE) != bundle_header():
        _BUNDLING[str(static_folder(app))] = ThreadPoolExecutor(max_workers=1).submit(bundle_in_child)


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    """Write the runtime (once per build folder and vl-convert version), the renderer and the styles."""
    made = _BUNDLING.pop(str(static_folder(app)), None) if app.builder.format == "html" else None
    if exception is not None or app.builder.format != "html":
        return
    path = static_folder(app) / BUNDLE
    if _first_line(path) != bundle_header():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(made.result() if made else scoped_bundle(), encoding="utf-8")
        partial.replace(path)  # never a truncated bundle, even if the build is interrupted
    copy_assets(app, (RENDERER, STYLES))


def add_chart_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Add the renderer and styles to this page only, if it has a chart (the renderer fetches the runtime)."""
    if not page_has_chart(context.get("body", "")):
        return
    app.add_js_file(f"{STATIC_SUBDIR}/{RENDERER}", loading_method="defer")
    app.add_css_file(f"{STATIC_SUBDIR}/{STYLES}")


def _first_line(path: Path) -> str | None:
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.readline().rstrip("\n")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", keep_compiled_specs)
    app.connect("builder-inited", start_bundle)
    # After theme.drop_duplicate_scripts (priority 100); a later handler may end the event by returning a template.
    app.connect("html-page-context", add_chart_assets, priority=400)
    app.connect("build-finished", write_assets)
