"""kramdown tables, read by kramdown's rules (``parser/kramdown/table.rb``) and written as MyST.

kramdown reads a table where GFM (MyST) reads none or another: a header row shorter than the body
rows (every row is padded to the widest), no header row at all, several header rows, a footer after
a ``|===|`` line, body sections split by ``|---|`` lines, pipes inside code spans that stay in their
cell. A table with one header row becomes a GFM table, every row the same width; any other a
``list-table`` (a footer as ordinary rows, with a warning).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ai4neuro.posts.blocks import Block
from ai4neuro.posts.notes import Notes

SEPARATOR = re.compile(r"^([+|: \t-]*?-[+|: \t-]*?)[ \t]*$")
FOOTER_SEPARATOR = re.compile(r"^[+|: \t=]*?=[+|: \t=]*?[ \t]*$")
ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
CELL_SPLIT = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)|<code.*?>.*?</code>|\\\||\|", re.DOTALL)
BLOCK_MARKER = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|\d+[.)](?=\s|$))")


@dataclass
class Table:
    head: list[list[str]] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)
    foot: list[list[str]] = field(default_factory=list)
    alignment: list[str] = field(default_factory=list)  # "", "left", "right", "center" per column

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.head + self.body + self.foot), default=0)


def myst_table(block: Block, cell: Callable[[str], str], notes: Notes) -> Block:
    """kramdown's table in ``block`` as MyST (``cell`` converts a cell's text): a GFM table, or a ``list-table``."""
    table = read_table(block.text.splitlines())
    if len(table.head) == 1 and not table.foot:
        return Block(pipe_table(table, cell), "table", block.line)
    lost = ["its footer rows (after |===|) are ordinary rows"] if table.foot else []
    lost += ["its column alignment is dropped"] if any(table.alignment) else []
    if lost:
        notes.warn(
            block.line, f"a table with {'a footer' if table.foot else 'several header rows'}: {' and '.join(lost)}"
        )
    return Block(list_table(table, cell), "colon_fence", block.line)


def read_table(lines: list[str]) -> Table:
    """The table kramdown reads in ``lines`` (a block it took for a table), every row padded to the widest."""
    table = Table()
    rows: list[list[str]] = []
    aligned = footer = False
    for line in lines:
        if SEPARATOR.match(line):
            if rows and not aligned and not footer:
                table.head, rows, aligned = rows, [], True
                table.alignment = [_alignment(left, right) for left, right in ALIGN.findall(line)]
            elif rows and not footer:
                table.body += rows
                rows = []
        elif FOOTER_SEPARATOR.match(line):
            table.body += rows
            rows, footer = [], True
        else:
            rows.append(split_row(line))
    if footer:
        table.foot = rows
    else:
        table.body += rows
    width = table.columns
    for row in table.head + table.body + table.foot:
        row += [""] * (width - len(row))
    table.alignment = (table.alignment + [""] * width)[:width]
    return table


def _alignment(left: str, right: str) -> str:
    return "center" if left and right else "left" if left else "right" if right else ""


def split_row(line: str) -> list[str]:
    """A row's cells: split at pipes outside code spans, ``\\|`` a pipe; leading and trailing empty cells dropped."""
    cells, current, cursor = [], [], 0
    leading_pipe = line.lstrip().startswith("|")
    for match in CELL_SPLIT.finditer(line):
        current.append(line[cursor : match.start()])
        if match.group(0) == "|":
            cells.append("".join(current))
            current = []
        elif match.group(0) == "\\|":
            current.append("|")
        else:
            current.append(match.group(0))
        cursor = match.end()
    current.append(line[cursor:])
    cells.append("".join(current))
    if leading_pipe and not cells[0].strip():
        cells.pop(0)
    if cells and not cells[-1].strip():
        cells.pop()
    return [cell.strip() for cell in cells]


def pipe_table(table: Table, cell: Callable[[str], str]) -> str:
    """A GFM table (one header row): ``cell`` converts a cell's kramdown text to MyST."""
    marks = {"": "---", "left": ":--", "right": "--:", "center": ":-:"}

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell(text).replace("|", "\\|") for text in cells) + " |"

    lines = [row(table.head[0]), "|" + "|".join(marks[a] for a in table.alignment) + "|"]
    return "\n".join(lines + [row(cells) for cells in table.body])


def list_table(table: Table, cell: Callable[[str], str]) -> str:
    """A ``list-table`` with the table's header rows (the footer's rows after the body's)."""
    rows = []
    for cells in table.head + table.body + table.foot:
        items = [_item(cell(text)) for text in cells]
        rows.append("* - " + "\n  - ".join(items))
    return f":::{{list-table}}\n:header-rows: {len(table.head)}\n\n" + "\n".join(rows) + "\n:::"


def _item(text: str) -> str:
    """A cell as a list item's text: never empty, never read as a heading, quote or list."""
    if not text.strip():
        return " "
    marker = BLOCK_MARKER.match(text)
    if not marker:
        return text
    at = marker.end() - 1  # "#" → "\#", "3." → "3\."
    return text[:at] + "\\" + text[at:]
