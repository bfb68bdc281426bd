"""HTML in a post as kramdown reads it: where a block of HTML ends, and what is inside it.

CommonMark (and so MyST) ends a block of HTML at the first blank line; kramdown ends it at the
element's closing tag. So in kramdown (Jekyll's reader)

- Markdown on the line after ``</div>`` or ``<p ...>...</p>`` is Markdown, not more HTML;
- an element may hold blank lines, and indented lines after them are still its HTML;
- a line that starts with a span element (``<img>``, ``<a>``, ``<span>``...) starts a paragraph;
- ``markdown="1"`` (or ``{::options parse_block_html="true" /}``) makes the inside Markdown again,
  as blocks or as one paragraph, by the element's content model.

The names and rules are kramdown 2.4's (``kramdown/parser/html.rb`` and ``parser/kramdown/html.rb``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = r"[A-Za-z_:][\w:.-]*"
TAG = re.compile(
    rf"<(?P<name>{NAME})\s*(?P<attrs>(?:\s+{NAME}(?:\s*=\s*(?:\w+|(?P<q>[\"']).*?(?P=q)))?)*)\s*(?P<closed>/)?>",
    re.DOTALL,
)
CLOSE = re.compile(rf"</(?P<name>{NAME})\s*>")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
RAW_START = re.compile(rf"<(?:{NAME}|/|!--|\?)")
ATTRIBUTE = re.compile(rf"\s*(?P<name>{NAME})(?:\s*=\s*(?:(?P<bare>\w+)|(?P<q>[\"'])(?P<value>.*?)(?P=q)))?", re.DOTALL)
BLOCK_START = re.compile(r"^ {0,3}<(?:!--|/?[A-Za-z_:])", re.M)
TRAILING_WHITESPACE = re.compile(r"[ \t]*(?:\n|\Z)")


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


SPAN_ELEMENTS = _names(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt "
    "rtc ruby samp select small span strong sub sup tt u var"
)
WITHOUT_BODY = _names("area base br col command embed hr img input keygen link meta param source track wbr")
BLOCK_MODEL = _names(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form header "
    "hgroup iframe li main map menu nav noscript object section summary td"
)
SPAN_MODEL = _names(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend optgroup p q rb "
    "rbc rp rt rtc ruby select small span strong sub sup th tt"
)
MARKDOWN_ATTRIBUTE = {"0": "raw", "1": "default", "span": "span", "block": "block"}


def content_model(name: str) -> str:
    """kramdown's default content model of an element: ``block``, ``span`` or ``raw``."""
    name = name.lower()
    return "block" if name in BLOCK_MODEL else "span" if name in SPAN_MODEL else "raw"


def attributes(text: str) -> dict[str, str]:
    """The attributes of a start tag's attribute text, lower-cased names, as kramdown reads them."""
    found = {}
    for match in ATTRIBUTE.finditer(text):
        found[match.group("name").lower()] = match.group("bare") or match.group("value") or ""
    return found


@dataclass(frozen=True)
class Element:
    """A block of HTML kramdown reads at a line start: where it ends and how its inside is read."""

    name: str  # the tag name, or "!--" for a comment
    attrs: dict
    start: int  # offset of the ``<`` in the text
    open_end: int  # offset just after the start tag
    close_start: int  # offset of the closing tag (= end for an element without one)
    end: int  # offset just after the element (and the rest of its last line, if blank)
    model: str  # "raw", "block" or "span": how kramdown reads the inside
    closed: bool  # whether its end tag was found (False: kramdown runs it to the end of the post)

    @property
    def inner_start(self) -> int:
        return self.open_end


def block_element(text: str, at: int, parse_block_html: bool = False) -> Element | None:
    """The block HTML element kramdown reads at offset ``at`` (a line start), or None if it reads none there.

    None for a span element (kramdown starts a paragraph) or a closing tag (kramdown shows it as text).
    """
    if not BLOCK_START.match(text, at):
        return None
    start = text.index("<", at)
    if text.startswith("<!--", start):
        comment = COMMENT.match(text, start)
        if not comment:
            return Element("!--", {}, start, len(text), len(text), len(text), "raw", False)
        return Element("!--", {}, start, comment.end(), comment.end(), _line_end(text, comment.end()), "raw", True)
    tag = TAG.match(text, start)
    if not tag or tag.group("name").lower() in SPAN_ELEMENTS:
        return None
    name = tag.group("name")
    attrs = attributes(tag.group("attrs"))
    lowered = name.lower()
    if lowered in {"script", "style"}:
        close = re.compile(rf"</{lowered}\s*>", re.I).search(text, tag.end())
        end = close.end() if close else len(text)
        return Element(
            lowered, attrs, start, tag.end(), close.start() if close else end, _line_end(text, end), "raw", bool(close)
        )
    if tag.group("closed") or lowered in WITHOUT_BODY:
        return Element(lowered, attrs, start, tag.end(), tag.end(), _line_end(text, tag.end()), "raw", True)
    model = content_model(lowered) if parse_block_html else "raw"
    chosen = MARKDOWN_ATTRIBUTE.get(attrs.get("markdown", ""))
    if chosen:
        model = content_model(lowered) if chosen == "default" else chosen
    if model == "span":
        close = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(text, tag.end())
        close_start, end = (close.start(), close.end()) if close else (len(text), len(text))
        found = bool(close)
    else:
        close_start, end, found = _raw_end(text, tag.end(), lowered)
    return Element(lowered, attrs, start, tag.end(), close_start, _line_end(text, end), model, found)


def _raw_end(text: str, at: int, name: str) -> tuple[int, int, bool]:
    """Where the element ``name`` opened before ``at`` closes, as kramdown's ``parse_raw_html`` finds it:
    nested elements are matched first; a closing tag of another element is text. Returns the offsets of
    the closing tag's start and end, and whether it was found."""
    stack = [name]
    position = at
    while stack:
        found = RAW_START.search(text, position)
        if not found:
            return len(text), len(text), False
        position = found.start()
        if comment := COMMENT.match(text, position):
            position = comment.end()
        elif text.startswith("<?", position):
            question = text.find("?>", position)
            position = len(text) if question < 0 else question + 2
        elif tag := TAG.match(text, position):
            inner = tag.group("name").lower()
            position = tag.end()
            if inner in {"script", "style"}:
                end_tag = re.compile(rf"</{inner}\s*>", re.I).search(text, position)
                position = end_tag.end() if end_tag else len(text)
            elif not tag.group("closed") and inner not in WITHOUT_BODY:
                stack.append(inner)
        elif close := CLOSE.match(text, position):
            position = close.end()
            if close.group("name").lower() == stack[-1]:
                stack.pop()
                if not stack:
                    return close.start(), close.end(), True
        else:
            position += 1
    return len(text), len(text), False


def _line_end(text: str, at: int) -> int:
    """``at``, moved past the rest of its line when that is blank (kramdown skips it)."""
    blank = TRAILING_WHITESPACE.match(text, at)
    return blank.end() if blank else at


def tags(text: str):
    """Every start tag in ``text``: (match, lower-cased name, attribute text)."""
    for match in TAG.finditer(text):
        yield match, match.group("name").lower(), match.group("attrs")
