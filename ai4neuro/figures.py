"""The book's one figure convention: one Vega-Lite chart (Altair), interactive in HTML and static in print.

A chapter builds a :class:`Figure` with :func:`line_figure`, :func:`bar_figure` or
:func:`count_and_share_figure` (or its own Altair chart) from a tidy table, then calls :func:`show`
once, in the cell where the figure belongs.
``show`` writes ``figures/<name>.png``, ``.svg`` (drawn from the same spec by ``vl-convert``),
``.vl.json`` (the spec itself) and ``.csv`` (the data, spreadsheet-safe; see :func:`ai4neuro.paths.figures_dir`),
then shows two standard outputs: the figure and its caption. The static drawings are redrawn only
when the spec changed or a file is missing or changed (the ``.vl.json`` file carries a stamp of what was
drawn, :mod:`ai4neuro.figure_files`), so a rebuild of unchanged figures starts no renderer and leaves
``figures/`` byte for byte as it was.

One output, three readers (see :mod:`ai4neuro.outputs`):

- **JupyterLab** (Binder) draws the Vega-Lite spec with its built-in renderer and shows the caption
  as Markdown under it;
- **the book**'s extension (:mod:`ai4neuro.bookext.outputs`) draws the same spec as an interactive
  chart that fits the text column (``bookext/charts.js``), compiled to Vega at build time, with its
  data as a table, a CSV link and a hint, inside a numbered figure ``fig-<name>`` whose caption is the
  caption output;
- **print and PDF** builds take the PNG.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import altair as alt
import pandas as pd
from markupsafe import Markup

from ai4neuro import csvsafe, figure_files, snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write
from ai4neuro.markup import Column, escape_markdown, html_table
from ai4neuro.outputs import METADATA_KEY, TEXT_TABLE_CLASS, TEXT_TABLE_STYLE, VEGALITE_MIME
from ai4neuro.vocabulary import PALETTE

HEIGHT = 320  # px, interactive chart
STATIC_WIDTH = 640  # px, the static drawing's plot width (the interactive chart fits its column)
STATIC_SCALE = 2  # PNG pixels per CSS pixel
FADED = 0.12  # opacity of a line switched off in the legend
LEGEND_HIDDEN = 0.3  # opacity of its legend entry
HOVER_SIZE = 160  # px², the (invisible until hovered) points that carry a line's tooltip
TICK_SPACING = 40  # px between value ticks, about (Vega-Lite's own default: a tick per 40 px of height)
HEADROOM = 0.05  # the least room above the tallest bar, as a share of the axis
PANEL_TITLE_SIZE = 13  # px, a panel's title ("NeurIPS"): a title, not small print


@dataclass(frozen=True)
class Figure:
    """One figure: the chart (interactive in HTML, drawn statically for print) and the tidy data behind it."""

    chart: alt.TopLevelMixin
    data: pd.DataFrame
    hint: str  # how to use the interactive chart, shown under it
    touch_hint: str = ""  # the same on a touch screen (no hover, no shift + scroll)

    def spec(self) -> dict:
        """The Vega-Lite spec (data inlined), as the renderer receives it."""
        with alt.data_transformers.enable("default", max_rows=None):
            return self.chart.to_dict()

    def static_spec(self) -> dict:
        """The spec at a fixed width, for the PNG and SVG (a page column's width is not known there)."""
        spec = self.spec()
        for view in spec.get("vconcat") or [spec["spec"] if "facet" in spec else spec]:
            if view.get("width", "container") == "container":
                view["width"] = STATIC_WIDTH
        return spec


# ---------------------------------------------------------------- builders

POINT_HINT = "Hover or tap for values"  # the hint's first words; on a touch screen, "Tap for values"
TOUCH_POINT_HINT = "Tap for values"
EVENT_GREY = "#777777"  # event rules and labels: at least 4:1 against both the light and the dark page
GAP_GREY = "#9E9E9E"  # a year without a list: a faint band, so that it reads as missing, not as zero


def line_figure(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    x_title: str | None,
    y_title: str,
    tooltip: Sequence[alt.Tooltip | str] | None = None,
    x_format: str | None = None,
    y_domain: tuple[float, float] | None = None,
    provisional: str | None = None,
    provisional_label: str = "still in progress",
    flagged: str | None = None,
    flagged_label: str = "",
    events: pd.DataFrame | None = None,
) -> Figure:
    """Lines of ``y`` over ``x`` (dates or numbers), one per value of ``series``, with what a time series
    needs to be read right.

    Hovering (or tapping) a point shows its exact values (``tooltip``; default: series, x, y), a legend
    click hides a series and a second click shows it, drag pans and shift + wheel zooms along ``x`` (a
    plain wheel scrolls the page). ``x_format`` is a d3 format for x in the default tooltip.

    - ``provisional``: a boolean column; those points (a period still in progress) are joined by a
      dashed line, labelled ``provisional_label`` in a legend below the chart;
    - ``flagged``: a boolean column; those points get a hollow circle (one size per series, so that
      circles of two series at one point stay apart), labelled ``flagged_label`` below the chart;
    - ``events``: a table with the column ``x``, ``label`` (short, on the chart) and ``description``
      (tooltip): a dotted vertical rule per row, labelled at the top, right-aligned to its rule.
    """
    _require_columns(data, [x, y, series] + [column for column in (provisional, flagged) if column])
    temporal = pd.api.types.is_datetime64_any_dtype(data[x])
    x_type: Literal["temporal", "quantitative"] = "temporal" if temporal else "quantitative"
    x_format = x_format or ("%B %Y" if temporal else None)
    tooltip = (
        list(tooltip)
        if tooltip
        else [
            alt.Tooltip(series, type="nominal", title=series.replace("_", " ").capitalize()),
            alt.Tooltip(x, type=x_type, title=x_title or x, format=x_format or alt.Undefined),
            alt.Tooltip(y, type="quantitative", title=y_title),
        ]
    )
    names = _series_order(data, series)
    hidden, zoom = _legend_toggle(series), _zoom()
    # Not nearest=True: Vega-Lite's voronoi loses nominal tooltip fields ("undefined"). Wide invisible
    # points catch the pointer instead; all series' points at the hovered x light up.
    hover = alt.selection_point(fields=[x], on="pointerover", clear="pointerout", empty=False, name="hover")
    x_enc = alt.X(x, type=x_type, title=x_title)
    y_enc = alt.Y(y, type="quantitative", title=y_title, scale=alt.Scale(domain=list(y_domain)) if y_domain else {})
    color = _color(series, names, "stroke")
    lines = _lines(data, x, series, provisional, provisional_label)
    layers = [lines.encode(x=x_enc, y=y_enc, color=color, opacity=_visible(hidden)).add_params(hidden, zoom)]
    if flagged and data[flagged].any():
        layers.append(_flag_marks(data[data[flagged]], series, names, flagged_label).encode(x=x_enc, y=y_enc))
    layers.append(
        alt.Chart(data)
        .mark_point(filled=True, size=HOVER_SIZE)
        .encode(
            x=x_enc,
            y=y_enc,
            color=color,
            opacity=alt.when(hover & ~hidden).then(alt.value(1)).otherwise(alt.value(0)),
            tooltip=tooltip,
        )
        .add_params(hover)
    )
    if events is not None and not events.empty:
        layers.extend(_event_marks(events, x))
    chart = _finish(alt.layer(*layers))
    rest = ", click the legend to hide a series, drag to pan, shift + scroll to zoom."
    return Figure(chart, data, POINT_HINT + rest, TOUCH_POINT_HINT + ", tap the legend to hide a series.")


def bar_figure(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    stacked: bool = True,
    facet: str | None = None,
    tooltip: Sequence[alt.Tooltip | str] | None = None,
    colors: dict[str, str] | None = None,
    x_domain: Sequence | None = None,
    missing: str | None = None,
) -> Figure:
    """Bars of ``y`` (e.g. counts) per category ``x``, split by ``series``.

    ``stacked=False`` puts the series side by side; ``facet`` draws one panel per value of that column,
    stacked vertically (so it fits a phone screen). Hover or tap shows exact values; a legend click
    leaves a series out and the others re-stack (a second click brings it back).

    - ``colors``: a colour per series, in legend and stacking order (default: the palette, in data order);
    - ``x_domain``: every ``x`` value, in order; the panels then share one axis;
    - ``missing``: a boolean column; those rows (``x`` of a panel without data) are drawn as a faint
      band, so that a missing year reads as missing, not as a zero.
    """
    _require_columns(data, [x, y, series] + [column for column in (facet, missing) if column])
    panel_tooltip = [alt.Tooltip(facet, type="nominal", title=facet.replace("_", " ").capitalize())] if facet else []
    tooltip = (
        list(tooltip)
        if tooltip
        else [
            *panel_tooltip,
            alt.Tooltip(series, type="nominal", title=series.replace("_", " ").capitalize()),
            alt.Tooltip(x, type="ordinal", title=x_title),
            alt.Tooltip(y, type="quantitative", title=y_title, format=","),
        ]
    )
    present = data[~data[missing]] if missing else data
    names = list(colors) if colors else _series_order(present, series)
    palette = list(colors.values()) if colors else PALETTE[: len(names)]
    hidden = _legend_toggle(series)
    x_enc = alt.X(
        x,
        type="ordinal",
        title=x_title,
        sort=list(x_domain) if x_domain is not None else "ascending",
        scale=alt.Scale(domain=list(x_domain)) if x_domain is not None else alt.Undefined,
        axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
    )
    height = HEIGHT // 2 if facet else HEIGHT
    highest = _tallest_bar(present, y, [x, *([facet] if facet else [])] if stacked else None)
    encoding = dict(
        x=x_enc,
        y=alt.Y(
            y, type="quantitative", title=y_title, stack="zero" if stacked else None, **_value_axis(highest, height)
        ),
        color=_color(series, names, "square", palette),
        order=alt.Order("_stack_order:Q"),
        tooltip=tooltip,
    )
    if not stacked:
        encoding["xOffset"] = alt.XOffset(series, type="nominal", sort=names)
    order = f"indexof({names!r}, datum[{series!r}])"
    bars = alt.Chart()
    if missing:
        bars = bars.transform_filter(f"!datum[{missing!r}]")
    bars = (
        bars.transform_calculate(_stack_order=order)
        .mark_bar()
        .encode(**encoding)
        .add_params(hidden)
        .transform_filter(~hidden)  # a hidden series leaves the data: the others re-stack
    )
    layers = [bars]
    if missing and data[missing].any():
        layers.append(_gap_marks(x_enc, missing, panel_tooltip, x, x_title))
    layered = alt.layer(*layers, data=data)
    if facet:
        panels = list(pd.unique(data[facet]))
        faceted = layered.properties(height=height).facet(
            row=alt.Row(
                facet,
                type="nominal",
                sort=panels,
                title=None,
                header=alt.Header(
                    labelAngle=0,
                    labelAlign="left",
                    labelAnchor="start",
                    labelOrient="top",
                    labelFontSize=PANEL_TITLE_SIZE,
                    labelFontWeight="bold",
                    labelPadding=6,
                ),
            )
        )
        chart = _finish(faceted.resolve_scale(x="shared" if x_domain is not None else "independent"), height=None)
    else:
        chart = _finish(layered)
    return Figure(
        chart,
        data,
        POINT_HINT + ", click the legend to leave a series out.",
        TOUCH_POINT_HINT + ", tap the legend to leave a series out.",
    )


def _gap_marks(x_enc: alt.X, missing: str, panel_tooltip: list, x: str, x_title: str) -> alt.Chart:
    """A faint full-height band at each ``x`` without data, named in its tooltip."""
    return (
        alt.Chart()
        .transform_filter(f"datum[{missing!r}]")
        .mark_bar(color=GAP_GREY, opacity=0.18)
        .encode(
            x=x_enc,
            y=alt.value(0),
            y2=alt.value(HEIGHT // 2),
            tooltip=[*panel_tooltip, alt.Tooltip(x, type="ordinal", title=x_title), alt.Tooltip("_gap:N", title="")],
        )
        .transform_calculate(_gap="'no list for this year'")
    )


def count_and_share_figure(
    data: pd.DataFrame,
    *,
    x: str,
    count: str,
    share: str,
    x_title: str,
    count_title: str,
    share_title: str,
    tooltip: Sequence[alt.Tooltip | str],
    color: str = PALETTE[0],
) -> Figure:
    """Two panels on one ``x`` axis: ``share`` (a percentage) as a line above, ``count`` as bars below.

    A count and its share can move apart (more papers, a smaller part of a growing whole); showing both
    keeps a reader from taking one for the other. Hover or tap shows ``tooltip`` in either panel.
    """
    _require_columns(data, [x, count, share])
    x_enc = alt.X(x, type="ordinal", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))
    base = alt.Chart(data).encode(x=x_enc, tooltip=list(tooltip))
    share_panel = alt.layer(
        base.mark_line(color=color, strokeWidth=2),
        base.mark_point(color=color, filled=True, size=36),
    ).encode(y=alt.Y(share, type="quantitative", title=share_title, **_value_axis(data[share].max(), HEIGHT // 2)))
    count_panel = base.mark_bar(color=color).encode(
        x=alt.X(x, type="ordinal", title=x_title, axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
        y=alt.Y(count, type="quantitative", title=count_title, **_value_axis(data[count].max(), HEIGHT // 2)),
    )
    chart = alt.vconcat(
        share_panel.properties(height=HEIGHT // 2), count_panel.properties(height=HEIGHT // 2), spacing=12
    ).resolve_scale(x="shared")
    return Figure(_finish(chart, height=None), data, POINT_HINT + ".", TOUCH_POINT_HINT + ".")


def _lines(data: pd.DataFrame, x: str, series: str, provisional: str | None, label: str) -> alt.Chart:
    """The lines: solid through complete points, dashed from the last complete point to the provisional ones."""
    stretch = "_stretch"
    if not provisional or not data[provisional].any():
        return alt.Chart(data.assign(**{stretch: ""})).mark_line(strokeWidth=2)
    pieces = []
    for _, rows in data.sort_values(x).groupby(series, sort=False):
        done, open_ = rows[~rows[provisional]], rows[rows[provisional]]
        pieces += [done.assign(**{stretch: ""}), pd.concat([done.tail(1), open_]).assign(**{stretch: label})]
    dash = alt.StrokeDash(
        stretch,
        type="nominal",
        scale=alt.Scale(domain=["", label], range=[[1, 0], [5, 4]]),
        legend=alt.Legend(
            title=None, orient="bottom", values=[label], symbolStrokeColor=EVENT_GREY, symbolStrokeWidth=2
        ),
    )
    return alt.Chart(pd.concat(pieces, ignore_index=True)).mark_line(strokeWidth=2).encode(strokeDash=dash)


def _flag_marks(rows: pd.DataFrame, series: str, names: list, label: str) -> alt.Chart:
    flag = "_flag"
    sizes = [70, 28, 130, 14, 200, 8, 260][: len(names)]
    return (
        alt.Chart(rows.assign(**{flag: label}))
        .mark_point(filled=False, strokeWidth=1.5)
        .encode(
            color=alt.Color(series, type="nominal", sort=names, legend=None),
            size=alt.Size(series, type="nominal", sort=names, scale=alt.Scale(domain=names, range=sizes), legend=None),
            shape=alt.Shape(
                flag,
                type="nominal",
                scale=alt.Scale(domain=[label], range=["circle"]),
                legend=alt.Legend(
                    title=None, orient="bottom", symbolStrokeColor=EVENT_GREY, symbolFillColor="transparent"
                ),
            ),
        )
    )


def _event_marks(events: pd.DataFrame, x: str) -> list[alt.Chart]:
    """A dotted rule per event (its description on hover), and its label at the top, left of the rule."""
    _require_columns(events, [x, "label", "description"])
    tooltip = [
        alt.Tooltip(x, type="temporal", title="Date", format="%-d %B %Y"),
        alt.Tooltip("description:N", title=""),
    ]
    rules = (
        alt.Chart(events)
        .mark_rule(color=EVENT_GREY, strokeDash=[2, 3], strokeWidth=1.5)
        .encode(x=alt.X(x, type="temporal"), tooltip=tooltip)
    )
    labels = [
        alt.Chart(events.iloc[[row]])
        .mark_text(align="right", baseline="top", dx=-4, dy=2 + 14 * row, color=EVENT_GREY, fontSize=11)
        .encode(x=alt.X(x, type="temporal"), y=alt.value(0), text="label:N")
        for row in range(len(events))
    ]
    return [rules, *labels]


# ---------------------------------------------------------------- show


def show(
    figure: Figure, *, name: str, alt: str, caption: str, source: str | None = None, data: pd.DataFrame | None = None
) -> None:
    """Export ``figure`` to ``figures/<name>.{vl.json,png,svg,csv}`` and show it here, with its caption.

    - ``alt``: what the figure shows, for screen readers (required);
    - ``caption``: the caption text (may hold live facts, e.g. the fetch date);
    - ``source``: appended to the caption as "Source: ...";
    - ``data``: the table offered as CSV beside the chart (default: the figure's own data).

    The figure appears where the cell is; other pages refer to it as ``{numref}`fig-<name>```.
    """
    from IPython.display import display

    # (``alt`` is the alt text here, not the altair module.)
    _check_name(name)
    if not alt or not alt.strip():
        raise Ai4NeuroError(f"figure {name!r}: alt text is empty. Pass alt='what the figure shows' to figures.show.")
    table = figure.data if data is None else data
    files = export(figure, name, table)
    rendered = RenderedFigure(
        figure, name=name, alt=alt.strip(), csv=files["csv"].read_bytes(), png=files["png"].read_bytes()
    )
    display(rendered, Caption(name, caption_text(caption, source)))


def show_notice(name: str, notice, subject: str) -> None:
    """Show ``notice`` in place of figure ``name``, captioned as having no data (the page and its links still work)."""
    from IPython.display import display

    display(notice, Caption(name, f"{subject}: no data in this build (see the notice)."))


def caption_text(caption: str, source: str | None = None) -> str:
    text = caption.strip()
    if source:
        text = f"{text}{'' if text.endswith('.') else '.'} Source: {source.strip().rstrip('.')}."
    return text


def export(figure: Figure, name: str, data: pd.DataFrame | None = None) -> dict[str, Path]:
    """Write ``figures/<name>.vl.json`` (the spec), ``.png`` and ``.svg`` (drawn from it) and ``.csv``.

    The PNG and SVG are redrawn when the spec differs from the ``.vl.json`` on disk, or a drawing is
    missing or differs from what the spec file's stamp says was drawn (:mod:`ai4neuro.figure_files`);
    the CSV is spreadsheet-safe (:mod:`ai4neuro.csvsafe`). Files whose bytes would not change are not
    rewritten; the spec file, with its stamp, is written last.
    """
    _check_name(name)
    files = figure_files.files_of(name)
    spec = figure.static_spec()
    found = figure_files.read(name)
    drawn = (
        found is not None
        and figure_files.spec_bytes(found[0]) == figure_files.spec_bytes(spec)
        and figure_files.drawings_match(files, found[1])
    )
    if not drawn:
        import vl_convert

        _write_if_changed(files["svg"], vl_convert.vegalite_to_svg(spec).encode("utf-8"))
        _write_if_changed(files["png"], vl_convert.vegalite_to_png(spec, scale=STATIC_SCALE))
    _write_if_changed(files["csv"], csvsafe.csv_bytes(figure.data if data is None else data))
    stamp = figure_files.stamp(files, snapshots.loaded_records())
    _write_if_changed(files["vl.json"], figure_files.spec_bytes(spec, stamp))  # last: the stamp of what is whole
    return files


def write_table_csv(name: str, table: pd.DataFrame) -> Path:
    """Write ``figures/<name>.csv`` (a table's data, spreadsheet-safe) when its bytes change."""
    _check_name(name)
    path = figure_files.files_of(name)["csv"]
    _write_if_changed(path, csvsafe.csv_bytes(table))
    return path


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _write_if_changed(path: Path, payload: bytes) -> None:
    if _bytes(path) != payload:
        atomic_write(path, payload)


class Text:
    """A plain string for ``{glue:text}``: its ``text/plain`` output is the string as a Python literal,
    because MyST-NB reads that output with ``ast.literal_eval`` (the bare text ``1,800`` would come out
    as the tuple ``(1, 800)``), and shows the string itself, without quotes."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": repr(self.text)}


class Table:
    """A table shown whole: every row and every character (no truncation), cells escaped, no index column.

    Every cell carries its column's name (``data-label``), so that in the book a table of more than two
    columns becomes one card per row on a phone (``_static/book.css``), still read as a table.
    ``group_by`` folds a long table into one collapsible section per value of that column (closed on
    screen, open in print); ``code`` names columns shown as code (regular expressions), which may wrap
    after each ``|``. What is still too wide scrolls in its own box, which the keyboard reaches.
    """

    def __init__(
        self, frame: pd.DataFrame, *, group_by: str | None = None, code: Sequence[str] = (), row_name: str = "row"
    ) -> None:
        self.frame, self.group_by, self.code, self.row_name = frame, group_by, tuple(code), row_name

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": TEXT_TABLE_STYLE + self.html(), "text/plain": self.frame.to_string(index=False)}

    def html(self) -> str:
        if self.group_by is None:
            return self._box(self._table(self.frame), tabindex=True)
        groups = self.frame.groupby(self.group_by, sort=False)
        return self._box("".join(self._section(value, rows) for value, rows in groups), tabindex=False)

    def _section(self, value, rows: pd.DataFrame) -> str:
        """One group of rows, collapsible, named by its value and size: "Label: neuro (15 rules)"."""
        size = f"{len(rows)} {self.row_name}{'' if len(rows) == 1 else 's'}"
        summary = html.escape(f"{self.group_by}: {value} ({size})")
        table = self._table(rows.drop(columns=self.group_by))
        return f'<details class="ai4n-table-group"><summary>{summary}</summary>{table}</details>'

    def _box(self, inner: str, *, tabindex: bool) -> str:
        columns = len(self.frame.columns) - (self.group_by is not None)
        classes = f"ai4n-wide-table {TEXT_TABLE_CLASS}" + (" ai4n-stack" if columns > 2 else "")
        focus = ' tabindex="0"' if tabindex else ""
        return f'<div class="{classes}" style="overflow-x:auto;max-width:100%"{focus}>{inner}</div>'

    def _table(self, frame: pd.DataFrame) -> str:
        columns = [Column(str(name), {"scope": "col"}, {"data-label": str(name)}) for name in frame.columns]
        rows = (
            [self._cell(name, value) for name, value in zip(frame.columns, row, strict=True)]
            for row in frame.itertuples(index=False)
        )
        return html_table(columns, rows)

    def _cell(self, column: str, value) -> str | Markup:
        """The cell's text; in a code column, code that may wrap after each ``|``."""
        text = "" if pd.isna(value) else str(value)
        if column in self.code and text:
            return Markup("<code>" + "|<wbr>".join(html.escape(part) for part in text.split("|")) + "</code>")
        return text


class RenderedFigure:
    """The output of a figure: the chart for JupyterLab and the book, the PNG for print, and plain text.

    The Vega-Lite spec is the static one (a fixed width: JupyterLab's renderer loops on a width that
    follows its container); the book's renderer fits it to the text column. Name, alt text, hint and
    CSV ride along in the output's metadata, for the book's chart container and its data link.
    """

    def __init__(self, figure: Figure, *, name: str, alt: str, csv: bytes, png: bytes) -> None:
        self.figure, self.name, self.alt, self.csv, self.png = figure, name, alt, csv, png

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        spec = {**self.figure.static_spec(), "description": self.alt}  # becomes the SVG's aria-label
        data = {
            VEGALITE_MIME: spec,
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": f"Figure {self.name}: {self.alt}",
        }
        about = {
            "name": self.name,
            "alt": self.alt,
            "hint": self.figure.hint,
            "touch_hint": self.figure.touch_hint,
            "csv": self.csv.decode("utf-8"),
        }
        return data, {"image/png": {"alt": self.alt}, METADATA_KEY: about}


class Caption:
    """The caption of the output shown just before it: Markdown under the figure in Jupyter; in the book,
    the caption of the numbered figure ``fig-<name>`` that the extension makes of that output."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.text = name, text

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data = {"text/markdown": f"**Figure.** {escape_markdown(self.text)}", "text/plain": self.text}
        return data, {METADATA_KEY: {"caption": self.name}}


# ---------------------------------------------------------------- helpers


def _zoom() -> alt.Parameter:
    """Horizontal zoom (shift + wheel) and pan (drag); a plain wheel scrolls the page."""
    return alt.selection_interval(bind="scales", encodings=["x"], zoom="wheel![event.shiftKey]", name="zoom")


def _legend_toggle(series: str) -> alt.Parameter:
    """A click on a legend entry hides that series, a second click shows it again.

    The selection holds the *hidden* series. It starts with a placeholder that matches no
    data, so it is never empty (Vega-Lite treats an empty selection as "all selected").
    """
    return alt.selection_point(
        fields=[series], bind="legend", toggle="true", clear=False, value=[{series: "\u2063none"}], name="hidden"
    )


def _visible(hidden: alt.Parameter) -> Mapping[str, Any]:
    return alt.when(hidden).then(alt.value(FADED)).otherwise(alt.value(1))


def _color(series: str, names: list, symbol: str, palette: list[str] | None = None) -> alt.Color:
    return alt.Color(
        series,
        type="nominal",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names, range=palette or PALETTE[: len(names)]),
        legend=alt.Legend(
            orient="top", symbolType=symbol, symbolStrokeWidth=3, labelLimit=240, symbolOpacity=LEGEND_HIDDEN
        ),
    )


def _finish(chart: alt.TopLevelMixin, height: int | None = HEIGHT) -> alt.TopLevelMixin:
    """Fit the text column (width='container'); axis and text colours come from the page theme."""
    if height is not None:  # a single view; facets and panels get their width from the renderer (charts.js)
        chart = chart.properties(width="container", height=height)
    autosize = alt.AutoSizeParams(type="fit-x" if height is not None else "pad", contains="padding")
    return (
        chart.configure(autosize=autosize, background="transparent")
        .configure_view(stroke=None)
        .configure_legend(unselectedOpacity=1)
    )


def round_ticks(highest: float, height: int) -> list[float]:
    """The value axis' ticks, from 0 to the first round tick above ``highest`` (with at least
    :data:`HEADROOM` of the axis above it), so that the tallest bar never touches the frame and the axis
    says where it ends. The step is the smallest of 1, 2 or 5 times a power of ten (whole numbers for whole
    data) that leaves at most one and a half ticks per :data:`TICK_SPACING` px of ``height``."""
    highest = float(highest) if pd.notna(highest) and highest > 0 else 0.0
    most = max(2, (3 * height) // (2 * TICK_SPACING))
    power = 10.0 ** (math.floor(math.log10(highest / most)) if highest else 0)
    whole = highest.is_integer()
    for step in (factor * power * 10**k for k in range(3) for factor in (1, 2, 5)):
        if whole and step < 1:
            continue
        top = (math.floor(highest / step) + 1) * step
        if top - highest < HEADROOM * top:
            top += step
        if round(top / step) <= most:
            break
    return [int(i * step) if whole else round(i * step, 10) for i in range(round(top / step) + 1)]


def _value_axis(highest: float, height: int) -> dict:
    """``scale`` and ``axis`` of a value (y) encoding that ends at a round tick above ``highest``."""
    ticks = round_ticks(highest, height)
    return {"scale": alt.Scale(domain=[0, ticks[-1]], nice=False), "axis": alt.Axis(values=ticks)}


def _tallest_bar(data: pd.DataFrame, y: str, stack_by: list[str] | None) -> float:
    """The tallest bar: the largest stack (sum of ``y`` per ``stack_by`` group), or the largest value."""
    values = data[y] if stack_by is None else data.groupby(stack_by, dropna=False)[y].sum()
    return float(values.max()) if len(values) else 0.0


def _series_order(data: pd.DataFrame, series: str) -> list:
    names = list(pd.unique(data[series]))
    if len(names) > len(PALETTE):
        raise Ai4NeuroError(
            f"a figure has {len(names)} series in {series!r}; the palette has {len(PALETTE)} colours. Split the figure."
        )
    return names


def _require_columns(data: pd.DataFrame, columns: list[str]) -> None:
    missing = [column for column in columns if column not in data.columns]
    if missing:
        raise Ai4NeuroError(
            f"figure data has no column(s) {missing}; it has {list(data.columns)}. Pass the tidy table's column names."
        )
    if data.empty:
        raise Ai4NeuroError("figure data has no rows. Load the snapshot first (see chapters/about-data.md).")


def _check_name(name: str) -> None:
    if not name or not all(c.isalnum() or c == "-" for c in name) or name != name.lower():
        raise Ai4NeuroError(
            f"figure name {name!r}: use lower-case letters, digits and hyphens (it names figures/<name>.png)."
        )
