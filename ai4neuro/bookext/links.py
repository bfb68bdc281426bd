"""External links with several query parameters keep their ``&``.

MyST escapes ``&`` in a link target to ``&amp;`` and the HTML writer escapes it again, so
``?q=a&hl=en`` would reach the browser as ``?q=a&amp;hl=en`` (MyST-Parser issues #760, #1028).
The link targets in the doctree are unescaped once, right after each document is read.
"""

from docutils import nodes
from sphinx.application import Sphinx


def unescape_link_targets(app: Sphinx, doctree: nodes.document) -> None:
    for reference in doctree.findall(nodes.reference):
        target = reference.get("refuri", "")
        if "&amp;" in target:
            reference["refuri"] = target.replace("&amp;", "&")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", unescape_link_targets)
