"""Google Trends interest over time for the book's query: "NeuroAI" against "AI4neuro" (Part 1).

Two routes lead to one snapshot, ``data/google_trends.csv`` with ``google_trends.provenance.json``
beside it (through :mod:`ai4neuro.snapshots`, validated before every write):

- :func:`refresh` asks Google through pytrends (:mod:`ai4neuro.sources.trends_pytrends`). It is
  the first route, but Google has answered scripts with HTTP 429 (too many requests) since 2024,
  so its errors name the second route;
- :func:`import_export` reads the CSV that the download button of Google Trends' Explore page
  gives (``multiTimeline.csv``; :mod:`ai4neuro.sources.trends_export`).

This module holds what both share and what chapters need, and imports neither pytrends nor
the export reader: chapters only read the snapshot.

- **The book's query** (:data:`BOOK`, from :mod:`ai4neuro.sources.trends_query`): terms, period,
  region, interface language and the dates the essay talks about, in one place for refresh, import,
  notice, caption and provenance.
- **Tidy frame** (:data:`DATASET`): ``date, term, interest, is_partial, below_one``.
  ``interest`` is Google's integer 0–100 (100 = the highest point of any term in the query);
  where Google shows "<1" (some interest, rounding to 0) it is 0 and ``below_one`` is true;
  ``is_partial`` marks a last period still in progress. Both terms come from one query, so
  they share one scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources.trends_query import BOOK as BOOK
from ai4neuro.sources.trends_query import EXPLORE_PAGE as EXPLORE_PAGE
from ai4neuro.sources.trends_query import EXPORT_COMMAND as EXPORT_COMMAND
from ai4neuro.sources.trends_query import NAME as NAME
from ai4neuro.sources.trends_query import REFRESH_COMMAND as REFRESH_COMMAND
from ai4neuro.sources.trends_query import REFRESH_HINT as REFRESH_HINT
from ai4neuro.sources.trends_query import Event as Event
from ai4neuro.sources.trends_query import Query as Query
from ai4neuro.sources.trends_query import describe_query as describe_query
from ai4neuro.sources.trends_query import explore_url as explore_url
from ai4neuro.sources.trends_query import export_route as export_route
from ai4neuro.sources.trends_query import missing_snapshot_line as missing_snapshot_line

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


# ---------------------------------------------------------------- the two routes, and what chapters call


def refresh(query: Query = BOOK, *, policy=None) -> str:
    """Fetch ``query`` live from Google Trends (pytrends) and replace the snapshot; return a one-line summary.

    ``policy``: a :class:`ai4neuro.sources.trends_pytrends.RetryPolicy` (default: its own).
    """
    from ai4neuro.sources import trends_pytrends

    return trends_pytrends.refresh(query, **({"policy": policy} if policy else {}))


def import_export(path: Path, *, url: str | None = None, now: datetime | None = None) -> str:
    """Read a Google Trends web export (``multiTimeline.csv``) into the snapshot; return a one-line summary."""
    from ai4neuro.sources import trends_export

    return trends_export.import_export(Path(path), url=url, now=now)


def load(refresh_first: bool | None = None) -> snapshots.Snapshot:
    """The snapshot in ``data/``, refreshed from Google first when asked (default: when
    ``AI4NEURO_REFRESH=1``); :class:`~ai4neuro.errors.SnapshotMissing` if there is none."""
    return snapshots.load_after_refresh(DATASET, refresh, lambda: snapshots.load(DATASET), refresh_first)
