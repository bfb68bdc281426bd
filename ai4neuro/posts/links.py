"""Where a post's links go in the book: other posts, the blog's pages, and headings in the page.

- ``{% post_url name %}`` and ``{% link _posts/name.md %}`` (:func:`post_link`): Jekyll writes the other
  post's address (its permalink, :func:`~ai4neuro.posts.jekyll.permalink`). In the book: the chapter of that
  post when the book holds it; the post itself → its own page (so ``{% post_url me %}#part`` is an in-page
  link, the same on every import); any other post → its address on the blog, with a warning. A post the
  blog does not have is listed with every other missing target.
- links to the blog's own pages (``/about``, or relative to the post's address) → the blog's address
  (``posts/_config.yml``: ``url``, ``baseurl``); ``other.md#id`` (another post in the book) kept if that
  chapter has the heading (:meth:`Links.target`).
- ``#id`` → the anchor MyST gives the heading kramdown gave that id (auto ids or ``{#id}``, see
  :mod:`~ai4neuro.posts.anchors`); a link to no heading becomes its text, with a warning (:meth:`Links.fix_anchors`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.posts import anchors
from ai4neuro.posts.blocks import ATX, Block, heading_title, split_blocks
from ai4neuro.posts.chapter import read_front_matter
from ai4neuro.posts.jekyll import Post, names_its_host, nfc, permalink, read_post, relative_url
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site

CHAPTER_LINK = re.compile(r"^(?P<name>[\w.-]+)\.md(?:#(?P<fragment>.*))?$")
IN_PAGE_LINK = re.compile(r"\]\(#([^)\s]+)((?:\s+\"[^\"]*\")?)\)")


@dataclass
class Links:
    """Where the links of one post go; what its in-page links may lead to is gathered while converting."""

    site: Site
    notes: Notes
    chapter: str = ""  # this post's chapter name (a link to it is a link within the page)
    page: str | None = None  # the post's path on the blog (relative links resolve against it)
    in_page: list[tuple[int, str]] = field(default_factory=list)  # (line, id) of every in-page link
    heading_ids: dict[int, str] = field(default_factory=dict)  # heading line → its {#id}
    block_ids: set[str] = field(default_factory=set)  # ids given to blocks other than headings

    def target(self, target: str, line: int) -> str:
        """A link's target in the book: a page of the blog → its address, as a browser on the post's page
        resolves it (``/about`` from the host, ``other.html`` from the post's address); this post's chapter →
        within the page; another chapter → kept, its ``#fragment`` checked."""
        chapter = CHAPTER_LINK.match(target)
        if chapter and (self.site.root / "chapters" / f"{chapter.group('name')}.md").is_file():
            return self._chapter_link(chapter.group("name"), chapter.group("fragment"), line)
        if chapter and chapter.group("name") == self.chapter:
            return self._chapter_link(self.chapter, chapter.group("fragment"), line)
        host = self.site.url.rstrip("/")
        if target.startswith(("#", "mailto:", "tel:")) or not target or not host:
            return target
        if names_its_host(target):
            site_path = self.site.site_path(target)
            return self.site.absolute(site_path) if site_path is not None else target
        if target.startswith("/"):
            return host + target
        if self.page is None:
            return target
        return host + relative_url(urljoin(self.page, target), self.site.baseurl)

    def _chapter_link(self, name: str, fragment: str | None, line: int) -> str:
        if name == self.chapter:
            if fragment:
                self.in_page.append((line, fragment))
                return f"#{fragment}"
            return f"{name}.md"
        if not fragment:
            return f"{name}.md"
        if fragment in chapter_anchors(self.site.root / "chapters" / f"{name}.md"):
            return f"{name}.md#{fragment}"
        self.notes.warn(line, f"the link to {name}#{fragment} leads to no heading of that chapter; it goes to its top")
        return f"{name}.md"

    def fix_anchors(self, blocks: list[Block], title: str) -> list[Block]:
        """In-page links: kramdown ids (auto or ``{#id}``) → the anchors MyST gives the same headings."""
        mapping = self._anchor_of_id(blocks, title)
        known = set(mapping) | self.block_ids
        lost = {name for _, name in self.in_page if name not in known}
        for line, name in self.in_page:
            if name not in known:
                self.notes.warn(line, f"the link to #{name} leads to no heading of the post; it is kept as plain text")

        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name in self.block_ids or name not in mapping:
                return match.group(0)
            return f"](#{mapping[name]}{match.group(2)})"

        fixed = []
        for block in blocks:
            text = block.text
            if "](#" in text and block.kind not in {"fence", "code_block"}:
                text = _unlink(IN_PAGE_LINK.sub(replace, text), lost)
            fixed.append(Block(text, block.kind, block.line) if text != block.text else block)
        return fixed

    def _anchor_of_id(self, blocks: list[Block], title: str) -> dict[str, str]:
        """Each heading's kramdown id (and ``{#id}``) → MyST's anchor for it (the H1, the title, comes first)."""
        taken: set[str] = set()
        anchors.unique(anchors.kramdown_slug(heading_title(title)), taken)
        kramdown_taken: set[str] = set()
        mapping: dict[str, str] = {}
        for block in blocks:
            if block.kind != "heading":
                continue
            base = anchors.kramdown_slug(heading_title(ATX.sub("", block.text, count=1).strip()))
            slug, kramdown_id = anchors.unique(base, taken), anchors.unique(base, kramdown_taken)
            for name in filter(None, (kramdown_id, self.heading_ids.get(block.line))):
                mapping.setdefault(name, slug)
        return mapping


def _unlink(text: str, names: set[str]) -> str:
    """Links to the ids ``names`` (no heading has them) replaced by their text."""
    for name in names:
        text = re.sub(r"(?<!!)\[([^\[\]]*)\]\(#" + re.escape(name) + r"(?:\s+\"[^\"]*\")?\)", r"\1", text)
    return text


def chapter_anchors(chapter: Path) -> set[str]:
    """The anchors MyST gives the headings of a chapter (kramdown's ids, numbered when repeated)."""
    taken: set[str] = set()
    try:
        text = chapter.read_text(encoding="utf-8")
    except OSError:
        return taken
    for block in split_blocks(text):
        if block.kind == "heading":
            anchors.unique(anchors.kramdown_slug(heading_title(ATX.sub("", block.text, count=1).strip())), taken)
    return taken


def post_link(site: Site, notes: Notes, post: Post, target: str, line: int, fragment: bool) -> str:
    """The link target for a post_url/link tag in ``post`` (``fragment``: a ``#part`` follows the tag)."""
    name = nfc(Path(target.strip("'\" ")).stem)
    if name == post.name:
        return "" if fragment else f"{post.slug}.md"
    for path in sorted((site.root / "chapters").glob("*.md")):
        owner = read_front_matter(path).get("post")
        if owner and nfc(Path(str(owner)).stem) == name:
            return f"{path.stem}.md"
    candidates = [path for path in sorted(site.folder.glob("_posts/**/*")) if nfc(path.stem) == name]
    if not candidates:
        notes.not_found(
            "linked post",
            line,
            f"{{% post_url {target} %}} (no post {name} under posts/_posts/)",
            "Check the names (the file name without .md), copy those posts into posts/_posts/, "
            "or write the links out as addresses.",
        )
        return "#"
    try:
        other = read_post(candidates[0])
    except Ai4NeuroError:
        other = None
    notes.warn(line, f"{name} is not in the book; the link goes to the blog")
    address = permalink(other, site.variables.get("permalink")) if other is not None else None
    if address is None or not site.address:
        return site.absolute("/")
    return site.absolute(address)
