"""Text MyST must show as the blog does: code spans and fences (left alone), and the one Markdown escaper.

The book reads Markdown with MyST's extensions on (``_config.yml``): besides CommonMark, ``$`` is math,
``{{ }}`` a substitution, ``~~`` strikethrough, and ``replacements`` turns ``(c)``, ``(tm)``, ``+-`` into
symbols. Text that must show literally (a post's title, an image's description, the inside of ``<code>``)
goes through :func:`escape_markdown`; the kramdown text of a post keeps its Markdown and has only MyST's
own syntax escaped (:mod:`~ai4neuro.posts.inline`), the symbols by :func:`escape_replacements` too.
The escaping is minimal because the chapter is the author's to read and edit; text from outside the book
(data, provenance) is quoted by :func:`ai4neuro.markup.escape_markdown`, which escapes every punctuation mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable

CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
REPLACEMENT = re.compile(r"\((c|r|tm|p)\)|\+-", re.IGNORECASE)
# What MyST reads as markup in running text: escapes, code, emphasis, math, roles and substitutions,
# strikethrough, HTML and autolinks, and a link's "](" or "][" (a bare [label] links only if defined).
LITERAL = re.compile(r"[\\`*_{}$~<>]|\](?=[(\[])")
LITERAL_BUT_HTML = re.compile(r"[\\`*_{}$~]|\](?=[(\[])")


def closes_fence(opened: str, run: str, after: str) -> bool:
    """Whether a line whose fence ``run`` (```` ``` ````, ``~~~``…) is followed by ``after`` closes the fence
    ``opened``: CommonMark's rule, the same character, at least as many, and nothing but spaces after it."""
    return run[0] == opened[0] and len(run) >= len(opened) and not after.strip()


def escape_markdown(text: str, keep_html: bool = False) -> str:
    """``text`` written so that MyST shows it as it is; ``keep_html``: its tags stay HTML (``<code>``'s inside)."""
    pattern = LITERAL_BUT_HTML if keep_html else LITERAL
    return escape_replacements(pattern.sub(lambda match: "\\" + match.group(0), text))


def escape_replacements(text: str) -> str:
    """``(c)``, ``(r)``, ``(tm)``, ``(p)`` and ``+-`` as written (MyST's ``replacements`` would make symbols)."""
    return REPLACEMENT.sub(lambda match: "+\\-" if match.group(0) == "+-" else "\\" + match.group(0), text)


def outside_code(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to every part outside its code spans."""
    out, cursor = [], 0
    for code in CODE_SPAN.finditer(text):
        out.append(change(text[cursor : code.start()]) + code.group(0))
        cursor = code.end()
    out.append(change(text[cursor:]))
    return "".join(out)
