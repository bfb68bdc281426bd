"""What titles hide: the rules' recall counting the neuroscience papers whose titles do not show it.

The lists have abstracts until 2018 (2019 for ICML), so the labelled papers of 2019–2025 were labelled from
their titles and keywords alone: recall there is measured against the neuroscience a title shows, and the
papers whose titles hide it are missing from it. To count them, the uniform sample's 1987–2018 papers, first
labelled with their abstracts, were labelled a second time, blind, from the title and keywords alone
(``data/paper_title_labels.csv``, :func:`save`). On those papers:

- *visibility*: of the neuroscience-related papers, the weighted share whose title shows it;
- *shown precision*: of the papers whose title shows neuroscience, the share that are (by the abstract),
  among those the rules find and among those they miss;
- *hidden recall*: the rules' recall among the neuroscience-related papers whose titles hide it.

The first two are about titles, not the rules, so both halves measure them; the hidden recall, like every
score of the rules, comes from the half being scored.

:func:`scores` applies them to 2019–2025: each paper labelled neuroscience there is one with the shown
precision, and for every such paper the lists hold (1 − visibility) / visibility more whose titles hide it,
found at the hidden recall. 1987–2018 count as labelled. On the 1987–2018 papers themselves this
gives back the recall measured with abstracts exactly (tested). The interval is a percentile bootstrap over
the sample's papers, resampled within each half and era (the design's cells), so the uncertainty of every
ratio is in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ai4neuro import snapshots
from ai4neuro.validation import design, labels, scoring
from ai4neuro.vocabulary import DEFINITE as LABELS

NAME = "paper_title_labels"
COLUMNS = ("key", "era", "title", "keywords", "neuro", "label", "reason")
TITLES_ONLY = "2019–2025"  # the era whose papers the lists give no abstract: labelled from titles and keywords
REFERENCE = tuple(era for era in design.ERAS if era != TITLES_ONLY)
REPLICATES, SEED = 2000, 19
HOW = (
    "from the title and the authors' keywords alone, by the same codebook, with a one-line reason each; shown "
    "shuffled among 300 papers of 2019–2025 (every one labelled neuroscience there and others drawn at random, "
    "to check that both labellings read titles alike), without their sample, split, era, first label or what "
    "the rules say"
)
REFRESH_HINT = (
    "It holds hand-assigned labels: restore it with git checkout; see ai4neuro/validation/visibility.py for how "
    "it was made."
)
VISIBILITY, WITH_HIDDEN = "title_visibility", "recall_with_hidden"
METRICS = (VISIBILITY, WITH_HIDDEN)


def _schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "key": pa.Column(str, pa.Check.str_matches(r"^[a-z]+/[a-z]+\d{4}\.json#\d+$"), unique=True),
            "era": pa.Column(str, pa.Check.isin(list(design.ERAS))),
            "title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "keywords": pa.Column(str, nullable=True),
            "neuro": pa.Column(bool),
            "label": pa.Column(str, pa.Check.isin(["", *LABELS]), nullable=True),
            "reason": pa.Column(str, pa.Check.str_length(min_value=3)),
        },
        checks=[pa.Check(lambda f: f["neuro"] == (f["label"].fillna("") != ""), error="a label exactly when neuro")],
        name="papers labelled from their titles",
        strict=True,
        ordered=True,
    )


DATASET = snapshots.Dataset(NAME, COLUMNS, _schema, REFRESH_HINT)


def save(
    title_labels: pd.DataFrame, labelled: snapshots.Snapshot, labelled_on: str | None = None
) -> snapshots.Snapshot:
    """Join title-only labels (``key``, ``label``, ``reason``) to the labelled papers they relabel and write
    ``data/paper_title_labels.csv``: every uniform paper of 1987–2018 needs one, and no key may be unknown."""
    uniform = labelled.frame[labelled.frame["sample"] == "uniform"]
    title_labels = title_labels.fillna({"label": "", "reason": ""})
    needed = set(uniform.loc[uniform["era"].isin(REFERENCE), "key"])
    fix = "Give every uniform paper of 1987–2018 one row: key, label, reason."
    labels.check_rows(
        title_labels,
        needed=needed,
        known=set(uniform["key"]),
        what="title labels",
        outside="not a uniform paper",
        fix=fix,
    )
    frame = uniform[["key", "era", "title", "keywords"]].merge(title_labels[["key", "label", "reason"]], on="key")
    frame = frame.assign(neuro=frame["label"] != "").sort_values("key", ignore_index=True)
    record = {
        "labelled_papers": {"file": f"data/{labels.NAME}.csv", "sha256": labelled.provenance["sha256"]},
        "papers": "the uniform sample's papers of 1987–2018 (both halves), and 300 of 2019–2025 as a check",
        "labels": {"by": labels.LABELLED_BY, "on": labelled_on or date.today().isoformat(), "how": HOW},
        "codebook": {"version": labels.CODEBOOK_VERSION, "where": labels.CODEBOOK_WHERE},
        "created_at": snapshots.utc_now(),
        "command": "ai4neuro.validation.visibility.save(title_labels, labels.load())",
    }
    return snapshots.save(DATASET, frame[list(COLUMNS)], record)


def load() -> snapshots.Snapshot:
    """The committed title-only labels and their provenance."""
    snapshot = snapshots.load(DATASET)
    frame = snapshot.frame.fillna({"keywords": "", "label": ""})
    return snapshots.Snapshot(frame, snapshot.provenance, snapshot.csv_path)


def check_agreement(labelled: pd.DataFrame, title_labels: pd.DataFrame) -> pd.DataFrame:
    """The 2019–2025 check papers: labelled neuroscience first (``first``) and from the title again (``again``)."""
    first = labelled.drop_duplicates("key").set_index("key")["neuro"]
    check = title_labels[title_labels["era"] == TITLES_ONLY]
    table = pd.crosstab(check["key"].map(first).rename("first"), check["neuro"].rename("again"))
    return table.reindex(index=[False, True], columns=[False, True], fill_value=0)


@dataclass(frozen=True)
class _Cell:
    """One era of one half as arrays: design weight, neuroscience-related, shown by the title, found."""

    weight: np.ndarray
    neuro: np.ndarray
    shown: np.ndarray
    found: np.ndarray


Cell = tuple[str, str]  # (split, era)


def _cells(uniform: pd.DataFrame, title_labels: pd.DataFrame, found: pd.Series) -> dict[Cell, _Cell]:
    shown = uniform["key"].map(title_labels.set_index("key")["neuro"])
    # 2019–2025 papers were labelled from their titles: their label is what the title shows.
    shown = shown.where(uniform["era"] != TITLES_ONLY, uniform["neuro"]).fillna(False).astype(bool)
    cells = {}
    for split in design.SPLITS:
        for era in design.ERAS:
            part = (uniform["split"] == split) & (uniform["era"] == era)
            cells[split, era] = _Cell(
                uniform.loc[part, "weight"].to_numpy(float),
                uniform.loc[part, "neuro"].to_numpy(bool),
                shown[part].to_numpy(bool),
                found[part].to_numpy(bool),
            )
    return cells


def _sums(cell: _Cell, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Weighted sums over ``rows`` (one row of paper indices per replicate) of one cell."""
    w, neuro, shown, found = (array[rows] for array in (cell.weight, cell.neuro, cell.shown, cell.found))
    return {
        "neuro": (w * neuro).sum(-1),
        "neuro_found": (w * (neuro & found)).sum(-1),
        "neuro_shown": (w * (neuro & shown)).sum(-1),
        "shown_found": (w * (shown & found)).sum(-1),
        "shown_missed": (w * (shown & ~found)).sum(-1),
        "neuro_shown_found": (w * (neuro & shown & found)).sum(-1),
        "neuro_shown_missed": (w * (neuro & shown & ~found)).sum(-1),
        "hidden": (w * (neuro & ~shown)).sum(-1),
        "hidden_found": (w * (neuro & ~shown & found)).sum(-1),
    }


def _ratios(sums: dict[Cell, dict[str, np.ndarray]], split: str) -> dict[tuple[str, str], np.ndarray]:
    """Visibility per reference era and pooled, and recall with the hidden papers counted (2019–2025 and all).

    Visibility and shown precision are properties of titles, not of the rules: both halves measure them. The
    rules' recall among hidden papers, and everything else, comes from ``split`` alone."""

    def total(name: str, splits=design.SPLITS, eras=REFERENCE) -> np.ndarray:
        return np.sum([sums[s, era][name] for s in splits for era in eras], axis=0)

    own = (split,)
    with np.errstate(divide="ignore", invalid="ignore"):
        visibility = total("neuro_shown") / total("neuro")
        precision = total("neuro_shown") / (total("shown_found") + total("shown_missed"))
        # Where no paper of a kind was drawn (in a bootstrap replicate), the shown precision of all of them.
        precision_found = np.where(
            total("shown_found") > 0, total("neuro_shown_found") / total("shown_found"), precision
        )
        precision_missed = np.where(
            total("shown_missed") > 0, total("neuro_shown_missed") / total("shown_missed"), precision
        )
        hidden_recall = total("hidden_found", own) / total("hidden", own)
        recent = sums[split, TITLES_ONLY]
        shown_found = precision_found * recent["shown_found"]
        shown = shown_found + precision_missed * recent["shown_missed"]
        hidden = shown * (1 - visibility) / visibility
        found = shown_found + hidden_recall * hidden
        result = {
            (VISIBILITY, era): total("neuro_shown", eras=(era,)) / total("neuro", eras=(era,)) for era in REFERENCE
        }
        result[VISIBILITY, design.ALL_ERAS] = visibility
        result[WITH_HIDDEN, TITLES_ONLY] = found / (shown + hidden)
        result[WITH_HIDDEN, design.ALL_ERAS] = (total("neuro_found", own) + found) / (
            total("neuro", own) + shown + hidden
        )
    return result


def scores(
    uniform: pd.DataFrame, split: str, title_labels: pd.DataFrame, found: pd.Series
) -> dict[tuple[str, str], scoring.Estimate]:
    """Visibility and recall with hidden papers counted, keyed ``(metric, era)``, for one half (``split``) of the
    uniform sample (both halves given, with their design ``weight``) and the rules' verdicts ``found`` on it;
    90 % percentile bootstrap intervals."""
    cells = _cells(uniform, title_labels, found)
    point = _ratios({key: _sums(cell, np.arange(len(cell.weight))[None, :]) for key, cell in cells.items()}, split)
    rng = np.random.default_rng(SEED)
    draws = {
        key: _sums(cell, rng.integers(0, len(cell.weight), (REPLICATES, len(cell.weight))))
        for key, cell in cells.items()
    }
    replicates = _ratios(draws, split)
    tail = (1 - scoring.LEVEL) / 2 * 100
    counts = {key: int(cell.neuro.sum()) for key, cell in cells.items()}
    papers = {
        (VISIBILITY, design.ALL_ERAS): sum(counts[s, era] for s in design.SPLITS for era in REFERENCE),
        (WITH_HIDDEN, design.ALL_ERAS): sum(counts[split, era] for era in design.ERAS),
        (WITH_HIDDEN, TITLES_ONLY): counts[split, TITLES_ONLY],
        **{(VISIBILITY, era): sum(counts[s, era] for s in design.SPLITS) for era in REFERENCE},
    }
    estimates = {}
    for key, value in point.items():
        low, high = np.nanpercentile(replicates[key], [tail, 100 - tail])
        estimates[key] = scoring.Estimate(float(value[0]), float(low), float(high), papers[key], float("nan"))
    return estimates
