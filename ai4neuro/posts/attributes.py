"""kramdown's attribute lists, found on the post's blocks and written as MyST can carry them.

kramdown reads ``{: .x #id key="v"}`` on the line after a block (or before it, or as a paragraph of its
own right next to it), and attribute list definitions ``{:name: .x}`` that others name (``{: name}``).
In the book: a minimal-mistakes notice class (``.notice--info``...) makes an admonition; other classes
and an id a ``container`` (the id its ``:name:``); ``{:toc}`` on a list a ``contents`` directive. What
MyST cannot carry (``target="_blank"``, styles, classes on code, rules and HTML) is dropped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ai4neuro.posts.blocks import Block, join
from ai4neuro.posts.links import Links
from ai4neuro.posts.reader import IAL_LINE

ALD_LINE = re.compile(r"^ {0,3}\{:([A-Za-z][\w-]*):\s*([^}]*)\}\s*$")
ATTRIBUTE = re.compile(r"""([#.][\w:-]+)|([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)|([\w-]+)""")
NOTICES = {
    "notice": "note",
    "notice--primary": "note",
    "notice--info": "note",
    "notice--success": "tip",
    "notice--warning": "warning",
    "notice--danger": "danger",
}
SILENT_CLASSES = {"no_toc"}  # classes that mean nothing in the book, dropped without a warning
UNWRAPPABLE = {"fence", "code_block", "hr", "definitions", "html_block"}  # kinds no directive may wrap


@dataclass
class Attributes:
    id: str = ""
    classes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    toc: bool = False

    def __bool__(self) -> bool:
        return bool(self.id or self.classes or self.values or self.toc)

    def add(self, other: Attributes) -> None:
        """``other`` on top of these: its id wins, classes and values add up."""
        self.id = other.id or self.id
        self.classes += other.classes
        self.values.update(other.values)
        self.toc = self.toc or other.toc


@dataclass
class AttributeLists:
    """The attribute lists of one post: the definitions (ALDs) seen so far, and where ids go."""

    links: Links  # the ids given to blocks, which in-page links may lead to
    definitions: dict[str, str] = field(default_factory=dict)  # ALD name → its attribute text

    def attach(self, blocks: list[Block], done: set[int]) -> list[tuple[Block, Attributes]]:
        """The blocks without their attribute-list lines, each with the attributes those lines give it.

        Blocks whose ``id`` is in ``done`` (converted inside an HTML element already) are left as they are.
        """
        kept: list[Block] = []
        given: dict[int, Attributes] = {}
        pending: Attributes | None = None
        blocks = [block if id(block) in done else self._without_definitions(block) for block in blocks]
        for position, block in enumerate(blocks):
            if id(block) in done:
                kept.append(block)
                continue
            if not block.text:
                continue
            lines = block.text.splitlines()
            leading = _take_leading(lines) if block.kind == "paragraph" else []
            if leading:
                pending = self.parse(" ".join(leading), block.line)
                block = Block(join(lines), block.kind, block.line + len(leading))
            trailing = _take_trailing(lines) if block.kind not in {"fence", "code_block", "html_block"} else []
            if not lines:  # a paragraph of attribute lists only: for the block right before or after it
                attributes = self.parse(" ".join(trailing), block.line)
                previous = kept[-1] if kept else None
                if previous and previous.line + len(previous.text.splitlines()) == block.line:
                    given.setdefault(id(previous), Attributes()).add(attributes)
                elif position + 1 < len(blocks) and blocks[position + 1].line == block.line + len(trailing):
                    pending = attributes
                else:
                    self.links.notes.warn(block.line, "a kramdown attribute list that belongs to no block was dropped")
                continue
            block = Block(join(lines), block.kind, block.line) if trailing else block
            kept.append(block)
            if trailing:
                given.setdefault(id(block), Attributes()).add(self.parse(" ".join(trailing), block.line))
            if pending is not None:
                given.setdefault(id(block), Attributes()).add(pending)
                pending = None
        return [(block, given.get(id(block), Attributes())) for block in kept]

    def _without_definitions(self, block: Block) -> Block:
        """Register the attribute list definitions (``{:name: .x}``) a block holds; return the rest of it."""
        if block.kind not in {"paragraph", "definitions"}:
            return block
        lines = []
        for line in block.text.splitlines():
            match = ALD_LINE.match(line)
            if match:
                self.definitions[match.group(1)] = match.group(2)
            else:
                lines.append(line)
        return block if len(lines) == len(block.text.splitlines()) else Block(join(lines), block.kind, block.line)

    def parse(self, text: str, line: int, depth: int = 0) -> Attributes:
        """The attributes of an attribute list's text (``.x #id key="v" name``), definitions it names applied."""
        attributes = Attributes()
        for name, key, value, reference in ATTRIBUTE.findall(text):
            if name.startswith("#"):
                attributes.id = name[1:]
            elif name.startswith("."):
                attributes.classes.append(name[1:])
            elif key.lower() == "class":  # kramdown reads class="a b" as .a .b, and id="x" as #x
                attributes.classes += value.strip("\"'").split()
            elif key.lower() == "id":
                attributes.id = value.strip("\"'")
            elif key:
                attributes.values[key] = value.strip("\"'")
            elif reference == "toc":
                attributes.toc = True
            elif reference in self.definitions and depth < 5:
                referenced = self.parse(self.definitions[reference], line, depth + 1)
                attributes.id = attributes.id or referenced.id
                attributes.classes += referenced.classes
                attributes.values = {**referenced.values, **attributes.values}
            elif reference:
                self.links.notes.warn(
                    line,
                    f"the kramdown attribute list refers to '{reference}', which nothing defines; dropped",
                )
        return attributes

    def wrap(self, block: Block, attributes: Attributes) -> Block:
        """``block`` with its attributes: in an admonition (a notice class) or a ``container`` (other classes, an
        id), or as it is; what MyST cannot carry is dropped with a warning."""
        if not attributes:
            return block
        notes = self.links.notes
        if attributes.values:
            notes.warn(block.line, f"kramdown attributes dropped: {', '.join(sorted(attributes.values))}")
        classes = [name for name in attributes.classes if name not in SILENT_CLASSES]
        notice = next((NOTICES[name] for name in classes if name in NOTICES), "")
        if block.kind in UNWRAPPABLE:
            if classes or attributes.id:
                notes.warn(block.line, "classes and ids on code, rules and HTML were dropped")
            return block
        fence = colon_fence(block.text)
        name = f"\n:name: {attributes.id}" if attributes.id else ""
        if attributes.id:
            self.links.block_ids.add(attributes.id)
        if notice:
            extra = [c for c in classes if c not in NOTICES]
            option = f"\n:class: {' '.join(extra)}" if extra else ""
            return Block(f"{fence}{{{notice}}}{option}{name}\n{block.text}\n{fence}", "colon_fence", block.line)
        if not classes and not name:
            return block
        return Block(
            f"{fence}{{container}} {' '.join(classes)}{name}\n{block.text}\n{fence}", "colon_fence", block.line
        )


def colon_fence(text: str) -> str:
    """A colon fence for a directive around ``text``: longer than any colon fence inside it (at least ``:::``)."""
    return ":" * max(3, 1 + max((len(run) for run in re.findall(r"^(:{3,})", text, re.M)), default=0))


def _take_leading(lines: list[str]) -> list[str]:
    """Take the attribute lists (their text) off the start of a paragraph's ``lines``, leaving one line at least."""
    taken = []
    while len(lines) > 1 and (ial := IAL_LINE.match(lines[0])):
        taken.append(ial.group(1))
        lines.pop(0)
    return taken


def _take_trailing(lines: list[str]) -> list[str]:
    """Take the attribute lists (their text) off the end of ``lines``."""
    taken: list[str] = []
    while lines and (ial := IAL_LINE.match(lines[-1])):
        taken.insert(0, ial.group(1))
        lines.pop()
    return taken
