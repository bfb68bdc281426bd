"""Leave draft chapters out of a build when asked.

A chapter is a draft when its front matter says ``draft: true`` (``python -m ai4neuro import-post``
writes it for posts under ``posts/_drafts/`` or with ``published: false``). Drafts are built unless
``ai4neuro_include_drafts: false`` (``_config.yml``, ``sphinx.config``) or the environment variable
``AI4NEURO_DRAFTS=0`` (which, when set, wins over the config). Left-out drafts are removed from the
table of contents and excluded from the build, so no page links to them and no warning is raised.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ai4neuro.posts.chapter import read_front_matter

logger = logging.getLogger(__name__)
ENV_VARIABLE = "AI4NEURO_DRAFTS"


def include_drafts(config: Config) -> bool:
    value = os.environ.get(ENV_VARIABLE, "").strip().lower()
    if value:
        return value not in {"0", "false", "no", "off"}
    return bool(config.ai4neuro_include_drafts)


def is_draft(source: Path) -> bool:
    if source.suffix != ".md" or not source.is_file():
        return False
    return read_front_matter(source).get("draft") is True  # {} for a broken chapter: the build reports it


def source_of(srcdir: Path, docname: str, suffixes) -> Path | None:
    for suffix in suffixes:
        candidate = srcdir / f"{docname.removesuffix(suffix)}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def leave_out_drafts(app: Sphinx, config: Config) -> None:
    """Runs after sphinx-external-toc has read ``_toc.yml`` (its handler has priority 900)."""
    site_map = getattr(config, "external_site_map", None)
    if site_map is None or include_drafts(config):
        return
    suffixes = list(config.source_suffix)
    drafts = {}
    for docname in list(site_map):
        source = source_of(Path(app.srcdir), docname, suffixes)
        if docname != site_map.root.docname and source and is_draft(source):
            drafts[docname] = source
    for document in site_map.values():
        for toctree in document.subtrees:
            toctree.items[:] = [item for item in toctree.items if str(item) not in drafts]
    for docname in drafts:
        del site_map[docname]
    config.exclude_patterns = list(config.exclude_patterns) + [
        source.relative_to(app.srcdir).as_posix() for source in drafts.values()
    ]
    if drafts:
        logger.info("[ai4neuro] leaving out draft chapters: %s", ", ".join(sorted(drafts)))


def setup(app: Sphinx) -> None:
    app.add_config_value("ai4neuro_include_drafts", True, "env")
    app.connect("config-inited", leave_out_drafts, priority=950)
