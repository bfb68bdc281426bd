"""Inline kramdown → MyST: the text inside a block, as the blog shows it.

Code spans and fenced code stay as they are; so does the inside of ``<code>``, ``<kbd>``, ``<samp>`` and
``<var>`` (raw to kramdown: escaped for MyST). In the rest:

- math (:mod:`~ai4neuro.posts.math`) becomes MyST's ``$…$``; every other ``$`` is text (``\\$``);
- text MyST would read as its own syntax is escaped: ``%``, ``+++``, ``(x)=`` and ``:::`` at a line
  start, ``{{`` and ``{%``, and the ``(c)``/``(tm)``/``+-`` that MyST's ``replacements`` would turn into
  symbols; kramdown's ``<<`` and ``>>`` are « and »;
- span attribute lists (``{:.x}``) are dropped with a warning;
- links, images and inline HTML are rewritten for the book (:mod:`~ai4neuro.posts.references`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ai4neuro.posts.escaping import CODE_SPAN, closes_fence, escape_markdown, escape_replacements
from ai4neuro.posts.math import Math, dollar_candidate, find_math, literal_dollars
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.references import References
from ai4neuro.posts.site import Site

SPAN_IAL = re.compile(r"\{:(?![:/])[^}\n]*\}")
CODE_OR_RAW_SPAN = re.compile(
    r"(?P<raw>(?P<open><(?P<tag>code|kbd|samp|var)\b[^>]*>)(?P<inside>.*?)(?P<close></(?P=tag)\s*>))"
    r"|(?P<tick>`+)(?!`).*?(?<!`)(?P=tick)(?!`)",
    re.DOTALL | re.IGNORECASE,
)
GUILLEMETS = re.compile(r"(?<!\\)<<|(?<![\\\n])(?<!^)>>")  # kramdown's typography: << and >> are « and »
DOLLAR = re.compile(r"(?<!\\)\$")
LINE_START = re.compile(r"^(\s*(?:>\s*)*)(%|\+\+\+|\(\S+\)=|:::)", re.MULTILINE)
FENCE_LINE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)*(`{3,}|~{3,})")


@dataclass
class Inline:
    """The inline converter of one post."""

    site: Site
    notes: Notes
    references: References
    dollar_note: bool = False  # the single-dollar assumption was told

    def prose(self, text: str, line: int) -> str:
        """Inline kramdown → MyST in a block of prose, code spans and fenced code inside it left alone."""
        out: list[str] = []
        chunk: list[str] = []
        fence, start = "", line
        for number, row in enumerate(text.split("\n")):
            marker = FENCE_LINE.match(row)
            if fence:
                out.append(row)
                if marker and closes_fence(fence, marker.group(1), row[marker.end() :]):
                    fence = ""
                continue
            if marker:
                out.append(self._inline("\n".join(chunk), start)) if chunk else None
                chunk, fence = [], marker.group(1)
                out.append(row)
                continue
            if not chunk:
                start = line + number
            chunk.append(row)
        if chunk:
            out.append(self._inline("\n".join(chunk), start))
        return "\n".join(out)

    def _inline(self, text: str, line: int) -> str:
        """Code spans stay as they are; so does the inside of ``<code>``, ``<kbd>``, ``<samp>`` and ``<var>``
        (raw to kramdown: its backticks and asterisks are text, so escaped for MyST)."""
        pieces, cursor = [], 0
        for code in CODE_OR_RAW_SPAN.finditer(text):
            pieces.append(self._text(text[cursor : code.start()], line + text.count("\n", 0, cursor)))
            if code.group("raw"):
                inner = escape_markdown(code.group("inside"), keep_html=True)
                pieces.append(self.references.html(code.group("open"), line) + inner + code.group("close"))
            else:
                pieces.append(code.group(0))
            cursor = code.end()
        pieces.append(self._text(text[cursor:], line + text.count("\n", 0, cursor)))
        return "".join(pieces)

    def _text(self, text: str, line: int) -> str:
        """Text between code spans: math, escapes, span IALs, links, images and inline HTML."""
        if not text:
            return text
        pieces, cursor = [], 0
        for math in find_math(text, self.site.single_dollar_math):
            pieces.append(self._plain(text[cursor : math.start], line + text.count("\n", 0, cursor)))
            pieces.append(f"${math.tex}$" if "\n" not in math.tex else f"${' '.join(math.tex.split())}$")
            cursor = math.end
        pieces.append(self._plain(text[cursor:], line + text.count("\n", 0, cursor)))
        return "".join(pieces)

    def _plain(self, text: str, line: int) -> str:
        """Text without code or math: MyST's own syntax escaped, then links, images and HTML rewritten."""
        for match in SPAN_IAL.finditer(text):
            self.notes.warn(
                line + text.count("\n", 0, match.start()), f"kramdown span attributes dropped: {match.group(0)}"
            )
        text = SPAN_IAL.sub("", text)
        self._tell_dollar_assumption(text, line)
        if self.site.single_dollar_math:
            text = literal_dollars(text)
        text = DOLLAR.sub(r"\\$", text)
        text = text.replace("{{", r"\{\{").replace("{%", r"\{%")
        text = LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        text = escape_replacements(text)
        text = GUILLEMETS.sub(lambda m: "«" if m.group(0) == "<<" else "»", text)
        text = self.references.markdown(text, line)
        if "<" in text:
            text = self.references.html(text, line)
        return text

    def _tell_dollar_assumption(self, text: str, line: int) -> None:
        """Once per post: ``$…$`` is text, as MathJax reads it by default, unless ``posts/_config.yml`` says more."""
        if self.dollar_note or self.site.inline_math_set:
            return
        at = dollar_candidate(text)
        if at is None:
            return
        self.dollar_note = True
        self.notes.warn(
            line + text.count("\n", 0, at),
            "$…$ is shown as text: the blog's MathJax is assumed to read inline math between \\(…\\) only "
            "(its default); if it reads $…$ too, set inline_math in posts/_config.yml",
        )


def math_outside_code(text: str, single_dollar: bool) -> Iterator[Math]:
    """The math in ``text`` outside its code spans, at its offsets in ``text``."""
    cursor = 0
    for code in [*CODE_SPAN.finditer(text), None]:
        stop = code.start() if code else len(text)
        for math in find_math(text[cursor:stop], single_dollar):
            yield Math(cursor + math.start, cursor + math.end, math.tex, math.display)
        if code is None:
            break
        cursor = code.end()
