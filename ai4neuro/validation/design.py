"""Which papers are labelled: two samples of the published papers, drawn without the rules.

The rules cannot be measured on papers they chose, so both samples are drawn by designs that do not
look at them, from the published papers of the pinned lists (:func:`population`), in four eras:

- ``uniform``: within each era, papers drawn uniformly at random. Every paper of an era has the same
  chance to be drawn, whatever words it uses, so the papers the rules never see are drawn as often as
  the rest: this sample gives the book's estimates.
- ``vocabulary``: papers drawn by fixed words that are not the rules (:data:`NEURO_VOCABULARY`,
  :data:`NEAR_MISS_WORDS`): *candidates*, *near misses* and *others*, over-sampling likely neuroscience,
  so that there are examples of every label to tune the rules on and to show.

Each cell (stratum and era) is drawn with a fixed seed and split once: its first half (rounded up) is
for tuning the rules, the rest is held out to score them. A paper drawn into a split of a cell stands
for ``papers in the cell / papers drawn into the split`` papers of the lists (:func:`weights`): the
inverse of its inclusion probability.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ERAS = {"1987–1999": (1987, 1999), "2000–2009": (2000, 2009), "2010–2018": (2010, 2018), "2019–2025": (2019, 2025)}
SPLITS = ("tuning", "held-out")
ALL = "all"  # the one stratum of the uniform sample
ALL_ERAS = "all"  # the era of a score over every era

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


def vocabulary_class(papers: pd.DataFrame) -> pd.Series:
    """``candidate``, ``near_miss`` or ``other`` for each paper, by the fixed vocabularies.

    A candidate uses the neuroscience vocabulary in its title, keywords or abstract; a near miss,
    otherwise, uses words neuroscience shares with machine learning in its title or keywords.
    """
    full_text = papers["title"] + " \n " + papers["keywords"] + " \n " + papers["abstract"]
    short_text = papers["title"] + " \n " + papers["keywords"]
    candidate = full_text.map(lambda text: NEURO_VOCABULARY.search(text) is not None)
    near_miss = short_text.map(lambda text: NEAR_MISS_WORDS.search(text) is not None)
    return pd.Series(np.select([candidate, near_miss], ["candidate", "near_miss"], "other"), index=papers.index)


def one_stratum(papers: pd.DataFrame) -> pd.Series:
    """Every paper in the one stratum :data:`ALL` (the uniform sample is stratified by era only)."""
    return pd.Series(ALL, index=papers.index, dtype=object)


@dataclass(frozen=True)
class Sample:
    """One sample design: its strata (a function of the paper, never of the rules), seed and sizes.

    ``sizes`` maps each stratum to the papers drawn per era, in :data:`ERAS` order.
    """

    name: str
    seed: int
    sizes: dict[str, tuple[int, ...]]
    stratum_of: Callable[[pd.DataFrame], pd.Series] = field(repr=False)
    description: str = ""

    @property
    def strata(self) -> tuple[str, ...]:
        return tuple(self.sizes)


UNIFORM = Sample(
    "uniform",
    20261207,
    {ALL: (300, 300, 600, 2400)},
    one_stratum,
    "papers drawn uniformly at random within each era: every paper of an era has the same chance",
)
VOCABULARY = Sample(
    "vocabulary",
    20261123,
    {"candidate": (60, 60, 70, 100), "near_miss": (30, 30, 30, 30), "other": (20, 20, 20, 20)},
    vocabulary_class,
    "candidate: the neuroscience vocabulary in title, keywords or abstract; near_miss: otherwise, words "
    "neuroscience shares with machine learning in title or keywords; other: the rest",
)
SAMPLES = {sample.name: sample for sample in (UNIFORM, VOCABULARY)}
ESTIMATE = (UNIFORM.name, "held-out")  # the sample and split the book's estimates come from


def paper_key(papers: pd.DataFrame) -> pd.Series:
    """A paper's address in the pinned lists: ``nips/nips2023.json#1234`` (file and position)."""
    return papers["source"] + "#" + papers["record"].astype(str)


def era_of(years: pd.Series) -> pd.Series:
    """The era (``1987–1999``, ...) of each year; empty for years after the last era."""
    eras = pd.Series("", index=years.index, dtype=object)
    for name, (first, last) in ERAS.items():
        eras[years.between(first, last)] = name
    return eras


def population(published: pd.DataFrame, files: list[str] | None = None) -> pd.DataFrame:
    """The papers a sample is drawn from: the published papers of ``files`` (default: all listed), with
    ``key`` and ``era``, in key order.

    The labels name the files they were drawn from, so lists pinned later do not change the sample.
    """
    if files is not None:
        published = published[published["source"].isin(files)]
    framed = published.assign(key=paper_key(published), era=era_of(published["year"]))
    return framed[framed["era"] != ""].sort_values("key", ignore_index=True)


def draw(sample: Sample, papers: pd.DataFrame) -> pd.DataFrame:
    """The papers ``sample`` draws from ``papers`` (a :func:`population`), with ``sample``, ``stratum`` and
    ``split``: per stratum and era, a seeded random draw of its size, split once (first half tuning)."""
    papers = papers.sort_values("key", ignore_index=True)  # the draw depends on the papers, not their order
    papers = papers.assign(stratum=sample.stratum_of(papers))
    rng = np.random.default_rng(sample.seed)
    parts = []
    for stratum, per_era in sample.sizes.items():
        for era, wanted in zip(ERAS, per_era, strict=True):
            cell = papers[(papers["stratum"] == stratum) & (papers["era"] == era)]
            size = min(wanted, len(cell))
            picked = cell.iloc[rng.permutation(len(cell))[:size]]
            split = np.where(np.arange(size) < (size + 1) // 2, SPLITS[0], SPLITS[1])
            parts.append(picked.assign(split=split))
    return pd.concat(parts).assign(sample=sample.name).sort_values("key", ignore_index=True)


def cell_sizes(sample: Sample, papers: pd.DataFrame, drawn: pd.DataFrame) -> pd.DataFrame:
    """Per stratum and era of ``sample``: papers in the lists, drawn, drawn into each split, and each split's
    inclusion probability (drawn into it over papers)."""
    cells = ["stratum", "era"]
    sizes = papers.assign(stratum=sample.stratum_of(papers)).groupby(cells).size().rename("papers").to_frame()
    sizes = sizes.reindex(pd.MultiIndex.from_product([sample.strata, list(ERAS)], names=cells), fill_value=0)
    sizes["drawn"] = drawn.groupby(cells).size()
    for split in SPLITS:
        sizes[split] = drawn[drawn["split"] == split].groupby(cells).size()
    sizes = sizes.fillna(0).astype(int)
    for split in SPLITS:
        sizes[f"p_{split}"] = (sizes[split] / sizes["papers"]).where(sizes["papers"] > 0, 0.0).round(8)
    return sizes.reset_index()


def weights(drawn: pd.DataFrame, sizes: pd.DataFrame) -> pd.Series:
    """Each drawn paper's design weight within its split: the inverse of its inclusion probability
    (``sizes`` from :func:`cell_sizes`, as the labels' provenance records them)."""
    cells = pd.DataFrame(sizes).set_index(["stratum", "era"])
    index = pd.MultiIndex.from_arrays([drawn["stratum"], drawn["era"]])
    taken = np.where(drawn["split"] == SPLITS[0], cells[SPLITS[0]].reindex(index), cells[SPLITS[1]].reindex(index))
    return pd.Series(cells["papers"].reindex(index).to_numpy() / taken, index=drawn.index, dtype=float)
