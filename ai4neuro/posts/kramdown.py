"""Kramdown, as Jekyll configures it (``input: GFM``), turned into MyST Markdown block by block.

The blocks are kramdown's (:class:`~ai4neuro.posts.reader.KramdownReader`: HTML to its closing tag, ``$$``
blocks across blank lines, kramdown's tables). :class:`Converter` walks them and gives each to the module
for its job, so that MyST shows what the blog does (or says why not) and the ``-W`` build passes:

- :mod:`.attributes`: attribute lists (``{: .notice--info}``, ``{#id}``, ALDs, ``{:toc}``) found and applied;
- :mod:`.html_blocks`: raw HTML, and elements whose inside is Markdown (``markdown="1"``,
  ``{::options parse_block_html="true" /}``);
- :mod:`.inline`: the text inside a block (math, MyST's own syntax escaped), with :mod:`.references`
  (links and files) and :mod:`.links` (where links go, in-page anchors);
- :mod:`.images`: an image with attributes, and the figures Liquid includes make;
- :mod:`.tables`, :mod:`.nesting` (lists too deep for MyST), :mod:`.math` (display math), :mod:`.highlight`
  (code languages the book cannot colour).

Here: setext headings become ``#`` headings (and ``{#id}`` on a heading keeps in-page links to it
working); a blockquote's inside is converted as blocks of its own, then quoted again; GFM's task lists
become checkboxes; ``\\[…\\]`` display math inside a paragraph splits it; a
paragraph stays one paragraph where MyST would read HTML or a table in it; ``{::comment}`` is dropped,
``{::options}`` applied (``parse_block_html``) or warned about, other extensions and abbreviation
definitions (``*[HTML]: ...``) are dropped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ai4neuro.posts import html
from ai4neuro.posts.assets import Assets
from ai4neuro.posts.attributes import SILENT_CLASSES, AttributeLists, Attributes
from ai4neuro.posts.blocks import ATX, Block, render, split_blocks
from ai4neuro.posts.escaping import outside_code
from ai4neuro.posts.highlight import without_unknown_languages
from ai4neuro.posts.html_blocks import HtmlBlocks
from ai4neuro.posts.images import image_directive, lone_image
from ai4neuro.posts.inline import Inline, math_outside_code
from ai4neuro.posts.links import Links
from ai4neuro.posts.liquid import HtmlForm
from ai4neuro.posts.math import display_block
from ai4neuro.posts.nesting import MAX_DEPTH, flatten_lists
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.reader import POST_PARSER, KramdownReader, lazy_lines_indented, parse_block_html_option
from ai4neuro.posts.references import References, image_labels
from ai4neuro.posts.site import Site
from ai4neuro.posts.tables import myst_table

HEADING_ATTRIBUTES = re.compile(r"\s*\{:?\s*([#.][^}]*)\}\s*$")
EXTENSION = re.compile(r"^\s*\{::(\w+)([^}]*?)(/)?\}(.*?)(?:\{:/\1?\}\s*)?$", re.DOTALL)
OPTION = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|\S+)""")
KNOWN_OPTIONS = {"parse_block_html", "parse_span_html"}
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
DISPLAY_MATH = re.compile(r"^\s*\$\$(.+?)\$\$\s*$", re.DOTALL)
TYPE7_LINE = re.compile(r"^ {0,3}<[A-Za-z][\w-]*(?:\s[^>]*)?/?>\s*$")
STRAY_CLOSE = re.compile(r"^( {0,3})</")
TASK_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])[ \t]+)\[([ xX])\][ \t]+", re.M)  # GFM's task lists
QUOTE_MARKER = re.compile(r"^ {0,3}> ?")
CONTENTS = ":::{contents}\n:local:\n:backlinks: none\n:::"


@dataclass
class Converter:
    """The converter of one post: what it has seen so far (options, ids, links), and the modules that do the jobs."""

    site: Site
    notes: Notes
    assets: Assets
    chapter: str = ""  # this post's chapter name (a link to it is a link within the page)
    parse_block_html: bool = False  # {::options parse_block_html="true" /} seen
    done: set[int] = field(default_factory=set)  # ids of blocks converted already (the inside of HTML elements)
    liquid_forms: dict[str, HtmlForm] = field(default_factory=dict)  # a Liquid include's output → its HTML form
    links: Links = field(init=False)
    references: References = field(init=False)
    inline: Inline = field(init=False)
    attribute_lists: AttributeLists = field(init=False)
    html_blocks: HtmlBlocks = field(init=False)

    def __post_init__(self) -> None:
        self.links = Links(self.site, self.notes, self.chapter, self.assets.page)
        self.references = References(self.links, self.assets)
        self.inline = Inline(self.site, self.notes, self.references)
        self.attribute_lists = AttributeLists(self.links)
        self.html_blocks = HtmlBlocks(self.convert, self.inline, self.done, self.liquid_forms)

    def convert(self, text: str, offset: int = 0) -> list[Block]:
        """Convert kramdown ``text`` (its first line is body line ``offset``) into MyST blocks."""
        self.references.image_labels |= image_labels(text)  # an element's inside, read alone, too
        result: list[Block] = []
        for block in split_blocks(text, offset, reader=KramdownReader):
            option = parse_block_html_option(block.text) if block.kind == "paragraph" else None
            if option is not None:
                self.parse_block_html = option
            element = html.block_element(block.text, 0, self.parse_block_html) if block.kind == "html_element" else None
            if element and element.model != "raw" and block.text[element.inner_start : element.close_start].strip():
                result += self.html_blocks.element(block, element)
            else:
                result.append(block)
        pairs = self.attribute_lists.attach(result, self.done)
        converted = [item for block, attributes in pairs for item in self._block(block, attributes)]
        return [self._highlightable(block) for block in converted]

    def _highlightable(self, block: Block) -> Block:
        """Code whose language the book's highlighter cannot colour is shown plain (else the build warns)."""
        if id(block) in self.done or ("``" not in block.text and "~~~" not in block.text):
            return block
        return without_unknown_languages(block, self.notes)

    def _block(self, block: Block, attributes: Attributes) -> list[Block]:
        """One block of the post as MyST (several, or none, for some paragraphs)."""
        if id(block) in self.done:  # converted inside an HTML element already
            return [block]
        kind = block.kind
        if kind == "paragraph":
            special = self._special_paragraph(block)
            if special is not None:
                return [
                    item if item.kind == "paragraph" else self.attribute_lists.wrap(item, attributes)
                    for item in special
                ]
        if kind == "heading":
            return [self._heading(block, attributes)]
        if attributes.toc and kind in {"bullet_list", "ordered_list"}:
            return [Block(CONTENTS, "colon_fence", block.line)]
        image = lone_image(block, attributes, self.attribute_lists, self.assets) if kind == "paragraph" else None
        return [image or self.attribute_lists.wrap(self._converted(block), attributes)]

    def _converted(self, block: Block) -> Block:
        """A block whose attributes (if any) go around it, converted by its kind."""
        kind = block.kind
        if kind in {"wrapper", "colon_fence"}:  # made by this converter
            return block
        if kind == "math_block":
            tex = DISPLAY_MATH.match(block.text)
            return Block(display_block(tex.group(1) if tex else block.text), "math_block", block.line)
        if kind == "fence":
            return image_directive(block, self.assets, self.inline.prose) or block
        if kind == "code_block":
            return block
        if kind in {"html_block", "html_element", "html_unclosed"}:
            return self.html_blocks.raw(block)
        if kind == "table":
            return myst_table(block, lambda text: self.inline.prose(text, block.line).replace("\n", " "), self.notes)
        if kind == "definitions":
            return Block(self.references.definitions(block.text, block.line), kind, block.line)
        if kind == "hr":
            return Block("---", kind, block.line)
        if kind == "blockquote":
            return Block(self._quote(block.text, block.line), kind, block.line)
        text = block.text
        if kind in {"bullet_list", "ordered_list"}:
            text = TASK_ITEM.sub(_checkbox, self._shallow(lazy_lines_indented(text), block.line))
        elif kind == "paragraph":
            text = one_paragraph(text)
        return Block(self.inline.prose(text, block.line), kind, block.line)

    def _quote(self, text: str, line: int) -> str:
        """A blockquote's inside converted as kramdown reads it (its blocks, its math: a ``$$`` block alone is
        display math), then quoted again; its ``>`` markers would be text inside its math otherwise."""
        inner = "\n".join(QUOTE_MARKER.sub("", row, count=1) for row in text.split("\n"))
        body = render(self.convert(inner, line))
        return "\n".join(f"> {row}" for row in body.split("\n"))

    def _special_paragraph(self, block: Block) -> list[Block] | None:
        """A paragraph that is a kramdown extension, abbreviations or display math: what it becomes (None if not)."""
        text, line = block.text, block.line
        extension = EXTENSION.match(text)
        if extension:
            name = extension.group(1)
            if name == "options":
                self._options(extension.group(2), line)
            elif name != "comment":
                self.notes.warn(line, f"the kramdown extension {{::{name}}} was dropped (the book has no equivalent)")
            return []
        if all(ABBREVIATION.match(item) for item in text.splitlines()):
            self.notes.warn(line, "kramdown abbreviation definitions (*[ABBR]: ...) were dropped")
            return []
        display = DISPLAY_MATH.match(text)
        if display and "$$" not in display.group(1):
            return [Block(display_block(display.group(1)), "math_block", line)]
        return self._split_display_math(block)

    def _options(self, text: str, line: int) -> None:
        """``{::options ... /}``: ``parse_block_html`` is applied (see :meth:`convert`); others are warned about."""
        ignored = [name for name, _ in OPTION.findall(text) if name not in KNOWN_OPTIONS]
        if ignored:
            self.notes.warn(
                line, f"the kramdown option(s) {', '.join(ignored)} are not applied (the book reads Jekyll's defaults)"
            )

    def _split_display_math(self, block: Block) -> list[Block] | None:
        """A paragraph with ``\\[…\\]`` display math in it: the text before, the equation, the text after
        (as MathJax shows it on the blog); None if it holds none."""
        pieces: list[Block] = []
        cursor = 0
        for math in math_outside_code(block.text, self.site.single_dollar_math):
            if not math.display:
                continue
            before = block.text[cursor : math.start].strip()
            if before:
                pieces.append(Block(before, "paragraph", block.line + block.text.count("\n", 0, cursor)))
            line = block.line + block.text.count("\n", 0, math.start)
            pieces.append(Block(display_block(math.tex), "math_block", line))
            cursor = math.end
        if not pieces:
            return None
        after = block.text[cursor:].strip()
        if after:
            pieces.append(Block(after, "paragraph", block.line + block.text.count("\n", 0, cursor)))
        return [
            Block(self.inline.prose(one_paragraph(item.text), item.line), "paragraph", item.line)
            if item.kind == "paragraph"
            else item
            for item in pieces
        ]

    def _heading(self, block: Block, attributes: Attributes) -> Block:
        """An ATX or setext heading as an ATX heading; its ``{#id}`` kept for in-page links, classes dropped."""
        level, title = _level_and_title(block.text.splitlines())
        explicit = HEADING_ATTRIBUTES.search(title)
        if explicit:
            title = title[: explicit.start()].rstrip()
            inline = self.attribute_lists.parse(explicit.group(1), block.line)
            attributes = Attributes(inline.id or attributes.id, attributes.classes + inline.classes, attributes.values)
        dropped = [name for name in attributes.classes if name not in SILENT_CLASSES]
        if dropped or attributes.values:
            self.notes.warn(block.line, "classes and attributes on a heading were dropped (MyST headings take none)")
        heading = Block(f"{'#' * level} {self.inline.prose(title, block.line)}", "heading", block.line)
        if attributes.id:
            self.links.heading_ids[heading.line] = attributes.id
        return heading

    def _shallow(self, text: str, line: int) -> str:
        """A list nested deeper than the book can show, moved up to :data:`~ai4neuro.posts.nesting.MAX_DEPTH`."""
        flattened = flatten_lists(text)
        if flattened is None:
            return text
        text, depth = flattened
        self.notes.warn(
            line,
            f"a list nested {depth} levels deep: its items below level {MAX_DEPTH} are shown at level {MAX_DEPTH} "
            "(the book's Markdown reader stops about ten levels down and drops the rest of the post)",
        )
        return text


def _level_and_title(lines: list[str]) -> tuple[int, str]:
    """A heading's level and text (kramdown: a setext heading is one line of text over ``===``/``---``)."""
    underline = SETEXT_UNDERLINE.match(lines[-1]) if len(lines) > 1 else None
    if underline:
        return (1 if underline.group(1).startswith("=") else 2), " ".join(part.strip() for part in lines[:-1])
    match = ATX.match(lines[0])
    if match is None:
        raise ValueError(f"not a heading: {lines[0]!r}")
    return len(match.group(2)), re.sub(r"(?:^|\s+)#+\s*$", "", lines[0][match.end() :]).strip()


def one_paragraph(text: str) -> str:
    """A paragraph kramdown reads as one, written so MyST reads it as one too.

    A first line that is a lone tag (``<img ...>``) would start a block of HTML in MyST, a stray
    closing tag (``</div>``) too, and a line of pipes over a ``|---|`` line a table.
    """
    lines = text.split("\n")
    if len(lines) > 1 and TYPE7_LINE.match(lines[0]):
        lines[:2] = [lines[0].rstrip() + " " + lines[1].lstrip()]
    if STRAY_CLOSE.match(lines[0]):
        lines[0] = STRAY_CLOSE.sub(r"\1&lt;/", lines[0], count=1)
    text = "\n".join(lines)
    if "|" in text and any(token.type == "table_open" for token in POST_PARSER.parse(text)):
        text = outside_code(text, lambda part: re.sub(r"(?<!\\)\|", r"\\|", part))
    return text


def _checkbox(match: re.Match) -> str:
    """A task list item's box, as kramdown's GFM parser writes it (the book's MyST reads no task lists)."""
    checked = ' checked="checked"' if match.group(2) in "xX" else ""
    return f'{match.group(1)}<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"{checked} /> '
