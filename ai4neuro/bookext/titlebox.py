"""The "Try a title" box: a reader types or pastes a paper title and sees, as they type, how the book's rules
classify it (neuroscience-related or not, the label, the rules that matched), in the browser, offline.

- The directive ``{try-a-title}`` (About the data) writes the box: a labelled field, the verdict in a live
  region (screen readers hear it), the matched rules with their notes. Without JavaScript the box is hidden
  and a line names ``python -m ai4neuro classify``, which does the same. The build re-reads the page when
  the rule table changes (a Sphinx dependency), so the box always holds the table the build was made from.
- The rules reach the page as data: when the page is written, the rule table
  (``ai4neuro/sources/classification_rules.csv``, whatever rows it holds) becomes
  ``_static/ai4neuro/rules/<hash>.js``, which ``titlebox.js`` loads with a ``<script src>`` (it works from
  ``file://`` too) when the box nears the screen; the box names the file in ``data-rules``. ``titlebox.js``
  and ``titlebox.css`` are served only to pages that hold a box (the convention of :mod:`.charts`).
- ``titlebox.js`` classifies a title as :mod:`ai4neuro.sources.classify` does (``matching_rules`` then
  ``label_for``): the patterns are written in the syntax Python and JavaScript read alike, compiled with
  flags ``i`` (or none for ``exact``) and no ``u``; ``tests/test_title_box.py`` runs every title in ``data/``
  through both and requires the same rules and labels.
- Figures counted by the rules (:data:`LINKED_FIGURES`) get a link to the box under their caption.

The table is read by :mod:`ai4neuro.sources.rule_table`, which imports no pandas: loading the extension
stays light. The chapter's own cells check the rules (``classify.load_rules``), so a rule Python refuses
fails the build before the box could show it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ai4neuro.bookext.assets import STATIC_SUBDIR, copy_assets, static_folder
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write, sha256_file
from ai4neuro.sources import rule_table

ASSETS = ("titlebox.js", "titlebox.css")
RULES_SUBDIR = "rules"  # under STATIC_SUBDIR: the rule table as data, by content hash
BOX_CLASS = "ai4n-title-box"
LABEL = "try-a-title"  # the box's anchor (About the data, #try-a-title)
LINKED_FIGURES = ("papers-neuroai-ai4neuro",)  # figures whose numbers come from the rules: a link to the box
_RULES_SLOT = re.compile(r'(<div class="ai4n-title-form[^"]*" )data-rules=""')


def rules_payload(path: Path = rule_table.RULES_FILE) -> dict:
    """The rule table as the box reads it: every row in table order (``fields`` split into a list), and the
    kinds of rule that find neuroscience, that only decide a label, and the labels the rules tell apart."""
    try:
        rows = rule_table.read_rows(path)
    except Ai4NeuroError as error:
        raise ExtensionError(str(error)) from None
    return {
        "version": sha256_file(Path(path))[:12],
        "rules": [{**row, "fields": row["fields"].split()} for row in rows],
        "finders": list(rule_table.FINDERS),
        "cues": rule_table.CUES,
        "contrasted": list(rule_table.CONTRASTED),
    }


def rules_script(payload: dict) -> tuple[str, str]:
    """The rules as a script that registers them under their digest, and the digest."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()[:16]
    return digest, f'(window.ai4nRules = window.ai4nRules || {{}})["{digest}"] = {text};\n'


BOX_HTML = """\
<div class="ai4n-title-form pst-js-only" data-rules="">
<label for="ai4n-title-input">Paper title</label>
<input type="text" id="ai4n-title-input" autocomplete="off" spellcheck="false" aria-describedby="ai4n-title-help">
<p class="ai4n-title-help" id="ai4n-title-help">Classified in your browser, with the same rule table as \
<code>python -m ai4neuro classify</code>.</p>
<div class="ai4n-title-verdict" role="status" aria-live="polite" aria-atomic="true">\
Type or paste a title to see how the rules classify it.</div>
<ul class="ai4n-title-rules"></ul>
</div>
<noscript><p>This box needs JavaScript. On your own machine, <code>python -m ai4neuro classify</code> \
gives the same verdicts (one title per line on its input).</p></noscript>
"""


class TryATitle(SphinxDirective):
    """``{try-a-title}``: the box (its anchor is ``:name:``, by default ``try-a-title``)."""

    has_content = False
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(rule_table.RULES_FILE))  # an edited rule table rewrites the page
        box = nodes.container(classes=[BOX_CLASS])
        box += nodes.raw("", BOX_HTML, format="html")
        self.options.setdefault("name", LABEL)
        self.add_name(box)
        return [box]


def link_figures_to_the_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the caption of each of :data:`LINKED_FIGURES`, a link to the box (when the book has one)."""
    std = cast(StandardDomain, app.env.get_domain("std"))
    found = std.anonlabels.get(LABEL)  # a label without a title: the box is no section
    if not found or app.builder.format != "html":
        return
    box_doc, anchor = found
    for figure in doctree.findall(nodes.figure):
        if not {f"fig-{name}" for name in LINKED_FIGURES} & set(figure["names"]):
            continue
        uri = ("" if box_doc == docname else app.builder.get_relative_uri(docname, box_doc)) + f"#{anchor}"
        link = nodes.reference("", "Try a title", refuri=uri, internal=True)
        figure += nodes.legend("", nodes.paragraph("", "", link, classes=["ai4n-figure-link"]))


def page_has_box(body: str) -> bool:
    return f'class="{BOX_CLASS}' in (body or "")


def rules_to_file(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Write the rule table as ``_static/ai4neuro/rules/<hash>.js`` (once per content) and name it in the box;
    add the box's script and styles to this page."""
    body = context.get("body") or ""
    if not page_has_box(body):
        return
    digest, script = rules_script(rules_payload())
    target = static_folder(app) / RULES_SUBDIR / f"{digest}.js"
    if not target.exists():
        atomic_write(target, script)
    context["body"] = _RULES_SLOT.sub(rf'\1data-rules="{html.escape(digest)}"', body)
    app.add_js_file(f"{STATIC_SUBDIR}/titlebox.js", loading_method="defer")
    app.add_css_file(f"{STATIC_SUBDIR}/titlebox.css")


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    copy_assets(app, ASSETS)


def setup(app: Sphinx) -> None:
    app.add_directive("try-a-title", TryATitle)
    app.connect("doctree-resolved", link_figures_to_the_box)
    app.connect("html-page-context", rules_to_file, priority=400)
    app.connect("build-finished", write_assets)
