"""Kramdown, as Jekyll configures it (``input: GFM``), turned into MyST Markdown block by block.

The blocks are kramdown's (:mod:`~ai4neuro.posts.reader`: HTML to its closing tag, ``$$`` blocks
across blank lines, kramdown's tables). What changes, and why (MyST would otherwise show it wrongly or
fail the ``-W`` build):

- math (:mod:`~ai4neuro.posts.math`): ``$$…$$`` alone in a paragraph is display math, inside text it
  is inline (MyST's ``$…$``); ``\\(…\\)`` and ``\\[…\\]`` are the blog's MathJax math; ``$…$`` too if
  ``inline_math`` in ``posts/_config.yml`` says so. Every other ``$`` is text (``\\$``).
- HTML: a block of HTML that holds blank lines becomes a ``raw`` directive (MyST would end it at the
  first blank line); a paragraph that starts with ``<img>`` stays a paragraph; ``markdown="1"`` and
  ``{::options parse_block_html="true" /}`` make the inside Markdown. The post's own scripts and
  styles are copied with it (they load on its page only); frames from the network are warned about.
- tables (:mod:`~ai4neuro.posts.tables`): every row as wide as the widest; a table that is not one
  header row and a body becomes a ``list-table``.
- lists nested deeper than the book can show are moved up (:mod:`~ai4neuro.posts.nesting`).
- setext headings become ``#`` headings (kramdown: one line of text over ``===``/``---``); heading
  levels move under the chapter's H1 without gaps (:func:`~ai4neuro.posts.blocks.promote_headings`).
- attribute lists: ``{: .notice--info}`` and friends (minimal-mistakes) become admonitions, other
  classes and ids a ``container``; ``* TOC`` + ``{:toc}`` (or ``{% include toc %}``) a ``contents``
  directive; ``{#id}`` on a heading keeps in-page links to it working; ALDs (``{:name: .x}``) are
  applied where referenced. What cannot be kept (``{:target="_blank"}``, styles) is dropped with a warning.
- ``<div markdown="1">`` (and other tags): the inside is Markdown, wrapped in a ``container`` (or a
  dropdown for ``<details>``); the inside is converted like the rest.
- links: to the blog's own pages (``/about``, or relative to the post's address) → the blog's address
  (``posts/_config.yml``: ``url``, ``baseurl``); ``#id`` → the heading's anchor (kramdown's auto ids, see
  :mod:`~ai4neuro.posts.anchors`); ``other.md#id`` (another post in the book) kept if that chapter has the heading.
- images (Markdown, HTML, directives) → copies in the book (:mod:`~ai4neuro.posts.assets`), or a note
  where the blog lacks one and ``--skip-missing-images`` is given.
- rules: a rule after a rule or a heading, or at the end, is dropped (docutils cannot draw it).
- text MyST would read as its own syntax is escaped: ``%``, ``+++``, ``(x)=`` and ``:::`` at a line
  start, ``{{``, and the ``(c)``/``(tm)``/``+-`` that MyST's ``replacements`` would turn into symbols.
- kramdown extensions: ``{::comment}`` is dropped, ``{::options parse_block_html}`` applied (other
  options warned about), others dropped with a warning; abbreviation definitions (``*[HTML]: ...``) are
  dropped with a warning.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pygments.filters import ErrorToken
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ai4neuro.posts import anchors
from ai4neuro.posts import html as kramdown_html
from ai4neuro.posts.assets import Assets
from ai4neuro.posts.blocks import ATX, Block, heading_title, join, split_blocks
from ai4neuro.posts.math import display_block, dollar_candidate, find_math, literal_dollars
from ai4neuro.posts.nesting import MAX_DEPTH, flatten_lists
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.reader import IAL_LINE, POST_PARSER, KramdownReader, parse_block_html_option
from ai4neuro.posts.references import MARKDOWN_ATTRIBUTE, References, image_labels, missing_image_note
from ai4neuro.posts.site import Site
from ai4neuro.posts.tables import list_table, pipe_table, read_table

__all__ = ["Converter", "fix_anchors", "fix_rules"]


ALD_LINE = re.compile(r"^ {0,3}\{:([A-Za-z][\w-]*):\s*([^}]*)\}\s*$")
HEADING_ATTRIBUTES = re.compile(r"\s*\{:?\s*([#.][^}]*)\}\s*$")
SPAN_IAL = re.compile(r"\{:(?![:/])[^}\n]*\}")
ATTRIBUTE = re.compile(r"""([#.][\w:-]+)|([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)|([\w-]+)""")
EXTENSION = re.compile(r"^\s*\{::(\w+)([^}]*?)(/)?\}(.*?)(?:\{:/\1?\}\s*)?$", re.DOTALL)
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
CODE_OR_RAW_SPAN = re.compile(
    r"(?P<raw>(?P<open><(?P<tag>code|kbd|samp|var)\b[^>]*>)(?P<inside>.*?)(?P<close></(?P=tag)\s*>))"
    r"|(`+)(?!`).*?(?<!`)(?P=tick)(?!`)".replace("(`+)", "(?P<tick>`+)"),
    re.DOTALL | re.IGNORECASE,
)
GUILLEMETS = re.compile(r"(?<!\\)<<|(?<![\\\n])(?<!^)>>")  # kramdown's typography: << and >> are « and »
DISPLAY_MATH = re.compile(r"^\s*\$\$(.+?)\$\$\s*$", re.DOTALL)
DOLLAR = re.compile(r"(?<!\\)\$")
LINE_START = re.compile(r"^(\s*(?:>\s*)*)(%|\+\+\+|\(\S+\)=|:::)", re.MULTILINE)
REPLACEMENT = re.compile(r"\((c|r|tm|p)\)|\+-", re.IGNORECASE)
DIRECTIVE_FENCE = re.compile(r"^(`{3,})\{(figure|image|contents)\}(.*)$", re.MULTILINE)
LONE_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)\s*(\{:[^}]*\})?")
MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]!$\\~]|^\s*(?:[#>+-]|\d+\.)\s", re.M)
TYPE7_LINE = re.compile(r"^ {0,3}<[A-Za-z][\w-]*(?:\s[^>]*)?/?>\s*$")
STRAY_CLOSE = re.compile(r"^( {0,3})</")
TASK_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])[ \t]+)\[([ xX])\][ \t]+", re.M)  # GFM's task lists
KNOWN_OPTIONS = {"parse_block_html", "parse_span_html"}
FENCE_LINE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)*(`{3,}|~{3,})")
NOTICES = {
    "notice": "note",
    "notice--primary": "note",
    "notice--info": "note",
    "notice--success": "tip",
    "notice--warning": "warning",
    "notice--danger": "danger",
}
SILENT_CLASSES = {"no_toc"}


@dataclass
class Attributes:
    id: str = ""
    classes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    toc: bool = False

    def __bool__(self) -> bool:
        return bool(self.id or self.classes or self.values or self.toc)


@dataclass
class Converter(References):
    site: Site
    notes: Notes
    assets: Assets
    chapter: str = ""  # this post's chapter name (a link to it is a link within the page)
    block_ids: set[str] = field(default_factory=set)  # ids given to blocks other than headings
    explicit: dict[int, str] = field(default_factory=dict)  # heading line → its {#id}
    links: list[tuple[int, str]] = field(default_factory=list)  # (line, id) of every in-page link
    alds: dict[str, str] = field(default_factory=dict)
    image_labels: set[str] = field(default_factory=set)  # reference labels images use (![alt][label])
    missing_labels: set[str] = field(default_factory=set)  # of those, the ones whose image is not there
    parse_block_html: bool = False  # {::options parse_block_html="true" /} seen
    _done: set[int] = field(default_factory=set)  # ids of blocks converted already (the inside of HTML elements)
    dollar_note: bool = False  # the single-dollar assumption was told

    # --- the whole text --------------------------------------------------------------------------

    def convert(self, text: str, offset: int = 0) -> list[Block]:
        """Convert kramdown ``text`` (its first line is body line ``offset``) into MyST blocks."""
        self.image_labels |= image_labels(text)
        result: list[Block] = []
        for block in split_blocks(text, offset, reader=KramdownReader):
            option = parse_block_html_option(block.text) if block.kind == "paragraph" else None
            if option is not None:
                self.parse_block_html = option
            if block.kind == "html_element":
                element = kramdown_html.block_element(block.text, 0, self.parse_block_html)
                if (
                    element is not None
                    and element.model != "raw"
                    and block.text[element.inner_start : element.close_start].strip()
                ):
                    result += self._wrapper(block, element)
                    continue
            result.append(block)
        result = self._attribute_lists(result)
        converted = [item for block in result for item in self._block(block)]
        return [
            self._highlightable(block) if "``" in block.text or "~~~" in block.text else block for block in converted
        ]

    def _highlightable(self, block: Block) -> Block:
        """Code blocks whose language the book's highlighter (Pygments, through Sphinx) does not know, or cannot
        read the code as, are shown without colours (as Rouge does on the blog): else the build warns."""
        if id(block) in self._done:
            return block
        lines = block.text.split("\n")
        for token in POST_PARSER.parse(block.text):
            if token.type != "fence" or not token.map:
                continue
            words = token.info.split()
            directive = bool(words) and words[0] in {"{code-block}", "{code}", "{sourcecode}"}
            language = (words[1] if len(words) > 1 else "") if directive else (words[0] if words else "")
            if not language or words[0].startswith("{") and not directive:
                continue
            problem = highlight_problem(language, token.content)
            if problem is None:
                continue
            self.notes.warn(block.line + token.map[0], f"{problem}: the code is shown without colours")
            at = token.map[0]
            lines[at] = re.sub(rf"(?<![\w-]){re.escape(language)}(?![\w-])", "text", lines[at], count=1)
        text = "\n".join(lines)
        return block if text == block.text else Block(text, block.kind, block.line)

    def _wrapper(self, block: Block, element: kramdown_html.Element) -> list[Block]:
        """An HTML element whose inside kramdown reads as Markdown (``markdown="1"``, ``parse_block_html``).

        A ``<details>`` becomes a dropdown, a minimal-mistakes notice an admonition; any other element keeps
        its start and end tags around its converted inside (raw HTML around Markdown, as kramdown writes it),
        unless a heading is inside (a heading cannot sit in raw HTML in the book: the tags go, with a warning).
        A span element's inside is one paragraph (``<h2>`` a heading).
        """
        inner = block.text[element.inner_start : element.close_start]
        tag, attrs = element.name, element.attrs
        summary = ""
        if tag == "details":
            found = re.search(r"<summary[^>]*>(.*?)</summary>", inner, re.I | re.DOTALL)
            if found:
                summary = " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())
                inner = inner[: found.start()] + inner[found.end() :]
        first_line = block.line + block.text.count("\n", 0, element.inner_start) + len(inner) - len(inner.lstrip("\n"))
        if element.model == "span":
            if re.fullmatch(r"h[1-6]", tag):
                return [Block(f"{'#' * int(tag[1])} {' '.join(inner.split())}", "heading", block.line)]
            if not MARKDOWN_SYNTAX.search(inner):
                return [block]  # nothing for kramdown to read: the HTML as it is
            dropped = sorted(set(attrs) - {"class", "markdown"})
            if dropped:
                self.notes.warn(
                    block.line, f"<{tag}> read as Markdown: its attributes {', '.join(dropped)} were dropped"
                )
            body = [Block(self.prose(inner.strip(), first_line), "paragraph", first_line)]
        else:
            body = self.convert(inner.strip("\n"), first_line)
        text = "\n\n".join(item.text for item in body)
        classes = attrs.get("class", "").split()
        fence = ":" * max(3, 1 + max((len(run) for run in re.findall(r"^(:{3,})", text, re.M)), default=0))
        if tag == "details":
            title = html.escape(summary or "Details", quote=False)
            return [Block(f"{fence}{{dropdown}} {title}\n{text}\n{fence}", "colon_fence", block.line)]
        notice = next((NOTICES[name] for name in classes if name in NOTICES), "")
        headings = any(item.kind == "heading" for item in body)
        if notice and not headings:
            return [Block(f"{fence}{{{notice}}}\n{text}\n{fence}", "colon_fence", block.line)]
        if headings:
            self.notes.warn(
                block.line, f"the <{tag}> around a heading was left out (a heading cannot sit inside HTML in the book)"
            )
            done = body
        elif element.model == "span":
            done = [Block(text, "wrapper", block.line)]
        else:
            opening = self.html(MARKDOWN_ATTRIBUTE.sub("", block.text[element.start : element.open_end]), block.line)
            done = [Block(opening, "html_block", block.line), *body, Block(f"</{tag}>", "html_block", block.line)]
        self._done.update(id(item) for item in done)
        return done

    # --- attribute lists -------------------------------------------------------------------------

    def _attribute_lists(self, blocks: list[Block]) -> list[Block]:
        """Apply block IALs (``{: .x}`` after or before a block) and ALDs; return blocks with their attributes."""
        kept: list[Block] = []
        pending: Attributes | None = None
        self._attributes: dict[int, Attributes] = {}
        blocks = [block if id(block) in self._done else self._without_alds(block) for block in blocks]
        for position, block in enumerate(blocks):
            if id(block) in self._done:
                kept.append(block)
                continue
            if not block.text:
                continue
            lines = block.text.splitlines()
            leading = []
            while len(lines) > 1 and IAL_LINE.match(lines[0]) and block.kind == "paragraph":
                leading.append(IAL_LINE.match(lines.pop(0)).group(1))
            if leading:
                pending = self._parse(" ".join(leading), block.line)
                block = Block(join(lines), block.kind, block.line + len(leading))
            trailing = []
            while lines and IAL_LINE.match(lines[-1]) and block.kind not in {"fence", "code_block", "html_block"}:
                trailing.insert(0, IAL_LINE.match(lines.pop()).group(1))
            if not lines:  # a paragraph of attribute lists only
                attributes = self._parse(" ".join(trailing), block.line)
                previous = kept[-1] if kept else None
                if previous and previous.line + len(previous.text.splitlines()) == block.line:
                    self._merge(id(kept[-1]), attributes)
                elif position + 1 < len(blocks) and blocks[position + 1].line == block.line + len(trailing):
                    pending = attributes
                else:
                    self.notes.warn(block.line, "a kramdown attribute list that belongs to no block was dropped")
                continue
            block = Block(join(lines), block.kind, block.line) if trailing else block
            kept.append(block)
            if trailing:
                self._merge(id(block), self._parse(" ".join(trailing), block.line))
            if pending is not None:
                self._merge(id(block), pending)
                pending = None
        return kept

    def _without_alds(self, block: Block) -> Block:
        """Register the attribute list definitions (``{:name: .x}``) a block holds; return the rest of it."""
        if block.kind not in {"paragraph", "definitions"}:
            return block
        lines = []
        for line in block.text.splitlines():
            match = ALD_LINE.match(line)
            if match:
                self.alds[match.group(1)] = match.group(2)
            else:
                lines.append(line)
        return block if len(lines) == len(block.text.splitlines()) else Block(join(lines), block.kind, block.line)

    def _merge(self, key: int, attributes: Attributes) -> None:
        current = self._attributes.setdefault(key, Attributes())
        current.id = attributes.id or current.id
        current.classes += attributes.classes
        current.values.update(attributes.values)
        current.toc = current.toc or attributes.toc

    def _parse(self, text: str, line: int, depth: int = 0) -> Attributes:
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
            elif reference in self.alds and depth < 5:
                referenced = self._parse(self.alds[reference], line, depth + 1)
                attributes.id = attributes.id or referenced.id
                attributes.classes += referenced.classes
                attributes.values = {**referenced.values, **attributes.values}
            elif reference:
                self.notes.warn(
                    line,
                    f"the kramdown attribute list refers to '{reference}', which nothing defines; dropped",
                )
        return attributes

    # --- one block -------------------------------------------------------------------------------

    def _block(self, block: Block) -> list[Block]:
        if id(block) in self._done:  # converted inside an HTML element already
            return [block]
        attributes = self._attributes.get(id(block), Attributes())
        kind = block.kind
        if kind in {"wrapper", "colon_fence"}:  # made by this converter
            return [self._with_attributes(block, attributes)]
        if kind == "math_block":
            tex = DISPLAY_MATH.match(block.text)
            math = Block(display_block(tex.group(1) if tex else block.text), "math_block", block.line)
            return [self._with_attributes(math, attributes)]
        if kind == "paragraph":
            special = self._special_paragraph(block)
            if special is not None:
                return [
                    self._with_attributes(item, attributes) if item.kind != "paragraph" else item for item in special
                ]
        if kind == "heading":
            return [self._heading(block, attributes)]
        if attributes.toc and kind in {"bullet_list", "ordered_list"}:
            return [Block(":::{contents}\n:local:\n:backlinks: none\n:::", "colon_fence", block.line)]
        if kind == "paragraph":
            image = self._lone_image(block, attributes)
            if image is not None:
                return [image]
        if kind == "fence" and DIRECTIVE_FENCE.match(block.text):
            converted = self._directive(block)
        elif kind in {"fence", "code_block"}:
            converted = block
        elif kind in {"html_block", "html_element", "html_unclosed"}:
            converted = self._raw_html(block)
        elif kind == "table":
            converted = self._table(block)
        elif kind == "definitions":
            converted = Block(self.definitions(block.text, block.line), kind, block.line)
        elif kind == "hr":
            converted = Block("---", kind, block.line)
        else:
            text = block.text
            if kind in {"bullet_list", "ordered_list"}:
                text = TASK_ITEM.sub(_checkbox, self._shallow(text, block.line))
            elif kind == "paragraph":
                text = self._paragraph_html(text)
            converted = Block(self.prose(text, block.line), kind, block.line)
        return [self._with_attributes(converted, attributes)]

    def _paragraph_html(self, text: str) -> str:
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
            text = _outside_code(text, lambda part: re.sub(r"(?<!\\)\|", r"\\|", part))
        return text

    def _raw_html(self, block: Block) -> Block:
        """A block of raw HTML: its files copied and links fixed; a ``raw`` directive when it holds blank lines."""
        if block.kind == "html_unclosed":
            self.notes.warn(
                block.line,
                "an HTML element is never closed: kramdown shows the rest of the post as its raw text; "
                "the book ends it at the next blank line (close the element in the post)",
            )
        text = self.html(block.text, block.line)
        if not any(not line.strip() for line in text.splitlines()):
            return Block(text, "html_block", block.line)
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        return Block(f"{fence}{{raw}} html\n{text}\n{fence}", "html_block", block.line)

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

    def _table(self, block: Block) -> Block:
        table = read_table(block.text.splitlines())

        def cell(text: str) -> str:
            return self.prose(text, block.line).replace("\n", " ")

        if len(table.head) == 1 and not table.foot:
            return Block(pipe_table(table, cell), "table", block.line)
        lost = ["its footer rows (after |===|) are ordinary rows"] if table.foot else []
        lost += ["its column alignment is dropped"] if any(table.alignment) else []
        if lost:
            self.notes.warn(
                block.line, f"a table with {'a footer' if table.foot else 'several header rows'}: {' and '.join(lost)}"
            )
        return Block(list_table(table, cell), "colon_fence", block.line)

    def _directive(self, block: Block) -> Block:
        """A figure, image or contents directive made from a Liquid include: its file copied, caption converted."""
        lines = block.text.splitlines()
        match = DIRECTIVE_FENCE.match(lines[0])
        head = f"{match.group(1)}{{{match.group(2)}}}"
        options = [line for line in lines[1:-1] if line.startswith(":")]
        caption = "\n".join(lines[1 + len(options) : -1]).strip()
        if match.group(3).strip():
            source = self.assets.local(match.group(3).strip(), block.line)
            if source is None:
                alt = next((line[5:].strip() for line in options if line.startswith(":alt:")), match.group(3).strip())
                note = missing_image_note(alt)
                return Block(
                    note + ("\n\n" + self.prose(caption, block.line) if caption else ""), "paragraph", block.line
                )
            head += " " + source
        body = "\n".join(options) + ("\n\n" + self.prose(caption, block.line) if caption else "")
        return Block(f"{head}\n{body}\n{lines[-1]}" if body else f"{head}\n{lines[-1]}", "fence", block.line)

    def _special_paragraph(self, block: Block) -> list[Block] | None:
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
        names = [name for name, *_ in re.findall(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|\S+)""", text)]
        ignored = [name for name in names if name not in KNOWN_OPTIONS]
        if ignored:
            self.notes.warn(
                line, f"the kramdown option(s) {', '.join(ignored)} are not applied (the book reads Jekyll's defaults)"
            )

    def _split_display_math(self, block: Block) -> list[Block] | None:
        """A paragraph with ``\\[…\\]`` display math in it: the text before, the equation, the text after
        (as MathJax shows it on the blog)."""
        pieces, cursor, found = [], 0, False
        for start, end, math in self._math_outside_code(block.text):
            if not math.display:
                continue
            found = True
            before = block.text[cursor:start].strip()
            if before:
                pieces.append(Block(before, "paragraph", block.line + block.text.count("\n", 0, cursor)))
            pieces.append(Block(display_block(math.tex), "math_block", block.line + block.text.count("\n", 0, start)))
            cursor = end
        if not found:
            return None
        after = block.text[cursor:].strip()
        if after:
            pieces.append(Block(after, "paragraph", block.line + block.text.count("\n", 0, cursor)))
        return [
            Block(self.prose(self._paragraph_html(item.text), item.line), "paragraph", item.line)
            if item.kind == "paragraph"
            else item
            for item in pieces
        ]

    def _math_outside_code(self, text: str):
        cursor = 0
        for code in [*CODE_SPAN.finditer(text), None]:
            stop = code.start() if code else len(text)
            for math in find_math(text[cursor:stop], self.site.single_dollar_math):
                yield cursor + math.start, cursor + math.end, math
            if code is None:
                break
            cursor = code.end()

    def _heading(self, block: Block, attributes: Attributes) -> Block:
        lines = block.text.splitlines()
        underline = SETEXT_UNDERLINE.match(lines[-1]) if len(lines) > 1 else None
        if underline:
            level = 1 if underline.group(1).startswith("=") else 2
            title = " ".join(part.strip() for part in lines[:-1])
        else:
            match = ATX.match(lines[0])
            level = len(match.group(2))
            title = re.sub(r"(?:^|\s+)#+\s*$", "", lines[0][match.end() :]).strip()
        explicit = HEADING_ATTRIBUTES.search(title)
        if explicit:
            title = title[: explicit.start()].rstrip()
            inline = self._parse(explicit.group(1), block.line)
            attributes = Attributes(inline.id or attributes.id, attributes.classes + inline.classes, attributes.values)
        dropped = [name for name in attributes.classes if name not in SILENT_CLASSES]
        if dropped or attributes.values:
            self.notes.warn(block.line, "classes and attributes on a heading were dropped (MyST headings take none)")
        heading = Block(f"{'#' * level} {self.prose(title, block.line)}", "heading", block.line)
        if attributes.id:
            self.explicit[heading.line] = attributes.id
        return heading

    def _lone_image(self, block: Block, attributes: Attributes) -> Block | None:
        """A paragraph that is one image with attributes: an ``image`` directive that can carry them."""
        match = LONE_IMAGE.fullmatch(block.text.strip())
        if not match or not (attributes or match.group(3)):
            return None
        if match.group(3):
            inline = self._parse(match.group(3)[2:-1], block.line)
            attributes = Attributes(
                inline.id or attributes.id, attributes.classes + inline.classes, {**attributes.values, **inline.values}
            )
        options = [f":alt: {' '.join(match.group(1).split())}"] if match.group(1).strip() else []
        align = [
            name.split("-", 1)[1]
            for name in attributes.classes
            if name in {"align-left", "align-center", "align-right"}
        ]
        classes = [name for name in attributes.classes if not name.startswith("align-")]
        options += [f":align: {align[0]}"] if align else []
        options += [f":class: {' '.join(classes)}"] if classes else []
        for key in ("width", "height"):
            if key in attributes.values:
                options.append(f":{key}: {attributes.values[key]}")
        others = set(attributes.values) - {"width", "height", "alt"}
        if others:
            self.notes.warn(block.line, f"image attributes dropped: {', '.join(sorted(others))}")
        if attributes.id:
            options.append(f":name: {attributes.id}")
            self.block_ids.add(attributes.id)
        source = self.assets.local(match.group(2), block.line)
        if source is None:
            return Block(missing_image_note(match.group(1) or match.group(2)), "paragraph", block.line)
        return Block("\n".join([f":::{{image}} {source}", *options, ":::"]), "colon_fence", block.line)

    def _with_attributes(self, block: Block, attributes: Attributes) -> Block:
        if not attributes:
            return block
        if attributes.values:
            self.notes.warn(block.line, f"kramdown attributes dropped: {', '.join(sorted(attributes.values))}")
        classes = [name for name in attributes.classes if name not in SILENT_CLASSES]
        notice = next((NOTICES[name] for name in classes if name in NOTICES), "")
        if block.kind in {"fence", "code_block", "hr", "definitions", "html_block"}:
            if classes or attributes.id:
                self.notes.warn(block.line, "classes and ids on code, rules and HTML were dropped")
            return block
        fence = ":" * max(3, 1 + max((len(run) for run in re.findall(r"^(:{3,})", block.text, re.M)), default=0))
        name = f"\n:name: {attributes.id}" if attributes.id else ""
        if attributes.id:
            self.block_ids.add(attributes.id)
        if notice:
            extra = [c for c in classes if c not in NOTICES]
            option = f"\n:class: {' '.join(extra)}" if extra else ""
            return Block(f"{fence}{{{notice}}}{option}{name}\n{block.text}\n{fence}", "colon_fence", block.line)
        if not classes and not name:
            return block
        return Block(
            f"{fence}{{container}} {' '.join(classes)}{name}\n{block.text}\n{fence}", "colon_fence", block.line
        )

    # --- text ------------------------------------------------------------------------------------

    def prose(self, text: str, line: int) -> str:
        """Inline kramdown → MyST in a block of prose, code spans and fenced code inside it left alone."""
        out, chunk, fence, start = [], [], "", line
        for number, row in enumerate(text.split("\n")):
            marker = FENCE_LINE.match(row)
            if fence:
                out.append(row)
                if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
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
                inner = re.sub(r"([\\`*_\[\]$~])", r"\\\1", code.group("inside"))
                pieces.append(self.html(code.group("open"), line) + inner + code.group("close"))
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
        text = REPLACEMENT.sub(lambda m: "\\" + m.group(0) if m.group(0) != "+-" else "+\\-", text)
        text = GUILLEMETS.sub(lambda m: "«" if m.group(0) == "<<" else "»", text)
        text = self._missing_reference_images(text, line)
        text = self._links(text, line)
        if "<" in text:
            text = self.html(text, line)
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


def highlight_problem(language: str, code: str) -> str | None:
    """Why Sphinx would warn about highlighting ``code`` as ``language`` (its rules), or None."""
    name = language.lower()
    if name in {"none", "text", "default", "guess"}:
        return None
    if name in {"py", "python", "py3", "python3"}:
        name = "pycon" if code.startswith(">>>") else "python"
    name = "pycon" if name == "pycon3" else name
    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        return f"the code language {language!r} is unknown to the book's highlighter (Pygments)"
    lexer.add_filter("raiseonerror")
    try:
        for _ in lexer.get_tokens(code):
            pass
    except ErrorToken:
        return f"the book's highlighter (Pygments) cannot read this code as {language}"
    return None


def _outside_code(text: str, change) -> str:
    out, cursor = [], 0
    for code in CODE_SPAN.finditer(text):
        out.append(change(text[cursor : code.start()]) + code.group(0))
        cursor = code.end()
    out.append(change(text[cursor:]))
    return "".join(out)


def _checkbox(match: re.Match) -> str:
    """A task list item's box, as kramdown's GFM parser writes it (the book's MyST reads no task lists)."""
    checked = ' checked="checked"' if match.group(2) in "xX" else ""
    return f'{match.group(1)}<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"{checked} /> '


def fix_anchors(blocks: list[Block], title: str, converter: Converter, warn: Callable[[int, str], None]) -> list[Block]:
    """In-page links: kramdown ids (auto or ``{#id}``) → the anchors MyST gives the same headings."""
    taken: set[str] = set()
    anchors.unique(anchors.kramdown_slug(heading_title(title)), taken)
    kramdown_taken: set[str] = set()
    mapping: dict[str, str] = {}
    for block in blocks:
        if block.kind != "heading":
            continue
        base = anchors.kramdown_slug(heading_title(ATX.sub("", block.text, count=1).strip()))
        slug, kramdown_id = anchors.unique(base, taken), anchors.unique(base, kramdown_taken)
        explicit = converter.explicit.get(block.line)
        for name in filter(None, (kramdown_id, explicit)):
            mapping.setdefault(name, slug)
    known = set(mapping) | converter.block_ids
    for line, name in converter.links:
        if name not in known:
            warn(line, f"the link to #{name} leads to no heading of the post; it is kept as plain text")

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in converter.block_ids:
            return match.group(0)
        if name in mapping:
            return f"](#{mapping[name]}{match.group(2)})"
        return match.group(0)

    def unlink(text: str) -> str:
        for name in {n for _, n in converter.links if n not in known}:
            text = re.sub(r"(?<!!)\[([^\[\]]*)\]\(#" + re.escape(name) + r"(?:\s+\"[^\"]*\")?\)", r"\1", text)
        return text

    fixed = []
    for block in blocks:
        text = block.text
        if "](#" in text and block.kind not in {"fence", "code_block"}:
            text = unlink(re.sub(r"\]\(#([^)\s]+)((?:\s+\"[^\"]*\")?)\)", replace, text))
        fixed.append(Block(text, block.kind, block.line) if text != block.text else block)
    return fixed


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
