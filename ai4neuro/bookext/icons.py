"""The theme's icons, cut down to the ones the book shows.

pydata-sphinx-theme draws its icons twice over: its stylesheet holds Font Awesome's CSS (a class for each
of 2,000 icons: 85 KB of the 400 KB stylesheet every page waits for) and web fonts (solid, regular and
brands: 300 KB), and every page also loads Font Awesome's script (1.5 MB), which swaps each
``<i class="fa-...">`` for an SVG. ``_templates/layout.html`` leaves the script out, so the stylesheet's
fonts draw the icons. After the build, this module keeps only what can appear: the icon classes the built
pages use (``<i class="fa-solid fa-sun">``) and every glyph the theme's stylesheets name outside Font
Awesome's class table (admonition and link icons).

- the class table in the build's copy of the theme's stylesheet keeps the classes used;
- the fonts are cut down to those glyphs, into ``_static/ai4neuro/``; ``icons.css`` declares them after
  the theme's stylesheet, so they replace the full fonts, which are then never downloaded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ai4neuro.bookext.assets import STATIC_SUBDIR, copy_assets, static_folder
from ai4neuro.files import sha256_file

logger = logging.getLogger(__name__)
STYLES = "icons.css"
FONTS = "_static/vendor/fontawesome/webfonts"
FONT_FILES = ("fa-solid-900", "fa-regular-400", "fa-brands-400")
THEME_STYLESHEET = "_static/styles/pydata-sphinx-theme.css"  # holds Font Awesome's CSS
THEME_STYLESHEETS = (THEME_STYLESHEET, "_static/styles/sphinx-book-theme.css")
# Icons the theme's scripts put on a page at run time (pydata-sphinx-theme.js: the dialog's close button).
ADDED_BY_SCRIPTS = {"xmark"}

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# A glyph in a CSS string: escaped ("\\f071") or, in minified stylesheets, the private-use character itself.
_CODEPOINT = re.compile(r'"(?:\\([0-9a-f]{4,5})|([\ue000-\uf8ff]))"')
_CLASS_RULE = re.compile(r"\.fa-([a-z0-9-]+):{1,2}before")
_USED_CLASS = re.compile(r'class="([^"]*\bfa-[^"]*)"')


def glyphs_in_stylesheets(css: str) -> tuple[set[int], dict[str, set[int]]]:
    """The codepoints every page may need, and those of each Font Awesome icon class.

    A rule whose selectors are all ``.fa-<name>:before`` belongs to the class table; every other
    rule or custom property that names a glyph (``--pst-icon-note: "\\f05a"``) may apply to any page.
    """
    always: set[int] = set()
    by_class: dict[str, set[int]] = {}
    for selectors, body in _RULE.findall(css):
        codepoints = {int(escaped, 16) if escaped else ord(literal) for escaped, literal in _CODEPOINT.findall(body)}
        if not codepoints:
            continue
        parts = [part.strip() for part in selectors.split(",")]
        names = [match.group(1) for part in parts if (match := _CLASS_RULE.fullmatch(part))]
        if len(names) == len(parts):
            for name in names:
                by_class.setdefault(name, set()).update(codepoints)
        else:
            always |= codepoints
    return always, by_class


def icon_classes_in_pages(outdir: Path) -> set[str]:
    classes = set(ADDED_BY_SCRIPTS)
    for page in outdir.rglob("*.html"):
        for value in _USED_CLASS.findall(page.read_text(encoding="utf-8", errors="replace")):
            classes.update(name[3:] for name in value.split() if name.startswith("fa-"))
    return classes


def needed_glyphs(css: str, used: set[str]) -> set[int]:
    always, by_class = glyphs_in_stylesheets(css)
    return always.union(*(codepoints for name, codepoints in by_class.items() if name in used))


def without_unused_icon_classes(css: str, used: set[str]) -> str:
    """The stylesheet without the class-table rules (``.fa-<name>:before{...}``) of icons no page uses."""

    def keep(rule: re.Match) -> str:
        parts = [part.strip() for part in rule[1].split(",")]
        names = [match.group(1) for part in parts if (match := _CLASS_RULE.fullmatch(part))]
        if len(names) < len(parts) or not _CODEPOINT.search(rule[2]):
            return rule[0]  # not a class-table rule
        kept = [part for part, name in zip(parts, names, strict=True) if name in used]
        return f"{','.join(kept)}{{{rule[2]}}}" if kept else ""

    return _RULE.sub(keep, css)


def theme_file(app: Sphinx, name: str) -> Path | None:
    """The theme's own copy of ``_static/<path>`` (the build's copy of the stylesheet is cut down)."""
    relative = Path(name).relative_to("_static")
    for folder in app.builder.theme.get_theme_dirs():  # type: ignore[attr-defined]  # the HTML builder's theme
        if (path := Path(folder) / "static" / relative).is_file():
            return path
    return None


def note_writing(app: Sphinx, builder) -> None:
    app.ai4neuro_pages_written = True  # type: ignore[attr-defined]  # on the app, not the environment: this build only


def cut_down(app: Sphinx, exception: Exception | None) -> None:
    """Write the theme's stylesheet without unused icon classes over the build's copy, ``icons.css``, and the
    cut-down fonts (these only when the glyphs or the theme's fonts changed).

    Only after a build that wrote pages: a build with nothing out of date copies no static files either,
    so the cut-down copies from the last build still stand."""
    if exception is not None or app.builder.format != "html" or not getattr(app, "ai4neuro_pages_written", False):
        return
    sheets = {name: theme_file(app, name) for name in THEME_STYLESHEETS}
    wanted = [f"{FONTS}/{name}{suffix}" for name in FONT_FILES for suffix in (".woff2", ".ttf")]
    fonts = [font for name in wanted if (font := theme_file(app, name))]
    if sheets[THEME_STYLESHEET] is None or len(fonts) < len(wanted):
        return  # not pydata-sphinx-theme: nothing to cut
    outdir = Path(app.outdir)
    used = icon_classes_in_pages(outdir)
    css = {name: path.read_text(encoding="utf-8") for name, path in sheets.items() if path}
    glyphs = sorted(needed_glyphs("\n".join(css.values()), used))
    (outdir / THEME_STYLESHEET).write_text(without_unused_icon_classes(css[THEME_STYLESHEET], used), encoding="utf-8")
    copy_assets(app, (STYLES,))
    target = static_folder(app)
    stamp = json.dumps({"glyphs": glyphs, "fonts": [sha256_file(path)[:16] for path in fonts]})
    stamp_file = target / "icons.stamp"
    if stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
        return
    from fontTools import subset  # noqa: PLC0415 (only when the icons changed)

    for original in fonts:
        options = subset.Options(flavor="woff2" if original.suffix == ".woff2" else None, layout_features=["*"])
        font = subset.load_font(str(original), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=glyphs)
        subsetter.subset(font)
        subset.save_font(font, str(target / original.name), options)
    stamp_file.write_text(stamp, encoding="utf-8")  # last: the mark of a complete set
    logger.info("[ai4neuro] icon fonts cut down to %d glyphs", len(glyphs))


def setup(app: Sphinx) -> None:
    app.add_css_file(f"{STATIC_SUBDIR}/{STYLES}", priority=900)  # after the theme's stylesheet: its fonts win
    app.connect("write-started", note_writing)
    app.connect("build-finished", cut_down)
