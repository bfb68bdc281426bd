"""Shared test fixtures: books built in temporary copies, pages opened in headless Chromium.

The helpers live in :mod:`ai4neuro.testing` (the benchmarks use them too). The book is always built
in a copy of the repository, with ``AI4NEURO_DATA`` and ``AI4NEURO_FIGURES`` pointing into that copy,
so tests never touch the published ``data/`` or ``figures/``; pages are opened from ``file://`` with
every other request aborted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ai4neuro.bookext.repository import PLACEHOLDER
from ai4neuro.testing import ROOT, PageVisit, copy_repository, launch_chromium, open_page, run_build

REPOSITORY_URL = "https://github.com/test-owner/test-book"  # real-looking: the buttons come on


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A minimal book in a temp folder: the repository's _config.yml, _toc.yml, chapters/ and posts/."""
    for settings in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / settings, tmp_path / settings)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    return tmp_path


@pytest.fixture
def build_book(tmp_path_factory):
    """Build a temporary copy of the book. Arguments:

    - ``env``: extra environment variables for the build;
    - ``data_dir``: the snapshot folder (``AI4NEURO_DATA``), e.g. a fixture folder under ``tests/``;
    - ``extra_files``: ``{relative path: text}`` written into the copy before the build
      (e.g. a test chapter, a changed ``_toc.yml``).
    """

    def build(env: dict | None = None, data_dir: Path | None = None, extra_files: dict | None = None) -> Path:
        source = copy_repository(tmp_path_factory.mktemp("book"))
        for name, text in (extra_files or {}).items():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_text(text, encoding="utf-8")
        return run_build(source, env=env, data_dir=data_dir)

    return build


@pytest.fixture(scope="session")
def book_html(tmp_path_factory) -> Path:
    """The published book, built once per test session from a copy of the repository."""
    source = copy_repository(tmp_path_factory.mktemp("published-book"))
    return run_build(source)


@pytest.fixture(scope="session")
def book_with_repository(tmp_path_factory) -> Path:
    """The book built with a real-looking ``repository.url`` (:data:`REPOSITORY_URL`) in place of the placeholder."""
    source = copy_repository(tmp_path_factory.mktemp("book-with-repository"))
    config = source / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert PLACEHOLDER in text, "_config.yml ships the placeholder repository address"
    config.write_text(text.replace(PLACEHOLDER, REPOSITORY_URL), encoding="utf-8")
    return run_build(source)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    try:
        chromium = launch_chromium(playwright)
    except FileNotFoundError as error:
        pytest.fail(str(error))
    yield chromium
    chromium.close()


@pytest.fixture
def visit_page(browser):
    """``open_page`` bound to the session browser; closes the pages' contexts afterwards."""
    visits: list[PageVisit] = []

    def visit(path: Path, **options) -> PageVisit:
        result = open_page(browser, path, **options)
        visits.append(result)
        return result

    yield visit
    for result in visits:
        result.page.context.close()
