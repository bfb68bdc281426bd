"""Where an imported chapter goes in ``_toc.yml``: the series first, in part order, then other posts by date.

The series is this book's essay (:mod:`~ai4neuro.posts.series`: which posts are its parts).
Imported chapters (those whose front matter names a ``post``) sit together before
``chapters/about-data``; hand-written pages keep their places.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.posts.chapter import read_front_matter
from ai4neuro.posts.series import in_series, part_number


def order_key(meta: dict, series: str) -> tuple:
    when = str(meta.get("date") or "9999-99-99")
    if in_series(meta, series):
        part = part_number(str(meta.get("title", "")))
        return (0, 10**6 if part is None else part, when)
    return (1, 0, when)


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
        if name not in {chapter, remove} and source.is_file() and "post" in (found := read_front_matter(source)):
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
