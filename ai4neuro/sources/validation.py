"""The labelled papers that measure the classifier: drawn by fixed words, labelled by the codebook.

The classifier cannot be measured on papers it chose itself, so the sample is drawn from all
published papers by fixed vocabularies that are not the rules. Every published paper falls in
exactly one *class*, and the classes are crossed with four *eras* into strata:

- ``candidate``: its title, keywords or abstract use a broad neuroscience vocabulary
  (:data:`NEURO_VOCABULARY`: brain, neuro-, cortex, spikes, synapses, fMRI, monkeys, ...);
- ``near_miss``: otherwise, its title or keywords use words that neuroscience shares with
  machine learning (:data:`NEAR_MISS_WORDS`: perception, vision, learning rule, dynamics,
  neural, memory, attention, ...);
- ``other``: every other paper.

:func:`draw` takes :data:`SAMPLE_SIZES` papers from each stratum with a fixed seed and splits each
stratum once, half for tuning the rules and half held out to measure them. The strata
over-sample likely neuroscience papers, so estimates for the whole lists weight each paper by
its stratum's size over the papers drawn from it (:func:`weights`).

:func:`write_worksheet` writes what a labeller reads (title, keywords, abstract; never what the
classifier says); :func:`save` joins the labels to the sample and writes ``data/paper_labels.csv``
with its provenance; :func:`load` reads it back.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write

SEED = 20261123
ERAS = {"1987–1999": (1987, 1999), "2000–2009": (2000, 2009), "2010–2018": (2010, 2018), "2019–2025": (2019, 2025)}
CLASSES = ("candidate", "near_miss", "other")
# Papers drawn per era (in ERAS order): more candidates where most papers (and the essay's question) are.
SAMPLE_SIZES = {"candidate": (60, 60, 70, 100), "near_miss": (30, 30, 30, 30), "other": (20, 20, 20, 20)}
SPLITS = ("tuning", "held-out")
LABELS = ("neuroai", "ai4neuro", "both")
CODEBOOK_VERSION = "1.1"

NEURO_VOCABULARY = re.compile(
    r"\bbrains?\b|\bneuro\w*|\bneurons?\b|\bneuronal\b|\bcort(ex|ices|ical)\b|\bspik(e|es|ing)\b|\bsynap\w*"
    r"|\bdendrit\w*|\baxon\w*|hippocamp\w*|entorhinal|\bthalam\w*|cerebell\w*|basal ganglia|\bstriat(um|al)\b"
    r"|amygdala|prefrontal|\bretina\w*|\bfmri\b|\beeg\b|\bmeg\b|\becog\b|electrophysiolog\w*|calcium imaging"
    r"|two-photon|connectom\w*|dopamin\w*|serotonin\w*|psychophysic\w*|firing rates?|receptive fields?"
    r"|plasticity|\bhebb\w*|\b(place|grid) cells?|nervous system|visual system|auditory system|olfact\w*"
    r"|neural (activity|data|recordings?|responses?|populations?|circuits?|coding|codes?|tuning|variability)"
    r"|\b(monkeys?|macaques?|primates?|mouse|mice|rats?|rodents?|zebrafish|drosophila|songbirds?|elegans)\b"
    r"|\bbiological(ly)?\b",
    re.IGNORECASE,
)
NEAR_MISS_WORDS = re.compile(
    r"\bpercept\w*|\bvision\b|\bvisual\w*|learning rules?|\bdynamic(s|al)\b|\bneural\b|\bmemor(y|ies)\b"
    r"|\battention\w*|\bcognit\w*|\bhumans?\b|\brecurrent\b|\bsensory\b|\bmotor\b|\breward\w*|\bdecision\w*"
    r"|\boscillat\w*|\badaptation\b|\bsalien\w*|\beyes?\b|\bgaze\b|\bspeech\b|\bauditory\b",
    re.IGNORECASE,
)

LABELS_NAME = "paper_labels"
REFRESH_HINT = (
    "It holds hand-assigned labels: restore it with git checkout; see ai4neuro/sources/validation.py "
    "for how it is drawn and saved."
)


def _labels_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "key": pa.Column(str, unique=True),
            "conference": pa.Column(str),
            "year": pa.Column(int, pa.Check.in_range(1987, 2100)),
            "era": pa.Column(str, pa.Check.isin(list(ERAS))),
            "stratum": pa.Column(str, pa.Check.isin(list(CLASSES))),
            "split": pa.Column(str, pa.Check.isin(list(SPLITS))),
            "title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "keywords": pa.Column(str, nullable=True),
            "has_abstract": pa.Column(bool),
            "neuro": pa.Column(bool),
            "label": pa.Column(str, pa.Check.isin(["", *LABELS]), nullable=True),
            "reason": pa.Column(str, pa.Check.str_length(min_value=3)),
        },
        checks=[pa.Check(lambda f: f["neuro"] == (f["label"].fillna("") != ""), error="a label exactly when neuro")],
        name="labelled papers",
        strict=True,
        ordered=True,
    )


LABELS_DATASET = snapshots.Dataset(
    LABELS_NAME,
    (
        *("key", "conference", "year", "era", "stratum", "split", "title", "keywords", "has_abstract"),
        *("neuro", "label", "reason"),
    ),
    _labels_schema,
    REFRESH_HINT,
)


# --- Drawing the sample --------------------------------------------------------------------


def paper_key(papers: pd.DataFrame) -> pd.Series:
    """A paper's address in the pinned lists: ``nips/nips2023.json#1234`` (file and position)."""
    return papers["source"] + "#" + papers["record"].astype(str)


def era_of(years: pd.Series) -> pd.Series:
    """The era (``1987–1999``, ...) of each year."""
    eras = pd.Series("", index=years.index, dtype=object)
    for name, (first, last) in ERAS.items():
        eras[years.between(first, last)] = name
    return eras


def class_of(papers: pd.DataFrame) -> pd.Series:
    """``candidate``, ``near_miss`` or ``other`` for each paper, by the fixed vocabularies."""
    full_text = papers["title"] + " \n " + papers["keywords"] + " \n " + papers["abstract"]
    short_text = papers["title"] + " \n " + papers["keywords"]
    candidate = full_text.map(lambda text: NEURO_VOCABULARY.search(text) is not None)
    near_miss = short_text.map(lambda text: NEAR_MISS_WORDS.search(text) is not None)
    return pd.Series(np.select([candidate, near_miss], ["candidate", "near_miss"], "other"), index=papers.index)


def strata(papers: pd.DataFrame) -> pd.DataFrame:
    """Every published paper with its ``key``, ``era`` and ``stratum`` (its class)."""
    return papers.assign(key=paper_key(papers), era=era_of(papers["year"]), stratum=class_of(papers))


def stratum_sizes(population: pd.DataFrame, sample: pd.DataFrame) -> pd.DataFrame:
    """Per stratum and era: papers in the lists, drawn, and drawn into each split."""
    cells = ["stratum", "era"]
    sizes = population.groupby(cells).size().rename("papers").to_frame()
    sizes["drawn"] = sample.groupby(cells).size()
    for split in SPLITS:
        sizes[split] = sample[sample["split"] == split].groupby(cells).size()
    return sizes.fillna(0).astype(int).reset_index()


def draw(papers: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The validation sample: :data:`SAMPLE_SIZES` papers per stratum, split once into tuning and held-out.

    ``papers`` are the published papers (``papers.published``). The same lists and seed give
    the same sample: papers are taken in key order before the seeded draw, and each stratum
    is shuffled once, its first half for tuning.
    """
    population = strata(papers).sort_values("key", ignore_index=True)
    rng = np.random.default_rng(seed)
    parts = []
    for stratum in CLASSES:
        for era, wanted in zip(ERAS, SAMPLE_SIZES[stratum], strict=True):
            cell = population[(population["stratum"] == stratum) & (population["era"] == era)]
            size = min(wanted, len(cell))
            picked = cell.iloc[rng.permutation(len(cell))[:size]]
            split = np.where(np.arange(size) < (size + 1) // 2, SPLITS[0], SPLITS[1])
            parts.append(picked.assign(split=split))
    return pd.concat(parts).sort_values("key", ignore_index=True)


def weights(sample: pd.DataFrame, sizes: pd.DataFrame, split: str | None = None) -> pd.Series:
    """Each paper's weight for estimates over the whole lists: its stratum's papers over those drawn.

    With ``split``, over the papers drawn into that split (each split is a stratified sample too).
    """
    drawn = split or "drawn"
    per_cell = sizes.set_index(["stratum", "era"])
    ratio = per_cell["papers"] / per_cell[drawn]
    return pd.Series(
        [ratio[(stratum, era)] for stratum, era in zip(sample["stratum"], sample["era"], strict=True)],
        index=sample.index,
        dtype=float,
    )


# --- Labelling -------------------------------------------------------------------------------


def write_worksheet(sample: pd.DataFrame, path: Path) -> Path:
    """What a labeller reads: key, conference, year, title, keywords, abstract, and empty
    ``label`` and ``reason`` columns. No classifier output, no stratum or split: the labels
    follow the codebook and nothing else. Not for the repository (the abstracts are the lists')."""
    sheet = sample[["key", "conference", "year", "title", "keywords", "abstract"]].assign(label="", reason="")
    atomic_write(Path(path), snapshots.to_csv_bytes(sheet))
    return Path(path)


def labelled_set(sample: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """The sample with its labels (``key``, ``label``, ``reason``; ``label`` empty when not neuroscience).

    Every drawn paper needs exactly one label and a reason, and no label may name a paper
    that was not drawn: one clear error otherwise.
    """
    labels = labels.fillna({"label": ""})
    problems = {
        "not drawn": sorted(set(labels["key"]) - set(sample["key"])),
        "unlabelled": sorted(set(sample["key"]) - set(labels["key"])),
        "labelled twice": sorted(labels.loc[labels["key"].duplicated(), "key"]),
        "unknown label": sorted(labels.loc[~labels["label"].isin(["", *LABELS]), "key"]),
        "no reason": sorted(labels.loc[labels["reason"].fillna("").str.len() < 3, "key"]),
    }
    found = {problem: keys for problem, keys in problems.items() if keys}
    if found:
        summary = "; ".join(f"{problem}: {', '.join(keys[:3])}" for problem, keys in found.items())
        raise Ai4NeuroError(
            f"labels: {summary}. Each drawn paper needs one row: key, label "
            f"({', '.join(LABELS)} or empty for not neuroscience), reason."
        )
    merged = sample.merge(labels[["key", "label", "reason"]], on="key", validate="one_to_one")
    return merged.assign(has_abstract=merged["abstract"] != "", neuro=merged["label"] != "")[
        list(LABELS_DATASET.columns)
    ]


def provenance(population: pd.DataFrame, sample: pd.DataFrame, labelled_by: str, labelled_on: str) -> dict:
    """How the labelled set was made: lists, strata and sizes, seed, split, codebook, labeller."""
    from ai4neuro.sources import papers

    files = papers.registry()[["path", "commit", "sha256"]].to_dict(orient="records")
    return {
        "source": papers.SOURCE,
        "files": files,
        "population": "published papers of every list (papers.published: status table and journal track)",
        "sample": {
            "seed": SEED,
            "eras": {name: list(span) for name, span in ERAS.items()},
            "sizes_per_era": {name: list(sizes) for name, sizes in SAMPLE_SIZES.items()},
            "candidate_vocabulary": NEURO_VOCABULARY.pattern,
            "near_miss_words": NEAR_MISS_WORDS.pattern,
            "classes": "candidate: vocabulary in title, keywords or abstract; near_miss: otherwise, "
            "near-miss words in title or keywords; other: the rest",
            "split": "each stratum shuffled once with the seed; its first half (rounded up) is for tuning, "
            "the rest is held out",
        },
        "strata": stratum_sizes(population, sample).to_dict(orient="records"),
        "codebook": {"version": CODEBOOK_VERSION, "where": "chapters/about-data.md, Conference papers: Codebook"},
        "labels": {
            "by": labelled_by,
            "on": labelled_on,
            "how": "from the title, the abstract where the list has one and the authors' keywords where it has "
            "them, by the codebook, with a one-line reason each, before any classifier output was seen",
        },
        "created_at": snapshots.utc_now(),
        "command": "ai4neuro.sources.validation.save(labels, labelled_by, labelled_on)",
    }


def save(labels: pd.DataFrame, labelled_by: str, labelled_on: str | None = None) -> snapshots.Snapshot:
    """Draw the sample again from the lists, join the labels and write ``data/paper_labels.csv``."""
    from ai4neuro.sources import papers

    published = papers.published_papers()
    sample = draw(published)
    frame = labelled_set(sample, labels)
    record = provenance(strata(published), sample, labelled_by, labelled_on or date.today().isoformat())
    return snapshots.save(LABELS_DATASET, frame, record)


def load() -> snapshots.Snapshot:
    """The committed labelled papers and their provenance."""
    snapshot = snapshots.load(LABELS_DATASET)
    frame = snapshot.frame.fillna({"keywords": "", "label": ""})
    return snapshots.Snapshot(frame, snapshot.provenance, snapshot.csv_path)
