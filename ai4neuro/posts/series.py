"""The book's series (``series:`` in ``posts/_config.yml``): which posts are its parts, and their numbers.

A post belongs to the series by a ``series:`` key equal to the series' name, or by its title without the
part marker ("[Part 3]", "(Part 1/3)", ...) being that name. A "Part N" in the title of any other post
does not make it part of the series. The table of contents (:mod:`~ai4neuro.posts.toc`) orders the parts
by their number, and a part's short title (:func:`~ai4neuro.posts.chapter.short_title`) names it.
"""

from __future__ import annotations

import re

PART = re.compile(r"\bpart\s+(\d+)\b", re.IGNORECASE)
PART_MARKER = re.compile(r"[\s,:;.–—-]*[\[(]?\s*\bpart\s+\d+(?:\s*(?:/|of)\s*\d+)?\s*[\])]?[\s,:;.–—-]*", re.I)


def title_stem(title: str) -> str:
    """The title without its part marker, for comparing: ``Essay. [Part 3]`` → ``essay``."""
    stem = PART_MARKER.sub(" ", title)
    return " ".join(stem.split()).strip(" .:;,-–—").casefold()


def in_series(meta: dict, series: str) -> bool:
    """Whether the post or chapter with front matter ``meta`` is a part of ``series``."""
    if not series:
        return False
    if meta.get("series"):
        return str(meta["series"]).strip().casefold() == series.strip().casefold()
    return title_stem(str(meta.get("title", ""))) == title_stem(series)


def part_number(title: str) -> int | None:
    """The N of "Part N" in a title, or None."""
    part = PART.search(title)
    return int(part.group(1)) if part else None
