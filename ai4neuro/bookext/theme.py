"""Small fixes to the theme's pages, each at the narrowest point.

- sphinx-thebe registers its configuration script on every ``env-before-read-docs``, which can run
  more than once per build; the page then declares ``const THEBE_JS_URL`` twice and the browser
  reports a SyntaxError. Each page keeps one copy of every script.
- Jupyter Book's extensions add their stylesheets and scripts to every page. A page keeps only those
  it uses (the convention of :mod:`ai4neuro.bookext.charts`): code highlighting and copy buttons where
  there is code, toggle buttons where there is a toggle, sphinx-design where there is a design
  element, myst-nb's styles where there is a cell or glued output, thebe only when it is switched on
  (``launch_buttons.thebe``).
- Scripts load with ``defer``: they no longer hold up the first paint. ``documentation_options.js``
  stays as it is: the inline scripts after it set ``DOCUMENTATION_OPTIONS`` fields right away.
- One search button: the sidebar's. pydata-sphinx-theme (0.17) also puts one into a header strip across the top of
  every page (``navbar_persistent``) unless told otherwise, and sphinx-book-theme leaves nothing else in that
  strip; with ``navbar_persistent`` empty, ``_templates/layout.html`` leaves the empty header out.
- myst-nb's "Show code cell source" toggle puts ``<p>`` elements in ``<summary>`` (invalid HTML) and
  names it "Toggle hidden content", which is not what it shows (a screen-reader user hears another
  name than the one on screen). Its HTML is the same, with ``<span>``\\ s and the visible text as name.
"""

from __future__ import annotations

import re
from html import escape

from sphinx.application import Sphinx

# Assets by file name, and what in a page's body needs them.
USED_WHERE = {
    "pygments.css": r'class="highlight',
    "copybutton.css": r'class="highlight',
    "copybutton.js": r'class="highlight',
    "clipboard.min.js": r'class="highlight',
    "togglebutton.css": r'class="[^"]*\b(toggle|dropdown)\b',
    "togglebutton.js": r'class="[^"]*\b(toggle|dropdown)\b',
    "sphinx-design.min.css": r'class="[^"]*\bsd-',
    "design-tabs.js": r'class="[^"]*\bsd-tab',
    "mystnb.css": r'class="[^"]*\b(cell|output|pasted-text|pasted-inline)\b',
}
THEBE = ("sphinx-thebe.css", "sphinx-thebe.js")
THEBE_INLINE = "const THEBE_JS_URL"
RUN_AT_ONCE = {"documentation_options.js"}


def asset_name(asset) -> str:
    """``mystnb.<hash>.css`` -> ``mystnb.css``; ``scripts/x.js`` -> ``x.js``; inline scripts -> ``""``."""
    name = (getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1].split("?", 1)[0]
    return re.sub(r"^mystnb\.[0-9a-f]{16,}\.css$", "mystnb.css", name)


def is_needed(asset, body: str, thebe: bool) -> bool:
    name = asset_name(asset)
    if name in THEBE or (not name and (getattr(asset, "attributes", {}).get("body") or "").startswith(THEBE_INLINE)):
        return thebe
    pattern = USED_WHERE.get(name)
    return pattern is None or re.search(pattern, body) is not None


def deferred(script):
    """The same script with ``defer``, unless it is inline, already async/deferred, or must run at once."""
    attributes = getattr(script, "attributes", None)
    if attributes is None or not script.filename or asset_name(script) in RUN_AT_ONCE:
        return script
    if {"defer", "async"} & attributes.keys():
        return script
    return type(script)(script.filename, priority=script.priority, **{**attributes, "defer": "defer"})


def unique(scripts) -> list:
    seen, kept = set(), []
    for script in scripts:
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def lighter_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """One copy of each script, only the assets this page uses, scripts deferred.

    The lists are the builder's own; it restores them before the next page.
    """
    body = context.get("body", "")
    thebe = bool((app.config.html_theme_options.get("launch_buttons") or {}).get("thebe"))
    scripts, styles = context.get("script_files"), context.get("css_files")
    if scripts is not None:
        scripts[:] = [script for script in unique(scripts) if is_needed(script, body, thebe)]
        if templatename != "search.html":  # its template adds searchtools.js, which needs doctools.js at once
            scripts[:] = [deferred(script) for script in scripts]
    if styles is not None:
        styles[:] = [style for style in styles if is_needed(style, body, thebe)]


def visit_hidden_cell(self, node) -> None:
    """myst-nb's ``visit_HideCellInput``, with phrasing content in ``<summary>`` and no aria-label."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n')
    self.body.append(f'<span class="collapsed admonition-title">{escape(node["prompt_show"])}</span>\n')
    self.body.append(f'<span class="expanded admonition-title">{escape(node["prompt_hide"])}</span>\n')
    self.body.append("</summary>\n")


def depart_hidden_cell(self, node) -> None:
    self.body.append("</details>\n")


def one_search_button(app: Sphinx, config) -> None:
    """No search button in the header strip (the sidebar has one), unless the book's settings ask for it."""
    config.html_theme_options.setdefault("navbar_persistent", [])


def setup(app: Sphinx) -> None:
    from myst_nb.sphinx_ import HideCodeCellNode

    app.connect("config-inited", one_search_button)

    # Early: a later handler may return a template name, which ends the event for the rest.
    app.connect("html-page-context", lighter_page, priority=100)
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_hidden_cell))
