"""The Google Trends series as both routes write it and the chapters read it: its snapshot and its periods.

Below both routes (:mod:`ai4neuro.sources.trends_pytrends`, :mod:`ai4neuro.sources.trends_export`) and the
facade that chooses between them (:mod:`ai4neuro.sources.trends`), so that none of them imports another.

- **Tidy frame** (:data:`DATASET`): ``date, term, interest, is_partial, below_one``. ``interest`` is Google's
  integer 0–100 (100 = the highest point of any term in the query); where Google shows "<1" (some interest,
  rounding to 0) it is 0 and ``below_one`` is true; ``is_partial`` marks a last period still in progress. All
  terms come from one query, so they share one scale.
- **Periods**: how far apart a series' points are (:func:`granularity`) and where a period ends
  (:func:`period_end`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources.trends_query import NAME, REFRESH_HINT

MAX_TERMS = 5  # Google Trends compares at most five terms (the legacy page, and pytrends)


def checked_terms(terms: Sequence[str]) -> tuple[str, ...]:
    """One to five different, non-empty terms (what one Google Trends query can compare)."""
    if isinstance(terms, str):
        terms = [terms]
    cleaned = tuple(term.strip() for term in terms)
    if not cleaned or not all(cleaned):
        raise Ai4NeuroError(f"Google Trends: give one to {MAX_TERMS} non-empty search terms (got {list(terms)!r}).")
    if len(cleaned) > MAX_TERMS or len(set(cleaned)) != len(cleaned):
        raise Ai4NeuroError(f"Google Trends compares one to {MAX_TERMS} different terms (got {list(cleaned)!r}).")
    return cleaned


# ---------------------------------------------------------------- the snapshot


def _schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": pa.Column(pa.DateTime),
            "term": pa.Column(str, pa.Check.str_length(min_value=1)),
            "interest": pa.Column(int, pa.Check.in_range(0, 100)),
            "is_partial": pa.Column(bool),
            "below_one": pa.Column(bool),
        },
        name="google_trends",
        strict=True,
        ordered=True,
        unique=["date", "term"],
    )


DATASET = snapshots.Dataset(
    NAME, ("date", "term", "interest", "is_partial", "below_one"), _schema, REFRESH_HINT, dates=("date",)
)

SCALE = "0-100: search interest relative to the highest point of any term in this region and timeframe"


def order_rows(frame: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Terms in the order of the query (the figure's legend order), dates ascending; the snapshot's columns."""
    terms = list(terms)

    def key(column: pd.Series) -> pd.Series:
        return column.map(terms.index) if column.name == "term" else column

    return frame[list(DATASET.columns)].sort_values(["term", "date"], key=key).reset_index(drop=True)


# ---------------------------------------------------------------- periods


def granularity(dates: pd.Series) -> str:
    """How far apart a snapshot's periods are: ``month``, ``week``, ``day`` or ``hour``.

    Read from the data, so that a snapshot from either route (and any export) says it alike.
    """
    unique = pd.Series(sorted(pd.to_datetime(dates).unique()))
    if len(unique) < 2 or (unique.dt.is_month_start.all() and (unique.diff().dropna() >= pd.Timedelta(days=28)).all()):
        return "month"
    step = unique.diff().dropna().min()
    if step >= pd.Timedelta(days=7):
        return "week"
    return "day" if step >= pd.Timedelta(days=1) else "hour"


def period_end(start: datetime, granularity: str) -> datetime:
    """The first moment after the period that begins at ``start``."""
    step = {"month": pd.DateOffset(months=1), "week": pd.Timedelta(days=7), "day": pd.Timedelta(days=1)}
    return (pd.Timestamp(start) + step.get(granularity, pd.Timedelta(hours=1))).to_pydatetime()
