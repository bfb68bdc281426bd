"""The hand-labelled papers: the labelling worksheet, and ``data/paper_labels.csv`` with its provenance.

To draw and label anew (e.g. when the codebook changes)::

    from ai4neuro.sources import papers
    from ai4neuro.validation import labels
    drawn = labels.draw_all(papers.published_papers())
    labels.write_worksheet(drawn, "worksheet.csv")
    # fill in label (neuroai, ai4neuro, both, or empty) and reason by the codebook, then
    labels.save(pandas.read_csv("worksheet.csv", dtype=str, keep_default_na=False))

The worksheet shows what a labeller reads (title, keywords, abstract) in a shuffled order, and never
the sample, the stratum, the split or what the rules say. It is not for the repository: the abstracts
are the lists'. A paper drawn by both samples is labelled once and appears once per sample.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write
from ai4neuro.validation import design
from ai4neuro.vocabulary import DEFINITE as LABELS

CODEBOOK_VERSION = "2.0"
# How many times each sample's held-out half was scored to decide a change (the rules were tuned on the
# tuning halves only; each look at a held-out half spends some of its independence). Raise it whenever
# held-out scores are looked at to decide a change: the uniform half's second look decided against adding a
# title classifier (benchmarks/title_classifier.py); its third, at the recall with hidden papers counted,
# decided to measure the titles' visibility on both halves (ai4neuro.validation.visibility).
HELD_OUT_LOOKS = {"uniform": 3, "vocabulary": 3}
CODEBOOK_WHERE = "chapters/about-data.md, Conference papers: Codebook"
LABELLED_BY = "the book's maintainers; not reviewed by the essay's author"
HOW = (
    "from the title, the abstract where the list has one and the authors' keywords where it has them, by the "
    "codebook, with a one-line reason each; the papers were shown shuffled, without their sample, stratum or "
    "split and before any classifier output was seen"
)
NAME = "paper_labels"
REFRESH_HINT = (
    "It holds hand-assigned labels: restore it with git checkout; see ai4neuro/validation/labels.py for how it "
    "is drawn and saved."
)
COLUMNS = (
    *("sample", "stratum", "era", "split", "key", "conference", "year", "title", "keywords", "has_abstract"),
    *("neuro", "label", "reason"),
)


def _schema():
    import pandera.pandas as pa

    strata = sorted({stratum for sample in design.SAMPLES.values() for stratum in sample.strata})
    return pa.DataFrameSchema(
        {
            "sample": pa.Column(str, pa.Check.isin(list(design.SAMPLES))),
            "stratum": pa.Column(str, pa.Check.isin(strata)),
            "era": pa.Column(str, pa.Check.isin(list(design.ERAS))),
            "split": pa.Column(str, pa.Check.isin(list(design.SPLITS))),
            "key": pa.Column(str, pa.Check.str_matches(r"^[a-z]+/[a-z]+\d{4}\.json#\d+$")),
            "conference": pa.Column(str),
            "year": pa.Column(int, pa.Check.in_range(1987, 2100)),
            "title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "keywords": pa.Column(str, nullable=True),
            "has_abstract": pa.Column(bool),
            "neuro": pa.Column(bool),
            "label": pa.Column(str, pa.Check.isin(["", *LABELS]), nullable=True),
            "reason": pa.Column(str, pa.Check.str_length(min_value=3)),
        },
        checks=[
            pa.Check(lambda f: f["neuro"] == (f["label"].fillna("") != ""), error="a label exactly when neuro"),
            pa.Check(lambda f: ~f.duplicated(["sample", "key"]), error="a paper once per sample"),
            pa.Check(
                lambda f: f.groupby("key")["label"].transform("nunique", dropna=False) == 1,
                error="one label per paper in every sample",
            ),
        ],
        name="labelled papers",
        strict=True,
        ordered=True,
    )


DATASET = snapshots.Dataset(NAME, COLUMNS, _schema, REFRESH_HINT)


def draw_all(published: pd.DataFrame, files: list[str] | None = None) -> pd.DataFrame:
    """Every sample's papers (:data:`design.SAMPLES`), drawn from the published papers of ``files``."""
    population = design.population(published, files)
    return pd.concat([design.draw(sample, population) for sample in design.SAMPLES.values()], ignore_index=True)


def write_worksheet(drawn: pd.DataFrame, path: Path, seed: int = 1) -> Path:
    """What a labeller reads: each drawn paper once, shuffled, with empty ``label`` and ``reason``."""
    papers = drawn.drop_duplicates("key").sort_values("key", ignore_index=True)
    papers = papers.iloc[np.random.default_rng(seed).permutation(len(papers))]
    sheet = papers[["key", "conference", "year", "title", "keywords", "abstract"]].assign(label="", reason="")
    atomic_write(Path(path), snapshots.to_csv_bytes(sheet))
    return Path(path)


def check_rows(labels: pd.DataFrame, *, needed: set[str], known: set[str], what: str, outside: str, fix: str) -> None:
    """One clear error, naming up to three keys per problem, unless ``labels`` (``key``, ``label``, ``reason``)
    gives every key of ``needed`` one row with a known label and a reason, and names no key outside ``known``."""
    problems = {
        outside: sorted(set(labels["key"]) - known),
        "unlabelled": sorted(needed - set(labels["key"])),
        "labelled twice": sorted(labels.loc[labels["key"].duplicated(), "key"]),
        "unknown label": sorted(labels.loc[~labels["label"].isin(["", *LABELS]), "key"]),
        "no reason": sorted(labels.loc[labels["reason"].str.strip().str.len() < 3, "key"]),
    }
    found = {problem: keys for problem, keys in problems.items() if keys}
    if found:
        summary = "; ".join(f"{problem}: {', '.join(keys[:3])}" for problem, keys in found.items())
        raise Ai4NeuroError(f"{what}: {summary}. {fix}")


def labelled_set(drawn: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """The drawn papers with their labels (``key``, ``label``, ``reason``; ``label`` empty when not neuroscience).

    Every drawn paper needs exactly one label and a reason, and no label may name a paper that was not
    drawn: one clear error otherwise.
    """
    labels = labels.fillna({"label": "", "reason": ""})
    keys = set(drawn["key"])
    fix = f"Each drawn paper needs one row: key, label ({', '.join(LABELS)} or empty for not neuroscience), reason."
    check_rows(labels, needed=keys, known=keys, what="labels", outside="not drawn", fix=fix)
    merged = drawn.merge(labels[["key", "label", "reason"]], on="key", validate="many_to_one")
    merged = merged.assign(has_abstract=merged["abstract"] != "", neuro=merged["label"] != "")
    order = {name: position for position, name in enumerate(design.SAMPLES)}
    merged = merged.sort_values(["sample", "key"], key=lambda c: c.map(order) if c.name == "sample" else c)
    return merged[list(COLUMNS)].reset_index(drop=True)


def provenance(population: pd.DataFrame, drawn: pd.DataFrame, files: list[dict], labelled_on: str) -> dict:
    """How the labelled papers were drawn and labelled: lists, samples (seeds, strata, sizes, inclusion
    probabilities), split, codebook, labellers."""
    from ai4neuro.sources import papers

    samples = {}
    for sample in design.SAMPLES.values():
        own = drawn[drawn["sample"] == sample.name]
        samples[sample.name] = {
            "design": sample.description,
            "seed": sample.seed,
            "sizes_per_era": {stratum: list(sizes) for stratum, sizes in sample.sizes.items()},
            "cells": design.cell_sizes(sample, population, own).to_dict(orient="records"),
        }
    samples[design.VOCABULARY.name]["vocabularies"] = {
        "candidate": design.NEURO_VOCABULARY.pattern,
        "near_miss": design.NEAR_MISS_WORDS.pattern,
    }
    return {
        "source": papers.SOURCE,
        "files": files,
        "population": "published papers of these files (papers.published: status table and journal track)",
        "eras": {name: list(span) for name, span in design.ERAS.items()},
        "split": "each cell (stratum and era) shuffled once with its sample's seed; its first half (rounded up) "
        "is for tuning the rules, the rest is held out to score them",
        "estimate": {"sample": design.ESTIMATE[0], "split": design.ESTIMATE[1]},
        "samples": samples,
        "codebook": {"version": CODEBOOK_VERSION, "where": CODEBOOK_WHERE},
        "labels": {"by": LABELLED_BY, "on": labelled_on, "how": HOW},
        "created_at": snapshots.utc_now(),
        "command": "ai4neuro.validation.labels.save(labels)",
    }


def save(labels: pd.DataFrame, labelled_on: str | None = None) -> snapshots.Snapshot:
    """Draw the samples again from the pinned lists, join the labels and write ``data/paper_labels.csv``."""
    from ai4neuro.sources import papers

    files = papers.registry()[["path", "commit", "sha256"]].to_dict(orient="records")
    population = design.population(papers.published_papers(), [item["path"] for item in files])
    drawn = pd.concat([design.draw(sample, population) for sample in design.SAMPLES.values()], ignore_index=True)
    frame = labelled_set(drawn, labels)
    record = provenance(population, drawn, files, labelled_on or date.today().isoformat())
    return snapshots.save(DATASET, frame, record)


def load() -> snapshots.Snapshot:
    """The committed labelled papers and their provenance."""
    snapshot = snapshots.load(DATASET)
    frame = snapshot.frame.fillna({"keywords": "", "label": ""})
    return snapshots.Snapshot(frame, snapshot.provenance, snapshot.csv_path)


def cells(labelled: snapshots.Snapshot, sample: str) -> pd.DataFrame:
    """The cell sizes of ``sample`` as the provenance records them (for :func:`design.weights`)."""
    return pd.DataFrame(labelled.provenance["samples"][sample]["cells"])
