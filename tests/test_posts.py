"""Jekyll posts → MyST chapters (ai4neuro.posts and ``python -m ai4neuro import-post``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest
from markdown_it import MarkdownIt

from ai4neuro import posts
from ai4neuro.errors import Ai4NeuroError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "posts"
SEEDS = ROOT.parent / "shared" / "seeds"  # only on CI and the team's machine, never on a user's
PART1 = "posts/_posts/2024-01-01-beyond-neuroai-we-need-ai4neuro-part-1.md"
PART3 = "posts/_drafts/beyond-neuroai-we-need-ai4neuro-part-3.md"
COMMITTED = {
    PART1: "chapters/beyond-neuroai-we-need-ai4neuro-part-1.md",
    PART3: "chapters/beyond-neuroai-we-need-ai4neuro-part-3.md",
}
COMMONMARK = MarkdownIt("commonmark")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A minimal book in a temp folder: the repository's _toc.yml, chapters/ and posts/."""
    shutil.copy2(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def cli(book: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ai4neuro", "import-post", *arguments], cwd=book, capture_output=True, text=True
    )


def source_blocks(markdown: str) -> list[str]:
    """Top-level blocks of ``markdown`` as source text (CommonMark, independent of the importer)."""
    lines = markdown.splitlines()
    return [
        "\n".join(lines[token.map[0] : token.map[1]]).strip("\n")
        for token in COMMONMARK.parse(markdown)
        if token.level == 0 and token.map and token.nesting >= 0
    ]


def without_heading_marks(block: str) -> str:
    return block.lstrip("#").strip() if block.startswith("#") else block


def imported_blocks(chapter: Path) -> list[str]:
    """The chapter's blocks without the draft banner and without content added after import (code cells ...)."""
    content = frontmatter.load(chapter).content.replace(posts.DRAFT_BANNER, "")
    return [
        without_heading_marks(block.text)
        for block in posts.split_blocks(content)
        if block.kind not in posts.ADDED_TOKENS | {"definitions"}
    ]


# --- the committed posts and chapters --------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed folder ../shared/seeds exists only on CI")
@pytest.mark.parametrize("seed, post", [("000_b44eb11a8171492d.txt", PART1), ("001_a6fe0e70153fb9bd.txt", PART3)])
def test_posts_are_the_seeds_byte_for_byte(seed, post):
    assert (ROOT / post).read_bytes() == (SEEDS / seed).read_bytes()


@pytest.mark.parametrize("post", COMMITTED)
def test_every_prose_block_of_the_post_is_in_its_chapter_in_order(post):
    """Block by block: the chapter holds the post's blocks in order; a block may be missing only where
    the post repeats it (kept once, earlier); the chapter holds nothing else (title and banner aside)."""
    post_blocks = [without_heading_marks(block) for block in source_blocks(frontmatter.load(ROOT / post).content)]
    chapter_blocks = imported_blocks(ROOT / COMMITTED[post])[1:]  # the H1 aside
    matched = 0
    for block in post_blocks:
        if matched < len(chapter_blocks) and chapter_blocks[matched] == block:
            matched += 1
        else:
            assert block in chapter_blocks[:matched], f"missing from the chapter (or out of order):\n{block}"
    assert chapter_blocks[matched:] == []


def test_the_block_part_3_repeats_is_kept_once():
    body = (ROOT / PART3).read_text(encoding="utf-8")
    chapter = (ROOT / COMMITTED[PART3]).read_text(encoding="utf-8")
    for text in (
        "### AI for Neuroscience",
        "Fitting enough, NeurIPS",
        "But if history serves us correctly",
        "the method becomes the model",
    ):
        assert body.count(text) == 2
        assert chapter.count(text.lstrip("#").strip()) == 1
    assert chapter.count("What are the defining characteristics of representations?") == 1


@pytest.mark.parametrize("post", COMMITTED)
def test_every_reference_link_is_defined_once_and_resolves(post):
    definitions = [
        line for line in (ROOT / post).read_text(encoding="utf-8").splitlines() if line.startswith("[") and "]:" in line
    ]
    chapter = frontmatter.load(ROOT / COMMITTED[post]).content
    for definition in set(definitions):
        assert chapter.count(definition) == 1, definition
    html = COMMONMARK.render(chapter)
    assert "][" not in html, "a reference-style link did not resolve"
    assert 'href="https://trends.google.com/trends/explore?q=NeuroAI,AI4neuro&amp;hl=en-GB"' in html or post == PART3


@pytest.mark.parametrize("post", COMMITTED)
def test_front_matter_is_mapped(post):
    source = frontmatter.load(ROOT / post).metadata
    meta = frontmatter.load(ROOT / COMMITTED[post]).metadata
    assert meta["title"] == source["title"]
    assert meta["keywords"] == source["tags"]
    assert meta["file_format"] == "mystnb" and meta["kernelspec"]["name"] == "python3"
    assert meta["jupytext"]["text_representation"]["format_name"] == "myst"
    if post == PART1:
        assert meta["date"] == "2024-01-01" and meta["description"] == source["excerpt"] and "draft" not in meta
    else:
        assert "date" not in meta and "description" not in meta and meta["draft"] is True


@pytest.mark.parametrize("post", COMMITTED)
def test_chapter_title_is_the_post_title_and_rules_stay_rules(post):
    """The H1 is the title (``#`` and all); no ``---`` rule turned the text above it into a heading."""
    source = frontmatter.load(ROOT / post)
    chapter = frontmatter.load(ROOT / COMMITTED[post]).content
    assert chapter.startswith(f"# {source['title']}\n")

    def kinds(text: str) -> list[str]:
        return [
            token.type for token in COMMONMARK.parse(text) if token.level == 0 and token.type in {"heading_open", "hr"}
        ]

    post_headings = {block for block in source_blocks(source.content) if block.startswith("#")}
    assert kinds(chapter).count("heading_open") == len(post_headings) + 1
    assert 0 < kinds(chapter).count("hr") <= kinds(source.content).count("hr")


def test_draft_chapter_has_the_banner_and_published_one_not():
    assert ":::{admonition} Draft — not published on the blog" in (ROOT / COMMITTED[PART3]).read_text(encoding="utf-8")
    assert "Draft —" not in (ROOT / COMMITTED[PART1]).read_text(encoding="utf-8")


def test_toc_lists_the_chapters_in_series_order_before_about_data():
    import yaml

    files = [entry["file"] for entry in yaml.safe_load((ROOT / "_toc.yml").read_text())["chapters"]]
    chapters = [name.removesuffix(".md") for name in COMMITTED.values()]
    assert [name for name in files if name in chapters] == chapters
    assert files.index(chapters[-1]) < files.index("chapters/about-data")


@pytest.mark.parametrize("post", COMMITTED)
def test_import_post_reproduces_the_committed_chapter_prose(book, post):
    """The CLI on the committed post finds the committed chapter up to date (added cells aside) ..."""
    before = snapshot(book)
    result = cli(book, post)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert snapshot(book) == before
    # ... and a fresh import equals the committed chapter with its added content taken out.
    committed = (book / COMMITTED[post]).read_text(encoding="utf-8")
    (book / COMMITTED[post]).unlink()
    assert cli(book, post).returncode == 0
    fresh = (book / COMMITTED[post]).read_text(encoding="utf-8")
    fresh_blocks = posts.split_blocks(frontmatter.loads(fresh).content)
    kept = [
        block
        for block in posts.split_blocks(frontmatter.loads(committed).content)
        if block in fresh_blocks or block.kind not in posts.ADDED_TOKENS
    ]
    assert kept == fresh_blocks
    assert {key: frontmatter.loads(committed).get(key) for key in posts.MANAGED_KEYS} == {
        key: frontmatter.loads(fresh).get(key) for key in posts.MANAGED_KEYS
    }


# --- behaviour of the import -------------------------------------------------------------------


def test_import_is_idempotent_and_orders_the_toc(book):
    for chapter in COMMITTED.values():
        (book / chapter).unlink()
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/about-data\n")
    posts.import_post(book / PART3)  # Part 3 first: the toc still puts Part 1 before it
    posts.import_post(book / PART1)
    first = snapshot(book)
    assert "up to date" in posts.import_post(book / PART1)
    assert "up to date" in posts.import_post(book / PART3)
    assert snapshot(book) == first
    toc = (book / "_toc.yml").read_text()
    assert toc.index("part-1") < toc.index("part-3") < toc.index("about-data")


CODE_CELL = "```{code-cell} ipython3\nprint('added after import')\n```"


def add_cell_after(chapter: Path, anchor: str) -> None:
    text = chapter.read_text(encoding="utf-8")
    at = text.index("\n\n", text.index(anchor))
    chapter.write_text(text[:at] + "\n\n" + CODE_CELL + text[at:], encoding="utf-8")


def test_added_cells_survive_reimport_of_an_unchanged_post(book):
    chapter = book / COMMITTED[PART1]
    add_cell_after(chapter, "2023 also seemed to be")
    before = snapshot(book)
    assert "up to date" in posts.import_post(book / PART1)
    assert snapshot(book) == before


def test_changed_post_never_overwrites_added_cells_without_force(book):
    chapter, post = book / COMMITTED[PART1], book / PART1
    add_cell_after(chapter, "2023 also seemed to be")
    post.write_text(post.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    before = snapshot(book)
    with pytest.raises(Ai4NeuroError, match="--force") as error:
        posts.import_post(post)
    assert str(chapter) in str(error.value)
    assert snapshot(book) == before
    result = cli(book, PART1)
    assert result.returncode == 1 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli(book, PART1, "--force").returncode == 0
    text = chapter.read_text(encoding="utf-8")
    assert "A new closing paragraph." in text and "added after import" not in text


def test_changed_post_without_added_content_is_reimported(book):
    post = book / PART1
    (book / COMMITTED[PART1]).unlink()
    posts.import_post(post)  # the chapter as first imported, before any cells were added
    post.write_text(
        post.read_text(encoding="utf-8").replace("2023 came and went", "2023 came and, yes, went"), encoding="utf-8"
    )
    assert posts.import_post(post).startswith("Imported")
    assert "2023 came and, yes, went" in (book / COMMITTED[PART1]).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, message",
    [
        ("2024-02-01-no-front-matter.md", "no YAML front matter"),
        ("2024-02-02-bad-yaml.md", "not valid YAML"),
        ("2024-02-03-missing-title.md", "no title"),
        ("undated-post.md", "unknown date"),
        ("2024-13-45-impossible-date.md", "unknown date"),
    ],
)
def test_malformed_post_gets_one_clear_error_and_nothing_is_written(book, name, message):
    post = book / "posts" / "_posts" / name
    shutil.copy2(FIXTURES / "_posts" / name, post)
    before = snapshot(book)
    with pytest.raises(Ai4NeuroError, match=message) as error:
        posts.import_post(post)
    assert name in str(error.value)
    assert snapshot(book) == before
    result = cli(book, f"posts/_posts/{name}")
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and name in result.stderr and "Traceback" not in result.stderr
    assert snapshot(book) == before


def test_unpublished_post_becomes_a_draft_with_mapped_front_matter(book):
    post = book / "posts" / "_posts" / "2024-03-01-hidden-post.md"
    shutil.copy2(FIXTURES / "_posts" / post.name, post)
    posts.import_post(post)
    chapter = frontmatter.load(book / "chapters" / "hidden-post.md")
    assert chapter["draft"] is True and chapter["date"] == "2024-03-01" and chapter["keywords"] == ["Single tag"]
    assert "description" not in chapter.metadata  # an empty excerpt is left out
    assert "Draft — not published on the blog" in chapter.content
    # The label defined twice (in another case) is defined once: the first definition wins.
    assert chapter.content.count("[x]: https://example.org/?a=1&b=2") == 1 and "[X]:" not in chapter.content
    # The setext heading of the post stays a heading; the rule stays a rule.
    html = COMMONMARK.render(chapter.content)
    assert "<h2>latter---like this</h2>" in html
    toc = (book / "_toc.yml").read_text()
    assert toc.index("hidden-post") < toc.index("part-3"), "Part 2 sorts between Part 1 and Part 3"
    assert toc.index("part-1") < toc.index("hidden-post")


def test_collapse_repeats_keeps_an_immediately_repeated_run_once():
    block = posts.Block
    a, b, rule, c = block("A", "paragraph"), block("B", "paragraph"), block("---", "hr"), block("C", "paragraph")
    assert posts.collapse_repeats([a, b, rule, a, b, rule, c]) == [a, b, rule, c]
    assert posts.collapse_repeats([rule, rule, c]) == [rule, rule, c]  # no prose in the run: left alone
    assert posts.collapse_repeats([a, c, a]) == [a, c, a]  # not adjacent: left alone


def test_headings_move_to_sit_under_the_chapter_title():
    block = posts.Block
    assert posts.promote_headings([block("### A", "heading"), block("#### B", "heading")]) == [
        block("## A", "heading"),
        block("### B", "heading"),
    ]
    assert posts.promote_headings([block("# A", "heading")]) == [block("## A", "heading")]
    assert posts.promote_headings([block("## A #tag", "heading")]) == [block("## A #tag", "heading")]
