"""A post's references, as the blog resolves them: links, images and the files raw HTML loads.

The :class:`References` half of :class:`~ai4neuro.posts.kramdown.Converter`:

- links to the blog's own pages (``/about``, or relative to the post's address) → the blog's address
  (``posts/_config.yml``: ``url``, ``baseurl``); ``#id`` → kept for :func:`~ai4neuro.posts.kramdown.fix_anchors`;
  ``other.md#id`` (another post in the book, from ``{% post_url %}``) kept if that chapter has the heading;
- images in Markdown, in reference definitions and in raw HTML → copies in the book
  (:mod:`~ai4neuro.posts.assets`), or a visible note where the blog lacks one (``--skip-missing-images``);
- raw HTML: the post's own scripts, styles and frames copied; external scripts dropped; frames from the
  network warned about; kramdown's ``markdown`` attribute dropped (kramdown drops it too).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markdown_it.common.utils import normalizeReference

from ai4neuro.posts import anchors
from ai4neuro.posts import html as kramdown_html
from ai4neuro.posts.blocks import ATX, heading_title, split_blocks
from ai4neuro.posts.jekyll import relative_url

LINK = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]+)((?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)")
DEFINITION = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)(.*)$")
HTML_URL = re.compile(r"""(?P<attr>\b(?:src|href|poster|data-src|data)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.I)
EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.DOTALL)
IMAGE_REFERENCE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?(?!\()")
MARKDOWN_ATTRIBUTE = re.compile(r"""\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|\w+)""", re.I)
ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.I | re.DOTALL)
CHAPTER_LINK = re.compile(r"^(?P<name>[\w.-]+)\.md(?:#(?P<fragment>.*))?$")
TAG_KINDS = {
    "img": "image",
    "video": "media",
    "audio": "media",
    "source": "media",
    "track": "media",
    "script": "script",
    "link": "style",
    "iframe": "frame",
    "frame": "frame",
    "embed": "frame",
    "object": "frame",
}


class References:
    """Link and file rewriting; the converter provides ``site``, ``notes``, ``assets``, ``chapter``, ``links``,
    ``image_labels`` and ``missing_labels``."""

    def _missing_reference_images(self, text: str, line: int) -> str:
        """``![alt][label]`` whose image the blog lacks (``--skip-missing-images``): the note instead."""
        if not self.missing_labels:
            return text

        def replace(match: re.Match) -> str:
            label = normalizeReference(match.group(2) or match.group(1))
            return missing_image_note(match.group(1)) if label in self.missing_labels else match.group(0)

        return IMAGE_REFERENCE.sub(replace, text)

    def _links(self, text: str, line: int) -> str:
        out, cursor = [], 0
        for match in LINK.finditer(text):
            target = match.group(1)
            bare = target[1:-1] if target.startswith("<") else target
            start = _image_start(text, match.start())
            if start is not None:
                new = self.assets.local(bare, line)
                if new is None:
                    alt = text[start + 2 : match.start()]
                    out.append(text[cursor:start] + missing_image_note(alt or bare))
                    cursor = match.end()
                    continue
            elif bare.startswith("#"):
                self.links.append((line, bare[1:]))
                new = bare
            else:
                new = self._site_link(bare, line)
            out.append(text[cursor : match.start()])
            if new == bare:
                out.append(match.group(0))
            else:
                out.append(f"]({'<' + new + '>' if ' ' in new else new}{match.group(2)})")
            cursor = match.end()
        out.append(text[cursor:])
        return "".join(out)

    def _site_link(self, target: str, line: int) -> str:
        """A link to a page of the blog → its address, as a browser on the post's page resolves it (``/about``
        from the host, ``other.html`` from the post's address); a link to this post's chapter → within the
        page; to another chapter → kept, its ``#fragment`` checked."""
        chapter = CHAPTER_LINK.match(target)
        if chapter and (self.site.root / "chapters" / f"{chapter.group('name')}.md").is_file():
            return self._chapter_link(chapter.group("name"), chapter.group("fragment"), line)
        if chapter and chapter.group("name") == self.chapter:
            return self._chapter_link(self.chapter, chapter.group("fragment"), line)
        host = self.site.url.rstrip("/")
        if target.startswith(("#", "mailto:", "tel:")) or not target or not host:
            return target
        if urlsplit(target).scheme or target.startswith("//"):
            site_path = self.site.site_path(target)
            return self.site.absolute(site_path) if site_path is not None else target
        if target.startswith("/"):
            return host + target
        if self.assets.page is None:
            return target
        return host + relative_url(urljoin(self.assets.page, target), self.site.baseurl)

    def _chapter_link(self, name: str, fragment: str | None, line: int) -> str:
        if name == self.chapter:
            if fragment:
                self.links.append((line, fragment))
                return f"#{fragment}"
            return f"{name}.md"
        if not fragment:
            return f"{name}.md"
        if fragment in chapter_anchors(self.site.root / "chapters" / f"{name}.md"):
            return f"{name}.md#{fragment}"
        self.notes.warn(line, f"the link to {name}#{fragment} leads to no heading of that chapter; it goes to its top")
        return f"{name}.md"

    def definitions(self, text: str, line: int) -> str:
        rows = []
        for row in text.splitlines():
            match = DEFINITION.match(row)
            if match:
                target = match.group(2)
                bare = target[1:-1] if target.startswith("<") else target
                label = normalizeReference(match.group(1).strip().rstrip(":").strip()[1:-1])
                if label in self.image_labels:
                    new = self.assets.local(bare, line)
                    new = bare if new is None else new
                else:
                    new = self._site_link(bare, line)
                row = (
                    f"{match.group(1)}{'<' + new + '>' if ' ' in new else new}{match.group(3)}" if new != bare else row
                )
            rows.append(row)
        return "\n".join(rows)

    def find_missing_reference_images(self, text: str) -> None:
        """Before converting: the reference images (``![a][label]``) whose definition names a file the blog lacks."""
        if not self.assets.skip_missing_images:
            return
        for row in text.splitlines():
            match = DEFINITION.match(row)
            if not match:
                continue
            label = normalizeReference(match.group(1).strip().rstrip(":").strip()[1:-1])
            target = match.group(2)[1:-1] if match.group(2).startswith("<") else match.group(2)
            if label in self.image_labels and self.assets.missing_in_blog(target):
                self.missing_labels.add(label)

    def html(self, text: str, line: int) -> str:
        """Raw HTML: the blog's files copied (images, media, the post's own scripts and styles, local frames),
        links to the blog absolute, external scripts dropped, frames from the network warned about."""
        if EXTERNAL_SCRIPT.search(text):
            self.notes.warn(line, "an external <script> was dropped (the book loads nothing from the network)")
            text = EXTERNAL_SCRIPT.sub("", text)
        out, cursor = [], 0
        for match, name, _ in kramdown_html.tags(text):
            out.append(text[cursor : match.start()])
            out.append(self._html_tag(match.group(0), name, line))
            cursor = match.end()
        out.append(text[cursor:])
        return "".join(out)

    def _html_tag(self, tag: str, name: str, line: int) -> str:
        kind = TAG_KINDS.get(name, "link" if name in {"a", "area", "base"} else "image")

        def replace(match: re.Match) -> str:
            url = html.unescape(match.group("url"))
            attribute = match.group("attr").split("=")[0].strip().lower()
            if attribute == "href" and kind != "style":
                new = self._site_link(url, line)
            elif kind == "frame" and url.startswith(("http://", "https://", "//")) and not self.site.site_path(url):
                if "post-video" not in tag:  # the Liquid video helpers warn themselves
                    host = urlsplit(url if "//" in url else "https:" + url).netloc
                    self.notes.warn(
                        line, f"an embedded page from {host} is loaded from the network (offline it is an empty box)"
                    )
                new = url
            else:
                new = self.assets.local(url, line, html=True, kind=kind)
                if new is None:
                    return match.group(0)
            if new == url:
                return match.group(0)
            return f"{match.group('attr')}{match.group('q')}{html.escape(new)}{match.group('q')}"

        rewritten = MARKDOWN_ATTRIBUTE.sub("", HTML_URL.sub(replace, tag))  # kramdown drops it too
        if name == "img" and self.assets.skip_missing_images:
            source = re.search(r"""\bsrc\s*=\s*(["'])(.*?)\1""", tag, re.I | re.DOTALL)
            if source and self.assets.missing_in_blog(html.unescape(source.group(2))):
                alt = ALT.search(tag)
                return missing_image_note(alt.group(2) if alt else source.group(2), html_tag=True)
        return rewritten


def image_labels(text: str) -> set[str]:
    """The reference labels that images use in ``text`` (``![alt][label]``, ``![label]``)."""
    return {normalizeReference(ref or alt) for alt, ref in IMAGE_REFERENCE.findall(text) if ref or alt}


def missing_image_note(alt: str, html_tag: bool = False) -> str:
    """What shows where the blog lacks an image (``--skip-missing-images``): visible, in the text's flow."""
    words = " ".join(alt.split()) or "no description"
    if html_tag:
        return f'<em class="image-missing">(image not available: {html.escape(words, quote=False)})</em>'
    escaped = re.sub(r"([*_`\\\[\]<>])", r"\\\1", words)
    return f"*(image not available: {escaped})*"


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


def _image_start(text: str, close_bracket: int) -> int | None:
    """Where the image ends at ``](`` starts (its ``!``), or None if that ``](`` ends a link."""
    depth = 0
    for index in range(close_bracket, -1, -1):
        char = text[index]
        if char == "]" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "[" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index - 1 if index > 0 and text[index - 1] == "!" else None
    return None
