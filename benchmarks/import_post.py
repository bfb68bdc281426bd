"""Time ``python -m ai4neuro import-post`` on a ~1 MB post (issue 12's target: seconds).

The post is generated from the hand-made kramdown tour (tests/fixtures/posts), each copy numbered so
no passage repeats: headings, math, tables, images, Liquid, attribute lists, footnotes, all of it.
It is imported into a temporary copy of the book three times: fresh, unchanged (a no-op sync), and
after one paragraph changed (a sync). Prints the seconds; asserts nothing.

    .venv/bin/python benchmarks/import_post.py [--megabytes 1.0]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_posts import FIXTURES, png  # noqa: E402

from ai4neuro import posts  # noqa: E402


def big_post(megabytes: float) -> str:
    tour = (FIXTURES / "_posts" / "2024-05-01-kramdown-tour.md").read_text(encoding="utf-8")
    head, body = tour.split("---\n", 2)[1:]
    body = body.replace("* TOC\n{:toc}\n", "").rstrip().removesuffix("---")
    copies, size, number = [], 0, 0
    while size < megabytes * 1_000_000:
        number += 1
        copy = (
            body.replace("[^log]", f"[^log{number}]")
            .replace("[^tab]", f"[^tab{number}]")
            .replace("custom-anchor", f"custom-anchor-{number}")
            .replace("Second section\n--------------", f"Section {number}\n--------------")
            .replace("#second-section", f"#section-{number}")
            .replace("A lighthouse keeper counted", f"Keeper number {number} counted")
        )
        copy = f"# Part of the log, week {number}\n\n" + copy
        copies.append(copy)
        size += len(copy.encode("utf-8"))
    return f"---\n{head}---\n\n" + "\n\n".join(copies) + "\n"


def timed(action) -> tuple[float, str]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder)
        shutil.copy2(ROOT / "_toc.yml", book / "_toc.yml")
        shutil.copytree(ROOT / "chapters", book / "chapters")
        shutil.copytree(ROOT / "posts", book / "posts")
        images = book / "posts" / "assets" / "images" / "fixture"
        images.mkdir(parents=True)
        (images / "chart.png").write_bytes(png(80, 40, (200, 60, 60)))
        (images / "photo.png").write_bytes(png(60, 60, (60, 60, 200)))
        post = book / "posts" / "_posts" / "2024-09-01-big-log.md"
        post.write_text(big_post(options.megabytes), encoding="utf-8")
        size = post.stat().st_size
        warnings: list[str] = []
        fresh, _ = timed(lambda: posts.import_post(post, warn=warnings.append))
        again, message = timed(lambda: posts.import_post(post))
        assert "up to date" in message, message
        post.write_text(post.read_text(encoding="utf-8").replace("Keeper number 7 counted", "Keeper seven counted"))
        sync, _ = timed(lambda: posts.import_post(post))
        chapter = (book / "chapters" / "big-log.md").stat().st_size
    print(
        f"post: {size / 1e6:.2f} MB ({size:,} bytes) → chapter {chapter / 1e6:.2f} MB; {len(warnings)} warning line(s)"
    )
    print(f"import, fresh:            {fresh:6.2f} s")
    print(f"import, unchanged (sync): {again:6.2f} s")
    print(f"import, one paragraph:    {sync:6.2f} s")


if __name__ == "__main__":
    main()
