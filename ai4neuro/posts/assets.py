"""The post's images and videos, copied into the book so pages show them from ``file://`` offline.

A post refers to ``/assets/images/x.png`` (or ``{{ site.url }}/assets/...``, or ``assets/...``): on
the blog that is the site's ``assets/`` folder, mirrored here as ``posts/assets/``. The import copies
each file to ``_static/blog/<the same path>`` (one copy per file, shared by every post) and points
the chapter at it: Markdown and directives by ``/_static/blog/...`` (Sphinx copies it), raw HTML by
``../_static/blog/...`` (the page sits in ``chapters/``). A file that is not there is listed, with
every other missing one, in one error, and nothing is written.
"""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site

STATIC = Path("_static") / "blog"
MEDIA = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff"}
MEDIA |= {".mp4", ".webm", ".ogg", ".ogv", ".mov", ".mp3", ".wav", ".pdf"}


@dataclass
class Assets:
    site: Site
    notes: Notes
    copies: dict[Path, Path] = field(default_factory=dict)  # in the book ← in posts/
    missing: list[tuple[int, str, Path]] = field(default_factory=list)

    def local(self, reference: str, line: int, html: bool = False) -> str:
        """Where the chapter finds ``reference``: a copied file, or ``reference`` itself if it is not the blog's."""
        site_path = self.site.site_path(reference)
        if site_path is None:
            if reference.startswith(("http://", "https://", "//")) and Path(urlsplit(reference).path).suffix in MEDIA:
                self.notes.warn(line, f"the image {reference} is loaded from the network (it needs a connection)")
            return reference
        parts = urlsplit(site_path)
        relative = unquote(parts.path).lstrip("/")
        source = self.site.folder / relative
        if not source.is_file():
            self.missing.append((line, reference, source))
            return reference
        target = STATIC / relative
        self.copies[target] = source
        return ("../" if html else "/") + target.as_posix()  # a theme's "#center" hint is no file name

    def check(self) -> None:
        if not self.missing:
            return
        listed = "; ".join(
            f"line {self.notes.file_line(line)}: {reference} (looked for {source.relative_to(self.site.root)})"
            for line, reference, source in self.missing
        )
        raise Ai4NeuroError(
            f"{self.notes.path}: {len(self.missing)} image(s) not found: {listed}. "
            "Put the blog's files under posts/ as on the blog (posts/assets/... for /assets/...), then import again."
        )

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
