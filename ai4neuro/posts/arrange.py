"""The post's blocks arranged as the chapter's body: repeats folded, link definitions hoisted, headings ranked
under the chapter's H1, and rules docutils cannot draw dropped."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from markdown_it.common.utils import normalizeReference

from ai4neuro.posts.blocks import ATX, PARSER, Block

MAX_RUN = 1000  # the longest repeated run of blocks looked for


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


def _repeat_size(
    blocks: list[Block], keys: list[int], start: int, min_chars: int, positions: dict[int, list[int]]
) -> int:
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
    result: list[Block] = []
    previous = 1
    for block in blocks:
        level = heading_level(block)
        if level is None:
            result.append(block)
            continue
        new = max(2, min(level - shift, previous + 1, 6))
        previous = new
        text = ATX.sub(r"\g<1>" + "#" * new, block.text, count=1)
        result.append(Block(text, block.kind, block.line))
    return result


def fix_rules(blocks: list[Block], warn: Callable[[int, str], None], after: str = "heading") -> list[Block]:
    """Drop rules docutils cannot draw: after a rule or a heading, at the start, or at the end.

    ``after`` is the kind of what precedes ``blocks`` in the chapter (its H1, or a draft's banner).
    """
    silent = {"definitions", "footnote"}
    kept: list[Block] = []
    previous = after
    for block in blocks:
        if block.kind == "hr" and previous in {"hr", "heading"}:
            warn(
                block.line, "a horizontal rule right after a heading or another rule was dropped (docutils forbids it)"
            )
            continue
        kept.append(block)
        if block.kind not in silent:
            previous = block.kind
    body = [index for index, block in enumerate(kept) if block.kind not in silent]
    if body and kept[body[-1]].kind == "hr":
        warn(kept[body[-1]].line, "a horizontal rule at the end of the post was dropped (docutils forbids it)")
        del kept[body[-1]]
    return kept
