"""Re-importing a post is a sync: the chapter's prose follows the post, the author's cells stay where they were."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
from test_posts import cli, snapshot, toc_files

from ai4neuro import posts
from ai4neuro.errors import Ai4NeuroError

POST = """---
title: Tide tables
tags: [tides]
---

The harbour master reads the tide table every morning.

```python
high_water = "06:12"
```

Boats leave an hour before high water.

The last paragraph says goodbye.
"""
CELL = "```{code-cell} ipython3\nprint('a cell the author added')\n```"
NOTE = ":::{note}\nA note the author added.\n:::"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_after(chapter: Path, anchor: str, block: str) -> None:
    text = chapter.read_text(encoding="utf-8")
    at = text.index("\n\n", text.index(anchor))
    chapter.write_text(text[:at] + "\n\n" + block + text[at:], encoding="utf-8")


def order(text: str, *snippets: str) -> bool:
    positions = [text.index(snippet) for snippet in snippets]
    return positions == sorted(positions)


@pytest.fixture
def tide(book: Path) -> tuple[Path, Path]:  # noqa: F811
    """The tide post imported, with a cell added after its first paragraph and a note after its code."""
    post = write(book / "posts" / "_posts" / "2024-08-01-tide-tables.md", POST)
    posts.import_post(post)
    chapter = book / "chapters" / "tide-tables.md"
    add_after(chapter, "reads the tide table", CELL)
    add_after(chapter, 'high_water = "06:12"', NOTE)
    return post, chapter


def edit_post(post: Path, old: str, new: str) -> None:
    text = post.read_text(encoding="utf-8")
    assert old in text
    post.write_text(text.replace(old, new), encoding="utf-8")


def test_added_paragraph_follows_and_cells_stay(tide):
    post, chapter = tide
    edit_post(post, "Boats leave", "A new paragraph about fog.\n\nBoats leave")
    posts.import_post(post)
    text = chapter.read_text(encoding="utf-8")
    assert order(text, "reads the tide table", CELL, "high_water", NOTE, "A new paragraph about fog.", "Boats leave")


def test_changed_paragraph_is_replaced_and_its_cell_follows_the_new_text(tide):
    post, chapter = tide
    edit_post(post, "reads the tide table every morning", "reads the tide table at dawn")
    posts.import_post(post)
    text = chapter.read_text(encoding="utf-8")
    assert "every morning" not in text and order(text, "reads the tide table at dawn", CELL, "high_water")


def test_deleted_paragraph_goes_and_its_cell_moves_to_the_block_before(tide):
    post, chapter = tide
    edit_post(post, "The harbour master reads the tide table every morning.\n\n", "")
    posts.import_post(post)
    text = chapter.read_text(encoding="utf-8")
    assert "harbour master" not in text and text.count(CELL) == 1
    assert order(text, "# Tide tables", CELL, "high_water", NOTE, "Boats leave")


def test_changed_code_block_follows_the_post(tide):
    post, chapter = tide
    edit_post(post, '"06:12"', '"06:47"')
    result = posts.import_post(post)
    assert result.startswith("Imported")
    text = chapter.read_text(encoding="utf-8")
    assert '"06:12"' not in text and order(text, CELL, '"06:47"', NOTE)


def test_unchanged_post_is_up_to_date_and_writes_nothing(tide):
    post, chapter = tide
    before = snapshot(chapter.parent.parent)
    assert "up to date" in posts.import_post(post)
    assert snapshot(chapter.parent.parent) == before


def test_front_matter_keys_added_to_the_chapter_stay(tide):
    post, chapter = tide
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("\npost:", "\nai4neuro:\n  reads: [tides]\npost:", 1), encoding="utf-8")
    edit_post(post, "tags: [tides]", "tags: [tides, harbours]")
    posts.import_post(post)
    meta = frontmatter.load(chapter).metadata
    assert meta["ai4neuro"] == {"reads": ["tides"]} and meta["keywords"] == ["tides", "harbours"]


def test_prose_edited_in_the_chapter_stops_the_import_until_force(tide):
    post, chapter = tide
    root = chapter.parent.parent
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("Boats leave an hour", "Boats always leave an hour"), encoding="utf-8")
    edit_post(post, "says goodbye", "says farewell")
    before = snapshot(root)
    with pytest.raises(Ai4NeuroError, match=r"tide-tables.md:\d+: 1 imported block\(s\) were edited in the chapter"):
        posts.import_post(post)
    assert snapshot(root) == before
    result = cli(root, "posts/_posts/2024-08-01-tide-tables.md")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1 and "--force" in result.stderr
    posts.import_post(post, force=True)
    after = snapshot(root)
    changed = {name for name in after if after[name] != before.get(name)} | (before.keys() - after.keys())
    assert changed == {"chapters/tide-tables.md"}, "--force touches no other page"
    text = chapter.read_text(encoding="utf-8")
    assert "Boats always" not in text and "says farewell" in text and text.count(CELL) == 1 and NOTE in text


def test_publishing_a_draft_keeps_the_chapter_and_its_cells(book):  # noqa: F811
    draft = write(book / "posts" / "_drafts" / "tide-tables.md", POST)
    posts.import_post(draft)
    chapter = book / "chapters" / "tide-tables.md"
    assert "Draft —" in chapter.read_text(encoding="utf-8")
    add_after(chapter, "reads the tide table", CELL)
    published = book / "posts" / "_posts" / "2024-08-01-tide-tables.md"
    draft.rename(published)
    posts.import_post(published)
    meta = frontmatter.load(chapter)
    assert "draft" not in meta.metadata and meta["date"] == "2024-08-01"
    assert meta["post"] == "posts/_posts/2024-08-01-tide-tables.md"
    assert "Draft —" not in meta.content and order(meta.content, "reads the tide table", CELL, "high_water")
    assert toc_files(book).count("chapters/tide-tables") == 1


def test_a_copied_draft_beside_its_published_post_is_a_collision(book):  # noqa: F811
    draft = write(book / "posts" / "_drafts" / "tide-tables.md", POST)
    posts.import_post(draft)
    published = write(book / "posts" / "_posts" / "2024-08-01-tide-tables.md", POST)
    with pytest.raises(Ai4NeuroError, match="imported from posts/_drafts/tide-tables.md"):
        posts.import_post(published)


def test_renaming_a_post_moves_its_chapter_with_its_cells(tide):
    post, chapter = tide
    root = chapter.parent.parent
    renamed = post.with_name("2024-08-01-tides-and-times.md")
    post.rename(renamed)
    message = posts.import_post(renamed)
    assert "renamed" in message
    new = root / "chapters" / "tides-and-times.md"
    assert not chapter.exists() and new.is_file()
    text = new.read_text(encoding="utf-8")
    assert order(text, "reads the tide table", CELL, "high_water", NOTE)
    files = toc_files(root)
    assert "chapters/tides-and-times" in files and "chapters/tide-tables" not in files
