"""The blog's settings, read from ``posts/_config.yml`` (a mirror of the blog's own Jekyll ``_config.yml``).

Jekyll resolves a post's site-relative links and images against the site: ``url`` + ``baseurl``
for links, the site folder for files (``/assets/x.png`` is ``posts/assets/x.png`` here). The
same file feeds ``{{ site.* }}`` in Liquid, and names the book's ``series``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ai4neuro.errors import Ai4NeuroError

SETTINGS = "_config.yml"


@dataclass(frozen=True)
class Site:
    root: Path  # the book (the folder holding _toc.yml)
    folder: Path  # the blog's source mirror: posts/
    url: str = ""
    baseurl: str = ""
    series: str = ""
    variables: dict = field(default_factory=dict)

    @property
    def address(self) -> str:
        """Where the blog lives, e.g. ``https://example.org/blog`` (no trailing slash)."""
        return (self.url.rstrip("/") + "/" + self.baseurl.strip("/")).rstrip("/")

    def absolute(self, site_path: str) -> str:
        return self.address + "/" + site_path.lstrip("/") if self.address else site_path

    def site_path(self, reference: str) -> str | None:
        """``reference`` as a path on the blog (``/assets/x.png``), or None if it points elsewhere."""
        if urlsplit(reference).scheme or reference.startswith("//"):
            if self.address and reference.startswith(self.address + "/"):
                return reference[len(self.address) :]
            return None
        if reference.startswith("#"):
            return None
        if self.baseurl and reference.startswith("/" + self.baseurl.strip("/") + "/"):
            return reference[len(self.baseurl.strip("/")) + 1 :]
        return "/" + reference.lstrip("/")


def book_root(path: Path) -> Path:
    """The nearest folder above ``path`` that holds ``_toc.yml``."""
    for folder in path.resolve().parents:
        if (folder / "_toc.yml").is_file():
            return folder
    raise Ai4NeuroError(
        f"{path}: not inside a book (no _toc.yml above it). Import posts from the book's posts/ folder."
    )


def read_site(root: Path) -> Site:
    folder = root / "posts"
    settings = folder / SETTINGS
    if not settings.is_file():
        return Site(root=root, folder=folder)
    try:
        values = yaml.safe_load(settings.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise Ai4NeuroError(f"{settings}{line}: not valid YAML. Fix it (it mirrors the blog's _config.yml).") from None
    if not isinstance(values, dict):
        raise Ai4NeuroError(f"{settings}: expected 'key: value' lines (it mirrors the blog's _config.yml).")
    return Site(
        root=root,
        folder=folder,
        url=str(values.get("url") or ""),
        baseurl=str(values.get("baseurl") or ""),
        series=str(values.get("series") or ""),
        variables=values,
    )
