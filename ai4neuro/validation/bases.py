"""Titles alone against titles and abstracts, on the same labelled papers.

The counts read titles (and keywords), because the lists have abstracts only until 2018–2019. Read
with the same rules, an abstract finds more papers, and more that are not neuroscience. This module
scores both on the held-out papers of the book's estimate that have an abstract in the lists;
``refresh papers`` writes it to ``data/paper_basis_comparison.csv`` (:data:`DATASET`).
"""

from __future__ import annotations

import logging

import pandas as pd

from ai4neuro import snapshots
from ai4neuro.sources import classify
from ai4neuro.validation import design
from ai4neuro.vocabulary import DEFINITE

logger = logging.getLogger(__name__)

NAME = "paper_basis_comparison"
BASES = ("title", "title+abstract")
COUNT_COLUMNS = ("papers", "neuro", "found", "false_hits", "definite", "agree")
COLUMNS = ("sample", "split", "basis", *COUNT_COLUMNS)


def _schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "sample": pa.Column(str, pa.Check.isin(list(design.SAMPLES))),
            "split": pa.Column(str, pa.Check.isin(list(design.SPLITS))),
            "basis": pa.Column(str, pa.Check.isin(list(BASES))),
            **{column: pa.Column(int, pa.Check.ge(0)) for column in COUNT_COLUMNS},
        },
        checks=[
            pa.Check(lambda f: f["found"] <= f["neuro"], error="found <= neuro"),
            pa.Check(lambda f: f["agree"] <= f["definite"], error="agree <= definite"),
        ],
        name="basis comparison",
        strict=True,
        ordered=True,
    )


DATASET = snapshots.Dataset(
    NAME,
    COLUMNS,
    _schema,
    "Recompute it with `python -m ai4neuro refresh papers` (needs the lists and data/paper_labels.csv).",
)


def with_abstracts(labelled: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The labelled papers that have an abstract in the lists (``published``), with it.

    A paper is found at its key (file and position) or, if a corrected list moved it, by its title in the
    same file; a paper found in neither place is left out (and said so in the log).
    """
    lists = published.assign(key=design.paper_key(published), folded=published["title"].str.casefold())
    at_key = labelled.merge(lists[["key", "title", "abstract"]], on="key", how="left", suffixes=("", "_listed"))
    moved = at_key["title_listed"] != at_key["title"]
    if moved.any():
        by_title = lists.drop_duplicates(["source", "folded"]).set_index(["source", "folded"])["abstract"]
        sources = at_key.loc[moved, "key"].str.split("#").str[0]
        places = pd.MultiIndex.from_arrays([sources, at_key.loc[moved, "title"].str.casefold()])
        at_key.loc[moved, "abstract"] = by_title.reindex(places).to_numpy()
        lost = at_key.loc[moved, "abstract"].isna()
        if lost.any():
            logger.info("%d labelled papers are no longer in the pinned lists; left out.", int(lost.sum()))
    return at_key[at_key["abstract"].fillna("") != ""].drop(columns="title_listed")


def count(truth: pd.DataFrame, predicted: pd.Series) -> dict[str, int]:
    """Papers, neuroscience-related, found, false hits, definite labels and agreeing labels (unweighted)."""
    neuro = truth["neuro"].astype(bool)
    called = predicted != ""
    definite = neuro & predicted.isin(DEFINITE)
    return {
        "papers": len(truth),
        "neuro": int(neuro.sum()),
        "found": int((neuro & called).sum()),
        "false_hits": int((~neuro & called).sum()),
        "definite": int(definite.sum()),
        "agree": int((definite & (predicted == truth["label"])).sum()),
    }


def comparison(labelled: pd.DataFrame, published: pd.DataFrame, sample_split=design.ESTIMATE) -> pd.DataFrame:
    """One row per basis: the labelled papers of one half that have an abstract, scored on titles alone and
    on titles and abstracts (keywords left out, so that only the abstract makes the difference)."""
    sample, split = sample_split
    chosen = labelled[(labelled["sample"] == sample) & (labelled["split"] == split)]
    papers = with_abstracts(chosen, published)
    read = classify.classify(papers[["title", "abstract"]].assign(keywords=""), read_abstracts=True)
    verdicts = {"title": read["title_label"], "title+abstract": read["label"]}
    rows = [{"sample": sample, "split": split, "basis": basis, **count(papers, verdicts[basis])} for basis in BASES]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def load() -> snapshots.Snapshot:
    """The committed title/abstract comparison and its provenance."""
    return snapshots.load(DATASET)
