"""Part 1's Google Trends figure: interest in the two terms on one 0–100 scale."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from ai4neuro import figures
from ai4neuro.errors import SnapshotMissing, SourceUnreachable
from ai4neuro.sources import trends
from ai4neuro.views.notice import Notice

logger = logging.getLogger(__name__)

FIGURE = "trends-interest"


def show_interest(name: str = FIGURE, refresh_first: bool | None = None) -> None:
    """Show the chapter's figure ``name`` with its caption, where the cell is.

    With a snapshot (refreshed first when ``AI4NEURO_REFRESH=1``): the interactive chart and
    static exports through :func:`ai4neuro.figures.show`. With no snapshot and no network: a
    notice in place of the chart, saying how to fetch the data. A corrupt snapshot is an error.
    """
    import altair as alt

    try:
        snapshot = trends.load(refresh_first)
    except (SnapshotMissing, SourceUnreachable) as problem:
        logger.info("%s", problem)
        figures.show_notice(name, notice(), f"Google search interest in {quoted(trends.DEFAULT_TERMS)}")
        return
    record, frame = snapshot.provenance, snapshot.frame
    figure = figures.line_figure(
        _with_shown_values(frame),
        x="date",
        y="interest",
        series="term",
        x_title="Month",
        y_title="Search interest (0–100)",
        tooltip=[
            alt.Tooltip("term", type="nominal", title="Term"),
            alt.Tooltip("date", type="temporal", title="Month", format="%B %Y"),
            alt.Tooltip("shown", type="nominal", title="Search interest"),
        ],
    )
    figures.show(
        figure,
        name=name,
        alt=f"Line chart of Google search interest in {quoted(record['terms'])} over time, on one shared 0–100 scale.",
        caption=caption(record),
        source=f"Google Trends ({record['source_url']}), fetched with {record['tool']} {record['tool_version']}",
        data=frame,
    )


def _with_shown_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``shown``: the value as Google shows it ("<1", "12 (partial)") for the tooltip."""
    value = frame["interest"].astype(str).where(~frame["below_one"], "<1")
    return frame.assign(shown=value + frame["is_partial"].map({True: " (partial)", False: ""}))


def quoted(terms: Sequence[str]) -> str:
    return " and ".join(f"“{term}”" for term in terms)


def caption(record: dict) -> str:
    """The figure caption from a provenance record: source, terms, region, timeframe, scale, fetch date."""
    fixture = f"{record['note'].rstrip('.')}. " if record.get("note") else ""
    query = trends.describe_query(record["timeframe"], record["geo"])
    return (
        f"{fixture}Google search interest in {quoted(record['terms'])}, {query}. "
        "Both on one 0–100 scale (100 = the highest point of either term); Google's “<1” is drawn as 0; "
        "the last point may be a period still in progress. "
        f"Fetched on {record['fetched_at'][:10]}."
    )


def notice() -> Notice:
    """What readers see when the book was built without a Google Trends snapshot and offline."""
    command = "python -m ai4neuro refresh trends"
    live = trends.explore_url(trends.DEFAULT_TERMS, trends.DEFAULT_TIMEFRAME, trends.DEFAULT_GEO, trends.DEFAULT_HL)
    return Notice(
        "Google Trends data not included in this build",
        "This copy of the book was built without a Google Trends snapshot (data/google_trends.csv) "
        f"and could not reach Google Trends. To add the figure, run {command} "
        "on a machine with internet, then rebuild the book. The comparison can also be seen live on",
        commands=(command,),
        link=("Google Trends", live),
    )
