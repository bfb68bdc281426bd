"""Where an imported chapter goes in ``_toc.yml``: the series first, in part order, then other posts by date.

The series is this book's essay: a post belongs to it by a ``series:`` key equal to the series named
in ``posts/_config.yml``, or by its title without the part marker ("[Part 3]", "(Part 1/3)", ...)
being that name. A "Part N" in the title of any other post does not make it part of the series.
Imported chapters (those whose front matter names a ``post``) sit together before
``chapters/about-data``; hand-written pages keep their places.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import yaml

from ai4neuro.errors import Ai4NeuroError

PART = re.compile(r"\bpart\s+(\d+)\b", re.IGNORECASE)
PART_MARKER = re.compile(r"[\s,:;.–—-]*[\[(]?\s*\bpart\s+\d+(?:\s*(?:/|of)\s*\d+)?\s*[\])]?[\s,:;.–—-]*", re.I)


def title_stem(title: str) -> str:
    """The title without its part marker, for comparing: ``Essay. [Part 3]`` → ``essay``."""
    stem = PART_MARKER.sub(" ", title)
    return " ".join(stem.split()).strip(" .:;,-–—").casefold()


def in_series(meta: dict, series: str) -> bool:
    if not series:
        return False
    if meta.get("series"):
        return str(meta["series"]).strip().casefold() == series.strip().casefold()
    return title_stem(str(meta.get("title", ""))) == title_stem(series)


def order_key(meta: dict, series: str) -> tuple:
    when = str(meta.get("date") or "9999-99-99")
    if in_series(meta, series):
        part = PART.search(str(meta.get("title", "")))
        return (0, int(part.group(1)) if part else 10**6, when)
    return (1, 0, when)


def front_matter(path: Path) -> dict:
    try:
        return frontmatter.loads(path.read_text(encoding="utf-8")).metadata
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}


def planned_toc(root: Path, chapter: str, meta: dict, series: str, remove: str | None = None) -> str | None:
    """``_toc.yml`` with ``chapter`` among the imported chapters in order (``remove`` gone); None if so already."""
    toc_path = root / "_toc.yml"
    text = toc_path.read_text(encoding="utf-8")
    try:
        toc = yaml.safe_load(text)
        entries = list(toc["chapters"])
    except (yaml.YAMLError, TypeError, KeyError):
        raise Ai4NeuroError(
            f"{toc_path}: not a jb-book table of contents with a 'chapters:' list. Restore it with git checkout."
        ) from None
    imported = {chapter: meta}
    for entry in entries:
        name = entry.get("file", "") if isinstance(entry, dict) else ""
        source = root / f"{name}.md"
        if name not in {chapter, remove} and source.is_file() and "post" in (found := front_matter(source)):
            imported[name] = found
    others = [entry for entry in entries if not isinstance(entry, dict) or entry.get("file") not in {*imported, remove}]
    files = [entry.get("file") if isinstance(entry, dict) else None for entry in others]
    at = files.index("chapters/about-data") if "chapters/about-data" in files else len(others)
    ordered = [{"file": name} for name in sorted(imported, key=lambda name: order_key(imported[name], series))]
    toc["chapters"] = others[:at] + ordered + others[at:]
    if toc["chapters"] == entries:
        return None
    comments = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    return comments + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True, width=10_000)
