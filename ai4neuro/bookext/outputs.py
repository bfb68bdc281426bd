"""The package's cell outputs in the book: charts, searchable tables, and captions that make figures.

The chapters are plain notebooks whose cells show standard outputs (see :mod:`ai4neuro.outputs`).
:class:`OutputRenderer` is a MyST-NB MIME renderer (entry point group ``myst_nb.mime_renderers`` in
``pyproject.toml``), called for every MIME type of every output while a chapter is read:

- a Vega-Lite output becomes the book's interactive chart (:func:`ai4neuro.bookext.charts.chart_html`);
- a paper-table output becomes the searchable table (:func:`ai4neuro.bookext.tables.table_html`);
- a caption output (:class:`ai4neuro.figures.Caption`) becomes a marker, and :class:`CaptionedFigures`
  then makes the output just before it a numbered figure ``fig-<name>`` with that caption. It runs
  while the page is read, before Sphinx collects labels and numbers figures, so ``{numref}`` works
  from any page, whichever MIME type a builder later shows.

Which MIME type each builder shows (the chart in HTML, the PNG in print) is set by
``nb_mime_priority_overrides`` in ``_config.yml``.
"""

from __future__ import annotations

import json

from docutils import nodes
from myst_nb.core.render import MimeData, NbElementRenderer
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ai4neuro.outputs import METADATA_KEY, PAPER_TABLE_MIME, VEGALITE_MIME

logger = logging.getLogger(__name__)


class caption_marker(nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """Where a caption output was: ``name`` and ``text``; replaced by :class:`CaptionedFigures`."""


class OutputRenderer:
    """Renders the package's own outputs; returns ``None`` for everything else (MyST-NB's defaults)."""

    @staticmethod
    def handle_mime(renderer: NbElementRenderer, data: MimeData, inline: bool) -> list[nodes.Element] | None:
        about = data.output_metadata.get(METADATA_KEY) or {}
        if inline:
            return None
        if "caption" in about:  # one marker for the output; its other MIME types show nothing
            if data.mime_type != "text/plain":
                return []
            return [caption_marker(name=about["caption"], text=data.string.strip())]
        if data.mime_type == VEGALITE_MIME:
            from ai4neuro.bookext.charts import chart_html

            name = about.get("name") or f"output-{data.cell_index}-{data.output_index}"
            spec = _json(data)
            alt = about.get("alt") or spec.get("description") or "Chart"
            markup = chart_html(
                spec,
                name=name,
                alt=alt,
                csv=about.get("csv"),
                hint=about.get("hint"),
                touch_hint=about.get("touch_hint"),
            )
            return [nodes.raw("", markup, format="html", classes=["output", "ai4n-output"])]
        if data.mime_type == PAPER_TABLE_MIME:
            from ai4neuro.bookext.tables import table_html

            return [nodes.raw("", table_html(_json(data)), format="html", classes=["output", "ai4n-output"])]
        return None


# The outputs' HTML is ours, not a notebook's "text/html" (no ``text_html`` class): pydata-sphinx-theme puts
# notebook HTML on a light panel in dark mode, where the book's own colours would lose their contrast.


def _json(data: MimeData) -> dict:
    """JSON MIME data: a dict in a notebook read by nbformat, a string elsewhere."""
    return data.content if isinstance(data.content, dict) else json.loads(data.string)


def _is_bundle(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


class CaptionedFigures(SphinxTransform):
    """Make the output before each caption a numbered figure, labelled ``fig-<name>``, with that caption."""

    default_priority = 200  # before Sphinx numbers figures (210) and collects labels (850)

    def apply(self, **kwargs) -> None:
        for marker in list(self.document.findall(caption_marker)):
            caption_bundle = next((node for node in _ancestors(marker) if _is_bundle(node)), None)
            output = _previous_sibling(caption_bundle) if caption_bundle is not None else None
            if output is None or not _is_bundle(output) or isinstance(output.parent, nodes.figure):
                logger.warning(
                    "figure %r: its caption follows no output of its cell; show the figure first, then the caption",
                    marker["name"],
                    location=marker,
                    type="ai4neuro",
                    subtype="caption",
                )
            else:
                self.make_figure(output, marker["name"], marker["text"])
            (caption_bundle or marker).parent.remove(caption_bundle or marker)

    def make_figure(self, output: nodes.Element, name: str, text: str) -> None:
        figure = nodes.figure("", classes=["ai4n-figure"])
        figure.source, figure.line = output.source, output.line
        output.replace_self(figure)
        figure += output
        figure += nodes.caption(text, text)
        figure["names"].append(f"fig-{name}")
        self.document.note_explicit_target(figure, figure)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _previous_sibling(node: nodes.Element) -> nodes.Node | None:
    index = node.parent.index(node)
    return node.parent[index - 1] if index > 0 else None


def setup(app: Sphinx) -> None:
    app.add_transform(CaptionedFigures)
