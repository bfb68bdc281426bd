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
- attribute lists: a ``{: .x}`` line ends a paragraph (it is the attribute list of the text above it);
- quotes: a blockquote runs on over unquoted lines to the next blank line (or attribute list, HTML tag);
- lists: an item takes the lines right under it, a code fence or a quote too (:func:`lazy_lines_indented`
  writes them under the item for MyST).

Kinds: markdown-it's token types, ``html_element`` (kramdown's block HTML), ``math_block``,
``definitions`` and ``footnote``.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from ai4neuro.posts import html
from ai4neuro.posts.blocks import Block, BlockReader, Reading, join
from ai4neuro.posts.escaping import CODE_SPAN, closes_fence

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
        if kind == "paragraph" and (cut := self.attribute_cut(start, end)):
            first_part = self.table(start, cut, kind, before) if "|" in join(self.lines[start:cut]) else None
            return (first_part[0] if first_part else [Block(join(self.lines[start:cut]), kind, start)]), cut
        # quotes and lists: where kramdown's lines run past markdown-it's; a code fence those lines leave open
        # is text to kramdown, markdown-it's reading is kept then (it shows the code whole)
        lists = {"bullet_list", "ordered_list"}
        if kind == "blockquote":
            stop = self.quote_end(start)
        elif kind in lists and ITEM_MARKER.match(first):
            stop = max(self.list_end(start), end)
        else:
            stop = end
        if stop != end and _fences_closed(self.lines[min(end, stop) : max(end, stop)]):
            return [Block(join(self.lines[start:stop]), kind, start)], stop
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

    def attribute_cut(self, start: int, end: int) -> int | None:
        """Where kramdown ends the paragraph markdown-it found at ``start``..``end`` at an attribute list line
        (``{: .x}``) with more text after it: the line after that attribute list (it goes with the text before);
        None if there is no such line."""
        line = start
        while line < end and IAL_LINE.match(self.lines[line]):
            line += 1  # attribute lists before the text are for it (or for the block before)
        while line < end and not IAL_LINE.match(self.lines[line]):
            line += 1
        while line < end and IAL_LINE.match(self.lines[line]):
            line += 1
        return line if line < end else None

    def quote_end(self, start: int) -> int:
        """Where kramdown's blockquote starting at ``start`` ends: its lines run on, quoted or not, up to a blank
        line, an attribute list, an end-of-block marker or an HTML tag (kramdown's ``LAZY_END``); the attribute
        lists right after it are its own."""
        line = start + 1
        while line < len(self.lines) and not _ends_lazily(self.lines[line]):
            line += 1
        while line < len(self.lines) and IAL_LINE.match(self.lines[line]):
            line += 1
        return line

    def list_end(self, start: int) -> int:
        """Where kramdown's list starting at ``start`` ends: an item runs on over the lines right after it, indented
        or not (code fences, quotes, other lists: its lazy lines), and over indented lines after a blank one."""
        items = _item_pattern(self.lines[start])
        indent = _content_column(self.lines[start])
        line, end, blank = start + 1, start + 1, False
        while line < len(self.lines):
            text = self.lines[line].expandtabs(4)
            if EOB_LINE.match(text) or (blank and HR_LINE.match(text)):
                break
            if not text.strip():
                blank = True
                line += 1
                continue
            if items.match(text):
                items, indent = _item_pattern(text), _content_column(text)
            elif _leading(text) < indent and (blank or _not_lazy(text)):
                break
            blank = False
            line += 1
            end = line
        return end

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


HR_LINE = re.compile(r"^ {0,3}([*_-])[ \t]*\1[ \t]*\1(?:\1|[ \t])*$")
ITEM_MARKER = re.compile(r"^( {0,3}(?:[+*-]|\d+\.))([ \t]+|$)")
FENCE_RUN = re.compile(r"^ *(`{3,}|~{3,})")
STARTS_A_BLOCK = re.compile(r"^ {0,3}(?:`{3,}|~{3,}|#{1,6}(?:[ \t]|$)|>|[+*-][ \t]|\d+\.[ \t])")


def lazy_lines_indented(text: str) -> str:
    """A list (kramdown's :meth:`KramdownReader.list_end`) written so MyST reads the same items: the lazy lines of an
    item from the first that would start a block of its own (a code fence, a quote, a heading, a list) to the
    next blank line are indented under the item; plain text that merely continues a paragraph is left as it is."""
    lines = text.split("\n")
    items = _item_pattern(lines[0])
    columns = [_content_column(lines[0])]  # the content columns of the items open at this line, outermost first
    blank, moving = False, False
    for index, line in enumerate(lines[1:], start=1):
        if not line.strip():
            blank, moving = True, False
            continue
        spaces = _leading(line.expandtabs(4))
        if items.match(line):
            columns, moving = [_content_column(line)], False
        elif spaces >= columns[-1] or blank:
            while len(columns) > 1 and spaces < columns[-1]:
                columns.pop()
            if ITEM_MARKER.match(line.expandtabs(4)[spaces:]) and spaces >= columns[-1]:
                columns.append(spaces + _content_column(line.expandtabs(4)[spaces:]))
        elif moving or STARTS_A_BLOCK.match(line):
            moving = True
            lines[index] = " " * columns[-1] + line
        blank = False
    return "\n".join(lines)


def _fences_closed(lines: list[str]) -> bool:
    """Whether every code fence opened in ``lines`` is closed in them too."""
    opened = ""
    for line in lines:
        fence = FENCE_RUN.match(line)
        if not opened and fence:
            opened = fence.group(1)
        elif opened and fence and closes_fence(opened, fence.group(1), line[fence.end() :]):
            opened = ""
    return not opened


def _item_pattern(line: str) -> re.Pattern:
    """kramdown's pattern for the next items of the list that ``line`` starts (same type, marker not indented more)."""
    column = _content_column(line)
    spaces = f" {{0,{min(column - 1, 3) if column < 4 else 3}}}"
    marker = r"[+*-]" if re.match(r"^ *[+*-]", line) else r"\d+\."
    return re.compile(rf"^{spaces}{marker}[ \t]")


def _content_column(line: str) -> int:
    """Where an item's text starts (kramdown: 4 when the marker line holds no text)."""
    marker = ITEM_MARKER.match(line.expandtabs(4))
    if marker is None:
        return 0
    if not line.expandtabs(4)[marker.end() :].strip():
        return 4
    return marker.end()


def _leading(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _not_lazy(line: str) -> bool:
    """kramdown's list items take any line right after them, but an attribute list or an HTML tag."""
    return bool(IAL_LINE.match(line) or LAZY_HTML.match(line))


def _ends_lazily(line: str) -> bool:
    """kramdown's ``LAZY_END``: the lines that end a blockquote (and a paragraph)."""
    return bool(not line.strip() or IAL_LINE.match(line) or EOB_LINE.match(line) or LAZY_HTML.match(line))


def _ends_paragraph(line: str) -> bool:
    """kramdown's ``PARAGRAPH_END_GFM``."""
    return bool(
        _ends_lazily(line)
        or LIST_START.match(line)
        or ATX_START.match(line)
        or line.lstrip().startswith(">")
        or line.startswith(": ")
        or FENCE_START.match(line)
    )
