"""How the rules do on labelled papers: four proportions, weighted by the design, with 90 % intervals.

- *recall*: of the neuroscience-related papers, the share the rules find;
- *precision*: of the papers the rules call neuroscience-related, the share that are;
- *definite*: of the papers found, the share the rules label NeuroAI, AI4Neuro or both (not unclear);
- *agreement*: of those, the share whose label is the labeller's.

Each is a ratio of sums of design weights (:func:`ai4neuro.validation.design.weights`), so it estimates
the proportion over the whole lists. Its interval is Wilson's score interval at 90 %, taken with
Kish's effective number of papers, ``(sum of weights)² / sum of squared weights``, in place of the
count: unequal weights carry less information than as many equal ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ai4neuro.vocabulary import DEFINITE, NOT_NEURO, NOT_NEURO_NAME
from ai4neuro.vocabulary import LABEL_NAMES as VOCABULARY_NAMES

LEVEL = 0.90
Z = 1.6448536269514722  # the standard normal's 95th percentile: a two-sided 90 % interval
METRICS = ("recall", "precision", "definite", "agreement")
LABEL_NAMES = {NOT_NEURO: NOT_NEURO_NAME, **{label: VOCABULARY_NAMES[label] for label in DEFINITE}}


def wilson(successes: float, n: float, z: float = Z) -> tuple[float, float]:
    """Wilson's score interval for a proportion of ``successes`` in ``n`` (``n`` may be an effective size)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Estimate:
    """A weighted proportion: its value, 90 % interval, labelled papers behind it and their effective number."""

    value: float
    low: float
    high: float
    papers: int
    effective: float

    @property
    def half_width(self) -> float:
        return max(self.value - self.low, self.high - self.value)


def proportion(success: pd.Series, among: pd.Series, weight: pd.Series) -> Estimate:
    """The weighted share of ``success`` among the papers in ``among`` (boolean series), with its interval."""
    w = weight[among]
    total = float(w.sum())
    if total <= 0:
        return Estimate(math.nan, math.nan, math.nan, 0, 0.0)
    value = float(w[success[among]].sum()) / total
    effective = total * total / float((w * w).sum())
    low, high = wilson(value * effective, effective)
    return Estimate(value, low, high, int(among.sum()), effective)


def measure(truth: pd.DataFrame, predicted: pd.Series, weight: pd.Series | None = None) -> dict[str, Estimate]:
    """The four proportions of ``predicted`` labels (``""``: not neuroscience) against ``truth``
    (``neuro``, ``label``), weighted by ``weight`` (default: every paper alike)."""
    weight = pd.Series(1.0, index=truth.index) if weight is None else weight
    neuro = truth["neuro"].astype(bool)
    called = predicted != ""
    found = neuro & called
    definite = found & predicted.isin(DEFINITE)
    return {
        "recall": proportion(called, neuro, weight),
        "precision": proportion(neuro, called, weight),
        "definite": proportion(definite, found, weight),
        "agreement": proportion(predicted == truth["label"], definite, weight),
    }


def confusion(truth: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    """Papers per labeller's label (rows) and the rules' label (columns), every label shown."""
    rows = list(LABEL_NAMES.values())
    names = {**LABEL_NAMES, "unclear": VOCABULARY_NAMES["unclear"]}
    table = pd.crosstab(truth.map(names), predicted.map(names)).reindex(
        index=rows, columns=[*rows, names["unclear"]], fill_value=0
    )
    return table.rename_axis(index="labelled", columns="classified").astype(int)


def per_label(truth: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    """For neuroscience-related and each label: papers labelled so, classified so, and both (``agree``),
    with recall and precision (unweighted: the papers as drawn)."""

    def labelled_as(label: str) -> Callable[[pd.Series], pd.Series]:
        return lambda labels: labels == label

    tests: dict[str, Callable[[pd.Series], pd.Series]] = {"neuroscience-related": lambda labels: labels != NOT_NEURO}
    tests |= {LABEL_NAMES[label]: labelled_as(label) for label in DEFINITE}
    rows = []
    for name, is_label in tests.items():
        labelled, classified = is_label(truth), is_label(predicted)
        agree = int((labelled & classified).sum())
        rows.append(
            {
                "label": name,
                "labelled": int(labelled.sum()),
                "classified": int(classified.sum()),
                "agree": agree,
                "recall": agree / labelled.sum() if labelled.sum() else math.nan,
                "precision": agree / classified.sum() if classified.sum() else math.nan,
            }
        )
    return pd.DataFrame(rows)
