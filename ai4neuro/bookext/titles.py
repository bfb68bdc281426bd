"""Page titles: short ones for navigation, and text (never HTML) in the theme's print header.

- A chapter's ``short_title`` (front matter; the import sets it, e.g. "Part 1: NeuroAI vs AI4Neuro") names
  it in the sidebar, the previous/next links, the table of contents and the browser tab: the posts' own
  titles differ only in their last word. The page's heading, and the title it prints with, stay the post's.
- sphinx-book-theme (1.3) puts ``title.astext()`` into ``<h1>{{ pagetitle }}</h1>`` unescaped, so a
  chapter whose title holds ``<em>`` or ``<script>`` (a post's title, imported as text) would put live
  HTML into every page's print header. The title is escaped after the theme has set it.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx

SHORT_TITLE_KEY = "short_title"  # as ai4neuro.posts.chapter writes it (the build does not import the importer)


def short_title(metadata: dict) -> str:
    """The page's short title from its front matter, on one line ("" when it has none)."""
    return " ".join(str(metadata.get(SHORT_TITLE_KEY) or "").split())


def use_short_title(app: Sphinx, doctree: nodes.document) -> None:
    """Name the page by its short title wherever Sphinx names it from elsewhere: ``env.titles`` (previous/next,
    references), ``env.longtitles`` (the browser tab) and the top entry of ``env.tocs`` (toctrees: the sidebar
    and the table of contents)."""
    docname = app.env.docname
    short = short_title(app.env.metadata.get(docname, {}))
    if not short:
        return
    app.env.titles[docname] = nodes.title(short, short)
    app.env.longtitles[docname] = nodes.title(short, short)
    toc = app.env.tocs.get(docname)
    top = next(iter(toc.findall(nodes.reference)), None) if toc is not None else None
    if top is not None and not top.get("anchorname"):  # the page itself, not one of its sections
        top.clear()
        top += nodes.Text(short)


def print_title(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The print header's title: the page's own heading (the theme takes the short title), escaped."""
    heading = doctree.next_node(nodes.title) if doctree is not None else None
    if heading is not None and short_title(app.env.metadata.get(pagename, {})):
        context["pagetitle"] = heading.astext()
    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = html.escape(context["pagetitle"], quote=False)


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", use_short_title, priority=600)  # after Sphinx's title, toc and metadata collectors
    app.connect("html-page-context", print_title, priority=900)  # after sphinx-book-theme's (500)
