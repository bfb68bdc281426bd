"""Jekyll posts → MyST chapters (ai4neuro.posts and ``python -m ai4neuro import-post``)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from ai4neuro import posts
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.posts.escaping import escape_markdown
from ai4neuro.posts.reader import KramdownReader, lazy_lines_indented

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


def recorded(chapter_text: str) -> list[posts.Block]:
    """The chapter's blocks that its last import wrote (by the record in its front matter)."""
    document = frontmatter.loads(chapter_text)
    record = set(document.get(posts.RECORD_KEY, "").split())
    return [block for block in posts.split_blocks(document.content) if block.digest in record]


def imported_blocks(chapter: Path) -> list[str]:
    """The chapter's imported blocks (not the draft banner, definitions, or content added after import)."""
    return [
        without_heading_marks(block.text).strip()
        for block in recorded(chapter.read_text(encoding="utf-8"))
        if block.kind != "definitions" and block.text != posts.DRAFT_BANNER
    ]


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG, made here so no binary fixture is committed."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def add_fixture_post(book: Path, name: str) -> Path:
    """Copy a fixture post (``_posts/...`` or ``_drafts/...``) into the book, with the images it shows."""
    images = book / "posts" / "assets" / "images" / "fixture"
    images.mkdir(parents=True, exist_ok=True)
    (images / "chart.png").write_bytes(png(80, 40, (200, 60, 60)))
    (images / "photo.png").write_bytes(png(60, 60, (60, 60, 200)))
    target = book / "posts" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(FIXTURES / name, target)
    return target


# --- the committed posts and chapters --------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed folder ../shared/seeds exists only on CI")
@pytest.mark.parametrize("seed, post", [("000_b44eb11a8171492d.txt", PART1), ("001_a6fe0e70153fb9bd.txt", PART3)])
def test_posts_are_the_seeds_byte_for_byte(seed, post):
    assert (ROOT / post).read_bytes() == (SEEDS / seed).read_bytes()


@pytest.mark.parametrize("post", COMMITTED)
def test_every_prose_block_of_the_post_is_in_its_chapter_in_order(post):
    """Block by block: the chapter holds the post's blocks in order; a block may be missing only where
    the post repeats it (kept once, earlier); the chapter holds nothing else (title and banner aside)."""
    post_blocks = [
        without_heading_marks(block).strip() for block in source_blocks(frontmatter.load(ROOT / post).content)
    ]
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
    assert recorded(committed) == posts.split_blocks(frontmatter.loads(fresh).content)
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


def test_changed_post_keeps_added_cells_and_brings_the_change(book):
    chapter, post = book / COMMITTED[PART1], book / PART1
    add_cell_after(chapter, "2023 also seemed to be")
    post.write_text(post.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    result = cli(book, PART1)
    assert result.returncode == 0, result.stderr
    text = chapter.read_text(encoding="utf-8")
    assert text.rstrip().endswith("A new closing paragraph.") and text.count("added after import") == 1
    assert (
        text.index("2023 also seemed to be") < text.index("added after import") < text.index("After going to NeurIPS")
    )


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
        ("2024-05-05-unknown-liquid.md", r"2024-05-05-unknown-liquid.md:7: the Liquid tag \{% assign %\}"),
        (
            "2024-05-06-missing-images.md",
            r"2 image\(s\) not found: line 5: /assets/images/fixture/not-there.png .*line 7: .*also-missing.png",
        ),
        ("undated-post.md", "unknown date"),
        ("2024-13-45-impossible-date.md", "unknown date"),
    ],
)
def test_malformed_post_gets_one_clear_error_and_nothing_is_written(book, name, message):
    post = add_fixture_post(book, f"_posts/{name}")
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
    assert chapter["draft"] is True and chapter["date"] == "2024-03-01"
    assert chapter["keywords"] == ["Single", "tag"]  # Jekyll splits a string of tags on spaces
    assert "description" not in chapter.metadata  # an empty excerpt is left out
    assert "Draft — not published on the blog" in chapter.content
    # The label defined twice (in another case) is defined once: the first definition wins.
    assert chapter.content.count("[x]: https://example.org/?a=1&b=2") == 1 and "[X]:" not in chapter.content
    # The setext heading of the post stays a heading; the rule stays a rule.
    html = COMMONMARK.render(chapter.content)
    assert "<h2>latter---like this</h2>" in html
    toc = (book / "_toc.yml").read_text()
    assert toc.index("part-3") < toc.index("hidden-post") < toc.index("about-data"), "not in the series: after it"


def test_collapse_repeats_folds_long_repeated_runs_only():
    block = posts.Block
    long_a, long_b = block("A" * 300, "paragraph"), block("B" * 300, "paragraph")
    rule, c = block("---", "hr"), block("C", "paragraph")
    kept, folded = posts.collapse_repeats([long_a, long_b, rule, long_a, long_b, rule, c])
    assert kept == [long_a, long_b, rule, c] and len(folded) == 1
    assert posts.collapse_repeats([rule, rule, c])[0] == [rule, rule, c]  # no prose in the run: left alone
    assert posts.collapse_repeats([long_a, c, long_a])[0] == [long_a, c, long_a]  # not adjacent: left alone
    yes = block("Yes.", "paragraph")
    assert posts.collapse_repeats([yes, yes, c])[0] == [yes, yes, c]  # a short line repeated on purpose


def test_headings_move_to_sit_under_the_chapter_title_without_gaps():
    block = posts.Block
    assert posts.promote_headings([block("### A", "heading"), block("#### B", "heading")]) == [
        block("## A", "heading"),
        block("### B", "heading"),
    ]
    assert posts.promote_headings([block("# A", "heading")]) == [block("## A", "heading")]
    assert posts.promote_headings([block("## A #tag", "heading")]) == [block("## A #tag", "heading")]
    assert posts.promote_headings([block("## A", "heading"), block("#### B", "heading"), block("## C", "heading")]) == [
        block("## A", "heading"),
        block("### B", "heading"),
        block("## C", "heading"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a *b* _c_ `d` $e$ {{ f }} ~~g~~ [h](i) ![j](k) [l][m] <b>n</b> <https://o.example> (c) (TM) (p) +- \\ x",
        "{abbr}`HTML (Hypertext)` and a \\$ sign",
        "Beyond #NeuroAI, we need #AI4Neuro: a title [Part 1]",
    ],
)
def test_the_one_markdown_escaper_shows_text_as_written_in_the_book(text):
    """What MyST, with the book's extensions, would read as markup shows as written (titles, image notes, code)."""
    extensions = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["parse"]["myst_enable_extensions"]
    myst = create_md_parser(MdParserConfig(enable_extensions=set(extensions) - {"smartquotes"}), RendererHTML)
    shown = BeautifulSoup(myst.render(escape_markdown(text)), "html.parser").get_text().strip()
    assert shown == text
    assert escape_markdown("<kbd>[x](y)</kbd>", keep_html=True) == "<kbd>[x\\](y)</kbd>"  # tags stay HTML


# --- Jekyll's reading of a post ----------------------------------------------------------------


def test_jekyll_front_matter_rules(book):
    """BOM, unpadded date, ``title: 2024``, ``tags: a b c``; a title from the file name; a two-line title."""
    posts.import_post(add_fixture_post(book, "_posts/2017-9-8-unpadded-date.md"))
    chapter = frontmatter.load(book / "chapters" / "unpadded-date.md")
    assert chapter["title"] == "2024" and chapter["date"] == "2017-09-08" and chapter["keywords"] == ["a", "b", "c"]
    assert chapter.content.startswith("# 2024\n")

    posts.import_post(add_fixture_post(book, "_posts/2024-02-03-missing-title.md"))
    assert frontmatter.load(book / "chapters" / "missing-title.md")["title"] == "Missing Title"

    posts.import_post(add_fixture_post(book, "_posts/2024-05-04-multi-line-title.md"))
    chapter = frontmatter.load(book / "chapters" / "multi-line-title.md")
    assert chapter["title"] == "A title written on two lines"
    assert chapter.content.startswith("# A title written on two lines\n\nYes.\n\nYes.\n\n")  # short repeats stay


def test_html_in_a_title_is_text(book):
    post = book / "posts" / "_posts" / "2024-06-01-html-title.md"
    post.write_text('---\ntitle: "Fish <script>alert(1)</script> & $5 (c)"\n---\n\nBody.\n', encoding="utf-8")
    posts.import_post(post)
    html = COMMONMARK.render(frontmatter.load(book / "chapters" / "html-title.md").content)
    assert "<h1>Fish &lt;script&gt;alert(1)&lt;/script&gt; &amp; $5 (c)</h1>" in html


# --- kramdown and Liquid -----------------------------------------------------------------------


def test_kramdown_tour_is_converted_with_one_warning_per_loss(book):
    warnings: list[str] = []
    message = posts.import_post(add_fixture_post(book, "_posts/2024-05-01-kramdown-tour.md"), warn=warnings.append)
    assert "copied 2 file(s) into _static/blog/" in message
    text = (book / "chapters" / "kramdown-tour.md").read_text(encoding="utf-8")
    body = frontmatter.loads(text).content
    expected = [
        "# A tour of kramdown \\<em\\>features\\</em\\>",  # the title is text
        ":::{contents}\n:local:\n:backlinks: none\n:::",  # * TOC {:toc}
        "cost \\$5 to climb the tower and \\$10",  # currency stays text
        "the energy $E = mc^2$ sits inline",  # kramdown's inline $$
        "$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$",  # display math
        "[custom anchor](#a-heading-with-its-own-id)",  # {#custom-anchor} → the heading's anchor
        "[the lighthouse notes](#the-lighthouse-keepers-notes)",  # kramdown's auto id
        "~~seventeen~~",
        "[about page](https://rdgao.github.io/about)",  # site-relative links → the blog
        "](https://rdgao.github.io/blog/2021/01/17/)",
        "## Second section",  # setext → ATX
        "### The lighthouse keeper's notes",  # #### after ## closes the gap
        "![A small chart drawn for the fixture](/_static/blog/assets/images/fixture/chart.png)",
        '<img src="../_static/blog/assets/images/fixture/photo.png"',
        ":::{image} /_static/blog/assets/images/fixture/chart.png\n:alt: A centred chart\n:align: center\n:width: 60%",
        ":::{note}\nThis paragraph is a notice in minimal-mistakes.\n:::",
        ":::{container} text-muted\nThis paragraph uses an attribute definition.\n:::",
        "| Mon | 3 | \\$5 |",  # kramdown tables are written anew, every row as wide as the widest
        ":::{list-table}\n:header-rows: 0\n\n* - north\n  - 2",
        ":::{warning}\n**Inside a block of HTML** the text is still *Markdown*, with [a link](#second-section).",
        '```python\nships = {"Mon": 3, "Tue": 4}',
        "The template shows `{{ page.title }}` literally.",
        "```{figure} /_static/blog/assets/images/fixture/photo.png\n:alt: The keeper's photo",
        "Say \\(c) for the copyright sign and +\\- for plus-minus",
        "\\% of the keepers agree",
        "The blog lives at https://rdgao.github.io.",
    ]
    for snippet in expected:
        assert snippet in body, snippet
    for gone in ("{:", "{%", "A note to myself", "{{ site"):
        assert gone not in body.replace("`{{ page.title }}`", ""), gone
    assert body.count("\n---\n") == 1, "of two rules in a row one stays; the closing rule goes"
    for name in ("chart.png", "photo.png"):
        assert (book / "_static" / "blog" / "assets" / "images" / "fixture" / name).is_file()
    assert warnings == [
        'posts/_posts/2024-05-01-kramdown-tour.md:25: kramdown span attributes dropped: {:target="_blank"}'.replace(
            "posts/", f"{book}/posts/", 1
        ),
        f"{book}/posts/_posts/2024-05-01-kramdown-tour.md:61: a horizontal rule right after a heading or another rule "
        "was dropped (docutils forbids it)",
        f"{book}/posts/_posts/2024-05-01-kramdown-tour.md:90: a horizontal rule at the end of the post was dropped "
        "(docutils forbids it)",
    ]


KRAMDOWN_BLOCKS = [  # a post's lines → its top-level blocks as kramdown reads them (kind, first line)
    pytest.param(  # an attribute list line ends the paragraph; it belongs to the text above it
        "Gulls at noon.\n{: .notice--danger}\nTerns at dusk.\n{: .notice}\n",
        [("paragraph", "Gulls at noon.\n{: .notice--danger}"), ("paragraph", "Terns at dusk.\n{: .notice}")],
        id="attribute-list-mid-paragraph",
    ),
    pytest.param(  # attribute lists before the text, or only after it: one paragraph
        "{: .notice}\nGulls at noon.\nTerns at dusk.\n{: #birds}\n",
        [("paragraph", "{: .notice}\nGulls at noon.\nTerns at dusk.\n{: #birds}")],
        id="attribute-lists-around-a-paragraph",
    ),
    pytest.param(  # a quote runs on to the next blank line: the list is inside it
        "> The steps:\n1. Fill the jar\n2. Seal it\n\nAfter.\n",
        [("blockquote", "> The steps:\n1. Fill the jar\n2. Seal it"), ("paragraph", "After.")],
        id="list-lazily-in-a-quote",
    ),
    pytest.param(  # ... or to an attribute list, which is the quote's
        "> Quoted.\nStill quoted.\n{: .notice}\nOutside.\n",
        [("blockquote", "> Quoted.\nStill quoted.\n{: .notice}"), ("paragraph", "Outside.")],
        id="quote-ends-at-attribute-list",
    ),
    pytest.param(  # an item takes the lines right after it, a code fence too: one list
        "1. Pour it:\n```sh\npour --slow\n```\n2. Wait.\n\nAfter.\n",
        [("ordered_list", "1. Pour it:\n```sh\npour --slow\n```\n2. Wait."), ("paragraph", "After.")],
        id="code-fence-lazily-in-an-item",
    ),
    pytest.param(  # after a blank line only indented lines or the next item go on with the list
        "- One\n\nNot in the list.\n",
        [("bullet_list", "- One"), ("paragraph", "Not in the list.")],
        id="list-ends-after-a-blank-line",
    ),
    pytest.param(  # a fence the item's lines leave open is text to kramdown: markdown-it's reading is kept
        "- One\n```\ncode\n\nmore\n```\n",
        [("bullet_list", "- One"), ("fence", "```\ncode\n\nmore\n```")],
        id="unclosed-fence-under-an-item",
    ),
    pytest.param(  # the same under a quoted line
        "> Quoted.\n```\ncode\n\nmore\n```\n",
        [("blockquote", "> Quoted."), ("fence", "```\ncode\n\nmore\n```")],
        id="unclosed-fence-under-a-quote",
    ),
]


@pytest.mark.parametrize("text, blocks", KRAMDOWN_BLOCKS)
def test_posts_are_split_where_kramdown_ends_a_block(text, blocks):
    found = posts.split_blocks(text, reader=KramdownReader)
    assert [(block.kind, block.text) for block in found] == blocks


@pytest.mark.parametrize(
    "kramdown, myst",
    [
        (
            "1. Pour:\n```sh\npour\n```\n2. Wait:\n~~~\nwait\n~~~",
            "1. Pour:\n   ```sh\n   pour\n   ```\n2. Wait:\n   ~~~\n   wait\n   ~~~",
        ),
        ("- Top\n  - inner\n> quoted\nmore\n- Next", "- Top\n  - inner\n    > quoted\n    more\n- Next"),
        ("- Text that\ngoes on lazily\n- Next", "- Text that\ngoes on lazily\n- Next"),  # a paragraph's lazy line stays
        ("- One\n\n  ```\n  code\n  ```", "- One\n\n  ```\n  code\n  ```"),  # indented already
    ],
)
def test_an_items_lazy_lines_are_indented_under_it_when_they_start_a_block(kramdown, myst):
    assert lazy_lines_indented(kramdown) == myst
    top = [token.type for token in COMMONMARK.parse(myst) if token.level == 0 and token.nesting >= 0]
    assert len(top) == 1 and top[0] in {"bullet_list_open", "ordered_list_open"}, top  # one list holds it all


def test_a_fence_line_with_an_info_string_inside_code_is_code(tmp_path):
    """CommonMark: a closing fence has nothing after its run, so ```` ```python ```` inside a fence is its text."""
    from ai4neuro.posts.assets import Assets
    from ai4neuro.posts.kramdown import Converter
    from ai4neuro.posts.notes import Notes
    from ai4neuro.posts.site import Site

    site = Site(tmp_path, tmp_path / "posts")
    notes = Notes(Path("posts/_posts/2024-01-01-fence.md"))
    converter = Converter(site, notes, Assets(site, notes, page="/fence/"))
    kramdown = "1. Run it:\n```\n```python\n50% of $5 and 10$\n```\n2. Done.\n"
    myst = "1. Run it:\n   ```\n   ```python\n   50% of $5 and 10$\n   ```\n2. Done."
    assert [block.text for block in converter.convert(kramdown)] == [myst]


def test_warnings_are_printed_by_the_command_with_post_and_line(book):
    add_fixture_post(book, "_posts/2024-05-01-kramdown-tour.md")
    result = cli(book, "posts/_posts/2024-05-01-kramdown-tour.md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Imported posts/_posts/2024-05-01-kramdown-tour.md")
    assert "warning: posts/_posts/2024-05-01-kramdown-tour.md:25: kramdown span attributes dropped" in result.stderr


# --- series, slugs and the table of contents ---------------------------------------------------


def toc_files(book: Path) -> list[str]:
    import yaml

    return [entry["file"] for entry in yaml.safe_load((book / "_toc.yml").read_text())["chapters"]]


def test_series_is_this_essay_and_other_posts_follow_by_date(book):
    posts.import_post(add_fixture_post(book, "_posts/2021-03-01-tooling-notes.md"))  # "(Part 1/3)", another series
    posts.import_post(add_fixture_post(book, "_drafts/series-draft.md"))  # series: key
    posts.import_post(add_fixture_post(book, "_posts/2017-9-8-unpadded-date.md"))
    files = toc_files(book)
    order = [
        "chapters/index",
        "chapters/beyond-neuroai-we-need-ai4neuro-part-1",
        "chapters/beyond-neuroai-we-need-ai4neuro-part-3",
        "chapters/series-draft",  # in the series, no part number: after the numbered parts
        "chapters/unpadded-date",  # 2017
        "chapters/tooling-notes",  # 2021
        "chapters/about-data",
    ]
    assert [name for name in files if name in order] == order[1:] and files[-1] == "chapters/about-data"


@pytest.mark.parametrize("slug", ["about-data", "index"])
def test_a_slug_taken_by_a_hand_written_page_is_an_error_even_with_force(book, slug):
    post = book / "posts" / "_posts" / f"2024-06-02-{slug}.md"
    post.write_text("---\ntitle: Clash\n---\n\nBody.\n", encoding="utf-8")
    before = snapshot(book)
    for force in (False, True):
        with pytest.raises(Ai4NeuroError, match=f"chapters/{slug}.md, which is a hand-written page.*slug:"):
            posts.import_post(post, force=force)
    assert snapshot(book) == before


def test_two_posts_with_one_slug_is_an_error_naming_both(book):
    first = book / "posts" / "_posts" / "2024-06-03-same-name.md"
    second = book / "posts" / "_posts" / "2024-07-03-same-name.md"
    first.write_text("---\ntitle: First\n---\n\nOne.\n", encoding="utf-8")
    second.write_text("---\ntitle: Second\n---\n\nTwo.\n", encoding="utf-8")
    posts.import_post(first)
    before = snapshot(book)
    with pytest.raises(Ai4NeuroError, match="imported from posts/_posts/2024-06-03-same-name.md.*slug:") as error:
        posts.import_post(second, force=True)
    assert str(second) in str(error.value)
    assert snapshot(book) == before
    second.write_text("---\ntitle: Second\nslug: same-name-again\n---\n\nTwo.\n", encoding="utf-8")
    posts.import_post(second)
    assert (book / "chapters" / "same-name-again.md").is_file() and "One." in (
        book / "chapters" / "same-name.md"
    ).read_text(encoding="utf-8")


LIQUID_POST = """---
title: Liquid helpers
gallery:
  - image_path: /assets/images/fixture/chart.png
    alt: "first chart"
  - image_path: https://images.example.org/remote.png
    alt: "a remote picture"
---

{% include toc %}

## Pictures

{% include gallery caption="Two pictures side by side." %}

{% include video id="abc123" provider="youtube" %}

Part one is {% post_url 2024-01-01-beyond-neuroai-we-need-ai4neuro-part-1 %} in the book, and
[the unpadded post]({% post_url 2017-9-8-unpadded-date %}) is on the blog. This page is "{{ page.title }}",
the about page is at {{ "/about" | relative_url }} and {{ "/about" | absolute_url }}.

{% highlight python linenos %}
template = "{% raw %}{{ page.title }}{% endraw %}"
{% endhighlight %}
"""


def test_liquid_helpers_become_myst(book):
    add_fixture_post(book, "_posts/2017-9-8-unpadded-date.md")  # a post the book does not hold
    post = book / "posts" / "_posts" / "2024-06-05-liquid-helpers.md"
    post.write_text(LIQUID_POST, encoding="utf-8")
    warnings: list[str] = []
    posts.import_post(post, warn=warnings.append)
    body = frontmatter.load(book / "chapters" / "liquid-helpers.md").content
    for snippet in [
        "```{contents}\n:local:\n:backlinks: none\n```",
        "![first chart](/_static/blog/assets/images/fixture/chart.png)\n![a remote picture](https://images.example.org/remote.png)",
        "Two pictures side by side.",
        '<iframe class="post-video" src="https://www.youtube-nocookie.com/embed/abc123"',
        "Part one is beyond-neuroai-we-need-ai4neuro-part-1.md in the book",
        "[the unpadded post](https://rdgao.github.io/unpadded-date/)",
        'This page is "Liquid helpers"',
        "the about page is at /about and https://rdgao.github.io/about.",
        '```{code-block} python\n:linenos:\n\ntemplate = "{{ page.title }}"\n```',
    ]:
        assert snippet in body, snippet
    assert any("remote.png is loaded from the network" in line for line in warnings)
    assert any("unpadded-date is not in the book; the link goes to the blog" in line for line in warnings)
    assert any(":16: an embedded video is played from the network" in line for line in warnings), warnings


# --- the theme's includes inside raw HTML, paths from the site's root (al-folio) ---------------

ROW_POST = """---
title: Pictures in a row
---

Two pictures side by side, the theme's way:

<div class="row">
  <div class="col-sm">
    {% include figure.liquid path="assets/images/fixture/chart.png" class="img-fluid rounded" width="240" %}
  </div>
  <div class="col-sm">
    {% include figure.liquid path="assets/images/fixture/photo.png" alt="A blue square" caption="Blue, all over." %}
  </div>
</div>

<div class="row">
  {% include video.liquid path="assets/video/fixture/clip.mp4" class="img-fluid" controls=true %}
</div>

{% include figure.liquid path="assets/images/fixture/chart.png" alt="The chart again" %}
"""


def add_clip(book: Path) -> None:
    clips = book / "posts" / "assets" / "video" / "fixture"
    clips.mkdir(parents=True, exist_ok=True)
    (clips / "clip.mp4").write_bytes(b"\0\0\0\x18ftypmp42")  # only copied, never played


def test_an_include_inside_html_is_html_whose_files_are_copied(book):
    add_fixture_post(book, "_posts/2017-9-8-unpadded-date.md")  # for the fixture's images
    add_clip(book)
    post = book / "posts" / "_posts" / "2024-06-07-pictures-in-a-row.md"
    post.write_text(ROW_POST, encoding="utf-8")
    warnings: list[str] = []
    posts.import_post(post, warn=warnings.append)
    body = frontmatter.load(book / "chapters" / "pictures-in-a-row.md").content
    assert body.count("{image}") == 1 and "{figure}" not in body, body  # the last figure only: outside HTML
    chart = '<img src="../_static/blog/assets/images/fixture/chart.png" alt="" class="img-fluid rounded" width="240">'
    assert chart in body
    assert (
        '<figure><img src="../_static/blog/assets/images/fixture/photo.png" alt="A blue square">'
        "<figcaption>Blue, all over.</figcaption></figure>"
    ) in body
    assert '<video class="post-video" controls src="../_static/blog/assets/video/fixture/clip.mp4">' in body
    assert "```{image} /_static/blog/assets/images/fixture/chart.png\n:alt: The chart again" in body
    for name in ("images/fixture/chart.png", "images/fixture/photo.png", "video/fixture/clip.mp4"):
        assert (book / "_static" / "blog" / "assets" / name).is_file(), name
    assert not any("is relative" in line for line in warnings), warnings  # the theme's paths are the site's


def test_a_missing_image_of_an_include_inside_html_is_an_error_naming_its_line(book):
    post = book / "posts" / "_posts" / "2024-06-07-pictures-in-a-row.md"
    post.write_text(ROW_POST.replace("fixture/photo.png", "fixture/gone.png"), encoding="utf-8")
    add_clip(book)
    images = book / "posts" / "assets" / "images" / "fixture"
    images.mkdir(parents=True, exist_ok=True)
    (images / "chart.png").write_bytes(png(8, 8, (1, 2, 3)))
    with pytest.raises(Ai4NeuroError) as error:
        posts.import_post(post)
    assert "1 image(s) not found: line 12: /assets/images/fixture/gone.png" in str(error.value), error.value
    assert not (book / "chapters" / "pictures-in-a-row.md").exists()


def test_include_paths_are_under_the_baseurl_and_missing_videos_are_skipped_too(book):
    settings = book / "posts" / "_config.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('baseurl: ""', 'baseurl: "/blog"'))
    images = book / "posts" / "assets" / "images" / "fixture"
    images.mkdir(parents=True, exist_ok=True)
    (images / "chart.png").write_bytes(png(8, 8, (1, 2, 3)))
    post = book / "posts" / "_posts" / "2024-06-07-pictures-in-a-row.md"
    post.write_text(ROW_POST.replace("fixture/photo.png", "fixture/gone.png"), encoding="utf-8")
    with pytest.raises(Ai4NeuroError) as error:
        posts.import_post(post)
    assert "video or sound file(s) not found: line 17: /blog/assets/video/fixture/clip.mp4" in str(error.value)
    assert "--skip-missing-images" in str(error.value).split("video or sound file(s)")[1]
    warnings: list[str] = []
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace('chart.png" class', 'gone-chart.png" class'), encoding="utf-8")  # no alt
    posts.import_post(post, warn=warnings.append, skip_missing_images=True)
    body = frontmatter.load(book / "chapters" / "pictures-in-a-row.md").content
    assert '<em class="image-missing">(image not available: /blog/assets/images/fixture/gone-chart.png)</em>' in body
    assert "```{image} /_static/blog/assets/images/fixture/chart.png" in body
    assert '<em class="image-missing">(image not available: A blue square)</em>' in body
    assert '<em class="image-missing">(video or sound not available: /blog/assets/video/fixture/clip.mp4)</em>' in body
    assert "clip.mp4" not in body.split("(video or sound not available")[1].split("</em>", 1)[1], body
    assert any("clip.mp4 is not in posts/ (nor on the blog): shown as a note" in line for line in warnings), warnings


# --- math in a blockquote --------------------------------------------------------------------

QUOTED_MATH_POST = """---
title: Quoted math
---

> A quoted line with $$U = \\exp(iH)$$ in it and $$V$$
> on the next line, then $$W
> = W^{T}$$ across two lines.
>
> $$
> A = A^{\\dagger}
> $$
>
> A definition, then
> $$
> B = B^{T}
> $$. And more.
"""


def test_math_in_a_blockquote_is_read_without_the_quote_markers(book):
    post = book / "posts" / "_posts" / "2024-06-08-quoted-math.md"
    post.write_text(QUOTED_MATH_POST, encoding="utf-8")
    posts.import_post(post)
    body = frontmatter.load(book / "chapters" / "quoted-math.md").content
    assert (
        "> A quoted line with $U = \\exp(iH)$ in it and $V$\n> on the next line, then $W = W^{T}$ across two lines.\n"
        "> \n> $$\n> A = A^{\\dagger}\n> $$\n> \n> A definition, then\n> $B = B^{T}$. And more."
    ) in body, body
    tokens = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), RendererHTML).parse(body)
    assert [token.content.strip() for token in tokens if token.type == "math_block"] == ["A = A^{\\dagger}"]


# --- a Liquid variable with no value is nothing, as on the blog, with a warning ---------------

UNDEFINED_POST = """---
title: Unset values
---

Written by {{ page.nickname }} for the pond's readers.

```text
template: {{Pond Keeper_notes{|}}
```
"""


def test_a_variable_without_a_value_is_nothing_as_on_the_blog_with_one_warning(book):
    post = book / "posts" / "_posts" / "2024-06-09-unset-values.md"
    post.write_text(UNDEFINED_POST, encoding="utf-8")
    warnings: list[str] = []
    posts.import_post(post, warn=warnings.append)
    body = frontmatter.load(book / "chapters" / "unset-values.md").content
    assert "Written by  for the pond's readers." in body and "```text\ntemplate: \n```" in body, body
    for line, tag in [(5, "{{ page.nickname }}"), (8, "{{Pond Keeper_notes{|}}")]:
        assert any(
            f"2024-06-09-unset-values.md:{line}: {tag} has no value" in warning
            and "shown as nothing, as on the blog" in warning
            and "{% raw %}" in warning
            and "posts/_config.yml or the front matter" in warning
            for warning in warnings
        ), (tag, warnings)


# --- what the book cannot find, all at once (issue 21) -----------------------------------------

MISSING_POST = """---
title: Everything missing
---

![a chart](/assets/images/fixture/gone.png) and [a post]({{ site.baseurl }}{% post_url 2020-01-01-never-written %}),
[another]({% post_url 2020-02-02-never-either %}) and a script:

<script src="/assets/js/gone.js"></script>

![a photo](/photos/elsewhere.png)
"""


def test_every_missing_image_script_and_post_is_listed_in_one_error(book):
    post = book / "posts" / "_posts" / "2024-06-06-everything-missing.md"
    post.write_text(MISSING_POST, encoding="utf-8")
    before = snapshot(book)
    for skip in (False, True):
        with pytest.raises(Ai4NeuroError) as error:
            posts.import_post(post, skip_missing_images=skip)
        message = str(error.value)
        assert len(message.splitlines()) == 1 and snapshot(book) == before
        assert "2 linked post(s) not found: line 5: {% post_url 2020-01-01-never-written %}" in message
        assert "line 6: {% post_url 2020-02-02-never-either %}" in message
        assert "1 script(s) not found: line 8: /assets/js/gone.js (looked for posts/assets/js/gone.js)" in message
        assert "line 10: /photos/elsewhere.png (looked for posts/photos/elsewhere.png)" in message
        assert "Copy the blog's photos/ folder to posts/photos/ and list it in asset_folders" in message
        # an image of the blog's asset folders that is not there: with the option, a note in its place
        assert ("line 5: /assets/images/fixture/gone.png" in message) is not skip
    with pytest.raises(Ai4NeuroError, match=r"image\(s\) not found: line 5: /assets/images/fixture/gone.png.*"
                       r"or add --skip-missing-images"):  # fmt: skip
        posts.import_post(post)


def test_a_url_ending_in_a_slash_still_finds_the_blogs_images(book):
    config = book / "posts" / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('url: "https://rdgao.github.io"', 'url: "https://rdgao.github.io/"')
    )
    add_fixture_post(book, "_posts/2024-05-01-kramdown-tour.md")
    post = book / "posts" / "_posts" / "2024-06-07-slash.md"
    post.write_text("---\ntitle: Slash\n---\n\n![chart]({{ site.url }}/assets/images/fixture/chart.png)\n")
    warnings: list[str] = []
    posts.import_post(post, warn=warnings.append)
    assert "![chart](/_static/blog/assets/images/fixture/chart.png)" in (book / "chapters" / "slash.md").read_text()
    assert warnings == []


def test_the_math_the_import_assumed_is_said_once(book):
    post = book / "posts" / "_posts" / "2024-06-08-dollars.md"
    post.write_text("---\ntitle: Dollars\n---\n\nThe mean $m$ and the spread $s$.\n\nAgain $x$.\n")
    warnings: list[str] = []
    posts.import_post(post, warn=warnings.append)
    assert warnings == [
        f"{post}:5: $…$ is shown as text: the blog's MathJax is assumed to read inline math between \\(…\\) only "
        "(its default); if it reads $…$ too, set inline_math in posts/_config.yml"
    ]
    assert "The mean \\$m\\$ and" in (book / "chapters" / "dollars.md").read_text()
    config = book / "posts" / "_config.yml"
    config.write_text(config.read_text() + '\ninline_math: [["$", "$"], ["\\\\(", "\\\\)"]]\n')
    warnings.clear()
    posts.import_post(post, warn=warnings.append)
    assert warnings == [] and "The mean $m$ and the spread $s$." in (book / "chapters" / "dollars.md").read_text()


def test_kramdown_options_the_book_does_not_apply_are_warned_about(book):
    post = book / "posts" / "_posts" / "2024-06-09-options.md"
    post.write_text('---\ntitle: Options\n---\n\n{::options auto_ids="false" /}\n\n## A heading\n')
    warnings: list[str] = []
    posts.import_post(post, warn=warnings.append)
    assert warnings == [f"{post}:5: the kramdown option(s) auto_ids are not applied (the book reads Jekyll's defaults)"]
