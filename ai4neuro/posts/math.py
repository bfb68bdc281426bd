"""Math in a post as the blog shows it: what kramdown writes, then what the blog's MathJax reads.

- ``$$…$$``: kramdown's own math: inline in a line of text, a display block when it is a paragraph
  of its own (found by :mod:`~ai4neuro.posts.reader`, blank lines and all).
- ``\\\\(…\\\\)`` and ``\\\\[…\\\\]``: kramdown writes ``\\(…\\)`` and ``\\[…\\]`` (the ``\\\\`` is an escaped
  backslash), which MathJax reads as inline and display math by default.
- ``$…$``: text for kramdown; math only where the blog's MathJax is told so (``inline_math`` in
  ``posts/_config.yml``). Then every ``$`` kramdown writes is a delimiter, as on the blog (``\\\\$`` is a
  dollar sign: MathJax's ``processEscapes``).

The TeX of escaped-delimiter and single-dollar math is the text kramdown writes (``\\\\{`` → ``\\{``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KRAMDOWN_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.DOTALL)
ESCAPED_INLINE = re.compile(r"(?<!\\)\\\\\((.+?)\\\\\)", re.DOTALL)
ESCAPED_DISPLAY = re.compile(r"(?<!\\)\\\\\[(.+?)\\\\\]", re.DOTALL)
GFM_ESCAPE = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=~-])")
CANDIDATE = re.compile(r"(?<![\\$])\$(?=[^\s$])(?:[^$\n]*?[^\s\\$])?\$(?![\d$])")


@dataclass(frozen=True)
class Math:
    start: int  # where the math starts in the source text (its opening delimiter)
    end: int  # just after its closing delimiter
    tex: str
    display: bool


def kramdown_text(source: str) -> str:
    """What kramdown writes for ``source`` as plain text: its backslash escapes resolved (GFM's set)."""
    return GFM_ESCAPE.sub(r"\1", source)


def find_math(text: str, single_dollar: bool = False) -> list[Math]:
    """The math in a piece of text between code spans, in order (see the module's rules)."""
    found: list[Math] = []
    position = 0
    while position < len(text):
        best = None
        for pattern, display, escaped in (
            (KRAMDOWN_MATH, False, False),
            (ESCAPED_INLINE, False, True),
            (ESCAPED_DISPLAY, True, True),
        ):
            match = pattern.search(text, position)
            if match and (best is None or match.start() < best[0].start()):
                best = (match, display, escaped)
        dollar = _single_dollar(text, position) if single_dollar else None
        if dollar and (best is None or dollar.start < best[0].start()):
            found.append(dollar)
            position = dollar.end
            continue
        if best is None:
            break
        match, display, escaped = best
        tex = kramdown_text(match.group(1)) if escaped else match.group(1)
        found.append(Math(match.start(), match.end(), tex.strip(), display))
        position = match.end()
    return found


def _single_dollar(text: str, position: int) -> Math | None:
    """The next ``$…$`` MathJax finds in what kramdown writes for ``text[position:]``.

    A ``$`` that kramdown writes is a delimiter: ``$`` and ``\\$`` alike (kramdown drops the backslash);
    ``\\\\$`` becomes ``\\$``, a dollar sign. The closing ``$`` is the next one outside braces.
    """
    index = position
    while index < len(text):
        opening = _next_dollar(text, index)
        if opening is None:
            return None
        start, after = opening
        if text.startswith("$$", start):  # kramdown's own math, found by the caller
            index = start + 2
            continue
        depth, cursor = 0, after
        while cursor < len(text):
            char = text[cursor]
            if char == "\\" and cursor + 1 < len(text):
                if text[cursor + 1] == "$" and depth == 0:
                    end = cursor + 2  # kramdown writes "$": it closes
                    return Math(start, end, kramdown_text(text[after:cursor]).strip(), False)
                cursor += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth = max(depth - 1, 0)
            elif char == "$" and depth == 0:
                if text.startswith("$$", cursor):
                    break
                return Math(start, cursor + 1, kramdown_text(text[after:cursor]).strip(), False)
            elif char == "\n" and text.startswith("\n", cursor + 1):
                break
            cursor += 1
        index = after
    return None


def _next_dollar(text: str, index: int) -> tuple[int, int] | None:
    """The next ``$`` that MathJax reads as a delimiter in what kramdown writes: (its start in the source,
    the offset after it). ``n`` backslashes before it become ``n // 2`` (and the ``$``); an odd number of
    those escapes it (``processEscapes``)."""
    while index < len(text):
        at = text.find("$", index)
        if at < 0:
            return None
        backslashes = len(text[:at]) - len(text[:at].rstrip("\\"))
        if (backslashes // 2) % 2 == 0:
            return at - backslashes % 2, at + 1
        index = at + 1
    return None


def literal_dollars(text: str) -> str:
    """On a blog whose MathJax reads ``$``: ``\\\\$`` (a dollar sign there) as MyST's ``\\$``."""
    return re.sub(r"(?<!\\)\\\\\$", r"\\$", text)


def dollar_candidate(text: str) -> int | None:
    """Where ``text`` holds something that reads as ``$…$`` math on a blog whose MathJax takes single dollars
    (pandoc's rule: no space inside the dollars, no digit after the closing one); None if nothing does."""
    match = CANDIDATE.search(text)
    return match.start() if match else None


def display_block(tex: str) -> str:
    """A MyST display-math block; blank lines inside are dropped (MathJax reads them as spaces)."""
    lines = [line for line in tex.strip().splitlines() if line.strip()]
    return "$$\n" + "\n".join(lines) + "\n$$"
