"""Kramdown, as Jekyll configures it (``input: GFM``), turned into MyST Markdown block by block.

What changes, and why (MyST would otherwise show it wrongly or fail the ``-W`` build):

- math: kramdown knows only ``$$``. ``$$…$$`` alone in a paragraph is display math, inside text it is
  inline (MyST's ``$…$``); every single ``$`` is text (``\\$``), so ``$5 and $10`` stays money.
- setext headings become ``#`` headings (kramdown: one line of text over ``===``/``---``); heading
  levels move under the chapter's H1 without gaps (:func:`~ai4neuro.posts.blocks.promote_headings`).
- attribute lists: ``{: .notice--info}`` and friends (minimal-mistakes) become admonitions, other
  classes and ids a ``container``; ``* TOC`` + ``{:toc}`` (or ``{% include toc %}``) a ``contents``
  directive; ``{#id}`` on a heading keeps in-page links to it working; ALDs (``{:name: .x}``) are
  applied where referenced. What cannot be kept (``{:target="_blank"}``, styles) is dropped with a warning.
- ``<div markdown="1">`` (and other tags): the inside is Markdown, wrapped in a ``container`` (or a
  dropdown for ``<details>``); the inside is converted like the rest.
- a table without a header row (kramdown allows it) becomes a ``list-table``.
- links: to the blog's own pages (``/about``) → the blog's address (``posts/_config.yml``: ``url``,
  ``baseurl``); ``#id`` → the heading's anchor (kramdown's auto ids, see :mod:`~ai4neuro.posts.anchors`).
- images (Markdown, HTML, directives) → copies in the book (:mod:`~ai4neuro.posts.assets`).
- rules: a rule after a rule or a heading, or at the end, is dropped (docutils cannot draw it).
- text MyST would read as its own syntax is escaped: ``%``, ``+++``, ``(x)=`` and ``:::`` at a line
  start, ``{{``, and the ``(c)``/``(tm)``/``+-`` that MyST's ``replacements`` would turn into symbols.
- kramdown extensions: ``{::comment}`` is dropped, ``{::options}`` ignored, others dropped with a warning;
  abbreviation definitions (``*[HTML]: ...``) are dropped with a warning.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from mdit_py_plugins.footnote import footnote_plugin

from ai4neuro.posts import anchors
from ai4neuro.posts.assets import Assets
from ai4neuro.posts.blocks import ATX, Block, gap_blocks, join
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site

POST_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).disable("inline")
TITLE_PARSER = MarkdownIt("commonmark").enable(["strikethrough"])

IAL_LINE = re.compile(r"^ {0,3}\{:(?![:/])\s*([^}]*)\}\s*$")
ALD_LINE = re.compile(r"^ {0,3}\{:([A-Za-z][\w-]*):\s*([^}]*)\}\s*$")
HEADING_ATTRIBUTES = re.compile(r"\s*\{:?\s*([#.][^}]*)\}\s*$")
SPAN_IAL = re.compile(r"\{:(?![:/])[^}\n]*\}")
ATTRIBUTE = re.compile(r"""([#.][\w:-]+)|([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)|([\w-]+)""")
EXTENSION = re.compile(r"^\s*\{::(\w+)([^}]*?)(/)?\}(.*?)(?:\{:/\1?\}\s*)?$", re.DOTALL)
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
WRAPPER_OPEN = re.compile(
    r"""^\s*<(?P<tag>[a-zA-Z][\w-]*)(?P<attrs>[^>]*?\bmarkdown\s*=\s*["']?(?:1|block)["']?[^>]*)>""", re.DOTALL
)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
INLINE_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.DOTALL)
DISPLAY_MATH = re.compile(r"^\s*\$\$(.+?)\$\$\s*$", re.DOTALL)
DOLLAR = re.compile(r"(?<!\\)\$")
LINE_START = re.compile(r"^(\s*(?:>\s*)*)(%|\+\+\+|\(\S+\)=|:::)", re.MULTILINE)
REPLACEMENT = re.compile(r"\((c|r|tm|p)\)|\+-", re.IGNORECASE)
LINK = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]+)((?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)")
DEFINITION = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)(.*)$")
HTML_URL = re.compile(r"""(?P<attr>\b(?:src|href|poster|data-src)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.I)
EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.DOTALL)
IMAGE_REFERENCE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?(?!\()")
DIRECTIVE_FENCE = re.compile(r"^(`{3,})\{(figure|image|contents)\}(.*)$", re.MULTILINE)
LONE_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)\s*(\{:[^}]*\})?")
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
class Converter:
    site: Site
    notes: Notes
    assets: Assets
    block_ids: set[str] = field(default_factory=set)  # ids given to blocks other than headings
    explicit: dict[int, str] = field(default_factory=dict)  # heading line → its {#id}
    links: list[tuple[int, str]] = field(default_factory=list)  # (line, id) of every in-page link
    alds: dict[str, str] = field(default_factory=dict)
    image_labels: set[str] = field(default_factory=set)  # reference labels images use (![alt][label])

    # --- the whole text --------------------------------------------------------------------------

    def convert(self, text: str, offset: int = 0) -> list[Block]:
        """Convert kramdown ``text`` (its first line is body line ``offset``) into MyST blocks."""
        self.image_labels |= {
            normalizeReference(ref or alt) for alt, ref in IMAGE_REFERENCE.findall(text) if ref or alt
        }
        raw = post_blocks(text, offset)
        lines = text.splitlines()
        result: list[Block] = []
        index = 0
        while index < len(raw):
            block = raw[index]
            wrapper = WRAPPER_OPEN.match(block.text) if block.kind == "html_block" else None
            if wrapper:
                end = self._wrapper_end(raw, index, wrapper.group("tag"))
                result.append(self._wrapper(raw, index, end, lines, offset, wrapper))
                index = end + 1
                continue
            result.append(block)
            index += 1
        result = self._attribute_lists(result)
        return [converted for block in result for converted in self._block(block)]

    def _wrapper_end(self, raw: list[Block], start: int, tag: str) -> int:
        opening = re.compile(rf"<{tag}\b", re.I)
        closing = re.compile(rf"</{tag}\s*>", re.I)
        depth = 0
        for index in range(start, len(raw)):
            if raw[index].kind != "html_block" and index != start:
                continue
            depth += len(opening.findall(raw[index].text)) - len(closing.findall(raw[index].text))
            if depth <= 0:
                return index
        raise self.notes.error(raw[start].line, f'<{tag} markdown="1"> is never closed. Add its </{tag}>.')

    def _wrapper(self, raw, start, end, lines, offset, wrapper) -> Block:
        first, last = raw[start], raw[end]
        stop = last.line - offset + len(last.text.splitlines())
        source = "\n".join(lines[first.line - offset : stop])
        opened = WRAPPER_OPEN.match(source)
        inner = source[opened.end() :]
        close_at = [m.start() for m in re.finditer(rf"</{wrapper.group('tag')}\s*>", inner, re.I)]
        inner = inner[: close_at[-1]] if close_at else inner
        tag, attrs = wrapper.group("tag").lower(), wrapper.group("attrs")
        summary = ""
        if tag == "details":
            found = re.search(r"<summary[^>]*>(.*?)</summary>", inner, re.I | re.DOTALL)
            if found:
                summary = " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())
                inner = inner[: found.start()] + inner[found.end() :]
        body = self.convert(inner.strip("\n"), first.line + 1)
        text = "\n\n".join(block.text for block in body)
        classes = (re.search(r"""\bclass\s*=\s*["']([^"']*)["']""", attrs) or [None, ""])[1].split()
        fence = ":" * max(3, 1 + max((len(run) for run in re.findall(r"^(:{3,})", text, re.M)), default=0))
        if tag == "details":
            return Block(
                f"{fence}{{dropdown}} {html.escape(summary or 'Details', quote=False)}\n{text}\n{fence}",
                "colon_fence",
                first.line,
            )
        notice = next((NOTICES[name] for name in classes if name in NOTICES), "")
        if notice:
            return Block(f"{fence}{{{notice}}}\n{text}\n{fence}", "colon_fence", first.line)
        if not classes:
            return Block(text, "wrapper", first.line)
        return Block(f"{fence}{{container}} {' '.join(classes)}\n{text}\n{fence}", "colon_fence", first.line)

    # --- attribute lists -------------------------------------------------------------------------

    def _attribute_lists(self, blocks: list[Block]) -> list[Block]:
        """Apply block IALs (``{: .x}`` after or before a block) and ALDs; return blocks with their attributes."""
        kept: list[Block] = []
        pending: Attributes | None = None
        self._attributes: dict[int, Attributes] = {}
        blocks = [self._without_alds(block) for block in blocks]
        for position, block in enumerate(blocks):
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
        attributes = self._attributes.get(id(block), Attributes())
        kind = block.kind
        if kind in {"wrapper", "colon_fence", "math_block"}:  # made by this converter
            return [self._with_attributes(block, attributes)]
        if kind == "paragraph":
            special = self._special_paragraph(block)
            if special is not None:
                return special
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
        elif kind == "html_block":
            converted = Block(self.html(block.text, block.line), kind, block.line)
        elif kind == "definitions":
            converted = Block(self.definitions(block.text, block.line), kind, block.line)
        elif kind == "hr":
            converted = Block("---", kind, block.line)
        else:
            converted = Block(self.prose(block.text, block.line), kind, block.line)
        return [self._with_attributes(converted, attributes)]

    def _directive(self, block: Block) -> Block:
        """A figure, image or contents directive made from a Liquid include: its file copied, caption converted."""
        lines = block.text.splitlines()
        match = DIRECTIVE_FENCE.match(lines[0])
        head = f"{match.group(1)}{{{match.group(2)}}}"
        if match.group(3).strip():
            head += " " + self.assets.local(match.group(3).strip(), block.line)
        options = [line for line in lines[1:-1] if line.startswith(":")]
        caption = "\n".join(lines[1 + len(options) : -1]).strip()
        body = "\n".join(options) + ("\n\n" + self.prose(caption, block.line) if caption else "")
        return Block(f"{head}\n{body}\n{lines[-1]}" if body else f"{head}\n{lines[-1]}", "fence", block.line)

    def _special_paragraph(self, block: Block) -> list[Block] | None:
        text, line = block.text, block.line
        extension = EXTENSION.match(text)
        if extension:
            name = extension.group(1)
            if name not in {"comment", "options"}:
                self.notes.warn(line, f"the kramdown extension {{::{name}}} was dropped (the book has no equivalent)")
            return []
        if all(ABBREVIATION.match(item) for item in text.splitlines()):
            self.notes.warn(line, "kramdown abbreviation definitions (*[ABBR]: ...) were dropped")
            return []
        display = DISPLAY_MATH.match(text)
        if display and "$$" not in display.group(1):
            return [Block(f"$$\n{display.group(1).strip()}\n$$", "math_block", line)]
        lines = text.splitlines()
        if (
            len(lines) > 1
            and SETEXT_UNDERLINE.match(lines[-1]) is None
            and all(x.lstrip().startswith("|") for x in lines)
        ):
            return [self._list_table(lines, line)]
        return None

    def _list_table(self, lines: list[str], line: int) -> Block:
        rows = []
        for row in lines:
            if re.fullmatch(r"\s*\|?[\s|:=+-]*\|?\s*", row):
                continue  # a separator line
            cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
            rows.append("* - " + "\n  - ".join(self.prose(cell.strip(), line) or " " for cell in cells))
        return Block(":::{list-table}\n:header-rows: 0\n\n" + "\n".join(rows) + "\n:::", "colon_fence", line)

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
        pieces, cursor = [], 0
        for code in CODE_SPAN.finditer(text):
            pieces.append(self._text(text[cursor : code.start()], line + text.count("\n", 0, cursor)))
            pieces.append(code.group(0))
            cursor = code.end()
        pieces.append(self._text(text[cursor:], line + text.count("\n", 0, cursor)))
        return "".join(pieces)

    def _text(self, text: str, line: int) -> str:
        """Text between code spans: math, escapes, span IALs, links, images and inline HTML."""
        if not text:
            return text
        pieces, cursor = [], 0
        for math in INLINE_MATH.finditer(text):
            pieces.append(self._plain(text[cursor : math.start()], line + text.count("\n", 0, cursor)))
            pieces.append(f"${math.group(1).strip()}$")
            cursor = math.end()
        pieces.append(self._plain(text[cursor:], line + text.count("\n", 0, cursor)))
        return "".join(pieces)

    def _plain(self, text: str, line: int) -> str:
        for match in SPAN_IAL.finditer(text):
            self.notes.warn(
                line + text.count("\n", 0, match.start()), f"kramdown span attributes dropped: {match.group(0)}"
            )
        text = SPAN_IAL.sub("", text)
        text = DOLLAR.sub(r"\\$", text)
        text = text.replace("{{", r"\{\{").replace("{%", r"\{%")
        text = LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        text = REPLACEMENT.sub(lambda m: "\\" + m.group(0) if m.group(0) != "+-" else "+\\-", text)
        text = self._links(text, line)
        if "<" in text:
            text = self.html(text, line)
        return text

    def _links(self, text: str, line: int) -> str:
        def replace(match: re.Match) -> str:
            target = match.group(1)
            bare = target[1:-1] if target.startswith("<") else target
            if _is_image(text, match.start()):
                new = self.assets.local(bare, line)
            elif bare.startswith("#"):
                self.links.append((line, bare[1:]))
                new = bare
            else:
                new = self._site_link(bare)
            if new == bare:
                return match.group(0)
            return f"]({'<' + new + '>' if ' ' in new else new}{match.group(2)})"

        return LINK.sub(replace, text)

    def _site_link(self, target: str) -> str:
        """A link to a page of the blog (``/about``) → its address; other links stay."""
        if target.startswith(("#", "mailto:", "tel:")) or "://" in target or target.startswith("//"):
            return target
        if not target.startswith("/"):
            return target
        return self.site.absolute(target) if self.site.address else target

    def definitions(self, text: str, line: int) -> str:
        rows = []
        for row in text.splitlines():
            match = DEFINITION.match(row)
            if match:
                target = match.group(2)
                bare = target[1:-1] if target.startswith("<") else target
                label = normalizeReference(match.group(1).strip().rstrip(":").strip()[1:-1])
                new = self.assets.local(bare, line) if label in self.image_labels else self._site_link(bare)
                row = (
                    f"{match.group(1)}{'<' + new + '>' if ' ' in new else new}{match.group(3)}" if new != bare else row
                )
            rows.append(row)
        return "\n".join(rows)

    def html(self, text: str, line: int) -> str:
        """Raw HTML: the blog's images copied, links to the blog absolute, external scripts dropped."""
        if EXTERNAL_SCRIPT.search(text):
            self.notes.warn(line, "an external <script> was dropped (the book loads nothing from the network)")
            text = EXTERNAL_SCRIPT.sub("", text)

        def replace(match: re.Match) -> str:
            url = html.unescape(match.group("url"))
            attribute = match.group("attr").split("=")[0].strip().lower()
            new = self._site_link(url) if attribute == "href" else self.assets.local(url, line, html=True)
            if new == url:
                return match.group(0)
            return f"{match.group('attr')}{match.group('q')}{html.escape(new)}{match.group('q')}"

        return HTML_URL.sub(replace, text)


def _is_image(text: str, close_bracket: int) -> bool:
    """Whether the ``](`` at ``close_bracket`` ends an image (``![...]``), by matching its ``[``."""
    depth = 0
    for index in range(close_bracket, -1, -1):
        char = text[index]
        if char == "]" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "[" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index > 0 and text[index - 1] == "!"
    return False


def post_blocks(text: str, offset: int = 0) -> list[Block]:
    """The post's top-level blocks (kramdown's reading: no MyST syntax, no ``$$`` blocks yet)."""
    lines = text.splitlines()
    spans = [
        (token.map[0], token.map[1], token.type)
        for token in POST_PARSER.parse(text)
        if token.level == 0 and token.map and token.nesting >= 0
    ]
    blocks, cursor = [], 0
    for start, end, kind in [*spans, (len(lines), len(lines), "")]:
        if start < cursor:
            continue
        blocks += [Block(b.text, b.kind, b.line + offset) for b in gap_blocks(lines[cursor:start], cursor)]
        if kind:
            blocks.append(Block(join(lines[start:end]), kind.removesuffix("_open"), start + offset))
        cursor = max(cursor, end)
    return [block for block in blocks if block.text]


def heading_title(text: str) -> str:
    """The text MyST gives its slug function for a heading line (text and code, no markup)."""
    tokens = TITLE_PARSER.parse(text)
    inline = next((token for token in tokens if token.type == "inline"), None)
    if inline is None:
        return ""
    return "".join(child.content for child in inline.children or [] if child.type in {"text", "code_inline"})


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
            text = re.sub(r"(?<!!)\[([^\]]*)\]\(#" + re.escape(name) + r"(?:\s+\"[^\"]*\")?\)", r"\1", text)
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
