"""Where things live. Nothing here depends on the working directory.

Environment variables:
- ``AI4NEURO_DATA``: the snapshot folder (default: ``data/`` of this repository);
  tests point it at fixture folders, never at the published ``data/``.
- ``AI4NEURO_FIGURES``: where static figure exports go (default: ``figures/``).
- ``AI4NEURO_CACHE``: the download cache (default: a per-user cache folder).
- ``AI4NEURO_REFRESH=1``: chapter cells refresh from sources instead of reading snapshots.
"""

import os
from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def data_dir() -> Path:
    return _env_path("AI4NEURO_DATA", ROOT / "data")


def figures_dir() -> Path:
    return _env_path("AI4NEURO_FIGURES", ROOT / "figures")


def cache_dir() -> Path:
    return _env_path("AI4NEURO_CACHE", Path(platformdirs.user_cache_dir("ai4neuro")))


def refresh_requested() -> bool:
    return os.environ.get("AI4NEURO_REFRESH", "").strip().lower() in {"1", "true", "yes"}
