"""Would a statistical title classifier find more neuroscience papers than the rules? (issue 19)

The rules miss papers whose titles carry no word of neuroscience. This trial trains a classifier on titles
and scores "rules, or the classifier" against the rules alone, with the same design weights and 90 %
intervals as the book's estimates (:mod:`ai4neuro.validation.scoring`). Prints a table; asserts nothing.

- Training: every listed paper that has an abstract and is not in a held-out half, labelled
  neuroscience-related when the rules match its title or its abstract (~11,000 titles; on the
  uniform tuning half these labels agree with the hand labels for 97 % of the papers with an abstract),
  plus the hand labels of both tuning halves (weight 3). No held-out paper is read.
- Model (chosen beforehand by 5-fold cross-validation on the uniform tuning half, against the rules as they
  were before that half was labelled, so the rules' fit to it does not hide what the model adds): word
  uni- and bigrams of the title (TF-IDF), logistic regression (C = 1, balanced classes); a paper is
  flagged when its probability exceeds 0.88.
- Scored on the uniform sample's halves: cross-validated on tuning (the hand labels of the scored fold left
  out of the training), trained once on everything allowed for held-out.

Looking at the held-out scores to decide whether to adopt the model counts as a look
(:data:`ai4neuro.validation.labels.HELD_OUT_LOOKS`). Needs the pinned lists (downloaded, or
``AI4NEURO_CACHE``) and scikit-learn (in requirements-test.txt); under a minute on two cores (the lists cached).

    .venv/bin/python benchmarks/title_classifier.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from tabulate import tabulate

from ai4neuro.sources import classify, papers
from ai4neuro.validation import design, estimates, labels, scoring

THRESHOLD = 0.88
HAND_LABEL_WEIGHT = 3.0


def abstract_labelled(labelled: pd.DataFrame) -> pd.DataFrame:
    """Titles of listed papers with an abstract, outside the held-out halves, with ``neuro`` from the rules
    read on title and abstract."""
    population = design.population(papers.published_papers(progressbar=True))
    held_out = set(labelled.loc[labelled["split"] == "held-out", "key"])
    usable = population[(population["abstract"] != "") & ~population["key"].isin(held_out)]
    # The "title+abstract" basis of ai4neuro.validation.bases: keywords left out, so only the abstract adds.
    found = classify.classify(usable[["title", "abstract"]].assign(keywords=""), read_abstracts=True)
    return pd.DataFrame({"key": usable["key"], "title": usable["title"], "neuro": found["label"] != "", "weight": 1.0})


def fit(training: pd.DataFrame):
    """The model, trained on ``training`` (``title``, ``neuro``, ``weight``): a function of titles to
    probabilities."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000)
    model.fit(vectorizer.fit_transform(training["title"]), training["neuro"], sample_weight=training["weight"])
    return lambda titles: model.predict_proba(vectorizer.transform(titles))[:, 1]


def training_set(silver: pd.DataFrame, hand: pd.DataFrame, leave_out: set[str]) -> pd.DataFrame:
    """Abstract-labelled and hand-labelled titles, without ``leave_out`` keys; a hand label wins."""
    hand = hand.assign(weight=HAND_LABEL_WEIGHT)[["key", "title", "neuro", "weight"]]
    both = pd.concat([silver, hand], ignore_index=True)
    both = both[~both["key"].isin(leave_out)]
    return both.drop_duplicates("title", keep="last")


def with_model(rules: pd.Series, probability: np.ndarray) -> pd.Series:
    """The rules' labels, and ``unclear`` where only the model flags a paper (it says neuroscience, not which
    kind)."""
    return rules.where((rules != "") | ~(probability > THRESHOLD), "unclear")


def scores(truth: pd.DataFrame, predicted: pd.Series, name: str) -> dict:
    measured = scoring.measure(truth, predicted, truth["weight"])
    row = {"predictor": name, "flagged": int((predicted != "").sum())}
    for metric in ("recall", "precision", "definite"):
        value = measured[metric]
        row[metric] = f"{value.value:.3f} ({value.low:.3f}–{value.high:.3f})"
    return row


def main() -> None:
    labelled = labels.load()
    hand = labelled.frame[labelled.frame["split"] == "tuning"]
    silver = abstract_labelled(labelled.frame)
    rows = []

    tuning = estimates.half(labelled, design.UNIFORM.name, "tuning")
    tuning_rules = estimates.classified(tuning)["title_label"]
    probability = np.zeros(len(tuning))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for _, scored in folds.split(tuning, tuning["neuro"]):
        leave_out = set(tuning["key"].iloc[scored])
        probability[scored] = fit(training_set(silver, hand, leave_out))(tuning["title"].iloc[scored])
    rows.append({"half": "uniform tuning (5-fold)", **scores(tuning, tuning_rules, "rules")})
    rows.append({"half": "", **scores(tuning, with_model(tuning_rules, probability), "rules or model")})

    held_out = estimates.half(labelled, *design.ESTIMATE)
    held_out_rules = estimates.classified(held_out)["title_label"]
    probability = fit(training_set(silver, hand, set()))(held_out["title"])
    rows.append({"half": "uniform held-out", **scores(held_out, held_out_rules, "rules")})
    rows.append({"half": "", **scores(held_out, with_model(held_out_rules, probability), "rules or model")})

    print(f"{len(silver)} abstract-labelled titles, {len(hand)} hand-labelled tuning titles; threshold {THRESHOLD}")
    print(tabulate(rows, headers="keys"))


if __name__ == "__main__":
    main()
