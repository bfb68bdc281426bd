"""figures/ follows the data (issue 20, item 8): export redraws a drawing that is missing or changed, and a
figure drawn from other data than data/ holds is found stale (the book then runs its chapter again:
tests/test_build_integrity.py)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from ai4neuro import figure_files, figures, snapshots
from ai4neuro.sources import trends
from ai4neuro.testing import ROOT

NAME = "unit-stamped"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_FIGURES", str(tmp_path / "figures"))
    data = shutil.copytree(ROOT / "tests" / "fixtures" / "trends" / "snapshot", tmp_path / "data")
    monkeypatch.setenv("AI4NEURO_DATA", str(data))
    return tmp_path / "figures", data


def figure() -> figures.Figure:
    data = pd.DataFrame({"month": [1, 2, 1, 2], "term": ["a", "a", "b", "b"], "interest": [1, 2, 3, 4]})
    return figures.line_figure(data, x="month", y="interest", series="term", x_title="Month", y_title="Interest")


def test_export_stamps_what_it_drew_and_the_data_it_was_drawn_from(folders):
    trends.load()  # the drawing process read this snapshot
    files = figures.export(figure(), NAME)
    spec, stamp = figure_files.read(NAME)
    assert "usermeta" not in spec and spec["width"] == figures.STATIC_WIDTH
    assert stamp["png"] == snapshots.sha256_file(files["png"]) and stamp["csv"] == snapshots.sha256_file(files["csv"])
    assert stamp["data"] == {"google_trends": trends.load().provenance[snapshots.RECORD_CHECKSUM]}
    assert figure_files.problem(NAME) is None


@pytest.mark.parametrize("damage", ["delete-png", "change-png", "delete-svg", "change-csv", "delete-spec"])
def test_export_redraws_a_missing_or_changed_file(folders, damage):
    """Before, only a changed spec made export redraw: a changed drawing stayed."""
    files = figures.export(figure(), NAME)
    before = {suffix: path.read_bytes() for suffix, path in files.items()}
    suffix = damage.split("-")[1].replace("spec", "vl.json")
    if damage.startswith("delete"):
        files[suffix].unlink()
    else:
        files[suffix].write_bytes(before[suffix][:-40] + b"-999")
    assert figure_files.problem(NAME) is not None
    figures.export(figure(), NAME)
    after = {suffix: path.read_bytes() for suffix, path in files.items()}
    assert after["png"] == before["png"] and after["csv"] == before["csv"] and after["svg"].startswith(b"<svg")
    assert figure_files.problem(NAME) is None  # (vl-convert numbers an SVG's clip paths on, within one process)


def test_a_figure_drawn_from_other_data_is_stale(folders):
    figures_dir, data = folders
    trends.load()
    figures.export(figure(), NAME)
    record_path = data / "google_trends.provenance.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record_path.write_bytes(snapshots.record_bytes({**record, "note": "refreshed since"}))
    assert "drawn from other data" in figure_files.problem(NAME)
    record_path.unlink()
    assert "drawn from other data" in figure_files.problem(NAME)


def test_the_committed_figures_are_stamped_with_the_committed_data(monkeypatch):
    """A fresh clone's first build runs no chapter just for figures/: the committed stamps match data/."""
    monkeypatch.setenv("AI4NEURO_DATA", str(ROOT / "data"))
    monkeypatch.setenv("AI4NEURO_FIGURES", str(ROOT / "figures"))
    names = [spec.name.removesuffix(".vl.json") for spec in sorted((ROOT / "figures").glob("*.vl.json"))]
    assert names and {name: figure_files.problem(name) for name in names} == dict.fromkeys(names)
