"""A test bed for the figure convention: the repository's code and configuration, with fixture chapters only.

``chapters/testbed-figures.md`` draws a line and a faceted bar figure; ``chapters/testbed-numbers.md``
shows one number and no figure. Their snapshots (hand-made, not real data) are copied to
``<book>/testdata`` so that a test may change them; the published ``data/`` is never used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = "chapters/testbed-index"
CHAPTERS = ["chapters/testbed-figures", "chapters/testbed-numbers"]


def add_testbed(book: Path) -> Path:
    """Make a copied book the test bed: the fixture chapters replace the book's, in its table of contents too.

    Returns the fixture data folder (for ``AI4NEURO_DATA``), a copy inside ``book``.
    """
    for chapter in (book / "chapters").glob("*.md"):
        chapter.unlink()
    for chapter in (HERE / "chapters").glob("*.md"):
        shutil.copy2(chapter, book / "chapters" / chapter.name)
    toc = {"format": "jb-book", "root": ROOT, "chapters": [{"file": name} for name in CHAPTERS]}
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    data = book / "testdata"
    shutil.copytree(HERE / "data", data)
    return data
