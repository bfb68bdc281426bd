"""The extension's own files (scripts, styles) in the build's ``_static/ai4neuro/``, copied with Sphinx's helper.

Each part that has files adds them only to the pages that need them (``app.add_js_file`` in
``html-page-context``, e.g. :mod:`.charts`) and copies them into the build when it ends (``build-finished``).
Sphinx's ``copy_asset_file`` writes a file only when its bytes differ from the build's copy, so a rebuild
leaves the files that did not change as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

HERE = Path(__file__).resolve().parent  # the extension's files, beside its modules
STATIC_SUBDIR = "ai4neuro"  # under the build's _static/


def static_folder(app: Sphinx) -> Path:
    """The build's ``_static/ai4neuro/``."""
    return Path(app.outdir) / "_static" / STATIC_SUBDIR


def copy_assets(app: Sphinx, names: Iterable[str]) -> None:
    """The extension's files ``names`` into the build's ``_static/ai4neuro/``."""
    for name in names:
        copy_asset(HERE / name, static_folder(app))


def copy_asset(source: Path, folder: Path) -> None:
    """``source`` into ``folder`` (made if missing), written only when its bytes differ from the copy there."""
    folder.mkdir(parents=True, exist_ok=True)
    # The build's own copy: replacing it is no news to the author (Sphinx 8 calls this force=True).
    copy_asset_file(source, folder, __overwrite_warning__=False)
