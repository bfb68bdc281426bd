"""A post's references, as the blog resolves them: links, images and the files raw HTML loads.

Found in Markdown text (``[text](target)``, ``![alt](file)``), in reference definitions and in raw HTML
(``src``, ``href``, ...), each is rewritten for the book: a link where :class:`~ai4neuro.posts.links.Links`
says it goes, a file to its copy in the book (:mod:`~ai4neuro.posts.assets`), or a visible note where the
blog lacks an image (``--skip-missing-images``). In raw HTML the post's own scripts, styles and frames are
copied, external scripts dropped, frames from the network warned about, and kramdown's ``markdown``
attribute dropped (kramdown drops it too).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdown_it.common.utils import normalizeReference

from ai4neuro.posts import html as kramdown_html
from ai4neuro.posts.assets import Assets
from ai4neuro.posts.escaping import escape_markdown
from ai4neuro.posts.links import Links
from ai4neuro.posts.notes import Notes

LINK = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]+)((?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)")
DEFINITION = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)(.*)$")
HTML_URL = re.compile(r"""(?P<attr>\b(?:src|href|poster|data-src|data)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.I)
EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.DOTALL)
IMAGE_REFERENCE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?(?!\()")
MARKDOWN_ATTRIBUTE = re.compile(r"""\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|\w+)""", re.I)
SOURCE = re.compile(r"""\s*\bsrc\s*=\s*(["'])(.*?)\1""", re.I | re.DOTALL)
ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.I | re.DOTALL)
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


@dataclass
class References:
    """The references of one post, rewritten for the book."""

    links: Links
    assets: Assets
    image_labels: set[str] = field(default_factory=set)  # reference labels images use (![alt][label])
    missing_labels: set[str] = field(default_factory=set)  # of those, the ones whose image is not there

    @property
    def notes(self) -> Notes:
        return self.links.notes

    def read(self, text: str) -> None:
        """Before converting ``text``, the whole post: the labels its images use, and those of missing images."""
        self.image_labels |= image_labels(text)
        self._find_missing_reference_images(text)

    def markdown(self, text: str, line: int) -> str:
        """Links and images in Markdown text (no code spans): their targets and files in the book."""
        return self._links(self._missing_reference_images(text), line)

    def _missing_reference_images(self, text: str) -> str:
        """``![alt][label]`` whose image the blog lacks (``--skip-missing-images``): the note instead."""
        if not self.missing_labels:
            return text

        def replace(match: re.Match) -> str:
            label = normalizeReference(match.group(2) or match.group(1))
            return missing_image_note(match.group(1)) if label in self.missing_labels else match.group(0)

        return IMAGE_REFERENCE.sub(replace, text)

    def _links(self, text: str, line: int) -> str:
        out: list[str] = []
        cursor = 0
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
                self.links.in_page.append((line, bare[1:]))
                new = bare
            else:
                new = self.links.target(bare, line)
            out.append(text[cursor : match.start()])
            if new == bare:
                out.append(match.group(0))
            else:
                out.append(f"]({_destination(new)}{match.group(2)})")
            cursor = match.end()
        out.append(text[cursor:])
        return "".join(out)

    def definitions(self, text: str, line: int) -> str:
        """Reference definitions (``[label]: target``): an image's file copied, a link's target rewritten."""
        rows = []
        for row in text.splitlines():
            match = DEFINITION.match(row)
            if match:
                label, bare = _definition(match)
                if label in self.image_labels:
                    new = self.assets.local(bare, line)
                    new = bare if new is None else new
                else:
                    new = self.links.target(bare, line)
                row = f"{match.group(1)}{_destination(new)}{match.group(3)}" if new != bare else row
            rows.append(row)
        return "\n".join(rows)

    def _find_missing_reference_images(self, text: str) -> None:
        """The reference images (``![a][label]``) whose definition names a file the blog lacks."""
        if not self.assets.skip_missing_images:
            return
        for row in text.splitlines():
            match = DEFINITION.match(row)
            if not match:
                continue
            label, target = _definition(match)
            if label in self.image_labels and self.assets.missing_in_blog(target):
                self.missing_labels.add(label)

    def html(self, text: str, line: int) -> str:
        """Raw HTML: the blog's files copied (images, media, the post's own scripts and styles, local frames),
        links to the blog absolute, external scripts dropped, frames from the network warned about."""
        if EXTERNAL_SCRIPT.search(text):
            self.notes.warn(line, "an external <script> was dropped (the book loads nothing from the network)")
            text = EXTERNAL_SCRIPT.sub("", text)
        out: list[str] = []
        cursor = 0
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
                new = self.links.target(url, line)
            elif kind == "frame" and self._from_network(url):
                if "post-video" not in tag:  # the Liquid video helpers warn themselves
                    host = urlsplit(url if "//" in url else "https:" + url).netloc
                    self.notes.warn(
                        line, f"an embedded page from {host} is loaded from the network (offline it is an empty box)"
                    )
                new = url
            else:
                copy = self.assets.local(url, line, html=True, kind=kind)
                if copy is None:
                    return match.group(0)
                new = copy
            if new == url:
                return match.group(0)
            return f"{match.group('attr')}{match.group('q')}{html.escape(new)}{match.group('q')}"

        rewritten = MARKDOWN_ATTRIBUTE.sub("", HTML_URL.sub(replace, tag))  # kramdown drops it too
        if kind in {"image", "media"} and self.assets.skip_missing_images:
            source = SOURCE.search(tag)
            if source and self.assets.missing_in_blog(html.unescape(source.group(2))):
                if name != "img":  # the player stays (its end tag follows), without the file, after the note
                    return missing_media_note(source.group(2)) + SOURCE.sub("", rewritten, count=1)
                alt = ALT.search(tag)
                described = alt.group(2) if alt and alt.group(2).strip() else source.group(2)  # else: its file
                return missing_image_note(described, html_tag=True)
        return rewritten

    def _from_network(self, url: str) -> bool:
        return url.startswith(("http://", "https://", "//")) and not self.links.site.site_path(url)


def image_labels(text: str) -> set[str]:
    """The reference labels that images use in ``text`` (``![alt][label]``, ``![label]``)."""
    return {normalizeReference(ref or alt) for alt, ref in IMAGE_REFERENCE.findall(text) if ref or alt}


def missing_image_note(alt: str, html_tag: bool = False) -> str:
    """What shows where the blog lacks an image (``--skip-missing-images``): visible, in the text's flow."""
    words = " ".join(alt.split()) or "no description"
    if html_tag:
        return f'<em class="image-missing">(image not available: {html.escape(words, quote=False)})</em>'
    return f"*(image not available: {escape_markdown(words)})*"


def missing_media_note(source: str) -> str:
    """What shows where the blog lacks a video or sound file (``--skip-missing-images``)."""
    return f'<em class="image-missing">(video or sound not available: {html.escape(source, quote=False)})</em>'


def _definition(match: re.Match) -> tuple[str, str]:
    """A reference definition's normalised label and its target (without ``<>``)."""
    label = normalizeReference(match.group(1).strip().rstrip(":").strip()[1:-1])
    target = match.group(2)
    return label, target[1:-1] if target.startswith("<") else target


def _destination(target: str) -> str:
    """``target`` as a link destination (in ``<>`` if it holds a space)."""
    return f"<{target}>" if " " in target else target


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
