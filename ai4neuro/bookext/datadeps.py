"""Re-execute a chapter when a snapshot it reads in ``data/`` changes, and only then.

Jupyter Book's execution cache (jupyter-cache) keys on a notebook's code cells only. A chapter
therefore declares the snapshots it reads in its front matter::

    ---
    ai4neuro:
      reads: [trends_interest]      # data/trends_interest.csv and its .provenance.json
    ---

For every notebook chapter this extension, in ``source-read``:

- notes the declared files as dependencies (``env.note_dependency``), so Sphinx re-reads the
  chapter when one of them changes;
- appends one hidden (``remove-cell``) code cell holding the files' SHA-256, so the cell code,
  hence the cache key, changes with the data and jupyter-cache re-executes that chapter only;
  the cell also checks, after the chapter ran, that every snapshot it loaded was declared
  (:func:`check_reads`), so a forgotten declaration fails the build with one clear message.
"""

from __future__ import annotations

import frontmatter
import nbformat
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx.application import Sphinx
from sphinx.util import logging

from ai4neuro import paths
from ai4neuro.errors import Ai4NeuroError

logger = logging.getLogger(__name__)
KEY = "ai4neuro"
MARKER = "# ai4neuro.bookext.datadeps: re-run this chapter when the data it reads changes."


def declared_reads(metadata: dict, origin: str) -> list[str]:
    """The snapshot names in ``ai4neuro: {reads: [...]}`` of a chapter's front matter."""
    section = metadata.get(KEY) or {}
    reads = section.get("reads", []) if isinstance(section, dict) else None
    if not isinstance(reads, list) or not all(isinstance(name, str) and name for name in reads):
        raise Ai4NeuroError(
            f"{origin}: front matter '{KEY}: reads' must be a list of snapshot names, e.g. [trends_interest]."
        )
    return reads


def data_files(name: str) -> list:
    folder = paths.data_dir()
    return [folder / f"{name}.csv", folder / f"{name}.provenance.json"]


def fingerprint_cell(reads: list[str]) -> str:
    """The hidden cell's code: the data files' checksums and the declaration check."""
    from ai4neuro.snapshots import sha256_file

    lines = [MARKER]
    for name in reads:
        for path in data_files(name):
            digest = sha256_file(path) if path.exists() else "missing"
            lines.append(f"# {path.name} sha256={digest}")
    lines.append("from ai4neuro.bookext.datadeps import check_reads")
    lines.append(f"check_reads({reads!r})")
    return "\n".join(lines)


def check_reads(declared: list[str]) -> None:
    """Fail (in the chapter's kernel) if the chapter loaded a snapshot it did not declare."""
    from ai4neuro import snapshots

    undeclared = sorted(set(snapshots.loaded_names()) - set(declared))
    if undeclared:
        wanted = sorted(set(declared) | set(undeclared))
        raise Ai4NeuroError(
            f"this chapter reads {', '.join(f'data/{name}.csv' for name in undeclared)} without declaring it; "
            f"add to its front matter:  {KEY}: {{reads: [{', '.join(wanted)}]}}"
        )


def add_fingerprint(app: Sphinx, docname: str, source: list[str]) -> None:
    try:
        _add_fingerprint(app, docname, source)
    except Ai4NeuroError as error:
        logger.warning(str(error), location=docname, type="ai4neuro", subtype="datadeps")


def _add_fingerprint(app: Sphinx, docname: str, source: list[str]) -> None:
    path = str(app.env.doc2path(docname))
    text = source[0]
    if path.endswith(".md") and is_myst_markdown_notebook(text):
        post = frontmatter.loads(text)
        reads = declared_reads(post.metadata, path)
        cell = f"\n\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n{fingerprint_cell(reads)}\n```\n"
        source[0] = text.rstrip("\n") + cell
    elif path.endswith(".ipynb"):
        notebook = nbformat.reads(text, as_version=4)
        reads = declared_reads(notebook.metadata, path)
        notebook.cells.append(nbformat.v4.new_code_cell(fingerprint_cell(reads), metadata={"tags": ["remove-cell"]}))
        source[0] = nbformat.writes(notebook)
    else:
        return
    for name in reads:
        for file in data_files(name):
            app.env.note_dependency(str(file))


def setup(app: Sphinx) -> None:
    app.connect("source-read", add_fingerprint)
