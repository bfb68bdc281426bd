"""Shared test fixtures: build the book in a temporary copy, and open its pages in headless Chromium.

The book is always built in a copy of the repository (never in place), with ``AI4NEURO_DATA`` and
``AI4NEURO_FIGURES`` pointing into that copy, so tests never touch the published ``data/`` or ``figures/``.
Pages are opened from ``file://`` with every other request aborted: the network is blocked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # belt and braces: nothing resolves
]


def repository_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files: what a fresh clone (plus work in progress) holds."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in listing.split("\0") if name and (ROOT / name).is_file()]


def copy_repository(target: Path) -> Path:
    for name in repository_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    return target


def run_build(source: Path, env: dict | None = None, data_dir: Path | None = None) -> Path:
    """``jupyter-book build <source> -W --keep-going``; return the html folder or fail with the log."""
    environment = {
        **os.environ,
        "AI4NEURO_DATA": str(data_dir or source / "data"),
        "AI4NEURO_FIGURES": str(source / "figures"),
        **(env or {}),
    }
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(source), "-W", "--keep-going"],
        env=environment,
        capture_output=True,
        text=True,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"book build failed ({result.returncode}):\n{log[-8000:]}"
    return source / "_build" / "html"


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
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: `./run test` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class PageVisit:
    page: object
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


def open_page(browser, path: Path, *, width: int = 1200, height: int = 900, wait_until: str = "load") -> PageVisit:
    """Open ``path`` from file:// in a fresh context with the network blocked; record what went wrong."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    visit = PageVisit(page)

    def block_network(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            visit.blocked_requests.append(route.request.url)
            route.abort()

    context.route("**/*", block_network)
    page.on("console", lambda message: message.type == "error" and visit.console_errors.append(message.text))
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: visit.failed_requests.append(request.url))
    page.goto(Path(path).resolve().as_uri(), wait_until=wait_until)
    return visit


def hover_until_tooltip(page, chart: str, marks: str) -> str:
    """Move the pointer over a chart's marks until Vega's tooltip shows; return its text ("" if none does)."""
    page.locator(chart).scroll_into_view_if_needed()
    tooltip = page.locator("#vg-tooltip-element")
    for mark in page.locator(f"{chart} {marks}").all():
        box = mark.bounding_box()
        if not box or box["width"] * box["height"] == 0:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            tooltip.wait_for(state="visible", timeout=1000)
            return tooltip.inner_text()
        except Exception:  # playwright's TimeoutError: try the next mark
            continue
    return ""


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
