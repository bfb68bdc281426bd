"""Google Trends interest over time for the book's query: "NeuroAI" against "AI4neuro" (Part 1).

Two routes lead to one snapshot, ``data/google_trends.csv`` with ``google_trends.provenance.json``
beside it (through :mod:`ai4neuro.snapshots`, validated before every write):

- :func:`refresh` asks Google through pytrends (:mod:`ai4neuro.sources.trends_pytrends`). It is
  the first route, but Google has answered scripts with HTTP 429 (too many requests) since 2024,
  so its errors name the second route;
- :func:`import_export` reads the CSV that the download button of Google Trends' Explore page
  gives (``multiTimeline.csv``; :mod:`ai4neuro.sources.trends_export`).

This module is the facade: it chooses the route and loads what chapters read, and imports neither
pytrends nor the export reader until a route runs (chapters only read the snapshot). What both routes
share sits below them: the query in :mod:`ai4neuro.sources.trends_query`, the series and its snapshot in
:mod:`ai4neuro.sources.trends_series`; neither route imports this module.

- **The book's query** (:data:`BOOK`, from :mod:`ai4neuro.sources.trends_query`): terms, period,
  region, interface language and the dates the essay talks about, in one place for refresh, import,
  notice, caption and provenance.
- **Tidy frame** (:data:`DATASET`, from :mod:`ai4neuro.sources.trends_series`): ``date, term, interest,
  is_partial, below_one``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ai4neuro import snapshots
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
from ai4neuro.sources.trends_series import DATASET as DATASET
from ai4neuro.sources.trends_series import MAX_TERMS as MAX_TERMS
from ai4neuro.sources.trends_series import SCALE as SCALE
from ai4neuro.sources.trends_series import checked_terms as checked_terms
from ai4neuro.sources.trends_series import granularity as granularity
from ai4neuro.sources.trends_series import order_rows as order_rows
from ai4neuro.sources.trends_series import period_end as period_end

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
