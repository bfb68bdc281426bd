"""What search engines and link previews read: a description, Open Graph and Twitter card tags per page.

sphinxext-opengraph writes the tags (title, URL, site name, description, image); this module gives it,
for each page:

- the description of the chapter's front matter (``description:``), also as ``<meta name="description">``;
  a chapter without one gets sphinxext-opengraph's own (its first paragraph), and pages without content
  (index, search) the book's, from the landing page's front matter;
- the chapter's first static figure as the preview image: the first figure ``fig-<name>`` of the page
  (made by :mod:`ai4neuro.bookext.outputs`) whose ``figures/<name>.png`` exists, copied to
  ``_static/previews/``, with its caption's first sentence as the image's text;
- ``twitter:card``: a large image card where there is an image, a summary card elsewhere.

The site's address (``ogp_site_url``), which link previews need to be absolute, is the GitHub Pages
address of ``repository.url`` unless ``_config.yml`` sets ``ogp_site_url``.
"""

from __future__ import annotations

import contextlib
import io
import re
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ai4neuro import paths
from ai4neuro.bookext.assets import copy_asset

PREVIEWS = "_static/previews"
_GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$")


def pages_address(repository_url: str) -> str:
    """``https://github.com/owner/name`` -> ``https://owner.github.io/name/``; anything else -> ``""``."""
    match = _GITHUB.match(repository_url or "")
    return f"https://{match[1].lower()}.github.io/{match[2]}/" if match else ""


def set_site_defaults(app: Sphinx, config: Config) -> None:
    """The site's address from the repository's; its name, the book's title (Jupyter Book sets no ``project``)."""
    if not config.ogp_site_url:
        config.ogp_site_url = pages_address((config.html_theme_options or {}).get("repository_url", ""))
    if config.ogp_site_name is None:
        config.ogp_site_name = config.html_title


def page_figures(doctree: nodes.document) -> list[tuple[str, str]]:
    """``(name, caption)`` of each of the page's figures made from a cell's output, in order."""
    found = []
    for figure in doctree.findall(nodes.figure):
        names = [name[4:] for name in figure["names"] if name.startswith("fig-")]
        if "ai4n-figure" in figure["classes"] and names:
            caption = next(iter(figure.findall(nodes.caption)), None)
            found.append((names[0], caption.astext() if caption else ""))
    return found


def preview_of(app: Sphinx, doctree: nodes.document) -> tuple[str, str] | None:
    """The page's first static figure, copied into the build: ``(path from the site root, caption)``."""
    for name, caption in page_figures(doctree):
        png = paths.figures_dir() / f"{name}.png"
        if not png.is_file():
            continue
        copy_asset(png, Path(app.outdir) / PREVIEWS)
        return f"{PREVIEWS}/{png.name}", first_sentence(caption)
    return None


def first_sentence(text: str) -> str:
    """A caption's first sentence (without the figure number): what a preview needs as the image's text."""
    text = re.sub(r"^Fig\.\s*[\d.]+\s*", "", " ".join(text.split()))
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def add_page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Runs before sphinxext-opengraph (priority 500), which reads ``context["meta"]``."""
    meta = dict(context.get("meta") or {})  # a copy: the original is the environment's
    book = app.env.metadata.get(app.config.root_doc, {}).get("description")
    description = meta.get("description") or (None if doctree else book)
    tags = []
    if description:
        meta["og:description"] = description
        tags.append(f'<meta name="description" content="{escape(description)}" />')
    preview = preview_of(app, doctree) if doctree else None
    if preview:
        path, caption = preview
        # Relative to the site root when the site's address is known (sphinxext-opengraph joins them), else to the page.
        meta["og:image"] = path if app.config.ogp_site_url else context["pathto"](path, 1)
        if caption:
            meta["og:image:alt"] = caption
    tags.append(f'<meta name="twitter:card" content="{"summary_large_image" if preview else "summary"}" />')
    context["meta"] = meta
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def setup(app: Sphinx) -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # it prints "matplotlib is not installed" when imported,
        app.setup_extension("sphinxext.opengraph")  # though the book's social cards are off (_config.yml)
    app.connect("config-inited", set_site_defaults)
    app.connect("html-page-context", add_page_metadata, priority=450)
