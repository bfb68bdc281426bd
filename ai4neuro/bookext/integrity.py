"""What a build publishes is whole: checked data, figures that follow it, and no traceback reports.

- **Data**: before any chapter runs (``builder-inited``), every snapshot in ``data/`` is checked as
  :func:`ai4neuro.snapshots.load` would (record, checksum, set, columns, values;
  :func:`ai4neuro.snapshots.check_folder`). A bad snapshot stops the build there, so no page is written
  with a traceback in it. ``./run book`` runs the same check first (``python -m ai4neuro check-data``) and
  says it in one line.
- **Figures**: each page records which figures it shows (``doctree-read``; :class:`FiguresShown`, an
  environment collector). A page whose figures in
  ``figures/`` are missing, changed, or drawn from other data than ``data/`` holds now
  (:func:`ai4neuro.figure_files.problem`) is read again with its execution-cache entry dropped, so its
  chapter runs and :func:`ai4neuro.figures.export` redraws them (``env-get-outdated``). Without this, the
  execution cache would keep a chapter's outputs while its figure files stay missing or stale.
- **Reports**: MyST-NB writes a failed chapter's traceback to ``<html>/reports/``, which would be published
  with the site. It is moved to ``_build/reports/`` when the build ends, and a stale one is removed when
  the build starts.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ai4neuro.bookext.collector import DocumentCollector
from ai4neuro.errors import Ai4NeuroError

logger = logging.getLogger(__name__)
SHOWN = re.compile(r'id="ai4n-(chart|table)-([a-z0-9-]+)"')
REPORTS = "reports"


def check_data(app: Sphinx) -> None:
    from ai4neuro import snapshots

    try:
        snapshots.check_folder()
    except Ai4NeuroError as error:
        raise ExtensionError(f"{error} (nothing was built)") from None


# --- figures ----------------------------------------------------------------------------------------


def figure_problem(kind: str, name: str) -> str | None:
    from ai4neuro import figure_files, paths

    if kind == "table":
        path = paths.figures_dir() / f"{name}.csv"
        return None if path.is_file() else f"{path} is missing"
    return figure_files.problem(name)


class FiguresShown(DocumentCollector):
    """The figures each page shows, ``[(kind, name), ...]``: before a build, the pages whose figures are missing
    or stale are outdated, and their chapters run again (their execution-cache entries dropped)."""

    attribute = "ai4neuro_figures_shown"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        shown = {match for node in doctree.findall(nodes.raw) for match in SHOWN.findall(node.astext())}
        self.of(app.env)[app.env.docname] = sorted(shown)

    def get_outdated_docs(
        self, app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        stale = []
        for docname, shown in self.of(env).items():
            if docname in removed or docname not in env.found_docs:
                continue
            problem = next((found for kind, name in shown if (found := figure_problem(kind, name))), None)
            if problem:
                logger.info("ai4neuro: %s; running %s again to redraw its figures", problem, docname)
                _forget_execution(app, Path(env.doc2path(docname)))
                stale.append(docname)
        return stale


def _forget_execution(app: Sphinx, source: Path) -> None:
    """Drop the chapter's entries from the execution cache, so that reading it runs it."""
    from jupyter_cache import get_cache

    cache = get_cache(env_cache_path(app))
    for record in cache.list_cache_records():
        if Path(record.uri).resolve() == source.resolve():
            cache.remove_cache(record.pk)


def env_cache_path(app: Sphinx) -> str:
    """Where MyST-NB keeps executed notebooks (its own default: ``.jupyter_cache`` beside the HTML folder)."""
    configured = getattr(getattr(app.env, "mystnb_config", None), "execution_cache_path", "")
    return configured or str(Path(app.outdir).parent / ".jupyter_cache")


# --- reports ----------------------------------------------------------------------------------------


def remove_stale_reports(app: Sphinx) -> None:
    shutil.rmtree(Path(app.outdir) / REPORTS, ignore_errors=True)


def keep_reports_unpublished(app: Sphinx, exception: Exception | None) -> None:
    published = Path(app.outdir) / REPORTS
    if not published.is_dir():
        return
    kept = Path(app.outdir).parent / REPORTS
    shutil.rmtree(kept, ignore_errors=True)
    shutil.move(published, kept)
    logger.warning("ai4neuro: the tracebacks of the chapters that failed are in %s (not published)", kept)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", remove_stale_reports)
    app.connect("builder-inited", check_data)
    app.add_env_collector(FiguresShown)
    app.connect("build-finished", keep_reports_unpublished)
