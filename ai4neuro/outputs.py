"""What the package's cell outputs look like to the book's Sphinx extension.

Figures and views emit these containers; :mod:`ai4neuro.bookext` looks for them to serve
their scripts to the pages that hold them, and nowhere else. A module of its own, so that
loading the extension imports nothing heavy.
"""

CHART_CLASS = "ai4n-chart"  # a div holding one chart's Vega-Lite spec (drawn by bookext/charts.js)
SPEC_CLASS = "ai4n-spec"  # the JSON script element inside it that holds the spec
TABLE_CLASS = "ai4n-table"  # a div holding a searchable table's rows (drawn by bookext/tables.js)
