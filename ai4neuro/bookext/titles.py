"""Page titles stay text in the theme's print header.

sphinx-book-theme (1.3) puts ``title.astext()`` into ``<h1>{{ pagetitle }}</h1>`` unescaped, so a
chapter whose title holds ``<em>`` or ``<script>`` (a post's title, imported as text) would put live
HTML into every page's print header. The title is escaped after the theme has set it.
"""

from __future__ import annotations

import html

from sphinx.application import Sphinx


def escape_page_title(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = html.escape(context["pagetitle"], quote=False)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", escape_page_title, priority=900)  # after sphinx-book-theme's (500)
