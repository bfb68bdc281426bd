"""Re-execute a chapter exactly when something its cells depend on changed, and only then.

Jupyter Book's execution cache (jupyter-cache) keys on a notebook's code cells. A chapter's
results also depend on the snapshots it reads and on the package code and tables its cells
import, so this extension makes those part of the key:

- **data**: a chapter declares the snapshots it reads in its front matter::

      ---
      ai4neuro:
        reads: [google_trends]      # data/google_trends.csv and its .provenance.json
      ---

- **code**: the ``ai4neuro`` modules the chapter's cells import, followed through every import
  of those modules (read from their source with :mod:`ast`, lazy imports inside functions
  included), and the package tables they name (e.g. ``"classification_rules.csv"`` beside
  ``sources/classify.py``).

For every notebook chapter, at ``source-read``, one hidden (``remove-cell``) code cell is appended
holding the SHA-256 of all of these (content hashes, not modification times), so the cache key
changes with them and jupyter-cache re-executes that chapter only. The same fingerprint, kept in
Sphinx's environment (:class:`Fingerprints`, an environment collector), tells Sphinx to re-read the chapter
(``env-get-outdated``). A declared
snapshot that does not exist is part of the fingerprint as "missing": a stable state, not a change.
After the chapter ran, the cell checks that every snapshot it loaded was declared
(:func:`check_reads`), so a forgotten declaration fails the build with one clear message.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import nbformat
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ai4neuro import paths
from ai4neuro.bookext.collector import DocumentCollector
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import sha256_file
from ai4neuro.posts.chapter import read_front_matter

logger = logging.getLogger(__name__)
KEY = "ai4neuro"
MARKER = "# ai4neuro.bookext.datadeps: re-run this chapter when the data or code it uses changes."
PACKAGE = Path(__file__).resolve().parents[1]  # ai4neuro/
FACTS_ATTRIBUTE = "ai4neuro_module_facts"  # package file -> (sha256, what it imports and spells out), between builds
TABLE_NAME = re.compile(r"[\w.-]+\.(csv|json)")


def declared_reads(metadata: dict, origin: str) -> list[str]:
    """The snapshot names in ``ai4neuro: {reads: [...]}`` of a chapter's front matter."""
    section = metadata.get(KEY) or {}
    reads = section.get("reads", []) if isinstance(section, dict) else None
    if not isinstance(reads, list) or not all(isinstance(name, str) and name for name in reads):
        raise Ai4NeuroError(
            f"{origin}: front matter '{KEY}: reads' must be a list of snapshot names, e.g. [google_trends]."
        )
    return reads


def data_files(name: str) -> list[Path]:
    folder = paths.data_dir()
    return [folder / f"{name}.csv", folder / f"{name}.provenance.json"]


# --- which package files a chapter uses ------------------------------------------------------


def imported_modules(source: str) -> frozenset[str]:
    """The ``ai4neuro`` modules a piece of Python imports (anywhere in it, e.g. inside functions)."""
    return _python_facts(source)[0]


@functools.lru_cache(maxsize=256)
def _python_facts(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """The ``ai4neuro`` modules ``source`` imports and the strings it spells out: one parse per text and
    process (every chapter of a build walks the same modules)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset(), frozenset()  # IPython syntax (magics): the cell's own text is in the cache key anyway
    found, strings = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from pkg import module`
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
    modules = {name for name in found if name == "ai4neuro" or name.startswith("ai4neuro.")}
    return frozenset(modules), frozenset(strings)


def module_file(name: str) -> Path | None:
    """The source file of module ``name`` of this package, if it is one (not a function or class)."""
    parts = name.split(".")[1:]
    if not parts:
        return PACKAGE / "__init__.py"
    for candidate in (PACKAGE.joinpath(*parts, "__init__.py"), PACKAGE.joinpath(*parts[:-1], f"{parts[-1]}.py")):
        if candidate.is_file():
            return candidate
    return None


# What each package file imports and spells out, by its SHA-256: parsing the package is most of the cost of
# fingerprinting an edited chapter, so the results are kept in Sphinx's environment between builds
# (restored at ``env-before-read-docs``, stored at ``env-updated``).
_FILE_FACTS: dict[str, tuple[str, tuple[frozenset[str], frozenset[str]]]] = {}


def _file_facts(file: Path) -> tuple[frozenset[str], frozenset[str]]:
    digest = sha256_file(file)
    known = _FILE_FACTS.get(str(file))
    if known is None or known[0] != digest:
        known = _FILE_FACTS[str(file)] = (digest, _python_facts(file.read_text(encoding="utf-8")))
    return known[1]


def used_files(code: str) -> list[Path]:
    """The package modules ``code`` imports, transitively, and the tables they name, sorted."""
    pending = [file for name in imported_modules(code) if (file := module_file(name))]
    seen: set[Path] = set()
    while pending:
        file = pending.pop()
        if file in seen:
            continue
        seen.add(file)
        pending += [found for name in _file_facts(file)[0] if (found := module_file(name))]
        pending += _parent_packages(file)
    tables = {table for file in seen for table in named_tables(file)}
    return sorted(seen | tables)


def named_tables(file: Path) -> set[Path]:
    """Files beside module ``file`` whose names it spells out as strings (its tables)."""
    names = _file_facts(file)[1]
    return {file.parent / name for name in names if TABLE_NAME.fullmatch(name) and (file.parent / name).is_file()}


def _parent_packages(file: Path) -> list[Path]:
    """The ``__init__.py`` files Python runs before ``file`` (importing a submodule runs them)."""
    inits = [folder / "__init__.py" for folder in file.parents if PACKAGE in (folder, *folder.parents)]
    return [init for init in inits if init.is_file()]


# --- the fingerprint ----------------------------------------------------------------------------


def fingerprint_cell(reads: list[str], code: str = "") -> str:
    """The hidden cell's code: checksums of the data and package files, then the declaration check."""
    return fingerprint(reads, code)[0]


class Fingerprint(NamedTuple):
    """A chapter's hidden cell, and every file behind it with its SHA-256 (to check a no-op cheaply)."""

    cell: str
    inputs: dict[str, str]


def fingerprint(reads: list[str], code: str = "") -> Fingerprint:
    """The hidden cell's code, and every file it checksums with its SHA-256."""
    inputs = {}
    lines = [MARKER]
    for path in [file for name in reads for file in data_files(name)]:
        inputs[str(path)] = _sha256(path)
        lines.append(f"# {path.name} sha256={inputs[str(path)]}")
    code_digest = hashlib.sha256()
    for path in used_files(code):
        inputs[str(path)] = _sha256(path)
        code_digest.update(f"{path.relative_to(PACKAGE.parent).as_posix()} {inputs[str(path)]}\n".encode())
    lines.append(f"# ai4neuro code and tables used sha256={code_digest.hexdigest()}")
    lines.append("from ai4neuro.bookext.datadeps import check_reads")
    lines.append(f"check_reads({reads!r})")
    return Fingerprint("\n".join(lines), inputs)


def _sha256(path: Path) -> str:
    return sha256_file(path) if path.is_file() else "missing"


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


# --- reading a chapter's source -----------------------------------------------------------------


def notebook_parts(path: str, text: str) -> tuple[dict, str] | None:
    """A notebook chapter's front matter and code (its code cells joined); None for other documents."""
    if path.endswith(".md") and is_myst_markdown_notebook(text):
        metadata = read_front_matter(text)
        notebook = read_myst_markdown_notebook(text)
    elif path.endswith(".ipynb"):
        notebook = nbformat.reads(text, as_version=4)
        metadata = notebook.metadata
    else:
        return None
    return metadata, "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def chapter_fingerprint(path: str, text: str) -> str | None:
    """The hidden cell's code for the chapter at ``path`` (None if it is not a notebook)."""
    found = chapter_inputs(path, text)
    return found.cell if found else None


_FOUND_THIS_BUILD: dict[tuple[str, str], Fingerprint | None] = {}  # (path, text's SHA-256) -> its fingerprint


def chapter_inputs(path: str, text: str) -> Fingerprint | None:
    """The hidden cell's code and the files it depends on with their SHA-256, the chapter's own included.

    Worked out once per build and chapter text: the chapters run side by side (:mod:`.execution`) ask for it
    before Sphinx reads them, and Sphinx asks again at ``source-read``.
    """
    digest = hashlib.sha256(text.encode()).hexdigest()
    if (path, digest) not in _FOUND_THIS_BUILD:
        parts = notebook_parts(path, text)
        found = None
        if parts is not None:
            metadata, code = parts
            found = fingerprint(declared_reads(metadata, path), _strip_magics(code))
            found.inputs[path] = digest
        _FOUND_THIS_BUILD[(path, digest)] = found
    return _FOUND_THIS_BUILD[(path, digest)]


def forget_fingerprints(app: Sphinx) -> None:
    """A new build reads the data and package files afresh (they may have changed since the last one)."""
    _FOUND_THIS_BUILD.clear()


def _strip_magics(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))


# --- Sphinx events --------------------------------------------------------------------------------


def with_cell(path: str, text: str, cell: str) -> str:
    """``text`` with the hidden fingerprint cell appended, as the chapter is read and executed."""
    if path.endswith(".md"):
        return text.rstrip("\n") + f"\n\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n{cell}\n```\n"
    notebook = nbformat.reads(text, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(cell, metadata={"tags": ["remove-cell"]}))
    return nbformat.writes(notebook)


def with_fingerprint(path: str, text: str) -> str:
    """A chapter's source as Sphinx reads it: with its fingerprint cell (unchanged for other documents)."""
    found = chapter_inputs(path, text)
    return text if found is None else with_cell(path, text, found.cell)


def add_fingerprint(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append the chapter's fingerprint cell to its source, and keep the fingerprint (:class:`Fingerprints`)."""
    path = str(app.env.doc2path(docname))
    try:
        found = chapter_inputs(path, source[0])
    except Ai4NeuroError as error:
        logger.warning(str(error), location=docname, type="ai4neuro", subtype="datadeps")
        return
    if found is None:
        return
    Fingerprints.of(app.env)[docname] = found
    source[0] = with_cell(path, source[0], found.cell)


class Fingerprints(DocumentCollector):
    """Each chapter's :class:`Fingerprint` as it was last read (noted at ``source-read``, where the cell is added):
    before a build, the chapters whose data or package code changed since (their text did not) are outdated."""

    attribute = "ai4neuro_fingerprints"

    def get_outdated_docs(
        self, app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        stale = []
        for docname, before in self.of(env).items():
            if docname in added | changed | removed or docname not in env.found_docs:
                continue
            if _unchanged(before.inputs):
                continue  # the same files, byte for byte: the same fingerprint, without parsing anything
            path = env.doc2path(docname)
            try:
                now = chapter_fingerprint(str(path), Path(path).read_text(encoding="utf-8"))
            except (OSError, Ai4NeuroError):
                now = None
            if now != before.cell:
                stale.append(docname)
        return stale


def _unchanged(inputs: dict[str, str]) -> bool:
    """Whether every file behind a fingerprint still has the checksum it had."""
    return all(_sha256(Path(file)) == sha for file, sha in inputs.items())


def restore_module_facts(app: Sphinx, env, docnames: list[str]) -> None:
    _FILE_FACTS.update(getattr(env, FACTS_ATTRIBUTE, {}))


def store_module_facts(app: Sphinx, env) -> None:
    setattr(env, FACTS_ATTRIBUTE, {file: facts for file, facts in _FILE_FACTS.items() if Path(file).is_file()})


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", forget_fingerprints)
    app.connect("env-before-read-docs", restore_module_facts)
    app.connect("env-updated", store_module_facts)
    app.connect("source-read", add_fingerprint)
    app.add_env_collector(Fingerprints)
