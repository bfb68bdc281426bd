"""Lists nested deeper than the book's Markdown reader goes.

MyST reads Markdown with markdown-it, whose ``maxNesting`` (20) stops a list about ten levels down:
the deepest items come out empty and everything after them in the post (paragraphs, headings) is
lost. kramdown has no such limit. So items deeper than :data:`MAX_DEPTH` move up to that level, in
order, as siblings of their ancestor there (:func:`flatten_lists`); the import warns once per list.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

MAX_DEPTH = 8
DEEP = MarkdownIt("commonmark", {"maxNesting": 10_000}).disable("inline")


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    depth: int
    column: int  # where its marker starts (tabs expanded)


def flatten_lists(text: str) -> tuple[str, int] | None:
    """``text`` (a list block) with items below :data:`MAX_DEPTH` moved up to it, and the list's depth;
    None if the list is not that deep (or is written in a way this cannot move safely)."""
    lines = [line.expandtabs(4) for line in text.split("\n")]
    items = _items(lines)
    deepest = max((item.depth for item in items or []), default=0)
    if items is None or deepest <= MAX_DEPTH:
        return None
    innermost: list[Item | None] = [None] * len(lines)
    for item in items:  # a deeper item comes after its ancestors: it wins
        for number in range(item.start, min(item.end, len(lines))):
            innermost[number] = item
    ancestors: dict[Item, Item] = {}
    level: dict[int, Item] = {}
    for item in items:  # each deep item's ancestor at MAX_DEPTH
        level[item.depth] = item
        if item.depth > MAX_DEPTH:
            ancestors[item] = level[MAX_DEPTH]
    result = []
    for number, line in enumerate(lines):
        inside = innermost[number]
        if inside is None or inside.depth <= MAX_DEPTH:
            result.append(line)
            continue
        shift = inside.column - ancestors[inside].column
        spaces = len(line) - len(line.lstrip(" "))
        result.append(line[min(shift, spaces) :])
    return "\n".join(result), deepest


def _items(lines: list[str]) -> list[Item] | None:
    depth = 0
    items: list[Item] = []
    for token in DEEP.parse("\n".join(lines)):
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            depth += 1
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            depth -= 1
        elif token.type == "list_item_open" and token.map:
            line = lines[token.map[0]]
            if items and items[-1].start == token.map[0]:
                return None  # an item that starts on its parent's line ("- - x"): left as it is
            items.append(Item(token.map[0], token.map[1], depth, len(line) - len(line.lstrip(" "))))
    return items
