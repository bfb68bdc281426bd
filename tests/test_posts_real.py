"""Opt-in: real Jekyll posts kept outside the repository, imported and built with -W.

    AI4NEURO_REAL_POSTS=/path/to/blog .venv/bin/python -m pytest tests/test_posts_real.py -s

The folder holds ``_posts/`` (and maybe ``_drafts/``, ``assets/``) as a Jekyll site does. No post of
anyone's blog is ever committed here. An image a post shows that the folder lacks gets a generated
stand-in (the importer lists them). Each post is imported (or refused with one clear error), the book
is built with -W, and every paragraph of every imported post must be in its page's text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_repository, run_build
from markdown_it import MarkdownIt
from test_posts import png

from ai4neuro.posts.blocks import split_blocks
from ai4neuro.posts.jekyll import read_post
from ai4neuro.posts.liquid import LiquidContext, render_liquid
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.reader import IAL_LINE, KramdownReader
from ai4neuro.posts.site import read_site

FOLDER = os.environ.get("AI4NEURO_REAL_POSTS", "")
LOOKED_FOR = re.compile(r"\(looked for (posts/[^)]+)\)")

pytestmark = [
    pytest.mark.book,
    pytest.mark.skipif(not FOLDER, reason="set AI4NEURO_REAL_POSTS to a folder of real Jekyll posts"),
]


def import_with_stand_ins(book: Path, post: Path) -> subprocess.CompletedProcess:
    """Import ``post``; where images are missing, draw stand-ins at the listed paths and import again."""
    command = [sys.executable, "-m", "ai4neuro", "import-post", post.relative_to(book).as_posix()]
    environment = {**os.environ, "PYTHONPATH": str(book)}
    result = subprocess.run(command, cwd=book, capture_output=True, text=True, env=environment)
    missing = LOOKED_FOR.findall(result.stderr)
    for path in missing:
        (book / path).parent.mkdir(parents=True, exist_ok=True)
        (book / path).write_bytes(png(64, 48, (90, 140, 90)))
    if missing:
        result = subprocess.run(command, cwd=book, capture_output=True, text=True, env=environment)
    return result


def words(text: str) -> str:
    """Letters and digits only: quotes, dashes and spacing are the renderer's business."""
    return re.sub(r"[\W_]+", "", text.replace("’", "'")).lower()


def paragraphs(book: Path, post: Path) -> list[str]:
    """The post's paragraphs as text, after Liquid as Jekyll runs it (attribute lists taken out)."""
    read = read_post(post)
    context = LiquidContext(read_site(book), read.meta, Notes(post), lambda target, line, fragment: "#")
    blocks = split_blocks(render_liquid(read.body, context)[0], reader=KramdownReader)
    definitions = "\n".join(block.text for block in blocks if block.kind == "definitions")
    texts = []
    for block in blocks:
        lines = [line for line in block.text.splitlines() if not IAL_LINE.match(line)]
        if block.kind != "paragraph" or not lines:
            continue
        html = MarkdownIt("commonmark").enable("strikethrough").render("\n".join(lines) + "\n\n" + definitions)
        text = words(BeautifulSoup(html, "html.parser").get_text())
        if text:
            texts.append(text)
    return texts


def test_real_posts_import_build_and_show_every_paragraph(tmp_path):
    book = copy_repository(tmp_path / "book")
    source = Path(FOLDER)
    for part in ("_posts", "_drafts", "assets"):
        if (source / part).is_dir():
            shutil.copytree(source / part, book / "posts" / part, dirs_exist_ok=True)
    imported, refused = {}, {}
    for original in sorted([*source.glob("_posts/*.md"), *source.glob("_drafts/*.md")]):
        post = book / "posts" / original.parent.name / original.name
        result = import_with_stand_ins(book, post)
        if result.returncode == 0:
            imported[post] = result
        else:
            assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
            refused[post.name] = result.stderr.strip()
    html = run_build(book)
    report = [f"{len(imported)} imported, {len(refused)} refused with one error"]
    for post, result in imported.items():
        slug = re.search(r"→ chapters/(.+)\.md", result.stdout).group(1)
        page = words(BeautifulSoup((html / "chapters" / f"{slug}.html").read_text(), "html.parser").get_text())
        missing = [text[:60] for text in paragraphs(book, post) if text not in page]
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        report.append(
            f"{post.name}: {len(paragraphs(book, post))} paragraphs, {len(missing)} missing, {len(warnings)} warnings"
        )
        report += [f"    {line}" for line in warnings]
        assert not missing, (post.name, missing)
    report += [f"{name}: {error}" for name, error in refused.items()]
    print("\n".join(report))
