"""Reading a Jekyll post the way Jekyll does: front matter, file name, title, date, tags, slug.

- The file may start with a UTF-8 byte-order mark; the front matter is YAML between ``---`` lines.
- ``_posts/YYYY-M-D-slug.md`` (Jekyll accepts unpadded months and days); a ``date:`` key wins.
- No ``title:`` → the title comes from the slug (``my-post`` → ``My Post``), as Jekyll's
  ``titleize_slug``; ``title: 2024`` is the text "2024"; a multi-line title is one line.
- ``tags: a b c`` is three tags (Jekyll splits a string on spaces); ``tag:`` works too.
- ``slug:`` overrides the slug of the file name (Jekyll honours it in permalinks); it names the chapter.
- ``published: false`` or a file under ``_drafts/`` makes a draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ai4neuro.errors import Ai4NeuroError

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
EMPTY_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
POST_NAME = re.compile(r"^(?P<date>\d{2,4}-\d{1,2}-\d{1,2})-(?P<slug>.+)$")
DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Post:
    path: Path
    slug: str
    title: str
    date: date | None
    keywords: list[str]
    description: str
    draft: bool
    body: str
    body_line: int  # the file line (1-based) the body starts on
    meta: dict = field(default_factory=dict)

    @property
    def series(self) -> str:
        return str(self.meta.get("series") or "")


def read_post(path: Path) -> Post:
    """Parse a Jekyll post; raise one clear error for anything the import cannot map."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(
            f"{path}: cannot read the post ({error}). Give the path of a UTF-8 Markdown file under posts/."
        ) from None
    meta, body, body_line = split_front_matter(path, text)
    is_draft = path.parent.name == "_drafts"
    name_slug, post_date = _slug_and_date(path, meta.get("date"), is_draft)
    slug = _chapter_slug(path, meta.get("slug"), name_slug)
    return Post(
        path=path,
        slug=slug,
        title=_title(meta.get("title"), name_slug),
        date=post_date,
        keywords=_tags(meta),
        description=" ".join(str(meta.get("excerpt") or "").split()),
        draft=is_draft or meta.get("published", True) is False,
        body=body,
        body_line=body_line,
        meta=meta,
    )


def split_front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    match = FRONT_MATTER.match(text) or EMPTY_FRONT_MATTER.match(text)
    if not match:
        raise Ai4NeuroError(
            f"{path}:1: no YAML front matter. Start the post with a '---' line, 'title: ...', and a closing '---' line."
        )
    try:
        meta = yaml.safe_load(match.group(1) if match.re is FRONT_MATTER else "") or {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f":{where.line + 2}" if where else ""
        raise Ai4NeuroError(
            f"{path}{line}: the front matter is not valid YAML. Fix the YAML, e.g. quote a title that holds ':' or '#'."
        ) from None
    if not isinstance(meta, dict):
        raise Ai4NeuroError(f"{path}:2: the front matter is not 'key: value' lines. Write e.g. 'title: \"...\"'.")
    return meta, text[match.end() :], text.count("\n", 0, match.end()) + 1


def _title(value, name_slug: str) -> str:
    if value is None or not str(value).strip():
        return " ".join(word.capitalize() for word in name_slug.split("-") if word)
    if isinstance(value, date):
        value = value.isoformat()
    return " ".join(str(value).split())


def _tags(meta: dict) -> list[str]:
    tags = meta.get("tags", meta.get("tag"))
    if tags is None:
        return []
    if isinstance(tags, str):
        return tags.split()
    if isinstance(tags, list):
        return [str(tag) for tag in tags if tag is not None]
    return [str(tags)]


def _date_from(value) -> date | None:
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    match = DATE.match(str(value))
    return date(*map(int, match.groups())) if match else None


def _slug_and_date(path: Path, meta_date, is_draft: bool) -> tuple[str, date | None]:
    """Jekyll's rules: ``YYYY-MM-DD-slug`` under ``_posts`` (a ``date`` key wins); drafts have no date."""
    match = POST_NAME.match(path.stem)
    slug = match.group("slug") if match else path.stem
    if meta_date is not None:
        try:
            found = _date_from(meta_date)
        except ValueError:
            found = None
        if found is None:
            raise Ai4NeuroError(
                f"{path}: unknown date {str(meta_date)!r} in the front matter. Write it as YYYY-MM-DD."
            ) from None
        return slug, found
    if is_draft:
        return slug, None
    if not match:
        raise Ai4NeuroError(
            f"{path}: unknown date: a published post is named YYYY-MM-DD-<slug>.md (or has a 'date:' key). "
            "Rename it, or move it to posts/_drafts/ if it is a draft."
        )
    try:
        return slug, _date_from(match.group("date"))
    except ValueError:
        raise Ai4NeuroError(
            f"{path}: unknown date {match.group('date')!r} in the file name. "
            "Name it YYYY-MM-DD-<slug>.md with a real date."
        ) from None


def _chapter_slug(path: Path, meta_slug, name_slug: str) -> str:
    slug = str(meta_slug).strip() if meta_slug is not None else re.sub(r"[^A-Za-z0-9._-]+", "-", name_slug).strip("-")
    if not SLUG.match(slug):
        raise Ai4NeuroError(
            f"{path}: the slug {slug!r} cannot name a chapter file. "
            "Set 'slug: <letters-digits-and-dashes>' in the post's front matter."
        )
    return slug
