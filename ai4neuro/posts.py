"""Jekyll posts → MyST chapters: ``python -m ai4neuro import-post posts/<...>.md [--force]``.

A post (``posts/_posts/YYYY-MM-DD-<slug>.md`` or a draft ``posts/_drafts/<slug>.md``) becomes
``chapters/<slug>.md``, a myst-nb text notebook that jupytext reads, and is listed in ``_toc.yml``
in series order (the "Part N" of the title, else the date), before ``chapters/about-data``.

What the import does to the post:

- front matter: ``title``; ``date`` (from a ``_posts`` file name or a ``date`` key; drafts have none);
  ``tags`` → ``keywords``; ``excerpt`` → ``description`` (left out when empty); ``published: false`` or
  a post under ``_drafts/`` → ``draft: true``; ``post`` records where the chapter came from. Jekyll's
  layout keys (header, classes, permalink, ...) have no meaning in the book and are dropped.
- body: the title as the H1 (the post's own headings move up so the shallowest is H2), then (drafts only)
  the "Draft — not published on the blog" banner,
  then every block of the post, byte for byte and in order. Reference-link definitions move to the
  top, once each (the first definition wins, as in CommonMark), so that they are defined before any
  cell that uses them (myst-nb parses cell by cell) and never twice (MyST warns on duplicates).
  A run of blocks the post repeats immediately and verbatim is kept once. Blocks are always
  separated by a blank line, so a ``---`` rule never turns the text above it into a heading.
  Kramdown's typography (``---`` → em dash, smart quotes) is rendered by MyST's ``replacements`` and
  ``smartquotes`` extensions (``_config.yml``), so the prose itself stays as written.

Added content, and what re-running does. Prose belongs to the post; what others add to a chapter is
recognised by its kind — code cells and every MyST construct the importer never writes: directives
(```` ```{x} ```` or ``:::{x}``, other than the draft banner), cell breaks ``+++``, targets ``(name)=``,
comments ``%``, raw HTML, and front-matter keys beyond the managed ones. Re-running on an unchanged
post writes nothing (the chapter still holds every imported block in order, whatever was added
around them). When the post changed, the chapter is rewritten from it, unless it holds added
content: then nothing is written without ``--force`` (which replaces the chapter, dropping it).

A malformed post (no front matter, bad YAML, no title, unknown date, Liquid tags) raises one
:class:`~ai4neuro.errors.Ai4NeuroError` naming the file and the fix, and nothing is written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write

DRAFT_TITLE = "Draft — not published on the blog"
DRAFT_BANNER = (
    f":::{{admonition}} {DRAFT_TITLE}\n"
    ":class: warning\n\n"
    "The blog never published this post; the book shows it as the author's draft.\n"
    ":::"
)
MANAGED_KEYS = ("title", "date", "keywords", "description", "draft", "post")
NOTEBOOK_KEYS = {
    "jupytext": {"text_representation": {"extension": ".md", "format_name": "myst", "format_version": "0.13"}},
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "file_format": "mystnb",
}
ADDED_TOKENS = {
    "fence",
    "colon_fence",
    "myst_block_break",
    "myst_target",
    "myst_line_comment",
    "html_block",
    "code_block",
}
POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
PART = re.compile(r"\bPart\s+(\d+)\b", re.IGNORECASE)
ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
PARSER = MarkdownIt("commonmark").use(front_matter_plugin).use(myst_block_plugin).use(colon_fence_plugin)


@dataclass(frozen=True)
class Block:
    """A top-level Markdown block: its source text and kind (a markdown-it token type, or ``definitions``)."""

    text: str
    kind: str


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


# --- reading a post -------------------------------------------------------------------------


def read_post(path: Path) -> Post:
    """Parse a Jekyll post; raise one clear error for anything the import cannot map."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(
            f"{path}: cannot read the post ({error}). Give the path of a UTF-8 Markdown file under posts/."
        ) from None
    if not frontmatter.checks(text):
        raise Ai4NeuroError(
            f"{path}: no YAML front matter. Start the post with a '---' line, 'title: ...', and a closing '---' line."
        )
    try:
        document = frontmatter.loads(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (front matter line {where.line + 1})" if where else ""
        raise Ai4NeuroError(
            f"{path}: the front matter is not valid YAML{line}. Fix the YAML, e.g. quote a title that holds ':' or '#'."
        ) from None
    meta = document.metadata
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise Ai4NeuroError(f"{path}: the front matter has no title. Add a line like 'title: \"...\"' to it.")
    liquid = LIQUID.search(document.content)
    if liquid:
        raise Ai4NeuroError(
            f"{path}: uses the Liquid tag {liquid.group(0)!r}, which the book cannot render. "
            "Replace it with plain Markdown."
        )
    is_draft = path.parent.name == "_drafts"
    slug, post_date = _slug_and_date(path, meta.get("date"), is_draft)
    tags = meta.get("tags") or []
    return Post(
        path=path,
        slug=slug,
        title=title.strip(),
        date=post_date,
        keywords=[str(tag) for tag in (tags if isinstance(tags, list) else [tags])],
        description=str(meta.get("excerpt") or "").strip(),
        draft=is_draft or meta.get("published", True) is False,
        body=document.content,
    )


def _slug_and_date(path: Path, meta_date, is_draft: bool) -> tuple[str, date | None]:
    """Jekyll's rules: ``YYYY-MM-DD-slug`` under ``_posts`` (a ``date`` key wins); drafts have no date."""
    match = POST_NAME.match(path.stem)
    slug = match.group("slug") if match else path.stem
    if meta_date is not None:
        try:
            return slug, date.fromisoformat(str(meta_date)[:10])
        except ValueError:
            raise Ai4NeuroError(
                f"{path}: unknown date {meta_date!r} in the front matter. Write it as YYYY-MM-DD."
            ) from None
    if is_draft:
        return slug, None
    try:
        return slug, date.fromisoformat(match.group("date")) if match else _no_date(path)
    except ValueError:
        raise Ai4NeuroError(
            f"{path}: unknown date {match.group('date')!r} in the file name. "
            "Name it YYYY-MM-DD-<slug>.md with a real date."
        ) from None


def _no_date(path: Path):
    raise Ai4NeuroError(
        f"{path}: unknown date: a published post is named YYYY-MM-DD-<slug>.md (or has a 'date:' key). "
        "Rename it, or move it to posts/_drafts/ if it is a draft."
    )


# --- blocks ---------------------------------------------------------------------------------


def split_blocks(markdown: str) -> list[Block]:
    """Top-level blocks, each as its exact source lines (trailing blank lines dropped).

    Reference-link definitions leave no token in markdown-it; the non-blank lines between
    tokens are grouped into ``definitions`` blocks.
    """
    lines = markdown.splitlines()
    spans = [
        (token.map[0], token.map[1], token.type)
        for token in PARSER.parse(markdown)
        if token.level == 0 and token.map and token.nesting >= 0
    ]
    blocks, cursor = [], 0
    for start, end, kind in spans + [(len(lines), len(lines), "")]:
        blocks += _definition_blocks(lines[cursor:start])
        if kind:
            blocks.append(Block(_join(lines[start:end]), kind.removesuffix("_open")))
        cursor = max(cursor, end)
    return [block for block in blocks if block.text]


def _definition_blocks(lines: list[str]) -> list[Block]:
    chunks, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line)
        elif current:
            chunks.append(Block(_join(current), "definitions"))
            current = []
    return chunks


def _join(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines)


def collapse_repeats(blocks: list[Block]) -> list[Block]:
    """Keep once every run of blocks that is immediately repeated verbatim (longest runs first).

    Only runs of two or more blocks that hold prose (a paragraph or heading) count, so that,
    e.g., two rules in a row stay as written.
    """
    for size in range(len(blocks) // 2, 1, -1):
        start = 0
        while start + 2 * size <= len(blocks):
            run = blocks[start : start + size]
            has_prose = any(block.kind in {"paragraph", "heading"} for block in run)
            if has_prose and run == blocks[start + size : start + 2 * size]:
                blocks = blocks[: start + size] + blocks[start + 2 * size :]
            else:
                start += 1
    return blocks


def definition_label(line: str) -> str | None:
    """The normalised label a reference-definition line defines (via markdown-it), else None."""
    env: dict = {}
    PARSER.parse(line, env)
    labels = list(env.get("references", {}))
    return labels[0] if labels else None


def hoist_definitions(blocks: list[Block]) -> tuple[Block | None, list[Block]]:
    """Pull every definition out of ``blocks``; return them as one block (first per label wins)."""
    seen, kept, rest = set(), [], []
    for block in blocks:
        if block.kind != "definitions":
            rest.append(block)
            continue
        for line in block.text.splitlines():
            label = definition_label(line)
            key = normalizeReference(label) if label else line
            if key not in seen:
                seen.add(key)
                kept.append(line)
    return (Block("\n".join(kept), "definitions") if kept else None), rest


def promote_headings(blocks: list[Block]) -> list[Block]:
    """Shift ATX headings so the shallowest is H2, under the chapter's H1 (in Jekyll the layout shows the title)."""
    levels = [
        len(ATX.match(block.text).group(2)) for block in blocks if block.kind == "heading" and ATX.match(block.text)
    ]
    shift = min(levels, default=2) - 2
    if shift == 0:
        return blocks
    return [
        Block(ATX.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) - shift), block.text, count=1), block.kind)
        if block.kind == "heading" and ATX.match(block.text)
        else block
        for block in blocks
    ]


# --- the chapter ----------------------------------------------------------------------------


def chapter_front_matter(post: Post, root: Path) -> dict:
    meta = {
        "title": post.title,
        "date": post.date.isoformat() if post.date else None,
        "keywords": post.keywords or None,
        "description": post.description or None,
        "draft": True if post.draft else None,
        "post": post.path.resolve().relative_to(root).as_posix(),
    }
    return {**NOTEBOOK_KEYS, **{key: value for key, value in meta.items() if value is not None}}


def chapter_blocks(post: Post) -> list[Block]:
    """The chapter body as blocks: H1, banner (drafts), definitions, then the post's blocks."""
    definitions, body = hoist_definitions(collapse_repeats(split_blocks(post.body)))
    body = promote_headings(body)
    head = [Block(f"# {post.title}", "heading")]
    if post.draft:
        head.append(Block(DRAFT_BANNER, "colon_fence"))
    return head + ([definitions] if definitions else []) + body


def render_chapter(post: Post, root: Path) -> str:
    header = yaml.safe_dump(chapter_front_matter(post, root), sort_keys=False, allow_unicode=True, width=10_000)
    body = "\n\n".join(block.text for block in chapter_blocks(post))
    return f"---\n{header}---\n\n{body}\n"


def added_content(chapter_text: str, imported: list[Block]) -> list[str]:
    """What was added to a chapter after import: code cells, other MyST blocks, extra front-matter keys."""
    try:
        document = frontmatter.loads(chapter_text)
    except yaml.YAMLError:
        return ["front matter that is not valid YAML"]
    extra_keys = sorted(set(document.metadata) - set(MANAGED_KEYS) - set(NOTEBOOK_KEYS))
    found = [f"front-matter key {key!r}" for key in extra_keys]
    for block in split_blocks(document.content):
        if block.kind in ADDED_TOKENS and block not in imported:
            found.append(block.text.splitlines()[0][:60])
    return found


def is_up_to_date(chapter_text: str, fresh_text: str) -> bool:
    """The chapter holds every block of a fresh import, in order, and the same managed front matter."""
    if chapter_text == fresh_text:
        return True
    try:
        old, new = frontmatter.loads(chapter_text), frontmatter.loads(fresh_text)
    except yaml.YAMLError:
        return False
    if any(old.metadata.get(key) != new.metadata.get(key) for key in MANAGED_KEYS):
        return False
    remaining = iter(split_blocks(old.content))
    return all(any(block == candidate for candidate in remaining) for block in split_blocks(new.content))


# --- the table of contents ------------------------------------------------------------------


def series_key(meta: dict) -> tuple:
    part = PART.search(str(meta.get("title", "")))
    return (int(part.group(1)) if part else math.inf, str(meta.get("date") or "9999-99-99"))


def planned_toc(root: Path, chapter: str, meta: dict) -> str | None:
    """``_toc.yml`` with ``chapter`` among the imported chapters in series order; None if it is already so."""
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
        source = root / f"{entry.get('file', '')}.md"
        if entry.get("file") != chapter and source.is_file() and "post" in (found := _front_matter(source)):
            imported[entry["file"]] = found
    others = [entry for entry in entries if entry.get("file") not in imported]
    files = [entry.get("file") for entry in others]
    at = files.index("chapters/about-data") if "chapters/about-data" in files else len(others)
    ordered = [{"file": name} for name in sorted(imported, key=lambda name: series_key(imported[name]))]
    toc["chapters"] = others[:at] + ordered + others[at:]
    if toc["chapters"] == entries:
        return None
    comments = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    return comments + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True, width=10_000)


def _front_matter(path: Path) -> dict:
    try:
        return frontmatter.loads(path.read_text(encoding="utf-8")).metadata
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}


# --- the command ----------------------------------------------------------------------------


def book_root(path: Path) -> Path:
    """The nearest folder above ``path`` that holds ``_toc.yml``."""
    for folder in path.resolve().parents:
        if (folder / "_toc.yml").is_file():
            return folder
    raise Ai4NeuroError(
        f"{path}: not inside a book (no _toc.yml above it). Import posts from the book's posts/ folder."
    )


def import_post(path: str | Path, force: bool = False) -> str:
    """Import one Jekyll post as ``chapters/<slug>.md`` and list it in ``_toc.yml``; return what happened."""
    path = Path(path)
    if not path.is_file():
        raise Ai4NeuroError(f"{path}: no such post. Give the path of a file under posts/_posts/ or posts/_drafts/.")
    root = book_root(path)
    post = read_post(path)
    chapter = root / "chapters" / f"{post.slug}.md"
    fresh = render_chapter(post, root)
    name = chapter.relative_to(root).as_posix()
    toc = planned_toc(root, chapter.relative_to(root).with_suffix("").as_posix(), frontmatter.loads(fresh).metadata)
    message = f"Imported {path} → {name}" + (" (draft)" if post.draft else "")
    if chapter.exists():
        current = chapter.read_text(encoding="utf-8")
        if is_up_to_date(current, fresh):
            fresh, message = None, f"{name} is up to date with {path}"
        else:
            added = added_content(current, chapter_blocks(post))
            if added and not force:
                raise Ai4NeuroError(
                    f"{chapter}: holds content added after import ({len(added)}: {'; '.join(added[:3])}) "
                    f"and {path} changed. "
                    "Bring the post's change into the chapter by hand, "
                    "or re-run with --force to replace the chapter (dropping the added content)."
                )
    if fresh is not None:
        atomic_write(chapter, fresh)
    if toc is not None:
        atomic_write(root / "_toc.yml", toc)
        message += "; listed it in _toc.yml"
    return message
