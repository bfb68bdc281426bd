"""The search page shows titles as text: Sphinx 7.4.7's search script, patched as Sphinx fixed it upstream.

Sphinx 7.4.7's ``searchtools.js`` puts each result's title into the page as HTML (``innerHTML``). Section
titles sit in the search index as plain text, so a post whose heading reads ``<img src=x onerror=...>``
is escaped on its own page but runs as HTML on ``search.html?q=...`` (Sphinx issue 13355, fixed in Sphinx
8.2 by pull request 13356: titles are indexed as text and shown as text). Jupyter Book 1.0.4 requires
Sphinx 7 (``sphinx~=7.0``, and MyST-Parser 3 ``sphinx<8``), and 7.4.7 is the last Sphinx 7, so the book
ships the same fix itself:

- page titles, which Sphinx 7.4 indexes as HTML, are turned into text when the index loads;
- a result's title and description are written with ``textContent``, never as HTML;
- the page's search field is focused here (the theme's page did it with an inline script in its body,
  which the book's Content-Security-Policy does not run).

At the end of each HTML build the patched copy is written to ``_static/ai4neuro/searchtools.js`` (from
Sphinx's own file, checked against its SHA-256, so that a Sphinx upgrade is noticed), and the book's
``_templates/search.html`` loads it in place of the theme's. The book's Content-Security-Policy
(:mod:`ai4neuro.bookext.csp`) would stop injected script in any case; this keeps the page right.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sphinx
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from ai4neuro.files import atomic_write

SOURCE = Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js"
SOURCE_SHA256 = "8abac35df3630c203fad510e66f2f9e0725a79080b8be96111e238a071500805"  # Sphinx 7.4.7
TARGET = "ai4neuro/searchtools.js"  # under _static/
PATCHES = (
    (
        "const _displayItem = (item, searchTerms, highlightTerms) => {",
        "/* ai4neuro: a page title is indexed as HTML (escaped) by Sphinx 7.4; text, as section titles are. */\n"
        'const _titleText = (markup) => new DOMParser().parseFromString(markup, "text/html").body.textContent;\n\n'
        "const _displayItem = (item, searchTerms, highlightTerms) => {",
    ),
    ("  linkEl.innerHTML = title;", "  linkEl.textContent = title;  // ai4neuro: text, never HTML (Sphinx #13356)"),
    (
        '    listItem.appendChild(document.createElement("span")).innerHTML =\n      " (" + descr + ")";',
        '    listItem.appendChild(document.createElement("span")).textContent =\n      " (" + descr + ")";',
    ),
    (
        "      .forEach((el) => (el.value = query));\n    if (query) Search.performSearch(query);",
        "      .forEach((el) => (el.value = query));\n"
        "    // ai4neuro: the theme's page focused its field with an inline script, which the book's policy stops\n"
        '    const field = document.querySelector(".bd-search-container form.bd-search input");\n'
        "    if (field) { field.focus(); field.select(); }\n"
        "    if (query) Search.performSearch(query);",
    ),
    (
        "  setIndex: (index) => {\n    Search._index = index;",
        "  setIndex: (index) => {\n    index.titles = index.titles.map(_titleText);  // ai4neuro: titles as text\n"
        "    Search._index = index;",
    ),
)


def patched_script() -> str:
    """Sphinx's search script with the fix (see the module's docstring)."""
    source = SOURCE.read_bytes()
    if hashlib.sha256(source).hexdigest() != SOURCE_SHA256:
        raise ExtensionError(
            f"{SOURCE} is not Sphinx 7.4.7's search script (Sphinx was upgraded?): check whether it still inserts "
            "titles as HTML (Sphinx issue 13355, fixed in 8.2), then update ai4neuro/bookext/search.py."
        )
    text = source.decode("utf-8")
    for old, new in PATCHES:
        if text.count(old) != 1:
            raise ExtensionError(f"ai4neuro.bookext.search: the patch for {old.strip()[:40]!r} no longer applies")
        text = text.replace(old, new)
    return text


def write_script(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / TARGET
    script = patched_script()
    if not target.is_file() or target.read_text(encoding="utf-8") != script:
        atomic_write(target, script)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_script)
