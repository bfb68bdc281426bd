"""Measure the book: build times, the execution floor, and what each page loads.

    python benchmarks/run.py [--runs N] [--cold-runs N] [--lighthouse-runs N] [--pages-only] [--quick] [--out FILE]

Every build runs in a temporary copy of the repository (the files a fresh clone holds, plus work
in progress), with ``AI4NEURO_DATA``, ``AI4NEURO_FIGURES`` and ``AI4NEURO_CACHE`` pointing into
that copy: the repository's ``_build/``, ``data/`` and ``figures/`` are never touched.

- build: cold build (fresh ``_build/`` and execution cache), warm no-op rebuild, rebuild after a
  sentence is appended to a prose paragraph, rebuild after a comment line is added to a figure's
  code cell; the median of several runs, in seconds.
- floor: every chapter's code cells executed in a fresh kernel per chapter (jupytext + nbclient,
  working directory = the chapter's folder), without Sphinx; reported with cold build / floor, and
  split into kernel start-up (what any executing book pays) and the cells themselves, per chapter.
- baseline: a plain Jupyter Book 1 built by the benchmark from the same chapters with their code
  cells (and the directives that place their outputs) removed, without this book's extension:
  cold, warm no-op and prose-edit builds, so the overhead of the book's machinery is a number.
- pages: per built page, the bytes it loads (each file once, sizes from disk) and the time until
  its first chart is drawn (pages with a chart) or until load (others), in headless Chromium with
  the network blocked. Not a test: nothing here asserts a timing.
- lighthouse: per built page, Lighthouse 12's scores and metrics with its mobile and desktop presets,
  the page served by a local gzip static host (``lighthouse.py``; ``--pages-only`` measures just the
  pages and Lighthouse, of one build).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import jupytext
import lighthouse
import nbclient
import yaml
from builds import book_environment, built_pages, fresh_copy, summary, timed_build
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from myst_nb.core.read import is_myst_markdown_notebook
from tabulate import tabulate

from ai4neuro.bookext.charts import BUNDLE, RENDERER, STATIC_SUBDIR
from ai4neuro.outputs import CHART_CLASS
from ai4neuro.testing import ROOT, launch_chromium

DEFAULT_OUT = ROOT / "benchmarks" / "results" / "latest.json"
CHART_JS = {f"_static/{STATIC_SUBDIR}/{BUNDLE}", f"_static/{STATIC_SUBDIR}/{RENDERER}"}
FIRST_CHART = f"div.{CHART_CLASS} svg, div.{CHART_CLASS} canvas"
PAGE_TIMEOUT_MS = 60_000
GLUE_BLOCK = re.compile(r"^(`{3,}|:{3,})\{glue(:\w*)?\}[^\n]*\n.*?^\1[ \t]*$\n?", re.M | re.S)
GLUE_ROLE = re.compile(r"\{glue(:\w*)?\}`[^`]*`")
FILE_KINDS = {
    ".html": "html",
    ".css": "css",
    ".js": "js",
    ".woff": "font",
    ".woff2": "font",
    ".ttf": "font",
    ".png": "image",
    ".svg": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".ico": "image",
}


# ---------------------------------------------------------------- copies and builds


# ---------------------------------------------------------------- chapters and edits


def toc_files(source: Path) -> list[Path]:
    """The chapters named in ``_toc.yml`` (root, chapters, parts, sections), in order."""
    names: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            names.extend(node[key] for key in ("root", "file") if isinstance(node.get(key), str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8")))
    found = []
    for name in names:
        candidates = [source / name, source / f"{name}.md", source / f"{name}.ipynb"]
        path = next((path for path in candidates if path.is_file() and path.suffix in {".md", ".ipynb"}), None)
        if path and path not in found:
            found.append(path)
    return found


def notebook_chapters(source: Path) -> list[Path]:
    """Chapters the build executes: notebooks (MyST or .ipynb) with at least one code cell."""
    chapters = []
    for path in toc_files(source):
        if path.suffix == ".md" and not is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            continue
        if any(cell.cell_type == "code" for cell in jupytext.read(path).cells):
            chapters.append(path)
    return chapters


def markdown_tokens(text: str):
    return MarkdownIt("commonmark").use(front_matter_plugin).parse(text)


def figure_chapter(source: Path) -> Path:
    """The first MyST chapter whose code cells draw a figure (they call ``ai4neuro.views``)."""
    for path in notebook_chapters(source):
        code = [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]
        if path.suffix == ".md" and any("ai4neuro.views" in source for source in code):
            return path
    sys.exit("benchmark: no MyST chapter with a code cell that calls ai4neuro.views was found in _toc.yml")


def append_to_prose(path: Path, run: int) -> None:
    """Append a sentence to the chapter's first top-level prose paragraph."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for token in markdown_tokens("".join(lines)):
        if token.type == "paragraph_open" and token.level == 0 and lines[token.map[0]][:1].isalnum():
            last = token.map[1] - 1
            lines[last] = lines[last].rstrip("\n") + f" The benchmark added this sentence ({run}).\n"
            path.write_text("".join(lines), encoding="utf-8")
            return
    sys.exit(f"benchmark: {path} has no top-level prose paragraph to edit")


def comment_code_cell(path: Path, run: int) -> None:
    """Add a comment line at the end of the chapter's first code cell (changes its cache key only)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for token in markdown_tokens("".join(lines)):
        if token.type == "fence" and token.info.strip().startswith("{code-cell}"):
            closing = token.map[1] - 1
            lines.insert(closing, f"# benchmark edit {run}\n")
            path.write_text("".join(lines), encoding="utf-8")
            return
    sys.exit(f"benchmark: {path} has no code cell to edit")


# ---------------------------------------------------------------- measurements


def cold_builds_and_floor(workdir: Path, cold_runs: int, floor_runs: int) -> tuple[dict, dict, Path]:
    """Cold builds and floor runs, alternated so both see the same machine load; each in a fresh copy.

    Returns the cold summary, the floor summary and the last cold-built copy (for pages and rebuilds).
    """
    cold, floor, source = [], [], None
    for run in range(max(cold_runs, floor_runs)):
        if run < cold_runs:
            source = fresh_copy(workdir, "cold")
            cold.append(timed_build(source))
            print(f"  cold {run + 1}/{cold_runs}: {cold[-1]:.1f} s", flush=True)
        if run < floor_runs:
            floor.append(execute_chapters(fresh_copy(workdir, "floor")))
            print(f"  floor {run + 1}/{floor_runs}: {floor[-1]['total']:.1f} s", flush=True)
    floor_summary = summary([run["total"] for run in floor])
    floor_summary["chapters"] = {
        chapter: {part: round(statistics.median(run["chapters"][chapter][part] for run in floor), 2) for part in parts}
        for chapter, parts in floor[0]["chapters"].items()
    }
    floor_summary["cold_build_over_floor"] = round(statistics.median(cold) / floor_summary["median_s"], 2)
    return summary(cold), floor_summary, source


# ---------------------------------------------------------------- the plain Jupyter Book baseline


def strip_to_plain_book(source: Path) -> None:
    """Make a copy a plain Jupyter Book 1: chapters without code cells or output directives, no extension."""
    for path in notebook_chapters(source):
        notebook = jupytext.read(path)
        notebook.cells = [cell for cell in notebook.cells if cell.cell_type != "code"]
        for cell in notebook.cells:
            cell.source = GLUE_BLOCK.sub("", GLUE_ROLE.sub("…", cell.source))
        jupytext.write(notebook, path, fmt="md:myst")
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["extra_extensions"] = [
        name for name in config["sphinx"]["extra_extensions"] if "ai4neuro" not in name
    ]
    config["sphinx"]["config"] = {
        key: value for key, value in config["sphinx"]["config"].items() if "ai4neuro" not in key
    }
    config["execute"]["execute_notebooks"] = "off"
    (source / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def baseline_builds(workdir: Path, cold_runs: int, runs: int) -> dict:
    """Cold, warm no-op and prose-edit builds of the plain book (same chapters, no code cells)."""
    cold, source = [], None
    for run in range(cold_runs):
        source = fresh_copy(workdir, "baseline")
        edited = figure_chapter(source).relative_to(source)  # the chapter the book's edit benchmarks edit
        strip_to_plain_book(source)
        cold.append(timed_build(source))
        print(f"  baseline cold {run + 1}/{cold_runs}: {cold[-1]:.1f} s", flush=True)
    results = {"cold": summary(cold)}
    chapter = source / edited
    for scenario, edit in (("warm_noop", None), ("prose_edit", append_to_prose)):
        samples = []
        for run in range(runs):
            if edit:
                edit(chapter, run)
            samples.append(timed_build(source))
        results[scenario] = summary(samples)
        print(f"  baseline {scenario}: {results[scenario]['median_s']} s", flush=True)
    return results


def rebuilds(source: Path, runs: int) -> dict:
    """Warm no-op, prose-edit and figure-cell-edit rebuilds of an already built copy."""
    chapter = figure_chapter(source)
    results = {}
    for scenario, edit in (
        ("warm_noop", None),
        ("prose_edit", append_to_prose),
        ("figure_cell_edit", comment_code_cell),
    ):
        results[scenario] = []
        for run in range(runs):
            if edit:
                edit(chapter, run)
            results[scenario].append(timed_build(source))
            print(f"  {scenario} {run + 1}/{runs}: {results[scenario][-1]:.1f} s", flush=True)
    build = {name: summary(samples) for name, samples in results.items()}
    build["edited_chapter"] = chapter.relative_to(source).as_posix()
    return build


def execute_chapters(source: Path) -> dict:
    """Seconds to run every chapter's code cells, a fresh kernel per chapter, no Sphinx.

    ``total``: everything; per chapter, ``kernel_start`` (launch until the kernel answers) and
    ``cells`` (the cells themselves, run one after the other).
    """
    environment, chapters = book_environment(source), notebook_chapters(source)
    total, parts = time.perf_counter(), {}
    for path in chapters:
        notebook = jupytext.read(path)
        kernel = notebook.metadata.get("kernelspec", {}).get("name", "python3")
        client = nbclient.NotebookClient(  # the kernel is stopped as the book's build stops it (ai4neuro.bookext)
            notebook,
            kernel_name=kernel,
            timeout=600,
            resources={"metadata": {"path": str(path.parent)}},
            shutdown_kernel="immediate",
        )
        start = time.perf_counter()
        with client.setup_kernel(env=environment, stderr=subprocess.DEVNULL):  # kernel starts in the chapter folder
            started = time.perf_counter()
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            done = time.perf_counter()
        parts[path.relative_to(source).as_posix()] = {"kernel_start": started - start, "cells": done - started}
    return {"total": time.perf_counter() - total, "chapters": parts}


def file_of(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def bytes_by_kind(files: set[Path]) -> dict:
    """Bytes on disk per kind of file (html, css, js, font, image, other: e.g. data)."""
    totals: dict[str, int] = {}
    for file in files:
        kind = FILE_KINDS.get(file.suffix.lower(), "other")
        totals[kind] = totals.get(kind, 0) + file.stat().st_size
    return dict(sorted(totals.items()))


def visit(browser, page_path: Path, has_chart: bool) -> dict:
    """One visit in a fresh browser context (empty cache), the network blocked."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    loaded: set[Path] = set()
    blocked: list[str] = []

    def block(route):
        blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(("file:", "data:", "blob:")), block)
    page = context.new_page()
    page.on("response", lambda response: response.url.startswith("file:") and loaded.add(file_of(response.url)))
    page.goto(page_path.as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    chart_ms = None
    if has_chart:  # charts draw when they near the screen: go to the first one, as a reader scrolls to it
        page.locator(f"div.{CHART_CLASS}").first.scroll_into_view_if_needed()
        chart_ms = page.wait_for_function(
            f"() => document.querySelector({json.dumps(FIRST_CHART)}) ? performance.now() : null",
            polling="raf",
            timeout=PAGE_TIMEOUT_MS,
        ).json_value()
    context.close()
    return {"files": loaded, "blocked": blocked, "load_ms": load_ms, "chart_ms": chart_ms}


def measure_pages(html: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except FileNotFoundError as error:
            sys.exit(f"benchmark: {error}; `./run test --collect-only -q` installs it.")
        pages = built_pages(html)
        visit(browser, pages[0], has_chart=False)  # warm the browser up; not measured
        for path in pages:
            has_chart = f'<div class="{CHART_CLASS}"' in path.read_text(encoding="utf-8")
            visits = [visit(browser, path, has_chart) for _ in range(runs)]
            files = {file for one in visits for file in one["files"] if file.is_file()}
            chart_js = [
                file for file in files if file.is_relative_to(html) and file.relative_to(html).as_posix() in CHART_JS
            ]
            times = [one["chart_ms"] if has_chart else one["load_ms"] for one in visits]
            results.append(
                {
                    "page": path.relative_to(html).as_posix(),
                    "kind": "chart" if has_chart else "plain",
                    "files": len(files),
                    "bytes": sum(file.stat().st_size for file in files),
                    "bytes_by_kind": bytes_by_kind(files),
                    "chart_js_bytes": sum(file.stat().st_size for file in chart_js),
                    "first_chart_or_load_ms": round(statistics.median(times)),
                    "load_ms": round(statistics.median(one["load_ms"] for one in visits)),
                    "runs_ms": [round(value) for value in times],
                    "blocked_requests": sorted(set().union(*(one["blocked"] for one in visits))),
                }
            )
            print(f"  page {results[-1]['page']}: {results[-1]['first_chart_or_load_ms']} ms", flush=True)
        browser.close()
    return results


# ---------------------------------------------------------------- report


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        if cpuinfo.exists()
        else []
    )
    return {
        "platform": platform.platform(),
        "cpu": models[0] if models else platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def print_report(report: dict) -> None:
    build, floor = report["build"], report["floor"]
    print(f"\nMeasured {report['measured_at']} on {report['machine']['cpu']} ({report['machine']['cores']} cores)\n")
    rows = [
        [name, build[name]["median_s"], ", ".join(f"{value:.1f}" for value in build[name]["runs_s"])]
        for name in ("cold", "warm_noop", "prose_edit", "figure_cell_edit")
    ]
    rows.append(
        [
            "floor (execute chapters, no Sphinx)",
            floor["median_s"],
            ", ".join(f"{value:.1f}" for value in floor["runs_s"]),
        ]
    )
    print(tabulate(rows, headers=["build", "median s", "runs s"], tablefmt="github"))
    print(f"\ncold build / floor = {floor['cold_build_over_floor']}   (edited chapter: {build['edited_chapter']})\n")
    baseline = report["baseline"]
    rows = [
        [name, build[name]["median_s"], baseline[name]["median_s"] if name in baseline else "n/a (no code cells)"]
        for name in ("cold", "warm_noop", "prose_edit", "figure_cell_edit")
    ]
    print(tabulate(rows, headers=["build", "this book, s", "plain Jupyter Book 1, s"], tablefmt="github"))
    rows = [[chapter, parts["kernel_start"], parts["cells"]] for chapter, parts in floor["chapters"].items()]
    print()
    print(tabulate(rows, headers=["floor, per chapter", "kernel start s", "cells s"], tablefmt="github"))
    print_pages_report(report)


def print_pages_report(report: dict) -> None:
    print()
    rows = [
        [
            page["page"],
            page["kind"],
            page["files"],
            f"{page['bytes'] / 1024:.0f}",
            f"{page['chart_js_bytes'] / 1024:.0f}",
            page["first_chart_or_load_ms"],
        ]
        for page in report["pages"]
    ]
    print(
        tabulate(
            rows,
            headers=["page", "kind", "files", "KiB loaded", "chart JS KiB", "first chart / load ms"],
            tablefmt="github",
        )
    )
    if report.get("lighthouse"):
        print()
        lighthouse.print_table(report["lighthouse"])


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per warm/edit build, floor and page (default 3)")
    parser.add_argument("--cold-runs", type=int, default=2, help="cold builds (default 2)")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page and preset (default 3; 0: none)"
    )
    parser.add_argument("--pages-only", action="store_true", help="one build; only the pages and Lighthouse")
    parser.add_argument("--quick", action="store_true", help="one run of everything")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT.relative_to(ROOT)})"
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.runs = arguments.cold_runs = arguments.lighthouse_runs = 1
    if arguments.runs < 1 or arguments.cold_runs < 1:
        parser.error("--runs and --cold-runs must be at least 1")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    report = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "runs": arguments.runs,
            "cold_runs": arguments.cold_runs,
            "lighthouse_runs": arguments.lighthouse_runs,
        },
    }
    with tempfile.TemporaryDirectory(prefix="ai4neuro-benchmark-") as workdir:
        if arguments.pages_only:
            source = fresh_copy(Path(workdir), "pages")
            timed_build(source)
        else:
            print("cold builds and floor:", flush=True)
            cold, report["floor"], source = cold_builds_and_floor(Path(workdir), arguments.cold_runs, arguments.runs)
        html = source / "_build" / "html"
        print("pages (of the cold build):", flush=True)
        report["pages"] = measure_pages(html, arguments.runs)
        if arguments.lighthouse_runs:
            print("Lighthouse (pages served with gzip from 127.0.0.1):", flush=True)
            report["lighthouse"] = lighthouse.measure(html, built_pages(html), arguments.lighthouse_runs)
        if arguments.pages_only:
            return finish(report, arguments.out, print_pages_report)
        print("rebuilds:", flush=True)
        report["build"] = {"cold": cold, **rebuilds(source, arguments.runs)}
        print("plain Jupyter Book baseline:", flush=True)
        report["baseline"] = baseline_builds(Path(workdir), arguments.cold_runs, arguments.runs)
    finish(report, arguments.out, print_report)


def finish(report: dict, out: Path, printer) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    printer(report)
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
