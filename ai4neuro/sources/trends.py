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

- **The book's query** (:data:`BOOK`): terms, period, region, interface language and the dates
  the essay talks about, in one place for refresh, import, notice, caption and provenance.
- **Tidy frame** (:data:`DATASET`): ``date, term, interest, is_partial, below_one``.
  ``interest`` is Google's integer 0–100 (100 = the highest point of any term in the query);
  where Google shows "<1" (some interest, rounding to 0) it is 0 and ``below_one`` is true;
  ``is_partial`` marks a last period still in progress. Both terms come from one query, so
  they share one scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError

NAME = "google_trends"
MAX_TERMS = 5  # Google Trends compares at most five terms
EXPORT_COMMAND = "python -m ai4neuro import-trends"
REFRESH_COMMAND = "python -m ai4neuro refresh trends"


# ---------------------------------------------------------------- the query


@dataclass(frozen=True)
class Event:
    """A date the essay talks about, marked on the chart: ``label`` on the chart, ``description`` in words."""

    date: date
    label: str
    description: str


@dataclass(frozen=True)
class Query:
    """One Google Trends query. ``timeframe`` is the Explore page's ``date`` (``all``: since 2004,
    monthly points); ``geo`` a region code (empty: worldwide); ``hl`` the interface language."""

    terms: tuple[str, ...]
    timeframe: str = "all"
    geo: str = ""
    hl: str = "en-GB"
    events: tuple[Event, ...] = field(default=(), compare=False)

    def explore_url(self) -> str:
        """The Google Trends page that shows this query (and has its download button)."""
        return explore_url(self.terms, self.timeframe, self.geo, self.hl)

    def describe(self) -> str:
        return describe_query(self.timeframe, self.geo)


BOOK = Query(
    terms=("NeuroAI", "AI4neuro"),  # as the post links them: trends.google.com/trends/explore?q=NeuroAI,AI4neuro
    timeframe="all",
    geo="",
    hl="en-GB",
    events=(
        Event(date(2023, 3, 22), "NeuroAI paper", "the NeuroAI perspective paper published online (22 March 2023)"),
        Event(date(2024, 1, 1), "this post", "this post (1 January 2024)"),
    ),
)


def explore_url(terms: Sequence[str], timeframe: str, geo: str, hl: str) -> str:
    """The Google Trends page that shows the same query."""
    query = {"date": timeframe, "geo": geo, "q": ",".join(terms), "hl": hl}
    return "https://trends.google.com/trends/explore?" + urlencode(
        {k: v for k, v in query.items() if v}, safe=",", quote_via=quote
    )


def describe_query(timeframe: str, geo: str) -> str:
    region = geo or "worldwide"
    period = "all time (since 2004)" if timeframe == "all" else timeframe
    return f"{region}, {period}"


def export_route(query: Query = BOOK) -> str:
    """The second route in one sentence: the web page, its download button, the import command."""
    return (
        f"Get the data by hand instead: open {query.explore_url()}, press the download button (↓) of "
        f"“Interest over time”, then run `{EXPORT_COMMAND} <the downloaded multiTimeline.csv>`."
    )


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


REFRESH_HINT = (
    f"Fetch it with `{REFRESH_COMMAND}` on a machine with internet, or download the query from "
    f"{BOOK.explore_url()} and run `{EXPORT_COMMAND} multiTimeline.csv`."
)


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
