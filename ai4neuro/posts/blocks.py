"""Markdown as a list of top-level blocks: the unit the import converts, records and syncs.

One markdown-it parser reads both the posts and the chapters: CommonMark with GFM tables and
strikethrough, footnotes, ``$$`` math blocks and MyST's block syntax (``+++``, ``(target)=``,
``%`` comments, ``:::`` fences), so a chapter splits into the same blocks the import wrote.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
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
MAX_RUN = 1000  # the longest repeated run of blocks looked for
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


def split_blocks(markdown: str) -> list[Block]:
    """Top-level blocks, each as its exact source lines (trailing blank lines dropped).

    Reference-link and footnote definitions leave no top-level token in markdown-it; the lines
    between tokens become ``definitions`` and ``footnote`` blocks.
    """
    lines = markdown.splitlines()
    blocks, cursor = [], 0
    for start, end, kind in [*top_level_spans(PARSER, lines), (len(lines), len(lines), "")]:
        if start < cursor:
            continue
        blocks += gap_blocks(lines[cursor:start], cursor)
        if kind:
            blocks.append(Block(join(lines[start:end]), kind, start))
        cursor = max(cursor, end)
    return [block for block in blocks if block.text]


def top_level_spans(parser: MarkdownIt, lines: list[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """The top-level blocks ``parser`` finds in ``lines``: (first line, end line, kind), counted from ``offset``.

    One splitter for chapters (MyST's blocks) and posts (:mod:`~ai4neuro.posts.reader`, kramdown's)."""
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


def collapse_repeats(blocks: list[Block], min_chars: int = 400) -> tuple[list[Block], list[tuple[Block, Block]]]:
    """Keep once every run of blocks that is immediately repeated verbatim and is long.

    A run counts when it holds prose (a paragraph or heading) and at least ``min_chars`` characters:
    a draft pasted twice folds, a line a post repeats on purpose stays. Runs of up to ``MAX_RUN``
    blocks are looked for. Returns the blocks and, per folded run, (first block kept, first block
    dropped) for the warning.
    """
    folded: list[tuple[Block, Block]] = []
    start, keys = 0, [hash(block) for block in blocks]
    positions = _positions(keys)
    while start < len(blocks):
        size = _repeat_size(blocks, keys, start, min_chars, positions)
        if size:
            folded.append((blocks[start], blocks[start + size]))
            blocks = blocks[: start + size] + blocks[start + 2 * size :]
            keys = keys[: start + size] + keys[start + 2 * size :]
            positions = _positions(keys)
        else:
            start += 1
    return blocks, folded


def _positions(keys: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for index, key in enumerate(keys):
        found.setdefault(key, []).append(index)
    return found


def _repeat_size(blocks: list[Block], keys: list[int], start: int, min_chars: int, positions) -> int:
    """The longest run starting at ``start`` that the next blocks repeat verbatim (0 if none qualifies)."""
    limit = min((len(keys) - start) // 2, MAX_RUN)
    found = positions[keys[start]]
    for later in reversed(found[bisect.bisect_right(found, start + 1) : bisect.bisect_right(found, start + limit)]):
        size = later - start
        if keys[later - 1] != keys[later + size - 1] or keys[start:later] != keys[later : later + size]:
            continue
        run = blocks[start:later]
        if run != blocks[later : later + size]:
            continue  # a hash collision
        if any(block.kind in {"paragraph", "heading"} for block in run) and sum(len(b.text) for b in run) >= min_chars:
            return size
    return 0


def definition_label(line: str) -> str | None:
    """The normalised label a reference-definition line defines (via markdown-it), else None."""
    env: dict = {}
    PARSER.parse(line, env)
    labels = list(env.get("references", {}))
    return labels[0] if labels else None


def hoist_definitions(blocks: list[Block]) -> tuple[Block | None, list[Block]]:
    """Pull every link definition out of ``blocks``; return them as one block (first per label wins).

    myst-nb parses a chapter cell by cell, so a definition must come before any cell that uses it.
    """
    seen, kept, rest = set(), [], []
    for block in blocks:
        if block.kind != "definitions":
            rest.append(block)
            continue
        for line in block.text.splitlines():
            label = definition_label(line)
            key = normalizeReference(label) if label else line
            if key not in seen:
                seen.add(key)
                kept.append(line)
    return (Block("\n".join(kept), "definitions") if kept else None), rest


def heading_level(block: Block) -> int | None:
    match = ATX.match(block.text) if block.kind == "heading" else None
    return len(match.group(2)) if match else None


def promote_headings(blocks: list[Block]) -> list[Block]:
    """Headings sit under the chapter's H1: the shallowest becomes H2 and no level is skipped.

    In Jekyll the layout shows the title as the H1; a post's ``##`` followed by ``####`` would make
    Sphinx warn about a non-consecutive level, so each heading goes at most one level deeper than
    the one before it (the outline is kept, only the gaps close).
    """
    levels = [level for block in blocks if (level := heading_level(block))]
    if not levels:
        return blocks
    shift = min(levels) - 2
    result, previous = [], 1
    for block in blocks:
        level = heading_level(block)
        if level is None:
            result.append(block)
            continue
        new = max(2, min(level - shift, previous + 1, 6))
        previous = new
        text = ATX.sub(lambda m, new=new: m.group(1) + "#" * new, block.text, count=1)
        result.append(Block(text, block.kind, block.line))
    return result


TITLE_PARSER = MarkdownIt("commonmark").enable(["strikethrough"])


def heading_title(text: str) -> str:
    """The text MyST gives its slug function for a heading line (text and code, no markup)."""
    tokens = TITLE_PARSER.parse(text)
    inline = next((token for token in tokens if token.type == "inline"), None)
    if inline is None:
        return ""
    return "".join(child.content for child in inline.children or [] if child.type in {"text", "code_inline"})
