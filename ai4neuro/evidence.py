"""The conference-paper evidence as the chapters read it, and the refresh that remakes it.

``python -m ai4neuro refresh papers`` recounts the pinned lists (:mod:`ai4neuro.sources.papers`),
scores the rules on the labelled papers (:mod:`ai4neuro.validation`), and writes the four snapshots
together: ``paper_counts`` (the figures' counts), ``neuro_papers`` (the papers behind them),
``paper_validation`` (the rules' recall, precision, ... with their intervals) and
``paper_basis_comparison`` (titles against abstracts); with ``--update-lists`` the registry of pinned
lists changes with them. The chapters read the first three through :func:`load`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace

from ai4neuro import snapshots
from ai4neuro.errors import SnapshotMissing
from ai4neuro.sources import papers
from ai4neuro.validation import bases, estimates, labels, visibility
from ai4neuro.vocabulary import BASES

TEXT_COLUMNS = ["title_rules", "keyword_rules", "keywords", "url"]


@dataclass(frozen=True)
class PaperEvidence:
    """What the chapters show: counts per conference-year, the papers behind them, and the rules' scores
    (``scores`` is None in a data folder without labelled papers: nothing measured the rules there)."""

    counts: snapshots.Snapshot
    papers: snapshots.Snapshot
    scores: snapshots.Snapshot | None


def load(refresh_first: bool | None = None) -> PaperEvidence:
    """The snapshots from ``data/``, remade from the lists first when asked (default: when
    ``AI4NEURO_REFRESH=1``); :class:`~ai4neuro.errors.SnapshotMissing` if absent."""
    return snapshots.load_after_refresh(
        papers.COUNTS_DATASET, lambda: refresh_papers(progressbar=False), _load, refresh_first
    )


def _load() -> PaperEvidence:
    listed = snapshots.load(papers.PAPERS_DATASET)
    listed = replace(listed, frame=listed.frame.fillna({column: "" for column in TEXT_COLUMNS}))
    try:
        scores = snapshots.load(estimates.DATASET)
    except SnapshotMissing:
        scores = None
    return PaperEvidence(counts=snapshots.load(papers.COUNTS_DATASET), papers=listed, scores=scores)


def refresh_papers(
    update_lists: bool = False, progressbar: bool = True, echo: Callable[[str], None] = lambda line: None
) -> str:
    """Recount the pinned lists (after pinning what the source added or corrected, with ``update_lists``),
    score the rules, and replace the snapshots (and the registry) together. Returns what was written."""
    progressbar = progressbar and sys.stderr.isatty()
    table, others, report = papers.registry(), {}, []
    if update_lists:
        update = papers.plan_update(progressbar, echo)
        if not update.todo:
            return update.up_to_date()
        table, others = update.table, {papers.REGISTRY_FILE: papers.registry_bytes(update.table)}
    before = papers.counts_before()
    result = papers.recount(table, progressbar)
    made = [
        snapshots.prepare(papers.COUNTS_DATASET, result.counts, result.record),
        snapshots.prepare(papers.PAPERS_DATASET, papers.neuroscience_papers(result.papers), result.record),
        *_validation(result),
    ]
    written = snapshots.save_set(made, others)
    if update_lists:
        report = update.report(before, result.counts)
    return "\n".join([*report, "; ".join(describe(snapshot) for snapshot in written)])


def _validation(result: papers.Recount) -> list:
    """The rules' scores and the title/abstract comparison, from ``data/paper_labels.csv`` and
    ``data/paper_title_labels.csv`` (nothing without them)."""
    try:
        labelled, title_labels = labels.load(), visibility.load()
    except SnapshotMissing:
        return []
    record = {
        **result.record,
        "labels": {"file": f"data/{labels.NAME}.csv", "sha256": labelled.provenance["sha256"]},
        "title_labels": {"file": f"data/{visibility.NAME}.csv", "sha256": title_labels.provenance["sha256"]},
        "estimate": labelled.provenance["estimate"],
    }
    return [
        snapshots.prepare(estimates.DATASET, estimates.scores_table(labelled, title_labels), record),
        snapshots.prepare(bases.DATASET, bases.comparison(labelled.frame, result.published), record),
    ]


def describe(snapshot: snapshots.Snapshot) -> str:
    """One phrase for what a refresh wrote, e.g. ``data/paper_counts.csv: 60 conference-years``."""
    frame = snapshot.frame
    what = {
        papers.COUNTS: lambda: f"{len(frame) // len(BASES)} conference-years",
        papers.PAPERS: lambda: f"{len(frame)} papers",
        estimates.NAME: lambda: "the rules' scores with their intervals",
        bases.NAME: lambda: "titles with and without abstracts",
    }[snapshot.csv_path.stem]
    return f"{snapshot.csv_path}: {what()}"
