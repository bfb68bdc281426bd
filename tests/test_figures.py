"""Unit tests of the figure convention (ai4neuro.figures) and the book extension's charts/datadeps parts."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ai4neuro import figures, snapshots
from ai4neuro.bookext import charts, datadeps
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.markup import escape_markdown
from ai4neuro.outputs import METADATA_KEY, VEGALITE_MIME

LIGHT_BACKGROUND, DARK_BACKGROUNDS = "#ffffff", ["#121212", "#14181e"]  # pydata / book theme, dark mode


@pytest.fixture
def lines() -> pd.DataFrame:  # hand-made test data
    months = pd.date_range("2022-01-01", periods=4, freq="MS")
    return pd.DataFrame(
        {"month": list(months) * 2, "term": ["a"] * 4 + ["b"] * 4, "interest": [1, 2, 3, 4, 5, 6, 7, 8]}
    )


@pytest.fixture
def counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2021, 2021, 2022, 2022] * 2,
            "kind": ["x", "y"] * 4,
            "venue": ["A"] * 4 + ["B"] * 4,
            "papers": range(8),
        }
    )


@pytest.fixture
def figures_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_FIGURES", str(tmp_path / "figures"))
    return tmp_path / "figures"


def params(spec: dict) -> dict:
    return {param["name"]: param for param in spec.get("params", [])}


def test_line_spec_has_tooltip_legend_toggle_and_horizontal_zoom(lines):
    spec = figures.line_figure(
        lines, x="month", y="interest", series="term", x_title="Month", y_title="Interest"
    ).spec()
    points = spec["layer"][1]
    assert [t["title"] for t in points["encoding"]["tooltip"]] == ["Term", "Month", "Interest"]
    found = params(spec)
    assert found["hidden"]["bind"] == "legend" and found["hidden"]["select"]["toggle"] == "true"
    assert found["zoom"]["bind"] == "scales"
    assert found["zoom"]["select"]["encodings"] == ["x"] and "shiftKey" in found["zoom"]["select"]["zoom"]
    assert spec["width"] == "container"
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == figures.PALETTE[:2]


def test_bar_spec_grouped_and_faceted(counts):
    spec = figures.bar_figure(
        counts, x="year", y="papers", series="kind", x_title="Year", y_title="Papers", stacked=False, facet="venue"
    ).spec()
    assert spec["facet"]["row"]["field"] == "venue"
    bars = spec["spec"]["layer"][0]
    assert bars["encoding"]["xOffset"]["field"] == "kind"
    assert params(spec)["hidden"]["bind"] == "legend"
    assert {"filter": {"not": {"param": "hidden"}}} in bars["transform"]  # a hidden series leaves: the rest re-stack
    assert "tooltip" in bars["encoding"]


def test_builders_name_missing_columns(lines):
    with pytest.raises(Ai4NeuroError, match="no column"):
        figures.line_figure(lines, x="date", y="interest", series="term", x_title="", y_title="")


def test_export_writes_spec_png_svg_and_csv(lines, figures_dir):
    figure = figures.line_figure(lines, x="month", y="interest", series="term", x_title="Month", y_title="Interest")
    files = figures.export(figure, "unit-lines")
    names = {"unit-lines.vl.json", "unit-lines.png", "unit-lines.svg", "unit-lines.csv"}
    assert {path.name for path in figures_dir.iterdir()} == names
    assert files["png"].read_bytes().startswith(b"\x89PNG")
    assert "<svg" in files["svg"].read_text()
    assert json.loads(files["vl.json"].read_text())["width"] == figures.STATIC_WIDTH
    assert pd.read_csv(files["csv"]).shape == (8, 3)


def test_export_redraws_only_when_the_spec_changes(lines, figures_dir):
    figure = figures.line_figure(lines, x="month", y="interest", series="term", x_title="Month", y_title="Interest")
    files = figures.export(figure, "unit-lines")
    stamps = {suffix: path.stat().st_mtime_ns for suffix, path in files.items()}
    figures.export(figure, "unit-lines")
    assert {suffix: path.stat().st_mtime_ns for suffix, path in files.items()} == stamps
    changed = figures.line_figure(lines, x="month", y="interest", series="term", x_title="Month", y_title="Changed")
    figures.export(changed, "unit-lines")
    assert files["svg"].stat().st_mtime_ns != stamps["svg"] and "Changed" in files["svg"].read_text()


def rendered(figure, figures_dir, alt="Two lines.") -> figures.RenderedFigure:
    files = figures.export(figure, "unit-lines")
    return figures.RenderedFigure(
        figure, name="unit-lines", alt=alt, csv=files["csv"].read_bytes(), png=files["png"].read_bytes()
    )


def test_a_figure_is_one_standard_bundle_for_jupyter_the_book_and_print(lines, figures_dir):
    figure = figures.line_figure(lines, x="month", y="interest", series="term", x_title="Month", y_title="Interest")
    bundle, metadata = rendered(figure, figures_dir)._repr_mimebundle_()
    assert set(bundle) == {VEGALITE_MIME, "image/png", "text/plain"}  # no text/html: JupyterLab would prefer it
    spec = bundle[VEGALITE_MIME]
    assert spec["width"] == figures.STATIC_WIDTH and spec["description"] == "Two lines."
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG") and metadata["image/png"]["alt"]
    about = metadata[METADATA_KEY]
    assert about["name"] == "unit-lines" and about["hint"] == figure.hint and about["csv"].startswith("month,")


def trends_figure(monkeypatch) -> figures.Figure:
    """The Trends chart (a timeline: dashed, hollow circles, event rules) from the hand-made fixture snapshot."""
    from ai4neuro.sources import trends
    from ai4neuro.views import trends as trends_view

    monkeypatch.setenv("AI4NEURO_DATA", str(Path(__file__).parent / "fixtures" / "trends" / "snapshot"))
    return trends_view.interest_figure(trends.load(False).frame)


def gaps_figure(counts: pd.DataFrame) -> figures.Figure:
    """Panels on one shared year axis, a year without data in one of them, colours in a set order."""
    gap = pd.DataFrame({"year": [2023], "kind": [""], "venue": ["B"], "papers": [pd.NA]})
    data = pd.concat([counts.assign(missing=False), gap.assign(missing=True)], ignore_index=True)
    return figures.bar_figure(
        data,
        x="year",
        y="papers",
        series="kind",
        x_title="Year",
        y_title="Papers",
        facet="venue",
        colors={"y": "#0072B2", "x": "#D55E00"},
        x_domain=[2021, 2022, 2023],
        missing="missing",
    )


def count_share_figure(counts: pd.DataFrame) -> figures.Figure:
    rows = counts[(counts["venue"] == "A") & (counts["kind"] == "x")].assign(share=[10.0, 20.0])
    return figures.count_and_share_figure(
        rows,
        x="year",
        count="papers",
        share="share",
        x_title="Year",
        count_title="Papers",
        share_title="%",
        tooltip=["year", "papers", "share"],
    )


def test_panels_share_one_year_axis_and_a_missing_year_is_a_band_not_a_bar(counts):
    spec = gaps_figure(counts).spec()
    assert spec["resolve"]["scale"]["x"] == "shared"
    bars, gaps = spec["spec"]["layer"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [2021, 2022, 2023]
    assert bars["encoding"]["color"]["scale"] == {"domain": ["y", "x"], "range": ["#0072B2", "#D55E00"]}
    assert {"filter": "!datum['missing']"} in bars["transform"] and {"filter": "datum['missing']"} in gaps["transform"]


def test_count_and_share_are_two_panels_on_one_axis(counts):
    spec = count_share_figure(counts).static_spec()
    assert [panel["width"] for panel in spec["vconcat"]] == [figures.STATIC_WIDTH] * 2
    assert spec["resolve"]["scale"]["x"] == "shared"


@pytest.mark.parametrize(
    ("highest", "height", "ticks"),
    [
        (90, 160, [0, 20, 40, 60, 80, 100]),  # Fig. 2's tallest stack: 100, not a frame at 90
        (80, 160, [0, 20, 40, 60, 80, 100]),  # a bar exactly on a tick still gets room above it
        (98, 160, [0, 20, 40, 60, 80, 100, 120]),  # less than 5% above it is too little
        (26, 160, [0, 5, 10, 15, 20, 25, 30]),
        (3, 160, [0, 1, 2, 3, 4]),  # whole numbers for counts
        (3.7, 160, [0, 1, 2, 3, 4]),
        (0.37, 160, [0, 0.1, 0.2, 0.3, 0.4]),
        (250, 320, [0, 50, 100, 150, 200, 250, 300]),
        (0, 160, [0, 1]),
    ],
)
def test_a_value_axis_ends_at_a_round_tick_above_the_tallest_bar(highest, height, ticks):
    found = figures.round_ticks(highest, height)
    assert found == pytest.approx(ticks)
    assert found[-1] > highest and found[-1] - highest >= figures.HEADROOM * found[-1]
    assert len(found) - 1 <= 1.5 * height / figures.TICK_SPACING  # ticks stay readable


def y_scale_and_ticks(encoding: dict) -> tuple[list, list]:
    return encoding["y"]["scale"]["domain"], encoding["y"]["axis"]["values"]


def test_bars_and_panels_end_their_value_axis_at_a_tick_above_the_tallest_stack(counts):
    stacked = figures.bar_figure(counts, x="year", y="papers", series="kind", x_title="Year", y_title="Papers").spec()
    tallest = counts.groupby("year")["papers"].sum().max()  # 2022: 2 + 3 + 6 + 7 = 18
    domain, ticks = y_scale_and_ticks(stacked["layer"][0]["encoding"])
    assert domain == [0, ticks[-1]] and ticks[-1] > tallest and ticks[-2] <= tallest
    faceted = figures.bar_figure(
        counts, x="year", y="papers", series="kind", x_title="Year", y_title="Papers", facet="venue"
    ).spec()
    domain, ticks = y_scale_and_ticks(faceted["spec"]["layer"][0]["encoding"])
    tallest = counts.groupby(["venue", "year"])["papers"].sum().max()  # venue B, 2022: 6 + 7
    assert domain == [0, ticks[-1]] and ticks[-1] > tallest and ticks[-2] <= tallest
    header = faceted["facet"]["row"]["header"]
    assert header["labelFontSize"] >= 12 and header["labelFontWeight"] == "bold"  # a panel's title, not small print
    spec = count_share_figure(counts).spec()
    for panel, highest in zip(spec["vconcat"], (20.0, 2), strict=True):  # the share, the count
        encoding = panel["encoding"] if "y" in panel.get("encoding", {}) else panel["layer"][0]["encoding"]
        domain, ticks = y_scale_and_ticks(encoding)
        assert domain == [0, ticks[-1]] and ticks[-1] > highest


@pytest.mark.parametrize("chart", ["bars", "facets", "gaps", "count-share", "timeline"])
def test_specs_compile_with_the_vega_lite_5_that_jupyterlab_ships(counts, monkeypatch, chart):
    """JupyterLab draws the v5 MIME type with its own Vega-Lite 5 (5.6.1 in JupyterLab 4.6); vl-convert's
    oldest Vega-Lite 5 stands in for it here, the Binder test draws them in JupyterLab itself."""
    import vl_convert

    if chart == "timeline":
        figure = trends_figure(monkeypatch)
    elif chart == "gaps":
        figure = gaps_figure(counts)
    elif chart == "count-share":
        figure = count_share_figure(counts)
    else:
        facet = "venue" if chart == "facets" else None
        figure = figures.bar_figure(
            counts, x="year", y="papers", series="kind", x_title="Year", y_title="Papers", facet=facet
        )
    vega = vl_convert.vegalite_to_vega(figure.static_spec(), vl_version=vl_convert.get_vegalite_versions()[0])
    assert vega["$schema"].endswith("/vega/v5.json")


def test_the_book_draws_the_chart_in_a_container_with_its_data_and_hint():
    page = charts.chart_html(
        {"mark": "point", "description": "d"},
        name="unit-lines",
        alt='Two "lines" </script>',
        csv="a,b\n1,2\n",
        hint="Hover.",
    )
    assert 'role="img"' in page and 'aria-label="Two &quot;lines&quot; &lt;/script&gt;"' in page
    spec_text = re.search(r'class="ai4n-spec">(.*?)</script>', page, flags=re.S).group(1)
    compiled = json.loads(spec_text)  # Vega, compiled at build time: the page loads no Vega-Lite compiler
    assert compiled["$schema"].endswith("/vega/v6.json") and compiled["marks"][0]["type"] == "symbol"
    assert "description" not in compiled  # the container's aria-label says it (the drawing is hidden from AT)
    assert 'download="unit-lines.csv" href="data:text/csv;charset=utf-8,a,b%0A1,2%0A"' in page and "Hover." in page
    table = BeautifulSoup(page, "html.parser").select_one("details.ai4n-chart-data")
    assert table.summary.get_text() == "Show the data (1 row)"
    assert [cell.get_text() for cell in table.select("th, td")] == ["A", "B", "1", "2"]
    chart = BeautifulSoup(page, "html.parser").select_one("div.ai4n-chart")
    assert (
        "tabindex" not in chart.attrs
    )  # the chart takes no focus; the disclosure is the keyboard's way to the numbers
    assert "<script src" not in page  # the page gets the bundle from the extension, never from the output


def test_show_writes_files_and_shows_the_figure_then_its_caption(lines, figures_dir, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    figure = figures.line_figure(lines, x="month", y="interest", series="term", x_title="Month", y_title="Interest")
    figures.show(
        figure, name="unit-lines", alt="Two lines.", caption="Test lines, fetched on 2024-05-01", source="a fixture"
    )
    assert (figures_dir / "unit-lines.svg").exists()
    chart, caption = shown
    assert isinstance(chart, figures.RenderedFigure) and chart.name == "unit-lines"
    assert caption._repr_mimebundle_() == (
        {
            "text/markdown": "**Figure.** " + escape_markdown("Test lines, fetched on 2024-05-01. Source: a fixture."),
            "text/plain": "Test lines, fetched on 2024-05-01. Source: a fixture.",
        },
        {METADATA_KEY: {"caption": "unit-lines"}},
    )


def test_a_caption_from_outside_stays_text_in_jupyter():
    markdown = figures.Caption("x", "A *b* [c](d) <e> $f$")._repr_mimebundle_()[0]["text/markdown"]
    assert markdown == "**Figure.** A \\*b\\* \\[c\\]\\(d\\) \\<e\\> \\$f\\$"


@pytest.mark.parametrize("name, alt", [("ok-name", " "), ("Bad Name", "alt text")])
def test_show_refuses_missing_alt_and_bad_names(lines, figures_dir, name, alt):
    figure = figures.line_figure(lines, x="month", y="interest", series="term", x_title="Month", y_title="Interest")
    with pytest.raises(Ai4NeuroError):
        figures.show(figure, name=name, alt=alt, caption="c")


def contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_first_four_palette_colours_are_legible_in_light_and_dark_mode():
    for colour in figures.PALETTE[:4]:
        for background in [LIGHT_BACKGROUND, *DARK_BACKGROUNDS]:
            assert contrast(colour, background) >= 3.0, (colour, background)


def test_bundle_is_scoped_classic_script_under_one_megabyte():
    bundle = charts.scoped_bundle()
    assert bundle.splitlines()[1].startswith("(function () {") and bundle.rstrip().endswith("}).call(window);")
    assert not re.search(r"^\s*(import|export)\b", bundle, flags=re.M)
    assert len(bundle.encode("utf-8")) <= 1_000_000


def test_page_has_chart_only_for_chart_containers():
    assert charts.page_has_chart('<p>x</p><div class="ai4n-chart" id="a">')
    assert not charts.page_has_chart("<p>ai4n-chart is mentioned in prose</p>")


def test_declared_reads_are_checked():
    assert datadeps.declared_reads({"ai4neuro": {"reads": ["trends_interest"]}}, "x.md") == ["trends_interest"]
    assert datadeps.declared_reads({}, "x.md") == []
    with pytest.raises(Ai4NeuroError, match="x.md"):
        datadeps.declared_reads({"ai4neuro": {"reads": "trends_interest"}}, "x.md")


def test_a_chapter_that_loads_an_undeclared_snapshot_fails(monkeypatch):
    monkeypatch.setattr(snapshots, "_LOADED", {"trends_interest", "paper_counts"})
    datadeps.check_reads(["trends_interest", "paper_counts"])
    with pytest.raises(
        Ai4NeuroError, match=r"data/paper_counts.csv without declaring it.*reads: \[paper_counts, trends_interest\]"
    ):
        datadeps.check_reads(["trends_interest"])
