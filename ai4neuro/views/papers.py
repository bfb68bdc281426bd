"""The chapters' views of the conference-paper counts (:mod:`ai4neuro.sources.papers`).

- :func:`show_neurips_share`: NeurIPS papers that are neuroscience-related, as a count and a share, per year;
- :func:`show_neuroai_vs_ai4neuro`: NeuroAI vs AI4Neuro papers per year at NeurIPS, ICLR, ICML;
- :func:`show_paper_table`: a searchable, sortable table of the classified papers of a year;
- :func:`show_method` and :func:`show_method_table`: the rules, status mapping and validation for
  "About the data".

Captions are short: what the figure shows and its finding, computed from the data it draws, then a
Source line with the rules' recall and its 90 % interval (estimated for the whole lists from papers
drawn uniformly at random and labelled by hand, :mod:`ai4neuro.validation`, and written to
``data/paper_validation.csv`` by ``refresh papers``); "Show the data" gives, per year, the papers found
and the number they stand for (count ÷ recall, :func:`ai4neuro.validation.estimates.estimated_totals`).
The commits and the method are on "About the data". When the rules were edited after the counts were
made, a notice says so by the figures (:func:`rules_notice`).

Each ``show_*`` shows its figure or table where the chapter's cell is, with its caption (see
``ai4neuro.figures``). Charts compare years, so they classify titles only (keywords exist only in
OpenReview years); the table shows the label from title and keywords, and its caption names both.
"""

from __future__ import annotations

import html
import logging
from functools import cache

import altair as alt
import pandas as pd

from ai4neuro import evidence, figures, snapshots, vocabulary
from ai4neuro.errors import SnapshotMissing, SourceUnreachable
from ai4neuro.markup import Column, html_table
from ai4neuro.outputs import PAPER_TABLE_MIME, TEXT_TABLE_CLASS, TEXT_TABLE_STYLE
from ai4neuro.sources import classify, papers
from ai4neuro.validation import bases, design, estimates, labels, visibility
from ai4neuro.views.notice import Notice
from ai4neuro.vocabulary import BASIS_NAMES, LABEL_COLORS, LABEL_NAMES, NOT_NEURO, NOT_NEURO_NAME

logger = logging.getLogger(__name__)


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


def year_spans(years) -> str:
    """``[2013, 2014, 2017, 2018, 2019]`` -> ``2013, 2014, 2017–2019`` (runs of three or more as a span)."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs]
    return ", ".join(parts)


def conference_years_text(pairs) -> str:
    """Conference-years as text, e.g. ``NeurIPS (1987–2024), ICLR (2024) and ICML (2025)``."""
    found = pd.DataFrame(list(pairs), columns=["conference", "year"])
    parts = [
        f"{name} ({year_spans(found.loc[found['conference'] == name, 'year'])})"
        for name in CONFERENCES
        if (found["conference"] == name).any()
    ]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts) or "none"


def lists_text(paths) -> str:
    """Which conference-years a set of list paths (``nips/nips2023.json``, ...) covers."""
    return conference_years_text(papers.conference_year(path) for path in paths)


def keyword_years_text(counts: pd.DataFrame) -> str:
    """The conference-years whose lists carry the authors' keywords, from the counts."""
    rows = counts[(counts["basis"] == "title") & (counts["with_keywords"] > 0)]
    return conference_years_text(zip(rows["conference"], rows["year"], strict=True))


def upstream_text(provenance: dict) -> str:
    """What the source held when ``refresh papers --update-lists`` last looked, against what these counts
    read; "not checked yet" when it never ran (nothing is claimed about the source then)."""
    record = papers.upstream_record()
    if record is None:
        return (
            "Not checked yet: no run of the update (below) has recorded which conference-years Paper Copilot holds, "
            "so this page cannot say which of them the book lacks."
        )
    counted = {item["path"] for item in provenance["files"]}
    table = papers.registry()
    pinned = dict(zip(table["path"], table["git_blob"], strict=True))
    held = record["lists"]
    missing = sorted(set(held) - counted)
    newer = sorted(path for path, blob in held.items() if path in counted and pinned.get(path) not in (None, blob))
    when = pd.Timestamp(record["commit_date"])
    seen = (
        f"When the update last looked, Paper Copilot's commit {record['commit'][:7]} (of {when.day} "
        f"{when:%B %Y}) held {lists_text(held)}"
    )
    lacking = f"not in these counts: {lists_text(missing)}" if missing else "these counts read all of them"
    changed = f"; changed there since pinned here: {lists_text(newer)}" if newer else ""
    return f"{seen}; {lacking}{changed}."


def source_text(scores: snapshots.Snapshot | None, basis: str = "title") -> str:
    """A caption's Source line: the lists, the basis, and the rules' recall with its interval."""
    read = {"title": "titles", "title+keywords": "titles and keywords"}[basis]  # plural: "titles classified"
    if scores is None:
        return f"Paper Copilot lists; {read} classified by the book's rules (not measured in this build)"
    recall = estimates.interval_text(estimates.recall(scores.frame, basis))
    return f"Paper Copilot lists; {read} classified by the book's rules, which find {recall} of such papers"


def with_estimates(table: pd.DataFrame, found: str, scores: snapshots.Snapshot | None) -> pd.DataFrame:
    """``table`` with the number of neuroscience-related papers its ``found`` column stands for (count ÷ recall)
    and that number's 90 % interval, for "Show the data" and the figure's CSV (as it is without scores)."""
    if scores is None:
        return table
    totals = estimates.estimated_totals(table[found], scores.frame)
    return table.assign(**{ESTIMATED: totals["estimated"], LOW: totals["low"], HIGH: totals["high"]})


ESTIMATED = "Estimated neuroscience-related (count ÷ recall)"
LOW, HIGH = "90% interval, low", "90% interval, high"


def rules_changed(provenance: dict) -> bool:
    """Whether ``classification_rules.csv`` differs from the rules the snapshot was counted with (SHA-256)."""
    recorded = (provenance.get("rules") or {}).get("sha256")
    return recorded != classify.rules_sha256()


def rules_notice() -> Notice:
    """What readers see by the counts when the rules were edited after the snapshot was made."""
    command = "python -m ai4neuro refresh papers"
    return Notice(
        "The classification rules changed since these counts were made",
        "ai4neuro/sources/classification_rules.csv differs from the rules data/paper_counts.csv was counted with, "
        f"so the counts shown here follow the old rules. Run {command}, then rebuild the book.",
        commands=(command,),
    )


def _evidence(name: str, subject: str, refresh_first: bool | None) -> evidence.PaperEvidence | None:
    """The snapshots (a notice in the figure's place without them; a notice before the figure when the
    rules changed since they were counted)."""
    from IPython.display import display

    try:
        found = evidence.load(refresh_first)
    except (SnapshotMissing, SourceUnreachable) as problem:
        logger.info("%s", problem)
        figures.show_notice(name, notice(subject), subject)
        return None
    if rules_changed(found.counts.provenance):
        display(rules_notice())
    return found


# --- (1) NeurIPS: neuroscience-related papers, count and share ---------------------------


def neurips_share(counts: pd.DataFrame) -> pd.DataFrame:
    """NeurIPS per year (title rules): published, neuroscience-related and their share in %."""
    rows = counts[(counts["conference"] == "NeurIPS") & (counts["basis"] == "title")].sort_values("year")
    return pd.DataFrame(
        {
            "year": rows["year"].astype(int),
            "neuro": rows["neuro"].astype(int),
            "published": rows["published"].astype(int),
            "share": (100 * rows["neuro"] / rows["published"]).round(2),
        }
    ).reset_index(drop=True)


NEURIPS_COLUMNS = {
    "year": "Year",
    "neuro": "Neuroscience-related papers",
    "published": "Published papers",
    "share": "Neuroscience-related (%)",
}


def neurips_finding(data: pd.DataFrame) -> str:
    """Fig. (1)'s finding in numbers, from its data: the latest count and share against their peaks."""
    last = data.iloc[-1]
    top_share = data.loc[data["share"].idxmax()]
    low_share = data.loc[data["share"].idxmin()]
    top_count = data.loc[data["neuro"].idxmax()]
    first = int(data["year"].iloc[0])
    count_text = (
        f"the most of any year since {first}"
        if top_count["year"] == last["year"]
        else f"against a peak of {int(top_count['neuro'])} in {int(top_count['year'])}"
    )
    share_text = (
        "its lowest"
        if low_share["year"] == last["year"]
        else f"near its low of {low_share['share']:.1f}% ({int(low_share['year'])})"
    )
    return (
        f"In {int(last['year'])}, {int(last['neuro'])} of {int(last['published']):,} NeurIPS titles were "
        f"neuroscience-related, {count_text}; the share, {last['share']:.1f}%, is {share_text}, "
        f"down from {top_share['share']:.1f}% in {int(top_share['year'])}."
    )


def show_neurips_share(name: str = "papers-neurips-share", refresh_first: bool | None = None) -> None:
    """Show figure (1): NeurIPS papers with a neuroscience-related title per year, as a count and a share."""
    found = _evidence(name, "The share of neuroscience-related NeurIPS papers", refresh_first)
    if found is None:
        return
    data = neurips_share(found.counts.frame)
    first, last = data["year"].min(), data["year"].max()
    figure = figures.count_and_share_figure(
        data,
        x="year",
        count="neuro",
        share="share",
        x_title="Year",
        count_title="Papers",
        share_title="% of papers",
        tooltip=[
            alt.Tooltip("year", type="ordinal", title="Year"),
            alt.Tooltip("neuro", type="quantitative", title="Neuroscience-related papers"),
            alt.Tooltip("published", type="quantitative", title="Published papers", format=","),
            alt.Tooltip("share", type="quantitative", title="Neuroscience-related (%)", format=".1f"),
        ],
    )
    finding = neurips_finding(data)
    figures.show(
        figure,
        name=name,
        alt=f"Line chart of the share (top) and bar chart of the number (bottom) of neuroscience-related NeurIPS "
        f"papers, {first}–{last}. {finding}",
        caption=f"NeurIPS papers with a neuroscience-related title, {first}–{last}: share (top) and number "
        f"(bottom). {finding}",
        source=source_text(found.scores),
        data=with_estimates(data.assign(share=data["share"].round(1)), "neuro", found.scores).rename(
            columns=NEURIPS_COLUMNS
        ),
    )


# --- (2) NeuroAI vs AI4Neuro ---------------------------------------------------------------

CONFERENCES = list(vocabulary.CONFERENCES.values())


def labels_per_year(counts: pd.DataFrame, since: int | None = None) -> pd.DataFrame:
    """Tidy: conference, year, label, papers (title rules), from ``since`` (default: the first year that every
    conference has a list) to the last year of any; a conference-year without a list is one row with
    ``missing`` true (and no label or count)."""
    rows = counts[counts["basis"] == "title"]
    since = since or int(rows.groupby("conference")["year"].min().max())
    years = list(range(since, int(rows["year"].max()) + 1))
    rows = rows[rows["year"] >= since]
    tidy = rows.melt(
        id_vars=["conference", "year"], value_vars=list(LABEL_NAMES), var_name="label", value_name="papers"
    )
    tidy["label"] = tidy["label"].map(LABEL_NAMES)
    tidy["missing"] = False
    have = set(zip(rows["conference"], rows["year"], strict=True))
    gaps = pd.DataFrame(
        [
            {"conference": c, "year": y, "label": "", "papers": pd.NA, "missing": True}
            for c in CONFERENCES
            for y in years
            if (c, y) not in have
        ],
        columns=["conference", "year", "label", "papers", "missing"],
    )
    tidy = pd.concat([tidy, gaps], ignore_index=True) if len(gaps) else tidy
    tidy["papers"] = tidy["papers"].astype("Int64")
    order = {name: i for i, name in enumerate(CONFERENCES)}
    tidy = tidy.sort_values(["conference", "year"], key=lambda c: c.map(order) if c.name == "conference" else c)
    return tidy.reset_index(drop=True)


def labels_table(tidy: pd.DataFrame) -> pd.DataFrame:
    """The chart's numbers as a table (one row per conference and year with a list): its CSV and "Show the data"."""
    present = tidy[~tidy["missing"]]
    wide = present.pivot_table(index=["conference", "year"], columns="label", values="papers", aggfunc="sum")
    wide = wide.reindex(columns=list(LABEL_COLORS)).fillna(0).astype(int)
    wide["Total"] = wide.sum(axis=1)
    wide = wide.reset_index()
    order = {name: i for i, name in enumerate(CONFERENCES)}
    wide = wide.sort_values(["conference", "year"], key=lambda c: c.map(order) if c.name == "conference" else c)
    wide.columns.name = None
    return wide.rename(columns={"conference": "Conference", "year": "Year"}).reset_index(drop=True)


def labels_finding(table: pd.DataFrame) -> str:
    """Fig. (2)'s finding in numbers, from its table: NeuroAI against AI4Neuro, over all and in the latest year."""
    sums = table[list(LABEL_COLORS)].sum()
    ahead = int((table["NeuroAI"] > table["AI4Neuro"]).sum())
    last = table[table["Conference"] == "NeurIPS"].iloc[-1]
    return (
        f"In {len(table)} conference-years, {table['Year'].min()}–{table['Year'].max()}, "
        f"{sums['NeuroAI']:,} titles are NeuroAI and {sums['AI4Neuro']:,} AI4Neuro "
        f"({sums['Both']:,} both, {sums['Unclear']:,} unclear); NeuroAI is ahead in {ahead} of them. "
        f"NeurIPS {last['Year']}: {last['NeuroAI']} NeuroAI, {last['AI4Neuro']} AI4Neuro, {last['Both']} both, "
        f"{last['Unclear']} unclear."
    )


def show_neuroai_vs_ai4neuro(name: str = "papers-neuroai-ai4neuro", refresh_first: bool | None = None) -> None:
    """Show figure (2): NeuroAI, AI4Neuro, both and unclear papers per year and conference."""
    found = _evidence(name, "NeuroAI and AI4Neuro papers per year", refresh_first)
    if found is None:
        return
    tidy = labels_per_year(found.counts.frame)
    table = labels_table(tidy)
    years = list(range(int(tidy["year"].min()), int(tidy["year"].max()) + 1))
    figure = figures.bar_figure(
        tidy,
        x="year",
        y="papers",
        series="label",
        x_title="Year",
        y_title="Papers",
        facet="conference",
        colors=LABEL_COLORS,
        x_domain=years,
        missing="missing",
    )
    finding = labels_finding(table)
    first, last = years[0], years[-1]
    figures.show(
        figure,
        name=name,
        alt=f"Stacked bars of neuroscience-related papers per year at NeurIPS, ICLR and ICML, {first}–{last}, by "
        f"label. {finding}",
        caption=f"Neuroscience-related papers per year at NeurIPS, ICLR and ICML by title, {first}–{last}: "
        f"NeuroAI, AI4Neuro, both or unclear (grey: no list). {finding.split('; ')[0]}.",
        source=source_text(found.scores),
        data=with_estimates(table, "Total", found.scores),
    )


# --- (3) the searchable table ------------------------------------------------------------


class PaperTable:
    """A searchable, sortable table of papers.

    Its output carries the rows as JSON (:data:`~ai4neuro.outputs.PAPER_TABLE_MIME`), from which the
    book draws the searchable table (``bookext/tables.py`` and ``tables.js``), and, for Jupyter, a
    plain HTML table of the conference and year it opens at. Every title is data from outside: it is
    escaped here, and the book's script writes titles as text, never as HTML.
    """

    COLUMNS = ["conference", "year", "title", "label", "rules", "url"]
    SHOWN = {"title": Column("Title"), "label": Column("Label"), "rules": Column("Matched rules")}  # in Jupyter

    def __init__(self, rows: pd.DataFrame, *, name: str, conference: str, year: int, caption: str) -> None:
        self.rows, self.name, self.conference, self.year, self.caption = (
            rows[self.COLUMNS],
            name,
            conference,
            year,
            caption,
        )

    def payload(self) -> dict:
        """What the book's table is drawn from: where it opens, its label, and every row."""
        return {
            "name": self.name,
            "conference": self.conference,
            "year": int(self.year),
            "label": self.caption,
            "columns": self.COLUMNS,
            "rows": self.rows.astype(object).values.tolist(),
        }

    def chosen(self) -> pd.DataFrame:
        return self.rows[(self.rows["conference"] == self.conference) & (self.rows["year"] == self.year)]

    def html(self) -> str:
        """A plain table of the chosen year (Jupyter), scrolling in its own box."""
        chosen = self.chosen()
        table = html_table(list(self.SHOWN.values()), chosen[list(self.SHOWN)].itertuples(index=False))
        return (
            f"<p>{html.escape(self.conference)} {int(self.year)}: {len(chosen)} of the {len(self.rows):,} papers "
            f"(all of them in figures/{html.escape(self.name)}.csv).</p>"
            f'{TEXT_TABLE_STYLE}<div class="{TEXT_TABLE_CLASS}" style="max-height:28rem;overflow:auto">'
            f"{table}</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            PAPER_TABLE_MIME: self.payload(),
            "text/html": self.html(),
            "text/plain": (
                f"Table: {len(self.chosen())} neuroscience-related {self.conference} {self.year} papers "
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
    """Show figure (3): the classified neuroscience-related papers, opened at ``conference`` and ``year``."""
    from IPython.display import display

    found = _evidence(name, "The table of neuroscience-related papers", refresh_first)
    if found is None:
        return
    rows = table_rows(found.papers.frame)
    by_title = int((rows["rules"].str.startswith("title:")).sum())
    caption = (
        f"The {len(rows):,} papers whose title or keywords match the rules ({by_title:,} by title alone, the basis "
        f"of the charts), opened at {conference} {year}: choose a conference and year, search, or sort by a column."
    )
    figures.write_table_csv(name, rows)
    display(
        PaperTable(rows, name=name, conference=conference, year=year, caption=caption),
        figures.Caption(name, figures.caption_text(caption, source_text(found.scores, "title+keywords"))),
    )


# --- About the data ----------------------------------------------------------------------


def show_method() -> None:
    """Glue the method's numbers for "About the data", for its ``{glue:text}`` roles."""
    from myst_nb import glue

    pieces = method_pieces()
    for key in METHOD_NUMBERS:
        glue(key, figures.Text(pieces[key] if pieces else "(no data in this build)"), display=False)


def show_method_table(key: str) -> None:
    """Show one table of the method where "About the data" discusses it (a notice without data)."""
    from IPython.display import display

    if key not in METHOD_TABLES:
        raise ValueError(f"no method table {key!r}; choose one of {', '.join(METHOD_TABLES)}")
    pieces = method_pieces()
    if not pieces:
        display(notice("The rules, status mapping and validation"))
    elif key == "papers-rules":
        display(figures.Table(pieces[key], group_by="Label", code=["Pattern"], row_name="rule"))
    elif key == "papers-design":  # one folded section per sample: the page stays short on a phone
        display(figures.Table(pieces[key], group_by="Sample"))
    else:
        display(figures.Table(pieces[key]))


@cache
def method_pieces() -> dict[str, pd.DataFrame | str] | None:
    """Every table and number "About the data" shows about the conference papers, by key (None without data).

    Computed once per kernel: the page shows its tables from several cells.
    """
    try:
        found = evidence.load(refresh_first=False)
        labelled, title_labels = labels.load(), visibility.load()
    except SnapshotMissing as problem:
        logger.info("%s", problem)
        return None
    if found.scores is None:
        logger.info("%s", estimates.DATASET.refresh_hint)
        return None
    scores, record = found.scores.frame, labelled.provenance
    title = estimates.evaluate(labelled, basis="title")
    sample, split = design.ESTIMATE
    sizes = sum(int(item["bytes"]) for item in found.counts.provenance["files"])
    return {
        "papers-status": papers.status_table().replace({"status": {"": "(none)"}}).rename(columns=str.capitalize),
        "papers-journal-track": papers.journal_track_table().rename(columns=_capitalized),
        "papers-rules": classify.rules_table().rename(columns=str.capitalize),
        "papers-rules-version": found.papers.provenance["rules"]["sha256"][:12],
        "papers-commits": "; ".join(
            f"{conference} {commits_text(found.counts.provenance, conference)}" for conference in CONFERENCES
        )
        + ".",
        "papers-lists-size": f"{sizes / 2**20:.1f} MiB ({sizes / 1e6:.1f} MB)",
        "papers-coverage": lists_text(item["path"] for item in found.counts.provenance["files"]),
        "papers-keyword-years": keyword_years_text(found.counts.frame),
        "papers-upstream": upstream_text(found.counts.provenance),
        "papers-labelled": f"{labelled.frame['key'].nunique():,}",
        "papers-held-out": f"{len(estimates.half(labelled, sample, split)):,}",
        "papers-seeds": " and ".join(f"{item['seed']} ({name})" for name, item in record["samples"].items()),
        "papers-codebook-version": record["codebook"]["version"],
        "papers-labelled-by": f"{record['labels']['by']}, {record['labels']['on']}",
        "papers-held-out-looks": looks_text(labels.HELD_OUT_LOOKS),
        "papers-recall": estimates.interval_text(estimates.recall(scores)),
        "papers-title-labelled": f"{(title_labels.frame['era'] != visibility.TITLES_ONLY).sum():,}",
        "papers-title-check": _agreed_text(visibility.check_agreement(labelled.frame, title_labels.frame)),
        "papers-visibility": estimates.interval_text(estimates.lookup(scores, visibility.VISIBILITY)),
        "papers-recall-recent": estimates.interval_text(estimates.lookup(scores, "recall", era=visibility.TITLES_ONLY)),
        "papers-recall-recent-hidden": estimates.interval_text(
            estimates.lookup(scores, visibility.WITH_HIDDEN, era=visibility.TITLES_ONLY)
        ),
        "papers-design": design_table(record["samples"]),
        "papers-validation": summary_table(scores),
        "papers-eras": eras_table(scores),
        "papers-per-label": per_label_table(title.per_label),
        "papers-confusion": title.confusion.reset_index(),
        "papers-misses": example_table(title.misses, by_label=True),
        "papers-false-hits": example_table(title.false_hits),
        "papers-disagreements": example_table(title.disagreements),
        "papers-abstracts": abstracts_table(bases.load().frame),
    }


METHOD_TABLES = (
    *("papers-status", "papers-journal-track", "papers-rules", "papers-design", "papers-validation", "papers-eras"),
    *("papers-per-label", "papers-confusion", "papers-misses", "papers-false-hits", "papers-disagreements"),
    "papers-abstracts",
)
METHOD_NUMBERS = (
    *("papers-rules-version", "papers-commits", "papers-lists-size", "papers-labelled", "papers-held-out"),
    *("papers-coverage", "papers-keyword-years", "papers-upstream"),
    "papers-seeds",
    *("papers-codebook-version", "papers-labelled-by", "papers-held-out-looks", "papers-recall"),
    *(
        "papers-title-labelled",
        "papers-title-check",
        "papers-visibility",
        "papers-recall-recent",
        "papers-recall-recent-hidden",
    ),
)
EXAMPLES = 8  # rows of each example table: a fixed sample, the same on every build
SAMPLE_NAMES = {"uniform": "uniform (the estimate)", "vocabulary": "by vocabulary (tuning and examples)"}


def _capitalized(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.0%}"


def _interval(estimate: float, low: float, high: float) -> str:
    """``75% (67–81%)``: a score and its 90 % interval, as the tables show them."""
    return "–" if pd.isna(estimate) else f"{estimate:.0%} ({low:.0%}–{high:.0%})"


def _agreed_text(check: pd.DataFrame) -> str:
    """``300 of 300``: the check papers whose two labels agree (first: rows, again: columns)."""
    table = check.to_numpy()
    return f"{int(table.trace()):,} of {int(table.sum()):,}"


def looks_text(looks: dict[str, int]) -> str:
    """How often each held-out half was scored to decide a change, e.g. ``twice (uniform), 3 times (vocabulary)``."""
    times = {1: "once", 2: "twice"}
    return ", ".join(f"{times.get(count, f'{count} times')} ({name})" for name, count in looks.items())


def design_table(samples: dict) -> pd.DataFrame:
    """How the labelled papers were drawn: per sample, stratum and era, papers in the lists, drawn into each
    half, and a paper's chance to be drawn into a half (its inclusion probability)."""
    rows = []
    for name, sample in samples.items():
        for cell in sample["cells"]:
            rows.append(
                {
                    "Sample": name,
                    "Stratum": "every paper" if cell["stratum"] == design.ALL else cell["stratum"].replace("_", " "),
                    "Era": cell["era"],
                    "Papers in the lists": cell["papers"],
                    "Tuning": cell["tuning"],
                    "Held out": cell["held-out"],
                    "Chance to be held out": f"{cell['p_held-out']:.2%}",
                }
            )
    return pd.DataFrame(rows)


def _scores(scores: pd.DataFrame, era: str = estimates.ALL_ERAS) -> pd.DataFrame:
    return scores[(scores["split"] == "held-out") & (scores["era"] == era)]


def summary_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Recall, precision, definite labels and agreement with their 90 % intervals, per sample and basis, on the
    held-out halves, weighted by the design: what they mean for the whole lists. The uniform sample's recall is
    the book's estimate, with the papers whose titles hide their subject counted."""
    rows = []
    for (sample, basis), group in _scores(scores).groupby(["sample", "basis"], sort=False):
        by_metric = {row.metric: row for row in group.itertuples()}
        by_metric["recall"] = by_metric.get(visibility.WITH_HIDDEN, by_metric["recall"])
        rows.append(
            {
                "Sample": SAMPLE_NAMES[sample],
                "Text read": BASIS_NAMES[basis],
                "Neuroscience-related papers": int(by_metric["recall"].papers),
                **{
                    name: _interval(by_metric[metric].estimate, by_metric[metric].low, by_metric[metric].high)
                    for metric, name in SCORE_NAMES.items()
                },
            }
        )
    return pd.DataFrame(rows)


SCORE_NAMES = {"recall": "Recall", "precision": "Precision", "definite": "Definite label", "agreement": "Agreement"}
WITH_HIDDEN_NAME = "Recall, hidden papers counted"


def eras_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The book's estimate per era, by title, with 90 % intervals: how often titles show a neuroscience paper's
    subject (1987–2018, where abstracts tell), recall as measured and with hidden papers counted, precision."""
    sample, _ = design.ESTIMATE
    rows = []
    for era in design.ERAS:
        part = _scores(scores, era)
        part = part[(part["sample"] == sample) & (part["basis"] == "title")].set_index("metric")
        shown = {metric: _interval(row.estimate, row.low, row.high) for metric, row in part.iterrows()}
        rows.append(
            {
                "Era": era,
                "Neuroscience-related papers": int(part.loc["recall", "papers"]),
                "Titles show it": shown.get(visibility.VISIBILITY, "–"),
                "Recall": shown["recall"],
                WITH_HIDDEN_NAME: shown.get(visibility.WITH_HIDDEN, shown["recall"]),
                "Precision": shown["precision"],
            }
        )
    return pd.DataFrame(rows)


def per_label_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per label: held-out papers labelled so, classified so, and both; recall and precision."""
    shown = frame.assign(recall=frame["recall"].map(_percent), precision=frame["precision"].map(_percent))
    return shown.rename(columns=_capitalized)


def example_table(frame: pd.DataFrame, by_label: bool = False) -> pd.DataFrame:
    """Up to :data:`EXAMPLES` papers (a fixed-seed sample; with ``by_label``, as evenly as the labels allow),
    with the labeller's reason and the rules' verdict. A column empty in every row is left out."""
    if by_label and len(frame):
        share = max(1, EXAMPLES // frame["label"].nunique())
        shuffled = frame.sample(frac=1, random_state=0)
        picked = shuffled[shuffled.groupby("label").cumcount() < share]
    else:
        picked = frame.sample(min(EXAMPLES, len(frame)), random_state=0) if len(frame) else frame
    picked = picked.sort_values(
        ["label", "conference", "year", "title"] if by_label else ["conference", "year", "title"]
    )
    names = {NOT_NEURO: NOT_NEURO_NAME, **LABEL_NAMES}
    table = pd.DataFrame(
        {
            "Paper": picked["conference"] + " " + picked["year"].astype(str) + ": " + picked["title"],
            "Labelled": picked["label"].map(names),
            "Why": picked["reason"],
            "Classified": picked["classified"].map(names),
            "Rules": picked["rules"].str.replace(";", ", "),
        }
    )
    return table.loc[:, (table != "").any()] if len(table) else table


def abstracts_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Titles alone against titles and abstracts, on the same held-out papers (those with an abstract)."""
    rows = []
    for row in frame.itertuples():
        called = row.found + row.false_hits
        rows.append(
            {
                "Text read": BASIS_NAMES[row.basis],
                "Papers": row.papers,
                "Neuroscience-related": row.neuro,
                "Recall": _percent(row.found / row.neuro if row.neuro else float("nan")),
                "Precision": _percent(row.found / called if called else float("nan")),
                "Definite label": _percent(row.definite / row.found if row.found else float("nan")),
                "Agreement": _percent(row.agree / row.definite if row.definite else float("nan")),
            }
        )
    return pd.DataFrame(rows)


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
