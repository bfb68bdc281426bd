"""A post as a chapter's blocks: Liquid, then kramdown → MyST, then the blocks put in the chapter's order.

The H1 (the post's title), a draft's banner, the link definitions (hoisted: myst-nb reads a chapter cell by
cell), then the post's blocks, with repeats folded, headings ranked under the H1, rules docutils cannot draw
dropped and in-page links pointed at MyST's anchors.
"""

from __future__ import annotations

from ai4neuro.posts.arrange import collapse_repeats, fix_rules, hoist_definitions, promote_headings
from ai4neuro.posts.assets import Assets
from ai4neuro.posts.blocks import Block, render, split_blocks
from ai4neuro.posts.chapter import DRAFT_BANNER
from ai4neuro.posts.escaping import escape_markdown
from ai4neuro.posts.jekyll import Post, permalink
from ai4neuro.posts.kramdown import Converter
from ai4neuro.posts.links import post_link
from ai4neuro.posts.liquid import LiquidContext, render_liquid
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site


def convert_post(post: Post, site: Site, notes: Notes, skip_missing_images: bool = False) -> tuple[list[Block], Assets]:
    """The chapter's body blocks for ``post`` (title, banner, definitions, the post), and its files.

    Footnote definitions stay where the post has them: MyST resolves them across cells and shows
    them at the end of the page (the book test adds a code cell between a reference and its note).
    Whatever the post refers to and the book lacks is reported in one error (:meth:`Notes.check`).
    """

    def link(target: str, line: int, fragment: bool) -> str:
        return post_link(site, notes, post, target, line, fragment)

    liquid = LiquidContext(site, post.meta, notes, link)
    text, line_map = render_liquid(post.body, liquid)
    notes.line_map = line_map
    page = permalink(post, site.variables.get("permalink"))
    assets = Assets(site, notes, page=page, skip_missing_images=skip_missing_images)
    converter = Converter(site, notes, assets, chapter=post.slug, liquid_forms=liquid.html_forms)
    converter.references.read(text)
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
    body = converter.links.fix_anchors(body, post.title)
    head = [Block(f"# {escape_markdown(post.title)}", "heading")]  # Jekyll themes print it as text
    if post.draft:
        head.append(Block(DRAFT_BANNER, "colon_fence"))
    return split_blocks(render(head + ([definitions] if definitions else []) + body)), assets
