"""What both benchmark scripts share: building the book in a fresh copy, timing it, and its pages.

``run.py`` (builds, the floor, pages) and ``lighthouse.py`` (Lighthouse per page) both import from here,
so neither imports the other.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ai4neuro.testing import copy_repository


def fresh_copy(workdir: Path, name: str) -> Path:
    return copy_repository(Path(tempfile.mkdtemp(prefix=f"{name}-", dir=workdir)))


def book_environment(source: Path) -> dict:
    """The build's environment: data, figures and download cache inside the copy; no live refresh."""
    environment = {
        **os.environ,
        "AI4NEURO_DATA": str(source / "data"),
        "AI4NEURO_FIGURES": str(source / "figures"),
        "AI4NEURO_CACHE": str(source / ".cache"),
    }
    environment.pop("AI4NEURO_REFRESH", None)
    return environment


def timed_build(source: Path) -> float:
    """``jupyter-book build <source>`` with this Python's jupyter-book; seconds, or exit with the log."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    result = subprocess.run(
        [str(jupyter_book), "build", str(source)], env=book_environment(source), capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(
            f"benchmark: the book build in {source} failed ({result.returncode}):\n"
            f"{(result.stdout + result.stderr)[-6000:]}"
        )
    return seconds


def summary(samples: list[float]) -> dict:
    return {"median_s": round(statistics.median(samples), 2), "runs_s": [round(value, 2) for value in samples]}


def built_pages(html: Path) -> list[Path]:
    """Every HTML page of the build except Sphinx's folders and pure redirects (index.html)."""
    pages = []
    for path in sorted(html.rglob("*.html")):
        relative = path.relative_to(html).parts
        if relative[0] in {"_static", "_sources", "_images"}:
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8", errors="replace")[:2000].lower():
            continue
        pages.append(path)
    return pages
