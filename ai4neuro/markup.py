"""Outside text on the book's pages stays text: the one HTML table writer and the one Markdown escaper.

Titles, labels, matched rules, a chart's numbers and a snapshot's provenance come from outside (paper lists,
records, exports). Every table of the package and the book's extension is written by :func:`html_table`,
which escapes each heading and cell unless it is markup already (an object with ``__html__``, e.g.
``markupsafe.Markup``: a link, code); text shown as Markdown goes through :func:`escape_markdown`. This module
imports nothing heavy: the extension loads it too.
"""

from __future__ import annotations

import html
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

_PUNCTUATION = frozenset(string.punctuation)  # ASCII punctuation: the characters a backslash makes literal


@dataclass(frozen=True)
class Column:
    """A table's column: its heading (text), the attributes of its heading cell and of each of its cells."""

    heading: str
    heading_attributes: Mapping[str, str] = field(default_factory=dict)
    cell_attributes: Mapping[str, str] = field(default_factory=dict)


def html_table(columns: Sequence[Column], rows: Iterable[Sequence[object]], classes: str = "table") -> str:
    """``<table>`` with a heading row and a row per item of ``rows``, a cell per column (a short row: fewer)."""
    head = "".join(_element("th", column.heading, column.heading_attributes) for column in columns)
    body = "".join(
        "<tr>"
        + "".join(_element("td", value, column.cell_attributes) for column, value in zip(columns, row, strict=False))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{html.escape(classes)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _element(tag: str, content: object, attributes: Mapping[str, str]) -> str:
    names = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return f"<{tag}{names}>{as_html(content)}</{tag}>"


def as_html(content: object) -> str:
    """``content`` as HTML: markup as it is (``__html__``), anything else as escaped text."""
    markup = getattr(content, "__html__", None)
    return markup() if callable(markup) else html.escape(str(content))


def escape_markdown(text: object) -> str:
    """``text`` as Markdown that MyST (with the book's extensions) and Jupyter show as written, on one line.

    Every ASCII punctuation character is escaped: no emphasis, code, link, HTML, role, directive, math,
    substitution or list, no link made of a bare address (``linkify``), no symbol made of ``(c)`` or ``--``
    (``replacements``) and no curly quote (``smartquotes``). A line break would end the paragraph or the list
    item and start other Markdown: the text is joined into one line. This is for text from outside (data,
    provenance, captions built from it), where safety comes first; the importer writes the author's own text
    into a chapter the author reads and edits, and escapes only what MyST would misread
    (:func:`ai4neuro.posts.escaping.escape_markdown`).
    """
    return "".join(f"\\{char}" if char in _PUNCTUATION else char for char in " ".join(str(text).split()))


def markdown_code(text: object) -> str:
    """``text`` as inline code on one line (a backtick inside would end it, so it is shown as ``'``)."""
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"
