"""The blog's settings, read from ``posts/_config.yml`` (a mirror of the blog's own Jekyll ``_config.yml``).

Jekyll resolves a post's site-relative links and images against the site: ``url`` + ``baseurl``
for links (by :mod:`~ai4neuro.posts.jekyll`'s rules), the site folder for files (``/assets/x.png`` is
``posts/assets/x.png`` here). The same file feeds ``{{ site.* }}`` in Liquid, and names the book's
``series``. Three keys are the book's own, not Jekyll's:

- ``asset_folders``: the blog's folders of files that posts show (images, videos, scripts, styles),
  copied under ``posts/`` as on the blog; default ``[assets]``. A file missing from a listed folder is
  missing from the blog itself (``--skip-missing-images`` imports around it); one in another folder
  asks for that folder to be copied and listed.
- ``inline_math``: the inline delimiters of the blog's MathJax (its ``inlineMath`` setting), e.g.
  ``[["$", "$"], ["\\\\(", "\\\\)"]]``; default MathJax's own, ``\\(…\\)`` only.
- ``series``: the book's series (see :mod:`~ai4neuro.posts.series`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.posts import jekyll

SETTINGS = "_config.yml"
MATHJAX_INLINE = (("\\(", "\\)"),)  # MathJax's default inlineMath
SUPPORTED_INLINE = {("$", "$"), ("\\(", "\\)")}


@dataclass(frozen=True)
class Site:
    root: Path  # the book (the folder holding _toc.yml)
    folder: Path  # the blog's source mirror: posts/
    url: str = ""
    baseurl: str = ""
    series: str = ""
    variables: dict = field(default_factory=dict)
    asset_folders: tuple[str, ...] = ("assets",)
    inline_math: tuple[tuple[str, str], ...] = MATHJAX_INLINE
    inline_math_set: bool = False  # whether posts/_config.yml says (else MathJax's default is assumed)

    @property
    def address(self) -> str:
        """Where the blog lives, e.g. ``https://example.org/blog`` (no trailing slash)."""
        return jekyll.site_address(self.url, self.baseurl)

    @property
    def single_dollar_math(self) -> bool:
        return ("$", "$") in self.inline_math

    def absolute(self, site_path: str) -> str:
        """A path on the blog as its address (Jekyll's ``absolute_url``)."""
        return jekyll.absolute_url(site_path, self.url, self.baseurl)

    def site_path(self, reference: str) -> str | None:
        """``reference`` as a path on the blog (``/assets/x.png``), or None if it points elsewhere."""
        return jekyll.site_path(reference, self.url, self.baseurl)

    def is_asset_folder(self, site_path: str) -> bool:
        first = site_path.lstrip("/").split("/", 1)[0]
        return first in self.asset_folders


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
        asset_folders=_asset_folders(settings, values.get("asset_folders", ["assets"])),
        inline_math=_inline_math(settings, values.get("inline_math")),
        inline_math_set="inline_math" in values,
    )


def _asset_folders(settings: Path, value) -> tuple[str, ...]:
    folders = [value] if isinstance(value, str) else value
    if not isinstance(folders, list) or not all(isinstance(item, str) and item.strip("/") for item in folders):
        raise Ai4NeuroError(
            f"{settings}: asset_folders is a list of the blog's folders, e.g. 'asset_folders: [assets, images]'."
        )
    return tuple(item.strip("/") for item in folders)


def _inline_math(settings: Path, value) -> tuple[tuple[str, str], ...]:
    if value is None:
        return MATHJAX_INLINE
    pairs = value if isinstance(value, list) else None
    if pairs is None or not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        pairs = None
    found = tuple((str(pair[0]), str(pair[1])) for pair in pairs or [])
    if pairs is None or not set(found) <= SUPPORTED_INLINE:
        raise Ai4NeuroError(
            f"{settings}: inline_math copies the blog's MathJax inlineMath, e.g. "
            '\'inline_math: [["$", "$"], ["\\\\(", "\\\\)"]]\' (the book reads $…$ and \\(…\\)).'
        )
    return found
