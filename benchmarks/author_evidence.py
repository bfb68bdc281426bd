"""Would the authors of a paper find the neuroscience papers whose titles hide it? (issue 19)

Authors are listed for every year, so unlike abstracts they could be evidence comparable across years: a
paper the rules miss might still be flagged when one of its authors mostly writes papers the rules find. This
trial measures that on the uniform sample's tuning half, 1987-2018 only (the years labelled from abstracts,
so a paper whose title hides its subject is labelled by what it is). No held-out paper is scored, so it costs
no look (:data:`ai4neuro.validation.labels.HELD_OUT_LOOKS`). Prints a table; asserts nothing.

A paper is flagged by its authors when one of them has at least ``k`` other listed papers that the rules find
by title, and those are at least a share ``f`` of that author's other papers (the paper itself left out, so
its own title does not count). Names are compared folded to lower-case ASCII letters.

Needs the pinned lists (downloaded, or ``AI4NEURO_CACHE``); about 20 seconds on two cores (the lists cached).

    .venv/bin/python benchmarks/author_evidence.py
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import numpy as np
import pandas as pd
from tabulate import tabulate

from ai4neuro.sources import classify, papers
from ai4neuro.validation import design, estimates, labels, scoring

LAST_YEAR_WITH_ABSTRACTS = 2018
MIN_PAPERS = (1, 2, 3)
MIN_SHARES = (0.2, 0.34, 0.5, 0.75)


def folded(name: str) -> str:
    """``Zoë  Müller-Ng`` -> ``zoe mullerng``: one spelling of a name across lists."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z ]", "", ascii_name).split())


def author_lists(population: pd.DataFrame) -> pd.Series:
    """Each paper's authors (folded names), read from its record in the pinned list."""
    records = {
        source: papers.read_list(papers.fetch(source, progressbar=False)) for source in population["source"].unique()
    }
    lists = [
        tuple(dict.fromkeys(filter(None, map(folded, papers.author_names(records[source][record])))))
        for source, record in zip(population["source"], population["record"], strict=True)
    ]
    return pd.Series(lists, index=population.index)


def author_counts(authors: pd.Series, found: np.ndarray, papers_at: np.ndarray) -> list[list[tuple[int, int]]]:
    """For each paper at ``papers_at``, each of its authors' other listed papers and how many of those the rules
    find (the paper itself left out, so its own title does not count)."""
    papers_of = defaultdict(list)
    for position, names in enumerate(authors):
        for name in names:
            papers_of[name].append(position)
    found_by = {name: int(found[positions].sum()) for name, positions in papers_of.items()}
    return [
        [(len(papers_of[name]) - 1, found_by[name] - int(found[at])) for name in authors.iat[at]] for at in papers_at
    ]


def flagged_by_authors(counts: list[list[tuple[int, int]]], k: int, share: float) -> np.ndarray:
    """Whether an author of each paper (:func:`author_counts`) has ``k`` or more other papers found, making
    ``share`` of their others."""
    return np.array(
        [any(others and found >= k and found / others >= share for others, found in paper) for paper in counts],
        dtype=bool,
    )


def row(name: str, truth: pd.DataFrame, predicted: pd.Series, added: np.ndarray) -> dict:
    measured = scoring.measure(truth, predicted, truth["weight"])
    neuro = truth["neuro"].to_numpy(bool)
    cells = {
        metric: f"{e.value:.3f} ({e.low:.3f}–{e.high:.3f})" for metric, e in measured.items() if metric != "agreement"
    }
    return {
        "predictor": name,
        "adds neuro": int((added & neuro).sum()),
        "adds not neuro": int((added & ~neuro).sum()),
        **cells,
    }


def main() -> None:
    population = design.population(papers.published_papers(progressbar=True))
    title_labels = classify.classify(population[["title", "keywords"]])["title_label"].to_numpy()
    position = pd.Series(np.arange(len(population)), index=population["key"])

    tuning = estimates.half(labels.load(), design.UNIFORM.name, "tuning")
    tuning = tuning[tuning["year"] <= LAST_YEAR_WITH_ABSTRACTS]
    at = position[tuning["key"]].to_numpy()
    by_rules = pd.Series(title_labels[at], index=tuning.index)
    counts = author_counts(author_lists(population), title_labels != "", at)
    rows = [row("rules", tuning, by_rules, np.zeros(len(tuning), dtype=bool))]
    for k in MIN_PAPERS:
        for share in MIN_SHARES:
            added = flagged_by_authors(counts, k, share) & (by_rules == "").to_numpy()
            # The authors say neuroscience, not which kind.
            rows.append(row(f"rules or authors (k={k}, f={share})", tuning, by_rules.where(~added, "unclear"), added))
    print(
        f"uniform tuning half, {tuning['year'].min()}-{LAST_YEAR_WITH_ABSTRACTS}: {len(tuning)} papers, "
        f"{int(tuning['neuro'].sum())} neuroscience-related (labelled from title and abstract)"
    )
    print(tabulate(rows, headers="keys"))


if __name__ == "__main__":
    main()
