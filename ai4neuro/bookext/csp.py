"""A Content-Security-Policy on every page: the book loads only its own files and runs only its own scripts.

GitHub Pages sends no security headers, so each page carries its policy as the first element of its
``<head>``: ``<meta http-equiv="Content-Security-Policy">``. It allows

- scripts, styles, images, fonts, frames and requests from the book's own files (``'self'``; from ``file://``
  too), plus ``data:`` images and inline styles (the theme, MathJax and Vega set ``style`` attributes; the
  policy is about script);
- inline scripts by their SHA-256, computed for the scripts in the page's ``<head>``: the theme's and the
  extensions', where no post's text reaches (the title and descriptions there are escaped). Nothing in
  ``<body>`` runs inline: a post's HTML is there, and so are copies of it (the page's table of contents and
  the navigation repeat a heading's HTML). The theme's two inline handlers (print, full screen) are allowed
  by hash (``'unsafe-hashes'``): a post that copies them runs nothing else. The search page's own inline
  script is replaced (see ``_templates/search.html``) and sphinx-thebe's, dead while thebe is off, is left
  out (:func:`drop_dead_thebe_script`);
- no ``eval`` (the charts use Vega's CSP-safe expression interpreter, see ``charts.js``), no plugins
  (``object-src 'none'``), no ``<base>`` (``base-uri 'none'``), forms only to the book (``form-action``).

So a script, handler or ``javascript:`` address in a post's HTML does not run, and nothing it would load
from another host is fetched. Live code (thebe) cannot run under this policy: it loads from the network.
The builder's page renderer is wrapped (:func:`add_policy_to_pages`): the policy is computed from each
finished page and put in front of everything else in its ``<head>``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from html.parser import HTMLParser

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
FIXED = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}
_CHARSET = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
# sphinx-book-theme's header buttons: <button onclick="window.print()">, <button onclick="toggleFullScreen()">
THEME_HANDLERS = frozenset({"window.print()", "toggleFullScreen()"})
THEBE_NODES = re.compile(r"\s*(<script>kernelName = '[\w.-]+'</script>|<script type=\"text/x-thebe-config\">)")


class _InlineCode(HTMLParser):
    """Collects the inline scripts (those a browser runs) of the page's first ``<head>``, and every handler.

    After the template's ``</head>`` (or ``<body>``), nothing counts as head again: a post's HTML, which
    comes later, cannot open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self._script: list[str] | None = None
        self._part = "before"  # -> "head" -> "after"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [value or "" for name, value in attrs if name.startswith("on")]
        if tag == "head" and self._part == "before":
            self._part = "head"
        elif tag == "body":
            self._part = "after"
        attributes = dict(attrs)
        runs = (attributes.get("type") or "").strip().lower() in SCRIPT_TYPES
        if tag == "script" and self._part == "head" and "src" not in attributes and runs:
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if tag == "head":
            self._part = "after"


def own_inline_code(page: str) -> tuple[list[str], list[str]]:
    """The inline scripts of ``page``'s ``<head>``, and those of its event handlers that are the theme's."""
    parser = _InlineCode()
    parser.feed(page)
    parser.close()
    return parser.scripts, sorted({handler for handler in parser.handlers if handler in THEME_HANDLERS})


def source_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(scripts: list[str], handlers: list[str]) -> str:
    """The policy's text for a page whose own inline code is ``scripts`` and ``handlers``."""
    hashes = sorted({source_hash(code) for code in scripts + handlers})
    script_src = " ".join(["'self'", *(["'unsafe-hashes'"] if handlers else []), *hashes])
    directives = {**FIXED, "script-src": script_src}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def with_policy(page: str) -> str:
    """``page`` with the policy for its inline code as the first element of ``<head>`` (after ``<meta charset>``)."""
    meta = (
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy(*own_inline_code(page)), quote=False)}">'
    )
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        raise ExtensionError("ai4neuro.bookext.csp: a page without <head>; its policy has nowhere to go")
    return page[: anchor.end()] + "\n" + meta + page[anchor.end() :]


def add_policy_to_pages(app: Sphinx) -> None:
    """Wrap the HTML builder's page renderer so that every page it writes carries its policy."""
    if app.builder.format != "html" or not hasattr(app.builder, "templates"):
        return
    templates = app.builder.templates
    render = templates.render

    def render_with_policy(template: str, context: dict) -> str:
        page = render(template, context)
        return with_policy(page) if _HEAD.search(page) else page  # not one of the theme's components

    templates.render = render_with_policy


def drop_dead_thebe_script(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe appends ``<script>kernelName = '...'</script>`` (and its configuration) to every page's
    content, for live code cells, even with thebe off (``launch_buttons.thebe``). Off, the script does nothing
    but would stand in the content, where the policy runs no inline script: it is left out."""
    if (app.config.html_theme_options.get("launch_buttons") or {}).get("thebe"):
        return  # thebe loads from the network and talks to Binder: the policy stops it in any case
    for node in list(doctree.findall(nodes.raw)):
        if THEBE_NODES.match(node.astext()):
            node.parent.remove(node)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_policy_to_pages)
    app.connect("doctree-resolved", drop_dead_thebe_script, priority=900)  # after sphinx-thebe's
