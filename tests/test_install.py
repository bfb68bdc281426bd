"""The package finds the book however it is installed: the repository comes from the working directory (or
``AI4NEURO_ROOT``), never from where the package's files are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from ai4neuro import paths
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.outputs import VEGALITE_MIME
from ai4neuro.testing import copy_repository

CHAPTER = "beyond-neuroai-we-need-ai4neuro-part-3"  # its figure reads data/paper_counts.csv


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    for name in ("AI4NEURO_ROOT", "AI4NEURO_DATA", "AI4NEURO_FIGURES", "AI4NEURO_REFRESH"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "book"
    (folder / "chapters").mkdir(parents=True)
    for marker in paths.MARKERS:
        (folder / marker).write_text("")
    return folder


def test_the_repository_is_found_from_any_folder_inside_it(book, monkeypatch):
    monkeypatch.chdir(book / "chapters")
    assert paths.book_root() == book.resolve()
    assert paths.data_dir() == book.resolve() / "data" and paths.figures_dir() == book.resolve() / "figures"


def test_a_jekyll_blog_is_not_the_book(book, monkeypatch):
    (book / "_toc.yml").unlink()  # a folder with only _config.yml
    monkeypatch.chdir(book / "chapters")
    with pytest.raises(Ai4NeuroError, match="AI4NEURO_ROOT"):
        paths.data_dir()


def test_outside_a_repository_one_error_says_where_to_run(tmp_path, monkeypatch):
    for name in ("AI4NEURO_ROOT", "AI4NEURO_DATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Ai4NeuroError, match=r"no book at or above .*set AI4NEURO_ROOT"):
        paths.data_dir()


def test_ai4neuro_root_names_the_book(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AI4NEURO_ROOT", str(book))
    assert paths.data_dir() == book.resolve() / "data"
    monkeypatch.setenv("AI4NEURO_ROOT", str(tmp_path))
    with pytest.raises(Ai4NeuroError, match="holds no _config.yml"):
        paths.book_root()


def test_a_chapter_shows_real_numbers_after_a_non_editable_install(tmp_path, monkeypatch):
    """``pip install .`` (a copy in a site folder, first on the kernel's path), the chapter run from
    ``chapters/`` of a clean copy of the repository, which is not on ``sys.path``."""
    repository = copy_repository(tmp_path / "repository")
    site = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(repository)]
    subprocess.run(install, check=True, capture_output=True)
    for name in ("AI4NEURO_ROOT", "AI4NEURO_DATA", "AI4NEURO_FIGURES", "AI4NEURO_REFRESH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(site))
    notebook = jupytext.read(repository / "chapters" / f"{CHAPTER}.md")
    notebook.cells.append(jupytext.reads("import ai4neuro, sys\nprint(ai4neuro.__file__)", fmt="py:percent").cells[0])
    path = {"metadata": {"path": str(repository / "chapters")}}
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources=path).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert outputs[-1]["text"].strip().startswith(str(site))  # the installed copy ran, not the repository's
    text = json.dumps(outputs)
    assert "built without" not in text
    charts = [output["data"][VEGALITE_MIME] for output in outputs if VEGALITE_MIME in output.get("data", {})]
    assert len(charts) == 1 and charts[0]["datasets"], "the share of NeurIPS papers, drawn from data/"
    assert (repository / "figures" / "papers-neurips-share.png").exists()  # exports land in the book, not in site
