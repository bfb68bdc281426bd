"""Markdown as a list of top-level blocks: the unit the import converts, records and syncs.

:func:`split_blocks` is the one splitter. A chapter is read by :data:`PARSER`: CommonMark with GFM tables
and strikethrough, footnotes, ``$$`` math blocks and MyST's block syntax (``+++``, ``(target)=``, ``%``
comments, ``:::`` fences), so a chapter splits into the same blocks the import wrote. A post is read as
kramdown reads it (``reader=``:class:`~ai4neuro.posts.reader.KramdownReader`).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import deque
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin

PARSER = (
    MarkdownIt("commonmark")
    .enable(["table", "strikethrough"])
    .use(front_matter_plugin)
    .use(myst_block_plugin)
    .use(colon_fence_plugin)
    .use(footnote_plugin)
    .use(dollarmath_plugin, double_inline=True)
    .disable("inline")  # only the blocks matter here: much faster on a long post
)
FOOTNOTE_START = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")
ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
CONTAINERS = {"fence", "html_block", "bullet_list", "ordered_list", "blockquote", "code_block"}  # span blank lines
Span = tuple[int, int, str]  # a top-level block: first line, end line, kind
PROSE = {"paragraph", "heading", "bullet_list", "ordered_list", "blockquote", "table", "hr", "math_block"}


@dataclass(frozen=True)
class Block:
    """A top-level Markdown block: its source text, its kind (a markdown-it token type, ``definitions``
    or ``footnote``) and the line of the source it starts on (0-based; not part of equality)."""

    text: str
    kind: str
    line: int = field(default=0, compare=False)

    @property
    def digest(self) -> str:
        """A short fingerprint that survives trailing spaces (what the chapter records per block)."""
        normal = "\n".join(line.rstrip() for line in self.text.strip("\n").splitlines())
        return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]


Reading = tuple[list[Block], int] | None  # blocks read by other rules, and the line after them


def split_blocks(text: str, offset: int = 0, reader: type[BlockReader] | None = None) -> list[Block]:
    """Top-level blocks, each as its exact source lines (trailing blank lines dropped), lines counted from ``offset``.

    The one splitter: a chapter is read as MyST reads it (:class:`BlockReader`), a post as kramdown does
    (``reader=``:class:`~ai4neuro.posts.reader.KramdownReader`). Reference-link and footnote definitions leave
    no top-level token in markdown-it; the lines between tokens become ``definitions`` and ``footnote`` blocks.
    """
    return (reader or BlockReader)(text).blocks(offset)


class BlockReader:
    """markdown-it's top-level blocks of a text, and the lines between them (:func:`gap_blocks`).

    A subclass may read a block again by other rules (:meth:`reread`); when that block ends elsewhere than
    markdown-it's, the text after it is read afresh from there.
    """

    parser: MarkdownIt = PARSER

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.text = "\n".join(self.lines)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.main: list[Span] = []
        self.main_starts: list[int] = []
        self.at = 0
        self.pending: deque[Span] = deque()

    def reread(self, start: int, end: int, kind: str, before: list[Block]) -> Reading:
        """The block markdown-it found at ``start``..``end`` read by other rules: its blocks and the line after
        them, or None to keep markdown-it's. ``before`` holds the blocks read so far (a rule may take the last)."""
        return None

    def line_of(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def spans(self, start: int, stop: int) -> list[Span]:
        """markdown-it's top-level blocks of lines ``start``..``stop``: (first line, end line, kind)."""
        return top_level_spans(self.parser, self.lines[start:stop], start)

    def blocks(self, offset: int = 0) -> list[Block]:
        result: list[Block] = []
        self.read_from(0)
        cursor = 0
        while (span := self.next_span()) is not None:
            start, end, kind = span
            if start < cursor:
                continue
            result += gap_blocks(self.lines[cursor:start], cursor)
            read = self.reread(start, end, kind, result)
            if read is None:
                result.append(Block(join(self.lines[start:end]), kind, start))
                cursor = end
                continue
            found, stop = read
            result += found
            cursor = stop
            if stop != end:  # the block ends elsewhere: read on from where it ends
                self.read_again_from(stop)
        result += gap_blocks(self.lines[cursor:], cursor)
        return [Block(block.text, block.kind, block.line + offset) for block in result if block.text]

    def next_span(self) -> Span | None:
        if self.pending:
            return self.pending.popleft()
        if self.at < len(self.main):
            self.at += 1
            return self.main[self.at - 1]
        return None

    def read_again_from(self, stop: int) -> None:
        """The blocks from line ``stop`` on: read again up to the next block markdown-it found that starts after a
        blank line (a clean start), then on with those; everything again if that is not safe."""
        index = bisect.bisect_left(self.main_starts, stop, lo=self.at)
        while index < len(self.main) and (self.main[index][0] == 0 or self.lines[self.main[index][0] - 1].strip()):
            index += 1
        if index < len(self.main):
            sync = self.main[index][0]
            chunk = self.spans(stop, sync)
            if not chunk or chunk[-1][1] < sync or chunk[-1][2] not in CONTAINERS:
                self.pending, self.at = deque(chunk), index
                return
        self.read_from(stop)

    def read_from(self, start: int) -> None:
        self.main, self.at, self.pending = self.spans(start, len(self.lines)), 0, deque()
        self.main_starts = [span[0] for span in self.main]


def top_level_spans(parser: MarkdownIt, lines: list[str], offset: int = 0) -> list[Span]:
    """The top-level blocks ``parser`` finds in ``lines``: (first line, end line, kind), counted from ``offset``."""
    return [
        (token.map[0] + offset, token.map[1] + offset, token.type.removesuffix("_open"))
        for token in parser.parse("\n".join(lines))
        if token.level == 0 and token.map and token.nesting >= 0
    ]


def gap_blocks(lines: list[str], offset: int) -> list[Block]:
    """Definitions between tokens: a footnote runs on over its indented (or blank) lines."""
    chunks: list[Block] = []
    current: list[str] = []
    kind, start = "", 0

    def close():
        nonlocal current
        if current:
            chunks.append(Block(join(current), kind, start))
        current = []

    for index, line in enumerate(lines):
        continues_footnote = kind == "footnote" and current and (not line.strip() or line.startswith((" ", "\t")))
        if FOOTNOTE_START.match(line):
            close()
            kind, start = "footnote", offset + index
            current = [line]
        elif continues_footnote:
            current.append(line)
        elif line.strip():
            if kind != "definitions" or not current:
                close()
                kind, start = "definitions", offset + index
            current.append(line)
        else:
            if kind == "definitions":
                close()
    close()
    return chunks


def join(lines: list[str]) -> str:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[:end])


def render(blocks: list[Block]) -> str:
    return "\n\n".join(block.text for block in blocks)


TITLE_PARSER = MarkdownIt("commonmark").enable(["strikethrough"])


def heading_title(text: str) -> str:
    """The text MyST gives its slug function for a heading line (text and code, no markup)."""
    tokens = TITLE_PARSER.parse(text)
    inline = next((token for token in tokens if token.type == "inline"), None)
    if inline is None:
        return ""
    return "".join(child.content for child in inline.children or [] if child.type in {"text", "code_inline"})
