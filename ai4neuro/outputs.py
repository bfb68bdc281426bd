"""What the package's cell outputs look like, to Jupyter and to the book's Sphinx extension.

A chapter cell's outputs are standard MIME bundles, read by three readers: JupyterLab (Binder),
the built book (:mod:`ai4neuro.bookext.outputs` renders them) and print/PDF (the PNG). The names
they share live here, in a module of its own, so that loading the extension imports nothing heavy.
"""

import json

# JupyterLab renders Vega-Lite offline only under the v3-v5 MIME types (its bundled Vega-Lite is
# 5.x, up to JupyterLab 4.6 at least); Altair 6's specs use no v6-only feature (tests compile them
# with Vega-Lite 5), so they are offered under the v5 type.
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
# The searchable paper table's rows, as JSON: the book draws the table from them (bookext/tables.js);
# Jupyter has no renderer for it and shows the bundle's plain HTML table instead.
PAPER_TABLE_MIME = "application/vnd.ai4neuro.paper-table+json"
# Output metadata key: {"name", "alt", "hint", "csv"} of a chart, or {"caption": name} of a caption.
METADATA_KEY = "ai4neuro"

CHART_CLASS = "ai4n-chart"  # a div holding one chart's Vega-Lite spec (drawn by bookext/charts.js)
SPEC_CLASS = "ai4n-spec"  # the JSON script element inside it that holds the spec
TABLE_CLASS = "ai4n-table"  # a div holding a searchable table's rows (drawn by bookext/tables.js)
# JupyterLab right-aligns every table cell (for numbers); the package's tables hold text, read from the left.
TEXT_TABLE_CLASS = "ai4n-text-table"
TEXT_TABLE_STYLE = f"<style>.{TEXT_TABLE_CLASS} th, .{TEXT_TABLE_CLASS} td {{ text-align: left; }}</style>"


def script_json(data) -> str:
    """``data`` as JSON that is safe inside a ``<script type="application/json">`` element:
    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so outside text (titles) cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
