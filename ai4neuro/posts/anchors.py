"""Heading ids as kramdown makes them, so that a post's ``[jump](#some-heading)`` works in the book.

Jekyll's default Markdown is kramdown with ``input: GFM`` and ``auto_ids: true``: a heading's id is
its text without formatting, lower-cased, with every character that is not a letter, digit, ``_``,
``-``, space or tab removed and spaces and tabs turned into ``-``; a repeated id gets ``-1``,
``-2``, ... MyST uses :func:`kramdown_slug` for its heading anchors (``_config.yml``:
``myst_heading_slug_func``), and adds the same suffixes, so the post's links resolve unchanged.
"""

from __future__ import annotations

import re

NON_WORD = re.compile(r"[^\w\- \t]")


def kramdown_slug(text: str) -> str:
    """kramdown-parser-gfm's ``generate_gfm_header_id`` without its counter."""
    return NON_WORD.sub("", text.lower()).replace(" ", "-").replace("\t", "-")


def unique(slug: str, taken: set[str]) -> str:
    """MyST's and kramdown's rule for a repeated id: ``x``, ``x-1``, ``x-2``..."""
    candidate, number = slug, 1
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
