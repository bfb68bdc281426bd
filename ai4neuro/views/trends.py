"""Part 1's Google Trends figure: interest in the two terms on one 0–100 scale, over time.

The chart marks what a reader needs to read it right: the dates the essay talks about
(:data:`ai4neuro.sources.trends.BOOK` ``.events``), Google's "<1" apart from a real 0, and a last
period still in progress (dashed). Without a snapshot the chapter shows readers a short note in its
place (what it would show, and the same comparison live on Google Trends); the commands that add the
data are for the author, in the build's output and in About the data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from ai4neuro import figures
from ai4neuro.errors import SnapshotMissing, SourceUnreachable
from ai4neuro.markup import escape_markdown, markdown_code
from ai4neuro.sources import trends
from ai4neuro.sources.trends import BOOK
from ai4neuro.views.notice import Notice
from ai4neuro.vocabulary import PERIODS, period_text

logger = logging.getLogger(__name__)

FIGURE = "trends-interest"
TOOLTIP_FORMATS = {"month": "%B %Y", "week": "week of %-d %B %Y", "day": "%-d %B %Y", "hour": "%-d %B %Y, %H:00"}
BELOW_ONE = "“<1”: under 1, not 0"
IN_PROGRESS = "in progress"


def show_interest(name: str = FIGURE, refresh_first: bool | None = None) -> None:
    """Show the chapter's figure ``name`` with its caption, where the cell is.

    With a snapshot (refreshed first when ``AI4NEURO_REFRESH=1``): the interactive chart and
    static exports through :func:`ai4neuro.figures.show`. With no snapshot and no network: a
    note for readers in place of the chart (:func:`notice`). A corrupt snapshot is an error.
    """
    try:
        snapshot = trends.load(refresh_first)
    except (SnapshotMissing, SourceUnreachable) as problem:
        logger.info("%s", problem)
        figures.show_notice(name, notice(), f"Google search interest in {quoted(BOOK.terms)}")
        return
    record, frame = snapshot.provenance, snapshot.frame
    figures.show(
        interest_figure(frame),
        name=name,
        alt=alt_text(record, frame),
        caption=caption(record, frame),
        source=source(record),
        data=frame,
    )


def interest_figure(frame: pd.DataFrame) -> figures.Figure:
    """The chart: a line per term, "<1" as hollow circles, the period in progress dashed, the essay's dates."""
    import altair as alt

    granularity = trends.granularity(frame["date"])
    period = PERIODS[granularity][0]
    return figures.line_figure(
        with_shown_values(frame),
        x="date",
        y="interest",
        series="term",
        x_title=None if granularity == "month" else period,
        y_title="Search interest (0–100)",
        y_domain=(0, 100),
        tooltip=[
            alt.Tooltip("term", type="nominal", title="Term"),
            alt.Tooltip("date", type="temporal", title=period, format=TOOLTIP_FORMATS[granularity]),
            alt.Tooltip("shown", type="nominal", title="Search interest"),
        ],
        provisional="is_partial",
        provisional_label=f"{period.lower()} {IN_PROGRESS}",
        flagged="below_one",
        flagged_label=BELOW_ONE,
        events=events_in(frame, granularity),
    )


def with_shown_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``shown``: the value as Google shows it ("<1", "12 (in progress)") for the tooltip."""
    value = frame["interest"].astype(str).where(~frame["below_one"], "<1")
    return frame.assign(shown=value + frame["is_partial"].map({True: f" ({IN_PROGRESS})", False: ""}))


def events_in(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """The book's dates that fall within the data's periods, as the chart's event table."""
    start, end = frame["date"].min(), pd.Timestamp(trends.period_end(frame["date"].max(), granularity))
    rows = [
        {"date": pd.Timestamp(event.date), "label": event.label, "description": event.description}
        for event in BOOK.events
        if start <= pd.Timestamp(event.date) < end
    ]
    return pd.DataFrame(rows, columns=["date", "label", "description"])


# ---------------------------------------------------------------- words around the chart


def quoted(terms: Sequence[str]) -> str:
    return " and ".join(f"“{term}”" for term in terms)


def region_text(record: dict) -> str:
    """The region as the reader should read it: "worldwide", else the export's name for it (or the code)."""
    if not record.get("geo"):
        return "worldwide"
    return record.get("region") or record["geo"]


def span_text(frame: pd.DataFrame, granularity: str) -> str:
    """E.g. "monthly, January 2004 to November 2025"."""
    first, last = frame["date"].min(), frame["date"].max()
    return f"{PERIODS[granularity][1]}, {period_text(first, granularity)} to {period_text(last, granularity)}"


def caption(record: dict, frame: pd.DataFrame) -> str:
    """What the figure shows, what the 0–100 scale means, what the marks mean, and where the data came from."""
    granularity = trends.granularity(frame["date"])
    period = PERIODS[granularity][0].lower()
    note = f"{record['note'].rstrip('.')}. " if record.get("note") else ""
    parts = [
        f"{note}Google search interest in {quoted(record['terms'])}, {region_text(record)}, "
        f"{span_text(frame, granularity)}.",
        f"Both on one 0–100 scale: 100 is the {period} with the most searches for either term and 50 half as many, "
        "so the lines compare the terms with each other and over time, not in numbers of searches.",
    ]
    if frame["below_one"].any():
        parts.append(
            "Hollow circles: Google's “<1”, some searches but under 1 on this scale (drawn at 0); "
            "a line at 0 without circles means too few searches to count."
        )
    if frame["is_partial"].any():
        last = period_text(frame["date"].max(), granularity)
        parts.append(f"Dashed: {last}, still in progress when the data was taken, so lower than it will end.")
    shown = events_in(frame, granularity)
    if not shown.empty:
        parts.append(f"Grey dotted lines: {' and '.join(shown['description'])}.")
    parts.append(taken_text(record))
    return " ".join(parts)


def taken_text(record: dict) -> str:
    if record.get("source") == "Google Trends web export":
        return f"Imported on {record['imported_at'][:10]} from a Google Trends web export ({record['export_file']})."
    return f"Fetched on {record['fetched_at'][:10]} with {record['tool']} {record['tool_version']}."


def source(record: dict) -> str:
    return f"Google Trends, {record['source_url']}"


def alt_text(record: dict, frame: pd.DataFrame) -> str:
    """The chart in one sentence, with its finding: each term's peak among the complete periods."""
    granularity = trends.granularity(frame["date"])
    complete = frame[~frame["is_partial"]] if (~frame["is_partial"]).any() else frame
    findings = []
    for term in record["terms"]:
        rows = complete[complete["term"] == term]
        top = rows.loc[rows["interest"].idxmax()] if not rows.empty else None
        if top is None or top["interest"] == 0:
            below = rows["below_one"].any() if not rows.empty else False
            findings.append(f"“{term}” stays {'below 1' if below else 'at 0'} throughout")
        else:
            findings.append(f"“{term}” peaks at {top['interest']} in {period_text(top['date'], granularity)}")
    return (
        f"Line chart of Google search interest, {region_text(record)}, {span_text(frame, granularity)}, "
        f"on one 0–100 scale: {'; '.join(findings)}."
    )


class Markdown:
    """Markdown text for ``{glue:md}``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/markdown": self.text, "text/plain": self.text}


def show_provenance(name: str = "trends-provenance") -> None:
    """Glue ``name`` for ``{glue:md}`` on "About the data": where this build's Google Trends numbers come from."""
    from myst_nb import glue

    try:
        snapshot = trends.load(refresh_first=False)
    except SnapshotMissing:
        text = (
            "This build has no Google Trends snapshot: Part 1 shows a note in the figure's place, and "
            "*Rebuilding the figures* below says how to add one."
        )
    else:
        text = provenance_markdown(snapshot.provenance, snapshot.frame)
    glue(name, Markdown(text), display=False)


def provenance_markdown(record: dict, frame: pd.DataFrame) -> str:
    """The snapshot's provenance as a short list: source, query, the period in progress, the snapshot itself.

    Every value from the record is text on the page, whatever it holds (an export's file name, a
    ``--url`` given to ``import-trends``, a record edited by hand): escaped Markdown, code spans on one
    line, and a link only to an ``https://`` address, percent-encoded.
    """
    granularity = trends.granularity(frame["date"])
    last = period_text(frame["date"].max(), granularity)
    if record.get("source") == "Google Trends web export":
        export, checksum = markdown_code(record["export_file"]), markdown_code(str(record["export_sha256"])[:16])
        when, who = escape_markdown(str(record["imported_at"])[:10]), escape_markdown(record["imported_by"])
        origin = (
            f"Google Trends web export {export} (SHA-256 {checksum}…), imported on {when} by {who} with "
            f"{markdown_code(record['tool'])} {escape_markdown(record['tool_version'])}"
        )
        category = f"; {escape_markdown(record['category'])}" if record.get("category") else ""
        category += _taken_from_the_book(record)
    else:
        origin = (
            f"Google Trends through {escape_markdown(record['tool'])} {escape_markdown(record['tool_version'])}, "
            f"fetched on {escape_markdown(str(record['fetched_at'])[:10])}"
        )
        category = ""
    terms = escape_markdown(quoted(record["terms"]))
    lines = [
        f"- **Source**: {origin}.",
        f"- **Query**: {terms}, {escape_markdown(region_text(record))}, {span_text(frame, granularity)}{category}"
        f"{_link('; ', 'the same query on Google Trends', record.get('source_url'))}.",
    ]
    if frame["is_partial"].any():
        lines.append(f"- **Last period**: {last}, still in progress when the data was taken (dashed in the figure).")
    snapshot = markdown_code(f"data/{record['file']}")
    rows, checksum = escape_markdown(record["rows"]), markdown_code(str(record["sha256"])[:16])
    lines.append(f"- **Snapshot**: {snapshot}, {rows} rows, SHA-256 {checksum}….")
    return "\n".join(lines)


def _link(before: str, text: str, url) -> str:
    """A Markdown link to ``url`` if it is an ``https://`` address (percent-encoded, inside ``<>``); else nothing."""
    from urllib.parse import quote, urlsplit

    if not isinstance(url, str) or urlsplit(url.strip()).scheme != "https" or not urlsplit(url.strip()).netloc:
        return ""
    target = quote(url.strip(), safe="/:?&=%#+,;@!$'()*~.-_")
    return f"{before}[{text}](<{target}>)"


def _taken_from_the_book(record: dict) -> str:
    """What an export did not say and the import took from the book's query (a redesigned export's
    region and category, a region name it did not know), in words."""
    parts = [name for name, key in (("region", "geo_from"), ("category", "category_from")) if record.get(key) == "book"]
    return f" ({' and '.join(parts)} from the book's query: the export does not name them)" if parts else ""


def notice() -> Notice:
    """What readers see when the book was built without a Google Trends snapshot: what the figure would
    show, and the same comparison live on Google Trends. How to add the data is for the author: the build
    says it (:func:`ai4neuro.sources.trends.missing_snapshot_line`), and so does About the data."""
    return Notice(
        "Google Trends comparison not included in this copy",
        f"This figure compares how much people searched Google for {quoted(BOOK.terms)}, "
        f"{region_text({'geo': BOOK.geo})}, month by month since 2004, on one 0–100 scale. "
        "This copy of the book was built without that data.",
        link=("See the same comparison live on Google Trends", BOOK.explore_url()),
        kind="note",
    )
