"""Reading a Jekyll post the way Jekyll does: front matter, file name, title, date, tags, slug.

- The file may start with a UTF-8 byte-order mark; the front matter is YAML between ``---`` lines.
- ``_posts/YYYY-M-D-slug.md`` (Jekyll accepts unpadded months and days); a ``date:`` key wins.
- No ``title:`` → the title comes from the slug (``my-post`` → ``My Post``), as Jekyll's
  ``titleize_slug``; ``title: 2024`` is the text "2024"; a multi-line title is one line.
- ``tags: a b c`` is three tags (Jekyll splits a string on spaces); ``tag:`` works too.
- ``slug:`` overrides the slug of the file name (Jekyll honours it in permalinks); it names the chapter.
- ``published: false`` or a file under ``_drafts/`` makes a draft.
- File names are read NFC-normalised (macOS writes NFD): both spellings of ``café`` are one post, and the
  chapter's slug is ASCII (``cafe``).
- The post's address on the blog follows Jekyll's permalink rules (:func:`permalink`); the blog's own
  addresses its ``url`` and ``baseurl`` (:func:`absolute_url`, :func:`relative_url`, :func:`site_path`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

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

    @property
    def name(self) -> str:
        """The file's name without ``.md``, NFC-normalised: what ``{% post_url %}`` and the chapter record name."""
        return nfc(self.path.stem)


def name_slug(name: str) -> str:
    """The slug in a post file's name (``2024-01-17-my-post`` → ``my-post``); a draft's name is its slug."""
    match = POST_NAME.match(name)
    return match.group("slug") if match else name


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def ascii_slug(text: str) -> str:
    """``café-notes`` → ``cafe-notes``: accents folded, anything else outside ``[A-Za-z0-9._-]`` a dash."""
    folded = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-")


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
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE.match(str(value))
    return date(*map(int, match.groups())) if match else None


def _slug_and_date(path: Path, meta_date, is_draft: bool) -> tuple[str, date | None]:
    """Jekyll's rules: ``YYYY-MM-DD-slug`` under ``_posts`` (a ``date`` key wins); drafts have no date."""
    match = POST_NAME.match(nfc(path.stem))
    slug = name_slug(nfc(path.stem))
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
    slug = str(meta_slug).strip() if meta_slug is not None else ascii_slug(name_slug)
    if not SLUG.match(slug):
        raise Ai4NeuroError(
            f"{path}: the slug {slug!r} cannot name a chapter file. "
            "Set 'slug: <letters-digits-and-dashes>' in the post's front matter."
        )
    return slug


PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def permalink(post: Post, site_pattern: str | None) -> str | None:
    """The post's path on the blog (``/2024/02/06/other.html``), by Jekyll's rules; None for a draft.

    The post's own ``permalink:`` wins over the site's (``posts/_config.yml``), whose default is ``date``.
    """
    if post.date is None:
        return None
    pattern = str(post.meta.get("permalink") or site_pattern or "date")
    pattern = PERMALINK_STYLES.get(pattern, pattern)
    categories = post.meta.get("categories") or post.meta.get("category") or []
    categories = categories.split() if isinstance(categories, str) else [str(c) for c in categories]
    title = str(post.meta.get("slug") or name_slug(post.name))
    values = {
        ":categories": "/".join(categories),
        ":year": f"{post.date:%Y}",
        ":short_year": f"{post.date:%y}",
        ":month": f"{post.date:%m}",
        ":day": f"{post.date:%d}",
        ":i_month": str(post.date.month),
        ":i_day": str(post.date.day),
        ":y_day": f"{post.date.timetuple().tm_yday:03d}",
        ":title": title,
        ":slug": title,
        ":output_ext": ".html",
    }
    for key in sorted(values, key=len, reverse=True):
        pattern = pattern.replace(key, values[key])
    return "/" + re.sub(r"/{2,}", "/", pattern).lstrip("/")


# --- the blog's own addresses: url and baseurl --------------------------------------------------


def base_path(baseurl: str) -> str:
    """``baseurl`` as the path the blog's pages start with: ``/blog``, or "" for a blog at the host's root."""
    return "/" + baseurl.strip("/") if baseurl.strip("/") else ""


def site_address(url: str, baseurl: str) -> str:
    """Where the blog lives, e.g. ``https://example.org/blog`` (no trailing slash; a ``url`` may end in one)."""
    return url.rstrip("/") + base_path(baseurl)


def relative_url(path: str, baseurl: str) -> str:
    """Jekyll's ``relative_url`` filter: ``path`` under the blog's ``baseurl``."""
    return base_path(baseurl) + "/" + path.lstrip("/")


def absolute_url(path: str, url: str, baseurl: str) -> str:
    """Jekyll's ``absolute_url`` filter: ``path`` at the blog's address (``path`` itself if that is unknown)."""
    address = site_address(url, baseurl)
    return address + "/" + path.lstrip("/") if address else path


def names_its_host(reference: str) -> bool:
    """Whether ``reference`` is a URL with a scheme (``https:``, ``mailto:``, ``data:``) or a protocol-relative
    one (``//host/x``), not a path on the blog."""
    return bool(urlsplit(reference).scheme) or reference.startswith("//")


def site_path(reference: str, url: str, baseurl: str) -> str | None:
    """``reference`` as a path on the blog (``/assets/x.png``), or None if it points elsewhere.

    ``https://host//base/x`` (a ``url`` ending in ``/`` before ``{{ site.baseurl }}``) is the blog's too:
    repeated slashes in a path name the same file.
    """
    if names_its_host(reference):
        own = urlsplit(url) if url else None
        found = urlsplit(reference if urlsplit(reference).scheme else "https:" + reference)
        if not own or not own.netloc or found.netloc.lower() != own.netloc.lower():
            return None
        reference = re.sub(r"/{2,}", "/", found.path or "/") + (f"?{found.query}" if found.query else "")
    elif reference.startswith("#"):
        return None
    base = base_path(baseurl)
    path = "/" + reference.lstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        return path[len(base) :] or "/"
    return path
