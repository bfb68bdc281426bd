"""The CSV files the book publishes, safe to open in a spreadsheet.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula: a Google Trends term or a paper title such as ``=HYPERLINK(...)`` would run
when a reader opens the figure's data. OWASP's rule for CSV injection: such a cell gets a single quote in
front, which spreadsheets show as text. Only text is changed; numbers (``-2``) stay numbers. A carriage
return inside a text cell becomes a line break (the CSV writer quotes those; a bare one it would not).

Every CSV the book publishes goes through :func:`csv_bytes`: ``figures/*.csv`` (:func:`ai4neuro.figures.export`,
and so the page's "Download the data (CSV)"), ``figures/papers-table.csv`` and ``python -m ai4neuro classify``.
The snapshots in ``data/`` keep the sources' values as they are: they are data, not downloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and column name) that a spreadsheet would run prefixed with ``'``."""
    import pandas as pd

    def safe(value):
        if not isinstance(value, str):
            return value
        value = f"'{value}" if value.startswith(FORMULA_STARTS) else value
        return value.replace("\r\n", "\n").replace("\r", "\n")  # quoted as a line break (a bare \r is not)

    safe_frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            safe_frame[column] = frame[column].map(safe)
    return safe_frame.rename(columns=safe)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The published CSV of ``frame``: UTF-8, ``\\n`` line ends, no index, formulas neutralised."""
    return neutralised(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")
