"""The classification rules (ai4neuro/sources/classification_rules.csv) on hand-written titles."""

from pathlib import Path

import pandas as pd
import pytest

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources import classify


@pytest.mark.parametrize(
    "title, label",
    [
        # NeuroAI: brain-inspired AI, models of brain computation, comparing networks with brains
        ("Training Deep Spiking Neural Networks with Surrogate Gradients", "neuroai"),
        ("A Biologically Plausible Alternative to Backpropagation", "neuroai"),
        ("Brain-Inspired Replay for Continual Learning", "neuroai"),
        ("Hebbian Learning in Sparse Networks", "neuroai"),
        ("Neuromorphic Hardware for Event Streams", "neuroai"),
        ("How the Brain Could Implement Credit Assignment", "neuroai"),
        # AI4Neuro: machine learning as a tool for neural data
        ("Fast Spike Sorting for Dense Electrode Arrays", "ai4neuro"),
        ("Denoising Calcium Imaging Movies", "ai4neuro"),
        ("Latent Dynamics of Neural Population Activity", "ai4neuro"),
        ("Decoding Speech from Intracortical Recordings", "ai4neuro"),
        ("Self-Supervised Learning for EEG Classification", "ai4neuro"),
        ("Graph Learning on Brain Connectomes", "ai4neuro"),
        ("Stable Brain-Computer Interfaces by Domain Adaptation", "ai4neuro"),
        # both / unclear
        ("Spiking Networks Fit to Neural Recordings", "both"),
        ("Task-Optimized Models Compared to the Primate Brain Using fMRI", "both"),
        ("Grid Cells in the Entorhinal Cortex", "unclear"),
        ("Dendritic Spikes in Pyramidal Neurons", "unclear"),
        ("Dopamine and Reward Prediction", "unclear"),
    ],
)
def test_neuroscience_titles_get_their_label(title, label):
    assert classify.classify_title(title) == label


@pytest.mark.parametrize(
    "title",
    [
        "Graph Neural Networks for Molecule Generation",
        "Neural Network Pruning at Initialization",
        "Deep Neural Networks Are Gaussian Processes",
        "Neural Architecture Search with Reinforcement Learning",
        "Neural Radiance Fields for View Synthesis",
        "Neural Code Search with Transformers",
        # artificial units called neurons
        "Dead Neurons in ReLU Networks",
        "Knowledge Neurons in Pretrained Transformers",
        "Learning a Single Neuron with Gradient Descent",
        "Neuron Pruning for Efficient Inference",
        # neuroscience words used for something else
        "Optimal Brain Damage Revisited",
        "Spike-and-Slab Priors for Sparse Regression",
        "Contrastive Predictive Coding for Speech",
        "Segmentation of Retinal Fundus Images",
        "Brain Tumor Segmentation with U-Nets",
        "Loss Spikes in Adam Training",
    ],
)
def test_neural_network_traps_are_not_neuroscience(title):
    assert classify.classify_title(title) == classify.NOT_NEURO


def test_keywords_count_where_the_title_says_nothing():
    title = "Recurrent Networks Solve Working Memory Tasks"
    assert classify.classify_title(title) == classify.NOT_NEURO
    assert classify.classify_title(title, "RNN;computational neuroscience") == "unclear"
    assert classify.classify_title(title, "spike sorting") == "ai4neuro"


def test_classify_reports_the_rules_per_field():
    frame = pd.DataFrame(
        {"title": ["Calcium Imaging of Cortex", "Transformers"], "keywords": ["", "neuromorphic computing"]}
    )
    out = classify.classify(frame)
    assert out["title_rules"].tolist() == ["cortex;calcium_imaging", ""]
    assert out["keyword_rules"].tolist() == ["", "neuromorphic"]
    assert out["title_label"].tolist() == ["ai4neuro", ""]
    assert out["label"].tolist() == ["ai4neuro", "neuroai"]


def test_shipped_table_is_well_formed():
    table = classify.rules_table()
    assert set(table["label"]) == set(classify.LABELS)
    assert table["rule"].is_unique
    assert len(classify.load_rules()) == len(table)


def _write_rules(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "rules.csv"
    path.write_text("rule,label,fields,pattern,note\nbrain,neuro,title,brain,\n" + row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "row, message",
    [
        ("bad,neuroscience,title,x,", "label must be one of"),
        ("bad,neuro,abstract,x,", "fields must be"),
        ("bad,neuro,title,(unclosed,", "not a valid regular expression"),
        ("brain,neuro,title,x,", "unique name"),
    ],
)
def test_a_broken_rule_is_one_clear_error_naming_file_and_line(tmp_path, row, message):
    path = _write_rules(tmp_path, row)
    with pytest.raises(Ai4NeuroError, match=message) as caught:
        classify.load_rules(path)
    assert str(path) in str(caught.value) and "line 3" in str(caught.value)


def test_validation_counts_precision_and_recall_over_papers_with_keywords():
    papers = pd.DataFrame(
        {
            "conference": "NeurIPS",
            "year": 2023,
            "title": ["agree", "title only", "keywords only", "no keywords"],
            "title_rules": ["brain", "cortex", "", "brain"],
            "keyword_rules": ["neuroscience", "", "neuroscience", ""],
            "keywords": ["neuroscience", "deep learning", "neuroscience", ""],
            "has_keywords": [True, True, True, False],
        }
    )
    result = classify.validate_titles(papers, papers_with_keywords=10)
    assert (result.title_hits, result.keyword_hits, result.agree) == (2, 2, 1)
    assert result.precision == result.recall == 0.5
    assert result.false_hits["title"].tolist() == ["title only"]
    assert result.misses["title"].tolist() == ["keywords only"]
