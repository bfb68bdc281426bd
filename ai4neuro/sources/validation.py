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
with its provenance; :func:`load` reads it back; :func:`evaluate` scores the rules. To draw and
label a new sample (e.g. when the pinned lists change)::

    from ai4neuro.sources import papers, validation
    validation.write_worksheet(validation.draw(papers.published_papers()), "worksheet.csv")
    # fill in label (neuroai, ai4neuro, both, or empty) and reason by the codebook, then:
    validation.save(labels, labelled_by="...")   # labels: a frame with key, label, reason
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write

logger = logging.getLogger(__name__)

SEED = 20261123
ERAS = {"1987–1999": (1987, 1999), "2000–2009": (2000, 2009), "2010–2018": (2010, 2018), "2019–2025": (2019, 2025)}
CLASSES = ("candidate", "near_miss", "other")
# Papers drawn per era (in ERAS order): more candidates where most papers (and the essay's question) are.
SAMPLE_SIZES = {"candidate": (60, 60, 70, 100), "near_miss": (30, 30, 30, 30), "other": (20, 20, 20, 20)}
SPLITS = ("tuning", "held-out")
LABELS = ("neuroai", "ai4neuro", "both")
CODEBOOK_VERSION = "1.1"
# How many times the held-out half was scored while the rules were written (the rules were tuned on
# the tuning half only; each look at the held-out half spends some of its independence). Raise it
# whenever held-out scores are looked at to decide a change.
HELD_OUT_LOOKS = 2

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


# --- Measuring the classifier -----------------------------------------------------------------

DEFINITE = ("neuroai", "ai4neuro", "both")
BASIS_COLUMNS = {"title": "title_label", "title+keywords": "label"}


@dataclass(frozen=True)
class Scores:
    """How the classifier does on a set of labelled papers (counts, or sums of weights).

    ``found`` are neuroscience papers the classifier finds; ``definite`` those of them it
    labels NeuroAI, AI4Neuro or both; ``agree`` those whose definite label is the labeller's.
    """

    papers: float
    neuro: float
    found: float
    false_hits: float
    definite: float
    agree: float

    @property
    def recall(self) -> float:
        return self.found / self.neuro if self.neuro else float("nan")

    @property
    def precision(self) -> float:
        called = self.found + self.false_hits
        return self.found / called if called else float("nan")

    @property
    def definite_share(self) -> float:
        return self.definite / self.found if self.found else float("nan")

    @property
    def agreement(self) -> float:
        return self.agree / self.definite if self.definite else float("nan")


def score(truth: pd.DataFrame, predicted: pd.Series, weight: pd.Series | None = None) -> Scores:
    """Scores of ``predicted`` labels (``""`` not neuroscience) against ``truth`` (``neuro``, ``label``)."""
    weight = pd.Series(1.0, index=truth.index) if weight is None else weight
    called = predicted != ""
    found = truth["neuro"] & called
    definite = found & predicted.isin(DEFINITE)
    return Scores(
        papers=float(weight.sum()),
        neuro=float(weight[truth["neuro"]].sum()),
        found=float(weight[found].sum()),
        false_hits=float(weight[~truth["neuro"] & called].sum()),
        definite=float(weight[definite].sum()),
        agree=float(weight[definite & (predicted == truth["label"])].sum()),
    )


@dataclass(frozen=True)
class Evaluation:
    """The classifier on one split of the labelled papers: raw and stratum-weighted scores,
    the confusion table (labeller's label by classifier's label) and the papers it got wrong."""

    split: str
    basis: str
    raw: Scores
    weighted: Scores
    per_label: pd.DataFrame
    confusion: pd.DataFrame
    misses: pd.DataFrame
    false_hits: pd.DataFrame
    disagreements: pd.DataFrame


CONFUSION_NAMES = {"": "not neuroscience", "neuroai": "NeuroAI", "ai4neuro": "AI4Neuro", "both": "both"}


def confusion(truth: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    """Papers per labeller's label (rows) and classifier's label (columns), every label shown."""
    rows = list(CONFUSION_NAMES.values())
    columns = [*rows, "unclear"]
    names = {**CONFUSION_NAMES, "unclear": "unclear"}
    table = pd.crosstab(truth.map(names), predicted.map(names)).reindex(index=rows, columns=columns, fill_value=0)
    return table.rename_axis(index="labelled", columns="classified").astype(int)


def per_label(truth: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    """For neuroscience-related and each label: papers labelled so, classified so, and both
    (``agree``), with recall and precision."""
    rows = []
    for name, is_label in [("neuroscience-related", lambda labels: labels != ""), *_label_tests()]:
        labelled, classified = is_label(truth), is_label(predicted)
        agree = int((labelled & classified).sum())
        rows.append(
            {
                "label": name,
                "labelled": int(labelled.sum()),
                "classified": int(classified.sum()),
                "agree": agree,
                "recall": agree / labelled.sum() if labelled.sum() else float("nan"),
                "precision": agree / classified.sum() if classified.sum() else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def _label_tests():
    return [(CONFUSION_NAMES[label], lambda labels, label=label: labels == label) for label in DEFINITE]


def evaluate(labelled: snapshots.Snapshot, split: str = "held-out", basis: str = "title") -> Evaluation:
    """Classify the ``split`` half of the labelled papers on ``basis`` (``title`` or ``title+keywords``)
    with the current rules and score it, raw and weighted by stratum."""
    from ai4neuro.sources import classify

    papers = labelled.frame[labelled.frame["split"] == split]
    classified = classify.classify(papers)
    predicted = classified[BASIS_COLUMNS[basis]]
    sizes = pd.DataFrame(labelled.provenance["strata"])
    rules = (
        classified["title_rules"] if basis == "title" else classified["title_rules"] + ";" + classified["keyword_rules"]
    )
    shown = papers[["conference", "year", "title", "label", "reason"]].assign(
        classified=predicted, rules=rules.str.strip(";")
    )
    return Evaluation(
        split=split,
        basis=basis,
        raw=score(papers, predicted),
        weighted=score(papers, predicted, weights(papers, sizes, split)),
        per_label=per_label(papers["label"], predicted),
        confusion=confusion(papers["label"], predicted),
        misses=shown[papers["neuro"] & (predicted == "")],
        false_hits=shown[~papers["neuro"] & (predicted != "")],
        disagreements=shown[papers["neuro"] & predicted.isin(DEFINITE) & (predicted != papers["label"])],
    )


def with_abstracts(labelled: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The labelled papers that have an abstract in the lists (``published``), with it.

    A labelled paper is found by its key; if the title there differs, the lists are not those
    the papers were drawn from, and the comparison would be wrong: one clear error.
    """
    found = published.assign(key=paper_key(published))[["key", "title", "abstract"]]
    merged = labelled.merge(found, on="key", how="left", suffixes=("", "_in_lists"), validate="one_to_one")
    moved = merged[merged["title_in_lists"] != merged["title"]]
    if len(moved):
        raise Ai4NeuroError(
            f"data/{LABELS_NAME}.csv: {len(moved)} labelled papers (e.g. {moved['key'].iloc[0]}) are not at their "
            "place in the pinned lists; the lists changed since the papers were labelled. Draw and label a new "
            "sample (ai4neuro.sources.validation), or pin the lists the labels were made from."
        )
    return merged[merged["abstract"] != ""].drop(columns="title_in_lists")


BASIS_COMPARISON = "paper_basis_comparison"
COMPARED_BASES = ("title", "title+abstract")
SCORE_COLUMNS = ("papers", "neuro", "found", "false_hits", "definite", "agree")


def _comparison_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "split": pa.Column(str, pa.Check.isin(list(SPLITS))),
            "basis": pa.Column(str, pa.Check.isin(list(COMPARED_BASES))),
            **{column: pa.Column(int, pa.Check.ge(0)) for column in SCORE_COLUMNS},
        },
        checks=[pa.Check(lambda f: f["found"] <= f["neuro"], error="found <= neuro")],
        name="basis comparison",
        strict=True,
        ordered=True,
    )


BASIS_DATASET = snapshots.Dataset(
    BASIS_COMPARISON,
    ("split", "basis", *SCORE_COLUMNS),
    _comparison_schema,
    "Recompute it with `python -m ai4neuro refresh papers` (needs the lists and data/paper_labels.csv).",
)


def compare_bases(papers: pd.DataFrame) -> dict[str, Scores]:
    """Titles alone against titles and abstracts, on the same papers (which have an abstract).

    The abstract is read with the title rules: what the rules would count if every year had
    abstracts. Keywords are left out, so that only the abstract makes the difference.
    """
    from ai4neuro.sources import classify

    classified = classify.classify(papers.assign(keywords=""), read_abstracts=True)
    return {"title": score(papers, classified["title_label"]), "title+abstract": score(papers, classified["label"])}


def basis_comparison(labelled: pd.DataFrame, published: pd.DataFrame, split: str = "held-out") -> pd.DataFrame:
    """One row per basis: the ``split`` half's labelled papers that have an abstract, scored."""
    papers = with_abstracts(labelled[labelled["split"] == split], published)
    rows = [
        {"split": split, "basis": basis, **{column: int(getattr(scores, column)) for column in SCORE_COLUMNS}}
        for basis, scores in compare_bases(papers).items()
    ]
    return pd.DataFrame(rows, columns=list(BASIS_DATASET.columns))


def save_basis_comparison(published: pd.DataFrame, record: dict) -> snapshots.Snapshot | None:
    """Write ``data/paper_basis_comparison.csv`` from the lists' abstracts and the labelled papers,
    or nothing when there are no labelled papers yet (a new data folder)."""
    if not LABELS_DATASET.csv_path.exists():
        logger.info("%s: no labelled papers; the title/abstract comparison is not written.", LABELS_DATASET.csv_path)
        return None
    labelled = load()
    frame = basis_comparison(labelled.frame, published)
    labels = {"file": f"data/{LABELS_NAME}.csv", "sha256": labelled.provenance["sha256"]}
    return snapshots.save(BASIS_DATASET, frame, {**record, "labels": labels})


def load_basis_comparison() -> snapshots.Snapshot:
    """The committed title/abstract comparison and its provenance."""
    return snapshots.load(BASIS_DATASET)
