"""A chapter's front matter, read and written in one place (the import writes it; the book's build reads it).

An imported chapter is a myst-nb text notebook: its front matter holds the notebook keys
(:data:`NOTEBOOK_KEYS`), the keys the post sets (:data:`MANAGED_KEYS`: title, date, ..., the ``post`` it
came from and the ``imported`` record of the blocks the last import wrote), a ``short_title`` set once,
and whatever the author added (``ai4neuro: reads: [...]``, ...), which a re-import keeps.

This module imports only PyYAML and python-frontmatter: the book's build reads chapters through it
(:mod:`ai4neuro.bookext.datadeps`, :mod:`ai4neuro.bookext.drafts`) without loading the importer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import frontmatter
import yaml

from ai4neuro.posts.series import in_series, part_number

if TYPE_CHECKING:
    from ai4neuro.posts.blocks import Block
    from ai4neuro.posts.jekyll import Post

DRAFT_TITLE = "Draft — not published on the blog"
DRAFT_BANNER = (
    f":::{{admonition}} {DRAFT_TITLE}\n"
    ":class: warning\n\n"
    "The blog never published this post; the book shows it as the author's draft.\n"
    ":::"
)
RECORD_KEY = "imported"
# The chapter's name in the book's navigation (sidebar, previous/next, browser tab); its heading stays the title.
# The import sets it once (from the post), and the chapter's own value, edited or not, is kept on re-import.
SHORT_TITLE_KEY = "short_title"
MANAGED_KEYS = ("title", "date", "keywords", "description", "series", "draft", "post", RECORD_KEY)
NOTEBOOK_KEYS = {
    "jupytext": {"text_representation": {"extension": ".md", "format_name": "myst", "format_version": "0.13"}},
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "file_format": "mystnb",
}


def read_chapter(source: Path | str) -> tuple[dict[str, Any], str]:
    """A chapter's front matter and body (``source``: its file, or its text); ``({}, "")`` if the file cannot
    be read, and no front matter if it is not YAML (the build reports a broken chapter itself)."""
    try:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    except (OSError, UnicodeDecodeError):
        return {}, ""
    try:
        document = frontmatter.loads(text)
    except yaml.YAMLError:
        return {}, text
    return document.metadata, document.content


def read_front_matter(source: Path | str) -> dict[str, Any]:
    """A chapter's front matter (``source``: its file, or its text); ``{}`` if there is none to read."""
    return read_chapter(source)[0]


def short_title(post: Post, series: str) -> str | None:
    """The post's ``short_title``; else, for a part of the series, "Part N: " and the series' name up to its
    first dash or colon ("Part 1: Beyond #NeuroAI, we need #AI4Neuro"); else None (the title serves)."""
    own = " ".join(str(post.meta.get(SHORT_TITLE_KEY) or "").split())
    part = part_number(post.title)
    if own or part is None or not in_series({**post.meta, "title": post.title}, series):
        return own or None
    name = re.split(r"\s*(?:-{2,3}|[—–:])\s*", series.strip(), maxsplit=1)[0].strip(" .")
    return f"Part {part}: {name}" if name else f"Part {part}"


def post_front_matter(post: Post, root: Path, blocks: list[Block], series: str = "") -> dict[str, Any]:
    """The front matter the import writes for ``post`` (``blocks``: the chapter's body, recorded by digest)."""
    meta = {
        "title": post.title,
        SHORT_TITLE_KEY: short_title(post, series),
        "date": post.date.isoformat() if post.date else None,
        "keywords": post.keywords or None,
        "description": post.description or None,
        "series": post.series or None,
        "draft": True if post.draft else None,
        "post": post.path.resolve().relative_to(root.resolve()).as_posix(),
        RECORD_KEY: " ".join(block.digest for block in blocks),
    }
    return {**NOTEBOOK_KEYS, **{key: value for key, value in meta.items() if value is not None}}


def merge_front_matter(current: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """A re-imported chapter's front matter: the post's keys from ``fresh``; the notebook keys, the
    ``short_title`` and every key the author added from the chapter's ``current`` front matter."""
    extra = {key: value for key, value in current.items() if key not in MANAGED_KEYS and key not in NOTEBOOK_KEYS}
    notebook = {key: current.get(key, value) for key, value in NOTEBOOK_KEYS.items()}
    taken = {key: value for key, value in fresh.items() if key in MANAGED_KEYS or key == SHORT_TITLE_KEY}
    return {**notebook, **taken, **extra}  # extra, the chapter's own keys, holds its short_title if it has one


class _Dumper(yaml.SafeDumper):
    """Lists of plain values on one line (``reads: [a, b]``), as people write them; mappings as blocks."""

    def represent_list(self, data):
        flat = all(isinstance(item, str | int | float | bool) for item in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(list, _Dumper.represent_list)


def chapter_text(meta: dict[str, Any], body: str) -> str:
    """The chapter file: ``meta`` as YAML front matter, then the Markdown ``body``."""
    header = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{header}---\n\n{body}\n"
