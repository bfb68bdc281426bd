"""A post as a chapter: the MyST text the import writes for it (front matter, H1, banner, blocks)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ai4neuro.posts.assets import Assets
from ai4neuro.posts.blocks import Block, collapse_repeats, hoist_definitions, promote_headings, render, split_blocks
from ai4neuro.posts.jekyll import Post, permalink
from ai4neuro.posts.kramdown import Converter, fix_anchors, fix_rules
from ai4neuro.posts.links import post_link
from ai4neuro.posts.liquid import LiquidContext, render_liquid
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.references import image_labels
from ai4neuro.posts.site import Site
from ai4neuro.posts.toc import PART, in_series

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
TITLE_SPECIAL = re.compile(r"([\\`*_<>{}$])")


def escape_title(title: str) -> str:
    """The title as text in the H1 (Jekyll themes print it escaped; MyST would read HTML and Markdown)."""
    escaped = TITLE_SPECIAL.sub(r"\\\1", title)
    return re.sub(r"\((c|r|tm|p)\)", r"\\(\1)", escaped, flags=re.IGNORECASE).replace("+-", "+\\-")


def convert_post(post: Post, site: Site, notes: Notes, skip_missing_images: bool = False) -> tuple[list[Block], Assets]:
    """The chapter's body blocks for ``post`` (title, banner, definitions, the post), and its files.

    Footnote definitions stay where the post has them: MyST resolves them across cells and shows
    them at the end of the page (the book test adds a code cell between a reference and its note).
    Whatever the post refers to and the book lacks is reported in one error (:meth:`Notes.check`).
    """

    def link(target: str, line: int, fragment: bool) -> str:
        return post_link(site, notes, post, target, line, fragment)

    text, line_map = render_liquid(post.body, LiquidContext(site, post.meta, notes, link))
    notes.line_map = line_map
    page = permalink(post, site.variables.get("permalink"))
    assets = Assets(site, notes, page=page, skip_missing_images=skip_missing_images)
    converter = Converter(site, notes, assets, chapter=post.slug)
    converter.image_labels |= image_labels(text)
    converter.find_missing_reference_images(text)
    converted = converter.convert(text)
    notes.check()
    blocks, folded = collapse_repeats(converted)
    for kept, dropped in folded:
        notes.warn(
            dropped.line,
            f"a passage repeating line {notes.file_line(kept.line)} onwards word for word was kept once",
        )
    definitions, body = hoist_definitions(blocks)
    body = fix_rules(promote_headings(body), notes.warn, after="colon_fence" if post.draft else "heading")
    body = fix_anchors(body, post.title, converter, notes.warn)
    head = [Block(f"# {escape_title(post.title)}", "heading")]
    if post.draft:
        head.append(Block(DRAFT_BANNER, "colon_fence"))
    return split_blocks(render(head + ([definitions] if definitions else []) + body)), assets


def short_title(post: Post, series: str) -> str | None:
    """The post's ``short_title``; else, for a part of the series, "Part N: " and the series' name up to its
    first dash or colon ("Part 1: Beyond #NeuroAI, we need #AI4Neuro"); else None (the title serves)."""
    own = " ".join(str(post.meta.get(SHORT_TITLE_KEY) or "").split())
    part = PART.search(post.title)
    if own or part is None or not in_series({**post.meta, "title": post.title}, series):
        return own or None
    name = re.split(r"\s*(?:-{2,3}|[—–:])\s*", series.strip(), maxsplit=1)[0].strip(" .")
    return f"Part {int(part.group(1))}: {name}" if name else f"Part {int(part.group(1))}"


def front_matter(post: Post, root: Path, blocks: list[Block], series: str = "") -> dict:
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


class _Dumper(yaml.SafeDumper):
    """Lists of plain values on one line (``reads: [a, b]``), as people write them; mappings as blocks."""

    def represent_list(self, data):
        flat = all(isinstance(item, str | int | float | bool) for item in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(list, _Dumper.represent_list)


def dump(meta: dict, blocks: list[Block]) -> str:
    header = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{header}---\n\n{render(blocks)}\n"
