"""What a build publishes is whole (issue 20, items 6 and 8): a bad snapshot stops ``./run book`` in one line
before anything is built; no traceback report is published; figures/ is redrawn when its files are missing
or were drawn from other data than data/ holds, even when the execution cache has the chapter's outputs.

Every test works in a temporary copy of the repository (tests/conftest.py); ``./run book`` runs with this
checkout's ``.venv`` (``AI4NEURO_VENV``) and installs nothing into it (``AI4NEURO_NO_INSTALL``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ai4neuro import snapshots
from ai4neuro.testing import copy_repository, executed_chapters, run_build

pytestmark = pytest.mark.book

VENV = Path(sys.executable).parent.parent
PART_1 = "chapters/beyond-neuroai-we-need-ai4neuro-part-1"
FAILING_CHAPTER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# A chapter whose cell fails

```{code-cell} ipython3
raise RuntimeError("a chapter that fails, on purpose")
```
"""


def run_book(source: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AI4NEURO_")}
    return subprocess.run(
        [str(source / "run"), "book"],
        cwd=source,
        env={**env, "AI4NEURO_VENV": str(VENV), "AI4NEURO_NO_INSTALL": "1"},
        capture_output=True,
        text=True,
    )


def reseal(record_path: Path, **changes) -> None:
    """Rewrite a provenance record as the book writes one (its own checksum matching), with ``changes``."""
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record_path.write_bytes(snapshots.record_bytes({**record, **changes}))


def damage_value(data: Path) -> Path:
    """paper_counts.csv holding -999, its checksum and record made to match: a hand edit that hides itself."""
    csv = data / "paper_counts.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    header, first = lines[0].rstrip("\n").split(","), lines[1].rstrip("\n").split(",")
    first[header.index("published")] = "-999"
    csv.write_text(lines[0] + ",".join(first) + "\n" + "".join(lines[2:]), encoding="utf-8")
    reseal(data / "paper_counts.provenance.json", sha256=snapshots.sha256_file(csv))
    return csv


def damage_checksum(data: Path) -> Path:
    csv = data / "paper_counts.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",", ";", 1), encoding="utf-8")
    return csv


def damage_truncated(data: Path) -> Path:
    csv = data / "neuro_papers.csv"
    csv.write_bytes(csv.read_bytes()[: len(csv.read_bytes()) // 2])
    return csv


def damage_set(data: Path) -> Path:
    """neuro_papers from another write than paper_counts (a refresh cut off between the two, before sets)."""
    record = data / "neuro_papers.provenance.json"
    set_ = json.loads(record.read_text(encoding="utf-8"))["set"]
    reseal(record, set={**set_, "id": "0123456789abcdef"})
    return data / "neuro_papers.csv"


@pytest.mark.parametrize("damage", [damage_value, damage_checksum, damage_truncated, damage_set])
def test_a_bad_snapshot_stops_run_book_in_one_line_naming_the_file_and_the_fix(tmp_path, damage):
    """Issue 20, item 6: a bad snapshot gave exit 0, a traceback on the page and only "Executing notebook failed"."""
    source = copy_repository(tmp_path / "book")
    path = damage(source / "data")
    result = run_book(source)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    assert path.name in lines[0] and ("git checkout data/" in lines[0] or "refresh papers" in lines[0]), lines[0]
    assert not (source / "_build").exists()  # nothing was built, so nothing can show a traceback


def test_the_books_extension_refuses_a_bad_snapshot_before_any_chapter_runs(tmp_path):
    """The same check in the build itself (jupyter-book run directly): no page is written."""
    source = copy_repository(tmp_path / "book")
    damage_value(source / "data")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(source)],
        env={**os.environ, "AI4NEURO_DATA": str(source / "data"), "AI4NEURO_FIGURES": str(source / "figures")},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "paper_counts.csv" in result.stdout + result.stderr
    assert "Executing notebook" not in result.stdout + result.stderr
    assert not list((source / "_build").rglob("*.html"))


# --- a built copy: reports and figures ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    source = copy_repository(tmp_path_factory.mktemp("integrity-book"))
    run_build(source)
    return source


def build_without_warnings_as_errors(source: Path) -> subprocess.CompletedProcess:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    env = {**os.environ, "AI4NEURO_DATA": str(source / "data"), "AI4NEURO_FIGURES": str(source / "figures")}
    return subprocess.run([str(jupyter_book), "build", str(source)], env=env, capture_output=True, text=True)


def test_no_traceback_report_is_published_and_a_stale_one_is_removed(built):
    """Issue 20, item 6: _build/html/reports/*.err.log was published, and stayed after the data was fixed."""
    html = built / "_build" / "html"
    (html / "reports").mkdir()
    (html / "reports" / "stale.err.log").write_text("a traceback from an earlier build", encoding="utf-8")
    chapter = built / "chapters" / "zz-fails.md"
    chapter.write_text(FAILING_CHAPTER, encoding="utf-8")
    try:
        result = build_without_warnings_as_errors(built)
        log = result.stdout + result.stderr
        assert "Executing notebook failed" in log and not (html / "reports").exists(), log[-3000:]
        kept = built / "_build" / "reports" / "chapters" / "zz-fails.err.log"
        assert kept.is_file() and "a chapter that fails, on purpose" in kept.read_text(encoding="utf-8")
        assert "not published" in log
    finally:
        chapter.unlink()
    run_build(built)
    assert not (html / "reports").exists()


def test_a_deleted_figure_is_drawn_again_from_the_cached_chapter(built):
    """Issue 20, item 8: figures/ was not redrawn when its files were deleted."""
    figure = built / "figures" / "papers-neuroai-ai4neuro.png"
    before = figure.read_bytes()
    figure.unlink()
    run_build(built)
    assert figure.read_bytes() == before
    assert executed_chapters(built)  # the chapter ran again (its outputs were cached)


def test_figures_follow_data_restored_after_a_change(built):
    """Issue 20, item 8: a bad build's figures stayed after data/ was restored (the execution cache had the
    chapter's outputs for the restored data, so nothing ran and figures/ kept what the other data gave)."""
    record = built / "data" / "paper_counts.provenance.json"
    original = record.read_bytes()
    drawn = {path.name: path.read_bytes() for path in (built / "figures").iterdir()}
    reseal(record, note="a refresh made since")  # other data: a record with a new checksum
    run_build(built)
    stamp = json.loads((built / "figures" / "papers-neuroai-ai4neuro.vl.json").read_text())["usermeta"]["ai4neuro"]
    assert stamp["data"]["paper_counts"] == json.loads(record.read_text())[snapshots.RECORD_CHECKSUM]
    record.write_bytes(original)  # data/ restored: the execution cache holds these outputs already
    run_build(built)
    assert {path.name: path.read_bytes() for path in (built / "figures").iterdir()} == drawn
    assert executed_chapters(built) >= {PART_1}
