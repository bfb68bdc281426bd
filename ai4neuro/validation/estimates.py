"""The scores the book quotes, and what they say about the counts.

:func:`evaluate` classifies one half of a sample with the current rules and scores it against the
labels. :func:`scores_table` does so for every sample, half, basis and era, and adds, for the uniform
sample, the papers whose titles hide their subject (:mod:`ai4neuro.validation.visibility`); ``refresh
papers`` writes it to ``data/paper_validation.csv`` (:data:`DATASET`), where the chapters read it. The
book's estimates come from the uniform sample's held-out half (:data:`~ai4neuro.validation.design.ESTIMATE`):
:func:`recall` is the recall every caption quotes (hidden papers counted), and :func:`estimated_totals`
turns a year's count into the number of neuroscience-related papers it stands for (count ÷ recall, with
the interval).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ai4neuro import snapshots
from ai4neuro.sources import classify
from ai4neuro.validation import design, labels, scoring, visibility
from ai4neuro.vocabulary import BASES

ALL_ERAS = design.ALL_ERAS
NAME = "paper_validation"
COLUMNS = ("sample", "split", "basis", "era", "metric", "estimate", "low", "high", "papers", "effective_papers")


def _schema():
    import pandera.pandas as pa

    share = pa.Column(float, pa.Check.in_range(0, 1), nullable=True)
    return pa.DataFrameSchema(
        {
            "sample": pa.Column(str, pa.Check.isin(list(design.SAMPLES))),
            "split": pa.Column(str, pa.Check.isin(list(design.SPLITS))),
            "basis": pa.Column(str, pa.Check.isin(list(BASES))),
            "era": pa.Column(str, pa.Check.isin([ALL_ERAS, *design.ERAS])),
            "metric": pa.Column(str, pa.Check.isin([*scoring.METRICS, *visibility.METRICS])),
            "estimate": share,
            "low": share,
            "high": share,
            "papers": pa.Column(int, pa.Check.ge(0)),
            "effective_papers": pa.Column(float, pa.Check.ge(0), nullable=True),  # none for a bootstrap
        },
        checks=[
            pa.Check(lambda f: (f["low"] <= f["estimate"]) | f["estimate"].isna(), error="low <= estimate"),
            pa.Check(lambda f: (f["estimate"] <= f["high"]) | f["estimate"].isna(), error="estimate <= high"),
            pa.Check(lambda f: ~f.duplicated(["sample", "split", "basis", "era", "metric"]), error="one row a score"),
        ],
        name="classifier scores",
        strict=True,
        ordered=True,
    )


DATASET = snapshots.Dataset(
    NAME,
    COLUMNS,
    _schema,
    "Recompute it with `python -m ai4neuro refresh papers` (it classifies data/paper_labels.csv with the rules).",
)


@dataclass(frozen=True)
class Evaluation:
    """The rules on one half of a sample, on one basis: scores of the papers as drawn (``raw``) and weighted
    for the whole lists (``weighted``), per label, the confusion table, and the papers they got wrong."""

    sample: str
    split: str
    basis: str
    raw: dict[str, scoring.Estimate]
    weighted: dict[str, scoring.Estimate]
    per_label: pd.DataFrame
    confusion: pd.DataFrame
    misses: pd.DataFrame
    false_hits: pd.DataFrame
    disagreements: pd.DataFrame


def half(labelled: snapshots.Snapshot, sample: str, split: str) -> pd.DataFrame:
    """One half of one sample, with each paper's design weight (``weight``)."""
    frame = labelled.frame[(labelled.frame["sample"] == sample) & (labelled.frame["split"] == split)]
    return frame.assign(weight=design.weights(frame, labels.cells(labelled, sample)))


def classified(labelled: pd.DataFrame) -> pd.DataFrame:
    """The rules' verdict on labelled papers (title and keywords): ``title_rules``, ``keyword_rules``,
    ``title_label`` and ``label`` (the labeller's label is not among the columns classified)."""
    return classify.classify(labelled[["title", "keywords"]])


def matched(papers: pd.DataFrame, basis: str) -> pd.Series:
    """The rules that matched each classified paper on ``basis``, joined by ``;``."""
    names = papers["title_rules"] if basis == "title" else papers["title_rules"] + ";" + papers["keyword_rules"]
    return names.str.strip(";")


def evaluate(
    labelled: snapshots.Snapshot,
    sample: str = design.ESTIMATE[0],
    split: str = design.ESTIMATE[1],
    basis: str = "title",
) -> Evaluation:
    """Classify one half of a sample with the current rules and score it on ``basis``."""
    truth = half(labelled, sample, split)
    papers = classified(truth)
    predicted = papers[BASES[basis]]
    shown = truth[["conference", "year", "title", "label", "reason"]].assign(
        classified=predicted, rules=matched(papers, basis)
    )
    neuro = truth["neuro"].astype(bool)
    return Evaluation(
        sample=sample,
        split=split,
        basis=basis,
        raw=scoring.measure(truth, predicted),
        weighted=scoring.measure(truth, predicted, truth["weight"]),
        per_label=scoring.per_label(truth["label"], predicted),
        confusion=scoring.confusion(truth["label"], predicted),
        misses=shown[neuro & (predicted == "")],
        false_hits=shown[~neuro & (predicted != "")],
        disagreements=shown[neuro & predicted.isin(scoring.DEFINITE) & (predicted != truth["label"])],
    )


def scores_table(labelled: snapshots.Snapshot, title_labels: snapshots.Snapshot) -> pd.DataFrame:
    """Every weighted score with its interval: per sample, half, basis, and era (and all eras together); for
    the uniform sample also the titles' visibility and the recall with hidden papers counted
    (:func:`ai4neuro.validation.visibility.scores`; visibility once, under ``title``)."""
    verdicts = classified(labelled.frame)
    uniform = pd.concat([half(labelled, design.ESTIMATE[0], split) for split in design.SPLITS])
    scored: list[tuple[tuple[str, str, str, str, str], scoring.Estimate]] = []
    for sample in design.SAMPLES:
        for split in design.SPLITS:
            part = half(labelled, sample, split)
            for basis, column in BASES.items():
                predicted = verdicts.loc[part.index, column]
                for era in (ALL_ERAS, *design.ERAS):
                    subset = part if era == ALL_ERAS else part[part["era"] == era]
                    scores = scoring.measure(subset, predicted[subset.index], subset["weight"])
                    scored += [((sample, split, basis, era, metric), estimate) for metric, estimate in scores.items()]
                if sample == design.ESTIMATE[0]:
                    found = verdicts.loc[uniform.index, column] != ""
                    hidden = visibility.scores(uniform, split, title_labels.frame, found)
                    for (metric, era), estimate in hidden.items():
                        if metric == visibility.WITH_HIDDEN or basis == "title":
                            scored.append(((sample, split, basis, era, metric), estimate))
    rows = [(*names, e.value, e.low, e.high, e.papers, round(e.effective, 3)) for names, e in scored]
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.round({"estimate": 6, "low": 6, "high": 6})


def lookup(table: pd.DataFrame, metric: str = "recall", basis: str = "title", era: str = ALL_ERAS) -> scoring.Estimate:
    """One score of the book's estimate (the uniform sample's held-out half) from :func:`scores_table`."""
    sample, split = design.ESTIMATE
    row = table[
        (table["sample"] == sample)
        & (table["split"] == split)
        & (table["basis"] == basis)
        & (table["era"] == era)
        & (table["metric"] == metric)
    ].iloc[0]
    return scoring.Estimate(row.estimate, row.low, row.high, int(row.papers), float(row.effective_papers))


def recall(table: pd.DataFrame, basis: str = "title") -> scoring.Estimate:
    """The rules' recall on ``basis`` over the whole lists, the papers whose titles hide their subject counted:
    the figure every caption quotes."""
    return lookup(table, visibility.WITH_HIDDEN, basis)


def estimated_totals(found: pd.Series, table: pd.DataFrame, basis: str = "title") -> pd.DataFrame:
    """For counts of papers the rules found, the neuroscience-related papers they stand for: count ÷ recall,
    and the interval from the recall's (``estimated``, ``low``, ``high``, rounded to whole papers)."""
    share = recall(table, basis)
    return pd.DataFrame(
        {
            "found": found.astype(int),
            "estimated": (found / share.value).round().astype(int),
            "low": (found / share.high).round().astype(int),
            "high": (found / share.low).round().astype(int),
        },
        index=found.index,
    )


def interval_text(estimate: scoring.Estimate) -> str:
    """``76% (90% interval 69–82%)``: how the book writes an estimate."""
    return f"{estimate.value:.0%} (90% interval {estimate.low:.0%}–{estimate.high:.0%})"
