"""``python -m ai4neuro import-post``: one post in, its chapter (and files, and ``_toc.yml``) out.

Everything is checked before anything is written: a post that cannot be read or converted, a
missing image or linked post, a slug taken by another page or post, prose edited in the chapter:
one :class:`~ai4neuro.errors.Ai4NeuroError` naming the file, the line and the fix, and nothing
changes. The chapter, a renamed post's old chapter and ``_toc.yml`` then change as one step
(:mod:`~ai4neuro.posts.journal`); a full or read-only disk is one error line, and the next run
completes an import that was cut short.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.paths import book_root
from ai4neuro.posts.blocks import Block, render, split_blocks
from ai4neuro.posts.chapter import (
    DRAFT_BANNER,
    RECORD_KEY,
    chapter_text,
    merge_front_matter,
    post_front_matter,
    read_chapter,
    read_front_matter,
)
from ai4neuro.posts.convert import convert_post
from ai4neuro.posts.jekyll import Post, name_slug, nfc, read_post
from ai4neuro.posts.journal import JOURNAL, Change, apply, resume
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.reader import KramdownReader
from ai4neuro.posts.site import read_site
from ai4neuro.posts.sync import classify_legacy, merge
from ai4neuro.posts.toc import planned_toc


def import_post(
    path: str | Path,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
    skip_missing_images: bool = False,
) -> str:
    """Import (or re-import) one Jekyll post as ``chapters/<slug>.md``; return what happened.

    ``warn`` receives one line per feature converted with loss (the CLI prints them).
    ``force`` takes the post's text over prose edited in the chapter; it never touches another page.
    ``skip_missing_images`` shows a note in place of each image the blog itself lacks.
    """
    path = Path(path)
    try:
        return _import(path, force, warn or (lambda _: None), skip_missing_images)
    except OSError as error:
        where = error.filename or path
        root = next((folder for folder in path.resolve().parents if (folder / "_toc.yml").is_file()), None)
        pending = root is not None and (root / JOURNAL).is_file()
        then = (
            "run the same command again: it completes the import."
            if pending
            else "import again: the book's chapters and _toc.yml are unchanged."
        )
        raise Ai4NeuroError(
            f"{where}: {error.strerror or error}. Free some space or make the folder writable, then {then}"
        ) from None


def _import(path: Path, force: bool, warn: Callable[[str], None], skip_missing_images: bool) -> str:
    if not path.is_file():
        raise Ai4NeuroError(f"{path}: no such post. Give the path of a file under posts/_posts/ or posts/_drafts/.")
    root = book_root(path)
    completed = resume(root)
    site = read_site(root)
    post = read_post(path)
    notes = Notes(path, first_line=post.body_line)
    blocks, assets = convert_post(post, site, notes, skip_missing_images)

    chapter = root / "chapters" / f"{post.slug}.md"
    source = _previous_chapter(root, post, chapter)
    meta = post_front_matter(post, root, blocks, site.series)
    text, message = _chapter_text(source, post, meta, blocks, force)
    name = chapter.relative_to(root).as_posix()
    renamed = source if source is not None and source != chapter else None
    toc = planned_toc(
        root, f"chapters/{post.slug}", meta, site.series, remove=f"chapters/{renamed.stem}" if renamed else None
    )

    written = assets.write()
    change = Change(post=_relative(root, post.path))
    if text is not None and (not chapter.exists() or chapter.read_text(encoding="utf-8") != text):
        change.writes[name] = text
        message = f"Imported {path} → {name}" + (" (draft)" if post.draft else "") + message
    else:
        message = f"{name} is up to date with {path}"
    if renamed is not None:
        change.deletes.append(renamed.relative_to(root).as_posix())
        message += f"; the post was renamed, so {renamed.relative_to(root).as_posix()} moved to {name}"
    if toc is not None:
        change.writes["_toc.yml"] = toc
        message += "; listed it in _toc.yml"
    apply(root, change)
    if written:
        message += f"; copied {len(written)} file(s) into _static/blog/"
    if completed:
        message = f"({completed}) {message}"
    for line in notes.lines():
        warn(line)
    return message


def _chapter_text(source: Path | None, post: Post, meta: dict, blocks: list[Block], force: bool) -> tuple[str, str]:
    """The chapter as the sync leaves it, and a note on what the sync kept."""
    if source is None or not source.exists():
        return chapter_text(meta, render(blocks)), ""
    current, content = read_chapter(source.read_text(encoding="utf-8"))
    chapter_blocks = split_blocks(content)
    record = str(current.get(RECORD_KEY) or "").split()
    unrecorded = ""
    if not record:
        known = set(blocks) | set(split_blocks(post.body, reader=KramdownReader))
        record = classify_legacy(chapter_blocks, known, DRAFT_BANNER)
        kept_blocks = len(chapter_blocks) - len(record)
        if kept_blocks:
            unrecorded = (
                f" (the chapter had no '{RECORD_KEY}:' line, so {kept_blocks} block(s) not in the post were kept "
                "as yours: delete any that are an older version of the post's text)"
            )
    result = merge(chapter_blocks, record, blocks)
    if result.edited and not force:
        first = result.edited[0]
        line = _line_in(source, first)
        raise Ai4NeuroError(
            f"{source}:{line}: {len(result.edited)} imported block(s) were edited in the chapter "
            f"(e.g. {first.text.splitlines()[0][:60]!r}), and the chapter's prose follows the post. "
            f"Make the edit in {post.path} instead, or re-run with --force to take the post's text "
            "(cells you added are kept)."
        )
    kept = len(result.blocks) - len(blocks)
    note = f" (kept {kept} block(s) added to the chapter)" if kept and not unrecorded else ""
    return chapter_text(merge_front_matter(current, meta), render(result.blocks)), note + unrecorded


def _line_in(path: Path, block: Block) -> int:
    text = path.read_text(encoding="utf-8")
    at = text.find(block.text)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _relative(root: Path, path: Path) -> str:
    """``path`` in the book, NFC-normalised (the ``post:`` key): one name for both spellings of an accent."""
    return nfc(path.resolve().relative_to(root.resolve()).as_posix())


def _previous_chapter(root: Path, post: Post, chapter: Path) -> Path | None:
    """The chapter this post updates: its own, a renamed one, or none; a slug taken by another page is an error."""
    mine = _relative(root, post.path)
    if chapter.exists():
        owner = read_front_matter(chapter).get("post")
        owner = nfc(str(owner)) if owner else owner
        if not owner:
            raise Ai4NeuroError(
                f"{post.path}: its chapter would be {chapter.relative_to(root)}, which is a hand-written page. "
                f"Give the post its own chapter name: add 'slug: <another-name>' to its front matter."
            )
        other = root / str(owner)
        if owner != mine and other.is_file():
            raise Ai4NeuroError(
                f"{post.path}: its chapter would be {chapter.relative_to(root)}, which is imported from {owner}. "
                f"Give one of the two posts its own chapter name: add 'slug: <another-name>' to its front matter "
                "(or delete the copy, if one post moved)."
            )
        return chapter
    return _renamed_from(root, post, mine)


def _renamed_from(root: Path, post: Post, mine: str) -> Path | None:
    """An imported chapter whose post is this one under an old name or slug (its post file is gone)."""
    candidates = []
    for path in sorted((root / "chapters").glob("*.md")):
        meta = read_front_matter(path)
        owner = meta.get("post")
        if not owner:
            continue
        if nfc(str(owner)) == mine:
            return path  # same post, new slug
        if not (root / str(owner)).exists() and _same_post(meta, post, str(owner)):
            candidates.append(path)
    return candidates[0] if len(candidates) == 1 else None


def _same_post(meta: dict, post: Post, owner: str) -> bool:
    return str(meta.get("title", "")) == post.title or name_slug(nfc(Path(owner).stem)) == name_slug(post.name)
