"""The Trends chart as a Vega-Lite spec and as static drawings (no browser): the essay's dates marked,
"<1" apart from 0, the period in progress dashed, hover values, one 0–100 scale.

The snapshot is the hand-made FIXTURE in ``tests/fixtures/trends/snapshot`` or a frame built here.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ai4neuro import figures
from ai4neuro.views import trends as trends_view


def monthly(start: str, values: dict[str, list], partial: bool = True) -> pd.DataFrame:
    """A tidy Trends frame: ``values`` per term, ints or "<1"; the last month partial if asked."""
    dates = pd.date_range(start, periods=len(next(iter(values.values()))), freq="MS")
    rows = [
        (date, term, 0 if value == "<1" else value, partial and date == dates[-1], value == "<1")
        for term, series in values.items()
        for date, value in zip(dates, series, strict=True)
    ]
    return pd.DataFrame(rows, columns=["date", "term", "interest", "is_partial", "below_one"])


@pytest.fixture
def frame() -> pd.DataFrame:  # hand-made: from January 2023 (the paper) over January 2024 (the post)
    return monthly("2023-01-01", {"NeuroAI": [10, 14, 30, 26, 100, 60] * 3, "AI4neuro": [0, "<1", 1, "<1", 3, 0] * 3})


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def marks(spec: dict) -> list[str]:
    return [layer["mark"]["type"] for layer in layers(spec)]


def test_both_terms_share_one_fixed_0_to_100_scale(frame):
    spec = trends_view.interest_figure(frame).spec()
    line = layers(spec)[0]
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert line["encoding"]["color"]["scale"]["domain"] == ["NeuroAI", "AI4neuro"]
    assert "x" not in spec.get("resolve", {}).get("scale", {}) and "y" not in spec.get("resolve", {}).get("scale", {})


def test_the_essays_two_dates_are_ruled_and_labelled(frame):
    spec = trends_view.interest_figure(frame).spec()
    assert marks(spec).count("rule") == 1 and marks(spec).count("text") == 2
    datasets = spec["datasets"]
    rule = next(layer for layer in layers(spec) if layer["mark"]["type"] == "rule")
    events = datasets[rule["data"]["name"]]
    assert [(row["date"][:10], row["label"]) for row in events] == [
        ("2023-03-22", "NeuroAI paper"),
        ("2024-01-01", "this post"),
    ]
    assert [tip.get("field") for tip in rule["encoding"]["tooltip"]] == ["date", "description"]


def test_dates_outside_the_data_are_not_marked():
    frame = monthly("2024-03-01", {"NeuroAI": [5, 6, 7]})
    assert trends_view.events_in(frame, "month").empty
    assert "rule" not in marks(trends_view.interest_figure(frame).spec())


def test_below_one_gets_hollow_circles_and_the_period_in_progress_a_dashed_line(frame):
    spec = trends_view.interest_figure(frame).spec()
    line, flags = layers(spec)[0], layers(spec)[1]
    dash = line["encoding"]["strokeDash"]
    assert dash["legend"]["values"] == ["month in progress"] and dash["scale"]["range"] == [[1, 0], [5, 4]]
    dashed = [row for row in spec["datasets"][line["data"]["name"]] if row["_stretch"]]
    assert len(dashed) == 4  # per term: the last complete month and the month in progress
    assert flags["mark"] == {"type": "point", "filled": False, "strokeWidth": 1.5}
    assert flags["encoding"]["shape"]["scale"]["domain"] == [trends_view.BELOW_ONE]
    flagged = spec["datasets"][flags["data"]["name"]]
    assert {row["term"] for row in flagged} == {"AI4neuro"} and all(row["interest"] == 0 for row in flagged)
    assert len(flagged) == int(frame["below_one"].sum())


def test_without_partial_or_below_one_there_is_no_dash_and_no_circle():
    spec = trends_view.interest_figure(monthly("2023-01-01", {"NeuroAI": [1, 2, 3]}, partial=False)).spec()
    assert "strokeDash" not in layers(spec)[0]["encoding"] and marks(spec).count("point") == 1


def test_hover_shows_the_value_as_google_shows_it(frame):
    figure = trends_view.interest_figure(frame)
    spec = figure.spec()
    hover = layers(spec)[2]  # lines, "<1" circles, then the (invisible until hovered) points with the tooltip
    assert hover["mark"]["type"] == "point" and "hover" in json.dumps(hover["encoding"]["opacity"])
    assert [tip["title"] for tip in hover["encoding"]["tooltip"]] == ["Term", "Month", "Search interest"]
    shown = figure.data.set_index(["term", figure.data["date"].dt.strftime("%Y-%m")])["shown"]
    assert shown[("AI4neuro", "2023-02")] == "<1" and shown[("NeuroAI", "2024-06")] == "60 (in progress)"


def test_static_drawings_carry_the_marks(frame, tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_FIGURES", str(tmp_path))
    files = figures.export(trends_view.interest_figure(frame), "trends-interest", frame)
    svg = files["svg"].read_text(encoding="utf-8")
    for text in ("NeuroAI paper", "this post", "month in progress", "“&lt;1”: under 1, not 0"):
        assert text in svg
    assert "stroke-dasharray" in svg
    assert files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads(files["vl.json"].read_text())["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 100]


def test_weekly_data_is_labelled_by_week(frame):
    weekly = frame.assign(date=pd.date_range("2023-12-31", periods=18, freq="7D").repeat(1).tolist() * 2)
    spec = trends_view.interest_figure(weekly).spec()
    hover = layers(spec)[2]
    assert hover["encoding"]["tooltip"][1] == {
        "field": "date",
        "format": "week of %-d %B %Y",
        "title": "Week",
        "type": "temporal",
    }
    assert layers(spec)[0]["encoding"]["x"]["title"] == "Week"
