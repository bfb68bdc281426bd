"""The book's Google Trends query, and what is said about it without any data.

Kept apart from :mod:`ai4neuro.sources.trends` so that it imports neither pandas nor the snapshot
code: the book's build process reads it (:mod:`ai4neuro.bookext.trends`) to say in one line how to
add the data when ``data/`` has none, without slowing every build down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlencode

from ai4neuro import paths

NAME = "google_trends"
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
    terms=("NeuroAI", "AI4neuro"),  # as the post links them (its link: the legacy /trends/explore?q=NeuroAI,AI4neuro)
    timeframe="all",
    geo="",
    hl="en-GB",
    events=(
        Event(date(2023, 3, 22), "NeuroAI paper", "the NeuroAI perspective paper published online (22 March 2023)"),
        Event(date(2024, 1, 1), "this post", "this post (1 January 2024)"),
    ),
)

EXPLORE_PAGE = "https://trends.google.com/explore"  # the Explore page since its 2025-26 redesign


def explore_url(terms: Sequence[str], timeframe: str, geo: str, hl: str | None) -> str:
    """The Google Trends page that shows the same query: the redesigned Explore page (the old
    ``/trends/explore`` address is its legacy version). Empty parts (worldwide, no language) are left out."""
    query = {"q": ",".join(terms), "date": timeframe, "geo": geo, "hl": hl}
    return f"{EXPLORE_PAGE}?" + urlencode({k: v for k, v in query.items() if v}, safe=",", quote_via=quote)


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


REFRESH_HINT = (
    f"Fetch it with `{REFRESH_COMMAND}` on a machine with internet, or download the query from "
    f"{BOOK.explore_url()} and run `{EXPORT_COMMAND} multiTimeline.csv`."
)


def missing_snapshot_line() -> str | None:
    """The one line a book build prints when ``data/`` has no Google Trends snapshot (None when it has one).

    Readers see a short note in the figure's place; the commands are for the author, so they go to the
    build's output (and to About the data), never onto a page.
    """
    path = paths.data_dir() / f"{NAME}.csv"
    if path.exists():
        return None
    return f"[ai4neuro] no Google Trends snapshot ({path}): Part 1 shows a note in place of its figure. {REFRESH_HINT}"
