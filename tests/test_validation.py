"""The labelled papers that measure the classifier: drawing, labels, scores, and the committed set."""

import pandas as pd
import pytest

from ai4neuro import paths
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources import papers, validation

# Issue 9's targets, on the held-out half.
RECALL, PRECISION, DEFINITE, AGREEMENT = 0.80, 0.90, 0.80, 0.85
# Titles alone miss the recall target (0.776 when the rules were frozen): guarded at what they reach.
TITLE_RECALL_FLOOR = 0.77


def _population(per_cell: int = 12) -> pd.DataFrame:
    """Hand-made published papers: for every era, candidates, near misses and others."""
    rows = []
    for era, (first, _) in validation.ERAS.items():
        for n in range(per_cell):
            for kind, title in (
                ("candidate", f"Cortical Dynamics {n}"),
                ("near_miss", f"Attention Models {n}"),
                ("other", f"Sparse Regression {n}"),
            ):
                rows.append((f"nips/nips{first}.json", len(rows), first, title, kind, era))
    frame = pd.DataFrame(rows, columns=["source", "record", "year", "title", "kind", "era_expected"])
    return frame.assign(conference="NeurIPS", keywords="", abstract="")


def test_classes_come_from_the_fixed_vocabularies_not_the_rules():
    population = validation.strata(_population())
    assert (population["stratum"] == population["kind"]).all()
    assert (population["era"] == population["era_expected"]).all()
    abstract_only = pd.DataFrame(
        {"title": ["Sparse Regression"], "keywords": [""], "abstract": ["We record from monkeys."], "year": [1990]}
    )
    assert validation.class_of(abstract_only).tolist() == ["candidate"]


def test_draw_is_seeded_stratified_and_split_once():
    population = _population()
    sample = validation.draw(population)
    assert sample.equals(validation.draw(population.sample(frac=1, random_state=3)))  # order does not matter
    assert not sample["split"].equals(validation.draw(population, seed=1)["split"])  # the seed decides
    sizes = validation.stratum_sizes(validation.strata(population), sample)
    wanted = {
        (stratum, era): min(size, 12)
        for stratum, per_era in validation.SAMPLE_SIZES.items()
        for era, size in zip(validation.ERAS, per_era, strict=True)
    }
    assert dict(zip(zip(sizes["stratum"], sizes["era"], strict=True), sizes["drawn"], strict=True)) == wanted
    assert ((sizes["tuning"] - sizes["held-out"]).isin([0, 1])).all()


def test_weights_add_up_to_the_population_in_each_split():
    population = validation.strata(_population())
    sample = validation.draw(population)
    sizes = validation.stratum_sizes(population, sample)
    for split in validation.SPLITS:
        half = sample[sample["split"] == split]
        assert validation.weights(half, sizes, split).sum() == pytest.approx(len(population))


def test_labels_must_cover_the_sample_once_each_with_a_reason():
    sample = validation.draw(_population(2))
    labels = pd.DataFrame({"key": sample["key"], "label": "", "reason": "sparse regression, not neuroscience"})
    frame = validation.labelled_set(sample, labels)
    assert list(frame.columns) == list(validation.LABELS_DATASET.columns) and not frame["neuro"].any()
    broken = pd.concat([labels.iloc[1:], labels.iloc[[2]]]).assign(label=["neuro", *[""] * (len(labels) - 1)])
    with pytest.raises(Ai4NeuroError, match="unlabelled: .*labelled twice: .*unknown label") as caught:
        validation.labelled_set(sample, broken)
    assert "reason" in str(caught.value)


def _truth(labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"label": labels, "neuro": [label != "" for label in labels]})


def test_scores_count_recall_precision_definite_labels_and_agreement():
    truth = _truth(["neuroai", "neuroai", "ai4neuro", "ai4neuro", "", ""])
    predicted = pd.Series(["neuroai", "unclear", "neuroai", "", "ai4neuro", ""])
    scores = validation.score(truth, predicted)
    assert (scores.neuro, scores.found, scores.false_hits, scores.definite, scores.agree) == (4, 3, 1, 2, 1)
    assert scores.recall == 0.75 and scores.precision == 0.75
    assert scores.definite_share == pytest.approx(2 / 3) and scores.agreement == 0.5
    weighted = validation.score(truth, predicted, pd.Series([1.0, 1.0, 1.0, 3.0, 1.0, 1.0]))
    assert weighted.recall == pytest.approx(3 / 6)
    table = validation.confusion(truth["label"], predicted)
    assert table.loc["NeuroAI", "NeuroAI"] == 1 and table.loc["NeuroAI", "unclear"] == 1
    assert table.loc["not neuroscience", "AI4Neuro"] == 1 and int(table.to_numpy().sum()) == 6
    per_label = validation.per_label(truth["label"], predicted).set_index("label")
    assert per_label.loc["NeuroAI", "recall"] == 0.5 and per_label.loc["NeuroAI", "precision"] == 0.5


def test_titles_with_and_without_abstracts_on_the_same_papers():
    labelled = pd.DataFrame(
        {
            "key": ["a#0", "a#1", "a#2"],
            "title": ["Graph Networks", "Sparse Regression", "Cortical Maps"],
            "split": "held-out",
            "label": ["neuroai", "", "neuroai"],
            "neuro": [True, False, True],
        }
    )
    published = pd.DataFrame(
        {
            "source": "a",
            "record": [0, 1, 2],
            "title": labelled["title"],
            "abstract": ["A model of cortex.", "Lasso for the brain of the economy.", ""],
        }
    )
    compared = validation.basis_comparison(labelled, published).set_index("basis")
    assert compared.loc["title", "papers"] == 2  # the paper without an abstract is left out
    assert compared.loc["title", ["neuro", "found", "false_hits"]].tolist() == [1, 0, 0]
    assert compared.loc["title+abstract", ["neuro", "found", "false_hits"]].tolist() == [1, 1, 1]
    moved = published.assign(title=["Another Paper", *published["title"][1:]])
    with pytest.raises(Ai4NeuroError, match="lists changed since the papers were labelled"):
        validation.basis_comparison(labelled, moved)


# --- the committed labelled set ------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled():
    return validation.load()


def test_committed_set_matches_its_provenance(labelled):
    frame, record = labelled.frame, labelled.provenance
    assert len(frame) == record["rows"] >= 400 and frame["key"].is_unique
    strata = pd.DataFrame(record["strata"]).set_index(["stratum", "era"])
    counted = frame.groupby(["stratum", "era"]).size()
    assert (strata["drawn"] == counted).all()
    for split in validation.SPLITS:
        assert (strata[split] == frame[frame["split"] == split].groupby(["stratum", "era"]).size()).all()
    assert record["sample"]["seed"] == validation.SEED and record["codebook"]["version"] == validation.CODEBOOK_VERSION
    assert "not reviewed by the essay's author" in record["labels"]["by"]
    assert (frame["reason"].str.len() >= 3).all() and set(frame["conference"]) == {"NeurIPS", "ICLR", "ICML"}


@pytest.mark.parametrize("basis", ["title", "title+keywords"])
def test_held_out_scores_keep_their_level(labelled, basis):
    """A rule change that loses neuroscience papers, precision or definite labels fails here."""
    scores = validation.evaluate(labelled, basis=basis).raw
    assert scores.precision >= PRECISION and scores.definite_share >= DEFINITE and scores.agreement >= AGREEMENT
    assert scores.recall >= (RECALL if basis == "title+keywords" else TITLE_RECALL_FLOOR)


def test_weighted_estimates_cover_the_whole_lists(labelled):
    evaluation = validation.evaluate(labelled)
    population = sum(row["papers"] for row in labelled.provenance["strata"])
    assert evaluation.weighted.papers == pytest.approx(population)
    assert 0 < evaluation.weighted.recall <= 1 and len(evaluation.misses) == evaluation.raw.neuro - evaluation.raw.found


@pytest.mark.skipif(
    not (paths.cache_dir() / "nips" / "nips2024.json").exists(),
    reason="needs the paper lists in AI4NEURO_CACHE (CI: ../shared/data/paperlists)",
)
def test_the_sample_is_drawn_again_from_the_lists(labelled):
    sample = validation.draw(papers.published_papers(progressbar=False))
    committed = labelled.frame
    assert sample["key"].tolist() == committed["key"].tolist()
    assert sample["split"].tolist() == committed["split"].tolist()
    assert sample["title"].tolist() == committed["title"].tolist()
