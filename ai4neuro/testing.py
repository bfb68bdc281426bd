"""Tools for checking the book the way its users meet it, shared by ``tests/`` and ``benchmarks/``.

- :func:`copy_repository` and :func:`run_build`: build the book in a temporary copy of the repository
  (the files a fresh clone holds, plus work in progress), never in place;
- :func:`launch_chromium`, :func:`open_page`, :func:`wait_drawn` and :func:`hover_until_tooltip`: open built
  pages from ``file://`` in Debian's headless chromium (driven by Playwright) with every other request aborted,
  and draw their charts (a chart is drawn when it scrolls into view);
- :func:`static_host`: serve a built book from 127.0.0.1 as a static host (GitHub Pages) would: gzip, cacheable.

Playwright is a test requirement (``requirements-test.txt``), imported only by the caller.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ai4neuro import paths

ROOT = paths.book_root(Path(__file__).parent)  # the checkout the tests and benchmarks run from
PAPER_LISTS_MISSING = (
    "needs the Paper Copilot lists in the download cache: `.venv/bin/python -m ai4neuro refresh papers` "
    "downloads them once (about 74 MB, needs the network), or set AI4NEURO_CACHE to a copy of them "
    "(CI: ../shared/data/paperlists)"
)


def paper_lists_cached() -> bool:
    """Whether every pinned paper list is in the download cache (tests that read the real lists skip otherwise)."""
    from ai4neuro.sources import papers

    return all(
        any(place.is_file() for place in papers.cache_places(row.path, row.commit))
        for row in papers.registry().itertuples()
    )


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
    """``jupyter-book build <source> -W --keep-going``; return the html folder or fail with the log.

    The log of the last build is kept in ``<source>/_build/build.log`` (see :func:`executed_chapters`).
    """
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
    (source / "_build" / "build.log").write_text(log, encoding="utf-8")
    return source / "_build" / "html"


def executed_chapters(source: Path) -> set[str]:
    """The chapters (``chapters/x``) whose cells the last :func:`run_build` of ``source`` executed."""
    log = (source / "_build" / "build.log").read_text(encoding="utf-8")
    found = re.findall(r"^(\S+)\.(?:md|ipynb): Executed notebook in", log, flags=re.M)
    return {Path(path).resolve().relative_to(source.resolve()).as_posix() for path in found}


@dataclass
class PageVisit:
    page: object
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # every console line, of any type, as "type: text"


def open_page(
    browser,
    path: Path,
    *,
    width: int = 1200,
    height: int = 900,
    wait_until: str = "load",
    touch: bool = False,
    query: str = "",
    init_script: str | None = None,
) -> PageVisit:
    """Open ``path`` (+ ``query``) from file:// in a fresh context with the network blocked; record what went
    wrong. ``touch``: as a phone (touch screen, no hover, mobile viewport). ``init_script`` runs before the
    page's own scripts."""
    phone = {"has_touch": True, "is_mobile": True, "device_scale_factor": 2} if touch else {}
    context = browser.new_context(viewport={"width": width, "height": height}, **phone)
    page = context.new_page()
    visit = PageVisit(page)
    if init_script:
        page.add_init_script(init_script)

    def record_console(message) -> None:
        visit.messages.append(f"{message.type}: {message.text}")
        if message.type == "error":
            visit.console_errors.append(message.text)

    def block_network(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            visit.blocked_requests.append(route.request.url)
            route.abort()

    context.route("**/*", block_network)
    page.on("console", record_console)
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: visit.failed_requests.append(request.url))
    page.goto(Path(path).resolve().as_uri() + query, wait_until=wait_until)
    return visit


def wait_drawn(page, chart: str = "div.ai4n-chart", timeout: float = 20000) -> None:
    """Scroll each chart matching ``chart`` into view (charts are drawn when they near the screen) and wait
    until it has drawn (or failed: ``data-rendered`` is then ``error``)."""
    for container in page.locator(chart).all():
        container.scroll_into_view_if_needed()
        page.wait_for_function(
            "c => ['true', 'error'].includes(c.dataset.rendered)", arg=container.element_handle(), timeout=timeout
        )


def hover_until_tooltip(page, chart: str, marks: str) -> str:
    """Move the pointer over a chart's marks until its tooltip shows; return its text ("" if none does)."""
    wait_drawn(page, chart)
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


def launch_chromium(playwright, *, loopback: bool = False):
    """Debian's chromium, headless, with the flags that keep it off the network (``loopback``: but for 127.0.0.1,
    where a test serves, e.g., JupyterLab)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(
            "Debian's chromium is not installed: `./run test` installs it (apt-get install chromium)."
        )
    args = [
        arg + ", EXCLUDE 127.0.0.1" if loopback and arg.startswith("--host-resolver") else arg for arg in CHROMIUM_ARGS
    ]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map", ".md", ".ipynb")


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Files from one folder, text gzip-compressed when the browser accepts it, cacheable for ten minutes."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *arguments) -> None:  # quiet: the report says what matters
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a browser that leaves mid-answer is no error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def static_host(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free port of 127.0.0.1; yield its base URL."""
    server = _QuietServer(("127.0.0.1", 0), partial(StaticHostHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
