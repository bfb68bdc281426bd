"""The chapters' views of the conference-paper counts (:mod:`ai4neuro.sources.papers`).

- :func:`show_neurips_share`: share of NeurIPS papers that are neuroscience-related, 1987–2024;
- :func:`show_neuroai_vs_ai4neuro`: NeuroAI vs AI4Neuro papers per year at NeurIPS, ICLR, ICML;
- :func:`show_paper_table`: a searchable, sortable table of the classified papers of a year;
- :func:`show_method`: the rule table, status mapping and validation for "About the data".

Each ``show_*`` glues ``<name>`` and ``<name>-caption`` for a ``{glue:figure}`` directive
(see ``ai4neuro.figures``). Charts compare years, so they classify titles only (keywords
exist only in OpenReview years); the table shows the label from title and keywords.
"""

from __future__ import annotations

import html
import logging

import altair as alt
import pandas as pd

from ai4neuro import figures, paths, snapshots
from ai4neuro.errors import SnapshotMissing, SourceUnreachable
from ai4neuro.outputs import TABLE_CLASS
from ai4neuro.sources import classify, papers
from ai4neuro.views.notice import Notice

logger = logging.getLogger(__name__)

LABEL_NAMES = {"neuroai": "NeuroAI", "ai4neuro": "AI4Neuro", "both": "Both", "unclear": "Unclear"}
DEFINITION = (
    "Neuroscience-related: a published paper whose title matches a rule of the book's pattern table "
    "(brain, neurons, cortex, spiking, synapses, fMRI/EEG, neural recordings, ...; plain “neural network” "
    "does not count); see “About the data”."
)


def commits_text(provenance: dict, conference: str | None = None) -> str:
    """Which commit of papercopilot/paperlists each year's list comes from, e.g. ``a197245 (1987–2018)``."""
    rows = []
    for item in provenance["files"]:
        name, year = papers.conference_year(item["path"])
        if conference in (None, name):
            rows.append((item["commit"][:7], year))
    frame = pd.DataFrame(rows, columns=["commit", "year"]).sort_values("year")
    spans = frame.groupby("commit", sort=False)["year"].agg(["min", "max"])
    return ", ".join(
        f"{commit} ({low}–{high})" if low != high else f"{commit} ({low})" for commit, (low, high) in spans.iterrows()
    )


def _source(provenance: dict, conference: str | None = None) -> str:
    where = f"{conference} " if conference else ""
    commits = commits_text(provenance, conference)
    return f"Paper Copilot lists (github.com/papercopilot/paperlists), {where}files at commits {commits}"


def _evidence(name: str, subject: str, refresh_first: bool | None) -> papers.PaperSnapshots | None:
    try:
        return papers.load(refresh_first)
    except (SnapshotMissing, SourceUnreachable) as problem:
        logger.info("%s", problem)
        figures.glue_notice(name, notice(subject), subject)
        return None


# --- (1) share of NeurIPS papers ---------------------------------------------------------


def neurips_share(counts: pd.DataFrame) -> pd.DataFrame:
    """NeurIPS per year (title rules): published, neuroscience-related and their share in %."""
    rows = counts[(counts["conference"] == "NeurIPS") & (counts["basis"] == "title")]
    return pd.DataFrame(
        {
            "year": pd.to_datetime(rows["year"].astype(str), format="%Y"),
            "conference": "NeurIPS",
            "share": (100 * rows["neuro"] / rows["published"]).round(2),
            "neuro": rows["neuro"],
            "published": rows["published"],
        }
    ).reset_index(drop=True)


def show_neurips_share(name: str = "papers-neurips-share", refresh_first: bool | None = None) -> None:
    """Glue figure (1): the share of NeurIPS papers that are neuroscience-related, per year."""
    found = _evidence(name, "The share of neuroscience-related NeurIPS papers", refresh_first)
    if found is None:
        return
    data = neurips_share(found.counts.frame)
    first, last = data["year"].dt.year.min(), data["year"].dt.year.max()
    figure = figures.line_figure(
        data,
        x="year",
        y="share",
        series="conference",
        x_title="Year",
        y_title="Neuroscience-related (% of papers)",
        tooltip=[
            alt.Tooltip("year", type="temporal", title="Year", format="%Y"),
            alt.Tooltip("share", type="quantitative", title="Neuroscience-related (%)", format=".1f"),
            alt.Tooltip("neuro", type="quantitative", title="Neuroscience-related papers"),
            alt.Tooltip("published", type="quantitative", title="Published papers", format=","),
        ],
    )
    figures.show(
        figure,
        name=name,
        alt=(
            "Line chart of the percentage of published NeurIPS papers with a neuroscience-related title, "
            f"per year from {first} to {last}."
        ),
        caption=(
            f"Share of published NeurIPS papers that are neuroscience-related, {first}–{last}, by title. {DEFINITION}"
        ),
        source=_source(found.counts.provenance, "NeurIPS"),
        data=data.assign(year=data["year"].dt.year),
    )


# --- (2) NeuroAI vs AI4Neuro ---------------------------------------------------------------


def labels_per_year(counts: pd.DataFrame) -> pd.DataFrame:
    """Tidy: conference, year, label (NeuroAI, AI4Neuro, Both, Unclear), papers — by title rules."""
    rows = counts[counts["basis"] == "title"]
    tidy = rows.melt(
        id_vars=["conference", "year"], value_vars=list(LABEL_NAMES), var_name="label", value_name="papers"
    )
    tidy["label"] = tidy["label"].map(LABEL_NAMES)
    order = {"NeurIPS": 0, "ICLR": 1, "ICML": 2}
    tidy = tidy.sort_values(
        ["conference", "year"], key=lambda c: c.map(order) if c.name == "conference" else c, kind="stable"
    )
    return tidy.reset_index(drop=True)


def show_neuroai_vs_ai4neuro(name: str = "papers-neuroai-ai4neuro", refresh_first: bool | None = None) -> None:
    """Glue figure (2): NeuroAI, AI4Neuro, both and unclear papers per year and conference."""
    found = _evidence(name, "NeuroAI and AI4Neuro papers per year", refresh_first)
    if found is None:
        return
    data = labels_per_year(found.counts.frame)
    figure = figures.bar_figure(
        data, x="year", y="papers", series="label", x_title="Year", y_title="Papers", facet="conference"
    )
    figures.show(
        figure,
        name=name,
        alt=(
            "Stacked bar charts, one per conference (NeurIPS, ICLR, ICML), of neuroscience-related papers per year, "
            "split into NeuroAI, AI4Neuro, both and unclear."
        ),
        caption=(
            "Neuroscience-related papers per year at NeurIPS, ICLR and ICML, by title: NeuroAI (brain-inspired AI, "
            "models of brain computation, comparing networks with brains), AI4Neuro (machine learning as a tool for "
            "neural data: decoding, spike sorting, calcium imaging, population dynamics, brain–computer interfaces, "
            "connectomics), both, or unclear "
            f"(only generic neuroscience words). {DEFINITION}"
        ),
        source=_source(found.counts.provenance),
    )


# --- (3) the searchable table ------------------------------------------------------------


class PaperTable:
    """A searchable, sortable table: JSON rows in a container that ``bookext/tables.js`` draws.

    Every title is data from outside: the JSON is escaped for a ``<script>`` element and the
    script writes titles as text (never as HTML); without JavaScript the ``<noscript>`` table,
    escaped here, shows the chosen year.
    """

    COLUMNS = ["conference", "year", "title", "label", "rules", "url"]

    def __init__(self, rows: pd.DataFrame, *, name: str, conference: str, year: int, caption: str) -> None:
        self.rows, self.name, self.conference, self.year, self.caption = (
            rows[self.COLUMNS],
            name,
            conference,
            year,
            caption,
        )

    def payload(self) -> str:
        data = {"columns": self.COLUMNS, "rows": self.rows.astype(object).values.tolist()}
        return figures.script_json(data)

    def html(self) -> str:
        chosen = self.rows[(self.rows["conference"] == self.conference) & (self.rows["year"] == self.year)]
        body = "".join(
            f"<tr><td>{html.escape(row.title)}</td><td>{html.escape(row.label)}</td><td>{html.escape(row.rules)}</td></tr>"
            for row in chosen.itertuples()
        )
        return (
            f'<div class="{TABLE_CLASS}" id="ai4n-table-{self.name}" '
            f'data-conference="{html.escape(self.conference, quote=True)}" '
            f'data-year="{int(self.year)}" role="group" aria-label="{html.escape(self.caption, quote=True)}">'
            f'<script type="application/json" class="ai4n-table-data">{self.payload()}</script>'
            f"<noscript><table><thead><tr><th>Title</th><th>Label</th><th>Rules</th></tr></thead><tbody>{body}</tbody></table></noscript>"
            "</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        count = int(((self.rows["conference"] == self.conference) & (self.rows["year"] == self.year)).sum())
        return {
            "text/html": self.html(),
            "text/plain": (
                f"Table: {count} neuroscience-related {self.conference} {self.year} papers "
                f"(data in figures/{self.name}.csv)."
            ),
        }


def table_rows(listed: pd.DataFrame) -> pd.DataFrame:
    """The table's rows: label by title and keywords, and which rules matched where."""
    rules = listed["title_rules"].where(
        listed["title_rules"] == "", "title: " + listed["title_rules"].str.replace(";", ", ")
    )
    keywords = listed["keyword_rules"].where(
        listed["keyword_rules"] == "", "keywords: " + listed["keyword_rules"].str.replace(";", ", ")
    )
    joined = (rules + "; " + keywords).str.strip("; ")
    return listed.assign(label=listed["label"].map(LABEL_NAMES), rules=joined)[PaperTable.COLUMNS].reset_index(
        drop=True
    )


def show_paper_table(
    name: str = "papers-table", conference: str = "NeurIPS", year: int = 2023, refresh_first: bool | None = None
) -> None:
    """Glue figure (3): the classified neuroscience-related papers, opened at ``conference`` and ``year``."""
    from myst_nb import glue

    found = _evidence(name, "The table of neuroscience-related papers", refresh_first)
    if found is None:
        return
    rows = table_rows(found.papers.frame)
    caption = (
        f"The {len(rows):,} neuroscience-related papers behind the counts, opened at {conference} {year}: "
        "choose a conference and year, search, or click a column to sort. Label from the title and, "
        "where the list has them, the authors' keywords; "
        f"“rules” names the patterns that matched. {DEFINITION}"
    )
    folder = paths.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_bytes(snapshots.to_csv_bytes(rows))
    glue(name, PaperTable(rows, name=name, conference=conference, year=year, caption=caption), display=False)
    glue(
        f"{name}-caption", figures.Text(figures.caption_text(caption, _source(found.papers.provenance))), display=False
    )


# --- About the data ----------------------------------------------------------------------


def show_method() -> None:
    """Glue the method pieces for "About the data": rules, status mapping, validation."""
    from myst_nb import glue

    try:
        listed = papers.load(refresh_first=False).papers
    except SnapshotMissing as problem:
        logger.info("%s", problem)
        missing = notice("The rules, status mapping and validation")
        for key in METHOD_KEYS:
            glue(key, missing if key in METHOD_TABLES else figures.Text("(no data in this build)"), display=False)
        return
    result = classify.validate_titles(listed.frame, listed.provenance["papers_with_keywords"])
    glue("papers-rules", figures.Table(classify.rules_table().rename(columns=str.capitalize)), display=False)
    glue("papers-rules-version", figures.Text(listed.provenance["rules"]["sha256"][:12]), display=False)
    glue(
        "papers-status",
        figures.Table(papers.status_table().replace({"status": {"": "(none)"}}).rename(columns=str.capitalize)),
        display=False,
    )
    glue("papers-precision", figures.Text(f"{result.precision:.0%}"), display=False)
    glue("papers-recall", figures.Text(f"{result.recall:.0%}"), display=False)
    glue("papers-with-keywords", figures.Text(f"{result.papers_with_keywords:,}"), display=False)
    glue("papers-title-hits", figures.Text(f"{result.title_hits:,}"), display=False)
    glue("papers-keyword-hits", figures.Text(f"{result.keyword_hits:,}"), display=False)
    glue("papers-agree", figures.Text(f"{result.agree:,}"), display=False)
    glue("papers-false-hits", _example_table(result.false_hits, "title_rules", "keywords"), display=False)
    glue("papers-misses", _example_table(result.misses, "keyword_rules", "keywords"), display=False)


METHOD_TABLES = ("papers-rules", "papers-status", "papers-false-hits", "papers-misses")
METHOD_KEYS = (
    *METHOD_TABLES,
    "papers-rules-version",
    "papers-precision",
    "papers-recall",
    "papers-with-keywords",
    "papers-title-hits",
    "papers-keyword-hits",
    "papers-agree",
)


def _example_table(frame: pd.DataFrame, *columns: str) -> figures.Table:
    names = {"title_rules": "Title rules", "keyword_rules": "Keyword rules", "keywords": "Authors' keywords"}
    table = frame[["conference", "year", "title", *columns]].rename(
        columns={"conference": "Conference", "year": "Year", "title": "Title", **names}
    )
    return figures.Table(table)


# --- notices -----------------------------------------------------------------------------


def notice(subject: str) -> Notice:
    """What readers see when the book was built without the paper-count snapshots."""
    command = "python -m ai4neuro refresh papers"
    return Notice(
        f"{subject}: no data in this build",
        f"This copy of the book was built without data/paper_counts.csv. To add it, run {command} "
        "(it downloads the Paper Copilot lists on first use), then rebuild the book.",
        commands=(command,),
    )
