"""Where things live: the book's repository, found however the package was installed.

The package may run from its repository (an editable install), from a copy in site-packages
(``pip install .``, as Binder may do) or from a kernel started in ``chapters/``; its own location
says nothing about where the book is. The repository is therefore ``AI4NEURO_ROOT`` if set, else
the nearest folder at or above the working directory that holds a Jupyter Book's ``_config.yml``
and ``_toc.yml`` (a Jekyll blog has a ``_config.yml`` too). The package's own tables
(``ai4neuro/sources/*.csv``) are package data and never looked up here.

Environment variables:
- ``AI4NEURO_ROOT``: the book's repository (the book's extension sets it for the kernels it starts);
- ``AI4NEURO_DATA``: the snapshot folder (default: ``data/`` of the repository);
  tests point it at fixture folders, never at the published ``data/``;
- ``AI4NEURO_FIGURES``: where static figure exports go (default: ``figures/`` of the repository);
- ``AI4NEURO_CACHE``: the download cache (default: a per-user cache folder);
- ``AI4NEURO_REFRESH=1``: chapter cells refresh from sources instead of reading snapshots.
"""

import os
from pathlib import Path

import platformdirs

from ai4neuro.errors import Ai4NeuroError

MARKERS = ("_config.yml", "_toc.yml")  # a Jupyter Book's two settings files


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else None


def book_root(start: Path | None = None) -> Path:
    """The book's folder: the nearest folder at or above ``start`` that holds ``_config.yml`` and ``_toc.yml``.

    Without ``start``: ``AI4NEURO_ROOT`` if set, else the search starts at the working directory. With
    ``start`` (a post being imported, the package's own checkout), the search alone decides.
    """
    root = _env_path("AI4NEURO_ROOT") if start is None else None
    if root is not None:
        if not all((root / marker).is_file() for marker in MARKERS):
            raise Ai4NeuroError(
                f"AI4NEURO_ROOT={root} holds no _config.yml and _toc.yml; point it at the book's folder."
            )
        return root
    here = (Path.cwd() if start is None else Path(start)).resolve()
    for folder in (here, *here.parents):
        if all((folder / marker).is_file() for marker in MARKERS):
            return folder
    raise Ai4NeuroError(
        f"no book at or above {here} (a folder with _config.yml and _toc.yml): "
        "work inside the book's folder (e.g. its chapters/ or posts/ folder), or set AI4NEURO_ROOT to it."
    )


def data_dir() -> Path:
    return _env_path("AI4NEURO_DATA") or book_root() / "data"


def figures_dir() -> Path:
    return _env_path("AI4NEURO_FIGURES") or book_root() / "figures"


def cache_dir() -> Path:
    return _env_path("AI4NEURO_CACHE") or Path(platformdirs.user_cache_dir("ai4neuro"))


def refresh_requested() -> bool:
    return os.environ.get("AI4NEURO_REFRESH", "").strip().lower() in {"1", "true", "yes"}
