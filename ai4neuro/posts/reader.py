"""A post's top-level blocks as kramdown reads them (Jekyll's reader), not as CommonMark does.

:func:`~ai4neuro.posts.blocks.split_blocks` with ``reader=``:class:`KramdownReader`: markdown-it (CommonMark
with GFM tables and footnotes) finds the blocks; where kramdown reads the
same lines otherwise, the block is read again by kramdown's rule, and the text after it is read afresh:

- HTML: a block of HTML ends at its element's closing tag (:mod:`~ai4neuro.posts.html`), not at the
  next blank line, so it may hold blank lines and the Markdown right after it is Markdown; a line
  starting with a span element (``<img>``) or a stray closing tag starts a paragraph;
- math: ``$$`` after a blank line runs to the next ``$$`` even across blank lines (one display block);
- tables: kramdown's rule, not GFM's: rows are lines with a ``|``, after a blank line and before one,
  a delimiter row is optional; a table right under a paragraph line is part of that paragraph.

Kinds: markdown-it's token types, ``html_element`` (kramdown's block HTML), ``math_block``,
``definitions`` and ``footnote``.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from ai4neuro.posts import html
from ai4neuro.posts.blocks import Block, BlockReader, Reading, join
from ai4neuro.posts.escaping import CODE_SPAN

POST_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).disable("inline")
IAL_LINE = re.compile(r"^ {0,3}\{:(?![:/])\s*([^}]*)\}\s*$")
EOB_LINE = re.compile(r"^\^\s*$")
OPTIONS = re.compile(r"^\s*\{::options\b([^}]*?)/?\}\s*$")
MATH_OPEN = re.compile(r"^ {0,3}\$\$")
MATH_CLOSE = re.compile(r"\$\$[ \t]*(?:\n|\Z)")
TABLE_LINE = re.compile(r"^(?:\s*\||.*?[^\\\n]\|)")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def parse_block_html_option(text: str) -> bool | None:
    """``{::options parse_block_html="true" /}`` → True (``false`` → False); None if the line sets no such option."""
    options = OPTIONS.match(text)
    if not options:
        return None
    found = re.search(r"""parse_block_html\s*=\s*["']?(\w+)""", options.group(1))
    return None if not found else found.group(1).lower() == "true"


class KramdownReader(BlockReader):
    """A post's blocks (:func:`~ai4neuro.posts.blocks.split_blocks` with ``reader=KramdownReader``): markdown-it's,
    each read again where kramdown reads those lines otherwise (no MyST syntax)."""

    parser = POST_PARSER

    def __init__(self, text: str):
        super().__init__(text)
        self.parse_block_html = False

    def after_boundary(self, line: int) -> bool:
        """kramdown's ``after_block_boundary?``: the block before ended with a blank line (or an EOB/IAL line)."""
        if line == 0:
            return True
        previous = self.lines[line - 1]
        return not previous.strip() or bool(EOB_LINE.match(previous) or IAL_LINE.match(previous))

    def before_boundary(self, line: int) -> bool:
        return (
            line >= len(self.lines)
            or not self.lines[line].strip()
            or bool(EOB_LINE.match(self.lines[line]) or IAL_LINE.match(self.lines[line]))
        )

    def reread(self, start: int, end: int, kind: str, before: list[Block]) -> Reading:
        """kramdown's reading of the block markdown-it found at ``start``..``end``: (blocks, end line), or None
        when the two agree."""
        first = self.lines[start]
        if kind == "paragraph":
            option = parse_block_html_option("\n".join(self.lines[start:end]))
            if option is not None:
                self.parse_block_html = option
        if kind in {"html_block", "paragraph"} and html.BLOCK_START.match(first):
            return self.html_block(start, end, kind)
        if kind == "paragraph" and MATH_OPEN.match(first) and self.after_boundary(start):
            return self.math_block(start, end)
        if kind in {"paragraph", "table"} and "|" in "\n".join(self.lines[start:end]):
            return self.table(start, end, kind, before)
        return None

    def html_block(self, start: int, end: int, kind: str) -> Reading:
        element = html.block_element(self.text, self.starts[start], self.parse_block_html)
        if element is None:
            if kind == "paragraph":
                return None
            stop = self.paragraph_end(start)  # a span element or a stray closing tag: a paragraph
            return [Block(join(self.lines[start:stop]), "paragraph", start)], stop
        if not element.closed:
            return [Block(join(self.lines[start:end]), "html_unclosed", start)], end
        last = self.line_of(max(element.end - 1, element.start))
        stop = last + 1
        return [Block(join(self.lines[start:stop]), "html_element", start)], stop

    def paragraph_end(self, start: int) -> int:
        """Where kramdown's paragraph starting at ``start`` ends (its PARAGRAPH_END_GFM rule)."""
        line = start + 1
        while line < len(self.lines) and not _ends_paragraph(self.lines[line]):
            line += 1
        return line

    def math_block(self, start: int, end: int) -> Reading:
        opening = self.starts[start] + self.lines[start].index("$$") + 2
        close = self.text.find("$$", opening)
        if close < 0 or not MATH_CLOSE.match(self.text, close):
            return None  # no closing $$, or text after it: kramdown reads a paragraph with inline math
        last = self.line_of(close)
        if last < end - 1 or not self.before_boundary(last + 1):
            return None  # within the paragraph (the converter reads it), or not a block: inline math
        return [Block(join(self.lines[start : last + 1]), "math_block", start)], last + 1

    def table(self, start: int, end: int, kind: str, before: list[Block]) -> Reading:
        """kramdown's table rule; a table right under a paragraph line joins that paragraph (taken from ``before``)."""
        leading = 0  # attribute lists before the table ({: .x}) are their own block, applied to it
        while start + leading < end and IAL_LINE.match(self.lines[start + leading]):
            leading += 1
        if leading:
            found, stop = self.table(start + leading, end, kind, before) or ([], end)
            if found and found[0].kind == "table":
                return [Block(join(self.lines[start : start + leading]), "paragraph", start), *found], stop
            return None
        lines = self.lines[start:end]
        while lines and IAL_LINE.match(lines[-1]):
            lines = lines[:-1]
        rows = len(lines)
        is_table = (
            rows
            and self.after_boundary(start)
            and self.before_boundary(start + rows)
            and all(TABLE_LINE.match(line) for line in lines)
            and any(UNESCAPED_PIPE.search(CODE_SPAN.sub("", line)) for line in lines)
        )
        if is_table:
            return [Block(join(self.lines[start:end]), "table", start)], end
        previous = before[-1] if before else None
        if kind == "table" and previous and previous.kind == "paragraph" and not self.after_boundary(start):
            merged = before.pop()  # a table right under a paragraph line: kramdown reads one paragraph
            return [Block(merged.text + "\n" + join(self.lines[start:end]), "paragraph", merged.line)], end
        return [Block(join(self.lines[start:end]), "paragraph", start)], end


LIST_START = re.compile(r"^ {0,3}(?:[+*-]|\d+\.)[ \t]")
ATX_START = re.compile(r"^#{1,6}[\t ]")
FENCE_START = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")
SPAN_NAMES = "|".join(sorted(html.SPAN_ELEMENTS))
LAZY_HTML = re.compile(rf"^ {{0,3}}</?(?!(?:{SPAN_NAMES}|script)\b)[A-Za-z_:]")


def _ends_paragraph(line: str) -> bool:
    return bool(
        not line.strip()
        or IAL_LINE.match(line)
        or EOB_LINE.match(line)
        or LAZY_HTML.match(line)
        or LIST_START.match(line)
        or ATX_START.match(line)
        or line.lstrip().startswith(">")
        or line.startswith(": ")
        or FENCE_START.match(line)
    )
