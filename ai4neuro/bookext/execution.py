"""Run the chapters that need running side by side, before Sphinx reads them.

MyST-NB (execution mode ``cache``) runs a chapter whose code changed when Sphinx reads it, so a cold build
runs the chapters one after another, each waiting for its kernel to start and its cells to finish. At
``env-before-read-docs`` this module makes each chapter's notebook exactly as MyST-NB will (its reader, the
source after the book's ``source-read`` changes, see :mod:`.datadeps`), asks jupyter-cache whether it holds
outputs for it, and runs those it lacks at once, one kernel each, at most one more than the machine has cores,
caching what they give. MyST-NB then finds every chapter in the cache.

A chapter whose run fails is not cached: MyST-NB runs it again when it reads it, and reports the failure as
it always does. Nothing changes when the book is built without the cache (``execute_notebooks`` other than
``cache``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ai4neuro.bookext import datadeps

logger = logging.getLogger(__name__)


@dataclass
class Chapter:
    """A chapter to run: its document name, file, notebook (as MyST-NB reads it) and the reader's format."""

    docname: str
    path: Path
    notebook: object
    read_fmt: dict | None


def chapters_to_run(app: Sphinx, docnames: list[str], cache) -> Iterator[Chapter]:
    """The notebook chapters among ``docnames`` that jupyter-cache (``cache``) holds no outputs for, one by one
    (the first can start running while the next is read)."""
    from myst_nb.core.read import create_nb_reader

    env = app.env
    config = env.mystnb_config  # type: ignore[attr-defined]  # set by MyST-NB's extension
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.suffix not in {".md", ".ipynb"} or not path.is_file():
            continue
        text = datadeps.with_fingerprint(str(path), path.read_text(encoding="utf-8"))
        reader = create_nb_reader(str(path), env.myst_config, config, text)  # type: ignore[attr-defined]
        if reader is None:
            continue
        notebook = reader.read(text)
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            yield Chapter(docname, path, notebook, reader.read_fmt)


def run(chapter: Chapter, timeout: int, allow_errors: bool):
    """Execute one chapter in a fresh kernel, from its own folder (as MyST-NB does)."""
    from jupyter_cache.executors.utils import single_nb_execution

    return single_nb_execution(
        chapter.notebook, cwd=str(chapter.path.parent), timeout=timeout, allow_errors=allow_errors, meta_override=True
    )


def run_side_by_side(app: Sphinx, env, docnames: list[str]) -> None:
    """Run every chapter Sphinx is about to read that the cache lacks, in parallel, and cache the results."""
    config = env.mystnb_config
    if config.execution_mode != "cache" or config.execution_in_temp:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    started = time.perf_counter()
    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    todo: list[Chapter] = []
    runs: list[Future] = []
    # One kernel more than the cores: a kernel's start is partly waiting (process, sockets), which the extra one fills.
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1) as pool:
        for chapter in chapters_to_run(app, docnames, cache):
            todo.append(chapter)
            if len(todo) >= 2:  # one chapter alone: MyST-NB runs it as it reads it, nothing to gain
                runs += [
                    pool.submit(run, c, config.execution_timeout, config.execution_allow_errors)
                    for c in todo[len(runs) :]
                ]
    if not runs:
        return
    for chapter, done in zip(todo, runs, strict=True):
        result = done.result()
        if result.err is not None:
            continue  # MyST-NB runs it again as it reads it, and says what failed
        stage = cache.add_nb_to_project(str(chapter.path), read_data=chapter.read_fmt)
        cache.cache_notebook_bundle(
            CacheBundleIn(chapter.notebook, stage.uri, data={"execution_seconds": result.time}),
            check_validity=False,
            overwrite=True,
        )
        logger.info(f"Executed notebook in {result.time:.2f} seconds", location=chapter.docname)
    logger.info(f"[ai4neuro] ran {len(todo)} chapters side by side in {time.perf_counter() - started:.1f} s")


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", run_side_by_side, priority=900)  # after datadeps restores its facts
