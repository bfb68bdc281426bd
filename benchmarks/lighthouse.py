"""Lighthouse scores of every built page, served the way a static host serves them.

    python benchmarks/lighthouse.py [--html _build/html] [--runs N] [--preset mobile desktop] [--out FILE]

Without ``--html`` the book is built first in a temporary copy of the repository (as ``run.py`` does).
Each page is served from a local server on 127.0.0.1 that compresses text with gzip and sends
``Cache-Control: max-age=600``, as GitHub Pages does (:func:`ai4neuro.testing.static_host`), and audited
by Lighthouse 12 (``npm ci`` installs it from ``package.json``) in Debian's chromium with the preset's
throttling: ``mobile`` (Lighthouse's default: a mid-range phone on a slow 4G network, simulated) and
``desktop``. Per page and preset: the four category scores (median of ``--runs``), the metrics behind the
performance score, the bytes transferred and the audits that lost points. Nothing here is asserted;
``run.py`` includes these numbers in its report.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from builds import built_pages, fresh_copy, timed_build
from tabulate import tabulate

from ai4neuro.testing import CHROMIUM, ROOT, static_host

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "lighthouse.json"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "speed-index": "speed_index_ms",
    "cumulative-layout-shift": "cls",
}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"


def audit(url: str, preset: str) -> dict:
    """One Lighthouse run of ``url`` with the ``mobile`` or ``desktop`` preset; its JSON report."""
    if not LIGHTHOUSE.exists():
        sys.exit("benchmark: Lighthouse is not installed; `npm ci` (or `./run test --collect-only -q`) installs it.")
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet"]
    command.append(f"--chrome-flags={CHROME_FLAGS}")
    if preset == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"benchmark: Lighthouse failed on {url} ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def lost_points(report: dict, category: str) -> list[str]:
    """The audits of a category that count towards its score and did not pass."""
    audits = report["audits"]
    return sorted(
        reference["id"]
        for reference in report["categories"][category]["auditRefs"]
        if reference["weight"] > 0 and audits[reference["id"]]["score"] not in (None, 1)
    )


def summarise(reports: list[dict]) -> dict:
    """Median scores and metrics of several runs of one page and preset; what lost points in the last run."""
    last = reports[-1]
    return {
        "scores": {
            category: round(100 * statistics.median(report["categories"][category]["score"] or 0 for report in reports))
            for category in CATEGORIES
        },
        "performance_runs": [round(100 * (report["categories"]["performance"]["score"] or 0)) for report in reports],
        "metrics": {
            name: round(statistics.median(report["audits"][audit_id]["numericValue"] for report in reports), 3)
            for audit_id, name in METRICS.items()
        },
        "transferred_kib": round(last["audits"]["total-byte-weight"]["numericValue"] / 1024),
        "requests": len(last["audits"]["network-requests"]["details"]["items"]),
        "lost_points": {category: lost_points(last, category) for category in CATEGORIES},
        "lighthouse_version": last["lighthouseVersion"],
    }


def measure(html: Path, pages: list[Path], runs: int, presets: tuple[str, ...] = ("mobile", "desktop")) -> list[dict]:
    """Lighthouse each page with each preset, ``runs`` times, from the gzip static host."""
    results = []
    with static_host(html) as base:
        for path in pages:
            page = path.relative_to(html).as_posix()
            for preset in presets:
                summary = summarise([audit(base + page, preset) for _ in range(runs)])
                results.append({"page": page, "preset": preset, **summary})
                scores = "/".join(str(summary["scores"][category]) for category in CATEGORIES)
                print(f"  lighthouse {page} ({preset}): {scores}", flush=True)
    return results


def print_table(results: list[dict]) -> None:
    rows = [
        [
            result["page"],
            result["preset"],
            *(result["scores"][category] for category in CATEGORIES),
            f"{result['metrics']['fcp_ms'] / 1000:.1f}",
            f"{result['metrics']['lcp_ms'] / 1000:.1f}",
            round(result["metrics"]["tbt_ms"]),
            result["metrics"]["cls"],
            result["transferred_kib"],
        ]
        for result in results
    ]
    headers = ["page", "preset", "perf", "a11y", "best pr.", "SEO", "FCP s", "LCP s", "TBT ms", "CLS", "KiB sent"]
    print(tabulate(rows, headers=headers, tablefmt="github"))
    for result in results:
        lost = {category: ids for category, ids in result["lost_points"].items() if ids}
        if lost:
            print(f"  {result['page']} ({result['preset']}) lost points on: {lost}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, help="a built book's html folder (default: build a fresh copy)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and preset (default 3)")
    parser.add_argument("--preset", nargs="+", choices=["mobile", "desktop"], default=["mobile", "desktop"])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ai4neuro-lighthouse-") as workdir:
        html = arguments.html
        if html is None:
            source = fresh_copy(Path(workdir), "lighthouse")
            print("building the book...", flush=True)
            timed_build(source)
            html = source / "_build" / "html"
        results = measure(html.resolve(), built_pages(html.resolve()), arguments.runs, tuple(arguments.preset))
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print_table(results)
    print(f"\nJSON: {arguments.out}")


if __name__ == "__main__":
    main()
