"""Blocks of HTML in a post, written so that MyST shows what kramdown does.

Where a block of HTML ends is kramdown's rule (:mod:`~ai4neuro.posts.html`); here it is written out:

- raw HTML keeps its tags (files copied, links fixed: :mod:`~ai4neuro.posts.references`); a block that
  holds blank lines becomes a ``raw`` directive (MyST would end it at the first blank line); a Liquid
  include inside it is its HTML (``<img>``, ``<figure>``), as the blog shows it: its MyST would be text there;
- an element whose inside kramdown reads as Markdown (``markdown="1"``, ``parse_block_html``): a
  ``<details>`` becomes a dropdown, a minimal-mistakes notice an admonition; any other element keeps its
  start and end tags around its converted inside (raw HTML around Markdown, as kramdown writes it), unless a
  heading is inside (a heading cannot sit in raw HTML in the book: the tags go, with a warning). A span
  element's inside is one paragraph (``<h2>`` a heading).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ai4neuro.posts.attributes import NOTICES, colon_fence
from ai4neuro.posts.blocks import Block, render
from ai4neuro.posts.html import Element
from ai4neuro.posts.inline import Inline
from ai4neuro.posts.liquid import HtmlForm
from ai4neuro.posts.references import MARKDOWN_ATTRIBUTE

MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]!$\\~]|^\s*(?:[#>+-]|\d+\.)\s", re.M)
SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary>", re.I | re.DOTALL)
MYST_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{[\w-]+\}", re.M)


@dataclass
class HtmlBlocks:
    """The HTML blocks of one post."""

    convert: Callable[[str, int], list[Block]]  # kramdown text (from a body line) → MyST blocks: an element's inside
    inline: Inline
    done: set[int]  # the ids of blocks finished here (the converter leaves them as they are)
    liquid_forms: dict[str, HtmlForm] = field(default_factory=dict)  # a Liquid include's output → its HTML

    def raw(self, block: Block) -> Block:
        """A block of raw HTML: its files copied and links fixed; a ``raw`` directive when it holds blank lines."""
        if block.kind == "html_unclosed":
            self.inline.notes.warn(
                block.line,
                "an HTML element is never closed: kramdown shows the rest of the post as its raw text; "
                "the book ends it at the next blank line (close the element in the post)",
            )
        text = self._html(block.text, block.line)
        if not any(not line.strip() for line in text.splitlines()):
            return Block(text, "html_block", block.line)
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        return Block(f"{fence}{{raw}} html\n{text}\n{fence}", "html_block", block.line)

    def _html(self, text: str, line: int) -> str:
        """Raw HTML with its files and links fixed, each Liquid include in it as its HTML (see the module's rules)."""
        out, cursor = [], 0
        for start, end, form in [*self._liquid_outputs(text), (len(text), len(text), None)]:
            self._no_myst_left(text, cursor, start, line)
            out.append(self.inline.references.html(text[cursor:start], line))
            if form is not None:
                at = line + text.count("\n", 0, start)
                if form.html is None:
                    raise self.inline.notes.error(
                        at, f"{form.tag} inside raw HTML has no HTML form in the book. Move it out of the HTML element."
                    )
                out.append(self.inline.references.html(form.html, at))
            cursor = end
        return "".join(out)

    def _no_myst_left(self, text: str, start: int, end: int, line: int) -> None:
        """A Liquid include's MyST left in raw HTML (changed on its way, not found whole) would show as text."""
        left = MYST_DIRECTIVE.search(text, start, end)
        if left and any(MYST_DIRECTIVE.search(output) for output in self.liquid_forms):
            raise self.inline.notes.error(
                line + text.count("\n", 0, left.start()),
                "a Liquid include inside raw HTML could not be written as HTML. Move the include out of the HTML "
                "element (or write an <img> there).",
            )

    def _liquid_outputs(self, text: str) -> list[tuple[int, int, HtmlForm]]:
        """Where ``text`` holds the output of a Liquid include, in order: (start, end, its HTML form)."""
        found = []
        for output, form in self.liquid_forms.items():
            start = text.find(output)
            while start >= 0:
                found.append((start, start + len(output), form))
                start = text.find(output, start + len(output))
        found.sort(key=lambda item: item[0])
        kept: list[tuple[int, int, HtmlForm]] = []
        for item in found:
            if not kept or item[0] >= kept[-1][1]:
                kept.append(item)
        return kept

    def element(self, block: Block, element: Element) -> list[Block]:
        """An HTML element whose inside kramdown reads as Markdown, converted (see the module's rules)."""
        inner = block.text[element.inner_start : element.close_start]
        summary = ""
        if element.name == "details":
            summary, inner = _summary(inner)
        first_line = block.line + block.text.count("\n", 0, element.inner_start) + len(inner) - len(inner.lstrip("\n"))
        if element.model == "span":
            if re.fullmatch(r"h[1-6]", element.name):
                return [Block(f"{'#' * int(element.name[1])} {' '.join(inner.split())}", "heading", block.line)]
            if not MARKDOWN_SYNTAX.search(inner):
                return [block]  # nothing for kramdown to read: the HTML as it is
            body = [self._span_body(block, element, inner, first_line)]
        else:
            body = self.convert(inner.strip("\n"), first_line)
        return self._around(block, element, body, summary)

    def _span_body(self, block: Block, element: Element, inner: str, first_line: int) -> Block:
        """A span element's inside as one paragraph (its attributes other than ``class`` are lost)."""
        dropped = sorted(set(element.attrs) - {"class", "markdown"})
        if dropped:
            self.inline.notes.warn(
                block.line, f"<{element.name}> read as Markdown: its attributes {', '.join(dropped)} were dropped"
            )
        return Block(self.inline.prose(inner.strip(), first_line), "paragraph", first_line)

    def _around(self, block: Block, element: Element, body: list[Block], summary: str) -> list[Block]:
        """The converted inside ``body`` in what the element becomes: a dropdown, an admonition, its own tags."""
        tag, text = element.name, render(body)
        fence = colon_fence(text)
        if tag == "details":
            title = html.escape(summary or "Details", quote=False)
            return [Block(f"{fence}{{dropdown}} {title}\n{text}\n{fence}", "colon_fence", block.line)]
        notice = next((NOTICES[name] for name in element.attrs.get("class", "").split() if name in NOTICES), "")
        headings = any(item.kind == "heading" for item in body)
        if notice and not headings:
            return [Block(f"{fence}{{{notice}}}\n{text}\n{fence}", "colon_fence", block.line)]
        if headings:
            self.inline.notes.warn(
                block.line, f"the <{tag}> around a heading was left out (a heading cannot sit inside HTML in the book)"
            )
            done = body
        elif element.model == "span":
            done = [Block(text, "wrapper", block.line)]
        else:
            start_tag = MARKDOWN_ATTRIBUTE.sub("", block.text[element.start : element.open_end])
            opening = self.inline.references.html(start_tag, block.line)
            done = [Block(opening, "html_block", block.line), *body, Block(f"</{tag}>", "html_block", block.line)]
        self.done.update(id(item) for item in done)
        return done


def _summary(inner: str) -> tuple[str, str]:
    """A ``<details>``'s summary as one line of text, and its inside without it."""
    found = SUMMARY.search(inner)
    if not found:
        return "", inner
    summary = " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())
    return summary, inner[: found.start()] + inner[found.end() :]
