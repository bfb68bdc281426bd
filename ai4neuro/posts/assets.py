"""The files a post shows (images, videos, its own scripts and styles), copied into the book.

A post refers to ``/assets/images/x.png`` (or ``{{ site.url }}/assets/...``, or a path relative to
the post's address on the blog): on the blog that is a file of the site, mirrored here under
``posts/`` (``posts/assets/images/x.png``; the folders are ``asset_folders`` in ``posts/_config.yml``).
The import copies each file to ``_static/blog/<the same path>`` (one copy per file, shared by every
post) and points the chapter at it: Markdown and directives by ``/_static/blog/...`` (Sphinx copies
it), raw HTML by ``../_static/blog/...`` (the page sits in ``chapters/``).

Scripts and styles a post loads belong to its page alone: Jupyter Book would load every ``.js`` and
``.css`` under ``_static/`` on every page, so :func:`page_files_stay_on_their_page` takes the ones
under ``_static/blog/`` out of that list (the post's own ``<script>``/``<link>`` loads them).

A file that is not there is reported with every other missing one in one error, and nothing is
written; with ``--skip-missing-images`` an image, video or sound file the blog itself lacks (in one of its
asset folders) is replaced by a visible "not available" note instead, with a warning.
"""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ai4neuro.files import atomic_write
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site

STATIC = Path("_static") / "blog"
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff"}
MEDIA = IMAGES | {".mp4", ".webm", ".ogg", ".ogv", ".mov", ".mp3", ".wav", ".pdf"}
SKIPPABLE = {"image", "media"}  # what --skip-missing-images shows a note for, where the blog lacks it
NOUNS = {
    "image": "image",
    "media": "video or sound file",
    "script": "script",
    "style": "style sheet",
    "frame": "embedded page",
    "file": "file",
}


@dataclass
class Assets:
    site: Site
    notes: Notes
    page: str | None = None  # the post's path on the blog (relative references resolve against it)
    skip_missing_images: bool = False
    copies: dict[Path, Path] = field(default_factory=dict)  # in the book ← in posts/

    def local(self, reference: str, line: int, html: bool = False, kind: str = "image") -> str | None:
        """Where the chapter finds ``reference``: a copied file, ``reference`` itself if it is not the blog's,
        or None for a missing image skipped with ``--skip-missing-images`` (the caller shows a note)."""
        site_path = self._site_path(reference, line)
        if site_path is None:
            if kind in {"image", "media"} and _is_remote_media(reference):
                noun = "image" if kind == "image" else "video or sound"
                self.notes.warn(line, f"the {noun} {reference} is loaded from the network (it needs a connection)")
            return reference
        relative = unquote(urlsplit(site_path).path).lstrip("/")
        source = self.site.folder / relative
        if not source.is_file():
            return self._missing(reference, line, source, kind)
        target = STATIC / relative
        self.copies[target] = source
        return ("../" if html else "/") + target.as_posix()  # a theme's "#center" hint is no file name

    def missing_in_blog(self, reference: str) -> bool:
        """Whether ``reference`` is a file the blog itself lacks, shown as a note (``--skip-missing-images``)."""
        if not self.skip_missing_images:
            return False
        site_path = self._site_path(reference, -1, quiet=True)
        if site_path is None:
            return False
        relative = unquote(urlsplit(site_path).path).lstrip("/")
        return not (self.site.folder / relative).is_file() and self.site.is_asset_folder(relative)

    def _site_path(self, reference: str, line: int, quiet: bool = False) -> str | None:
        """The blog path of ``reference``; a relative one resolves against the post's address, as a browser does."""
        parts = urlsplit(reference)
        if parts.scheme or reference.startswith(("/", "#")) or not parts.path or self.page is None:
            return self.site.site_path(reference)
        resolved = urljoin(self.page, reference)
        if (self.site.folder / unquote(urlsplit(resolved).path).lstrip("/")).is_file():
            return resolved
        root = "/" + reference.removeprefix("./")
        if ".." not in root and (self.site.folder / unquote(urlsplit(root).path).lstrip("/")).is_file():
            if quiet:
                return root
            self.notes.warn(
                line,
                f"{reference} is relative: on the blog it resolves to {urlsplit(resolved).path} (next to the post's "
                f"address), which the blog lacks; the book shows {urlsplit(root).path}",
            )
            return root
        return resolved

    def _missing(self, reference: str, line: int, source: Path, kind: str) -> str | None:
        where = source.relative_to(self.site.root).as_posix()
        relative = source.relative_to(self.site.folder).as_posix()
        in_asset_folder = self.site.is_asset_folder(relative)
        if kind in SKIPPABLE and self.skip_missing_images and in_asset_folder:
            self.notes.warn(line, f"the {NOUNS[kind]} {reference} is not in posts/ (nor on the blog): shown as a note")
            return None
        folders = ", ".join(self.site.asset_folders)
        if in_asset_folder:
            hint = (
                "Put the blog's files under posts/ as on the blog (posts/assets/... for /assets/...), then import "
                "again"
                + (
                    f", or add --skip-missing-images to show a note in place of each missing {NOUNS[kind]}."
                    if kind in SKIPPABLE
                    else "."
                )
            )
        else:
            top = relative.split("/", 1)[0]
            hint = (
                f"Copy the blog's {top}/ folder to posts/{top}/ and list it in asset_folders in posts/_config.yml "
                f"(now: {folders}), then import again."
            )
        self.notes.not_found(NOUNS[kind], line, f"{reference} (looked for {where})", hint)
        return reference

    def write(self) -> list[Path]:
        """Copy what changed; return the files written (paths in the book)."""
        written = []
        for target, source in sorted(self.copies.items()):
            destination = self.site.root / target
            if destination.is_file() and filecmp.cmp(destination, source, shallow=False):
                continue
            if source.stat().st_size > 1_000_000:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
            else:
                atomic_write(destination, source.read_bytes())
            written.append(target)
        return written


def _is_remote_media(reference: str) -> bool:
    return reference.startswith(("http://", "https://", "//")) and Path(urlsplit(reference).path).suffix in MEDIA


def page_files_stay_on_their_page(app, config) -> None:
    """Sphinx ``config-inited``: the posts' scripts and styles (``_static/blog/``) are not loaded on every page.

    Jupyter Book lists every ``.js`` and ``.css`` under ``_static/`` in ``html_js_files``/``html_css_files``;
    a post's own ``<script src>`` and ``<link>`` load its files, on its page only.
    """
    prefix = STATIC.relative_to("_static").as_posix() + "/"

    def others(files: list) -> list:
        return [item for item in files if not str(item[0] if isinstance(item, tuple) else item).startswith(prefix)]

    config.html_js_files = others(list(config.html_js_files))
    config.html_css_files = others(list(config.html_css_files))
