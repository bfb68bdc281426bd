"""Math typeset offline: MathJax served from the build itself, only to pages that hold math.

Sphinx's mathjax extension adds its script only to pages with math, but loads it from a CDN, so
from ``file://`` with no network a reader sees raw ``\\( … \\)``. This points ``mathjax_path`` at
MathJax 3.2.2's ``tex-svg-full.js`` (one file: every TeX extension and SVG output, so it fetches
no fonts or extensions), taken from the pinned ``sphinx-mathjax-offline`` package and checked
against its SHA-256, and writes it into the build's ``_static/mathjax/`` when any page has math.
An author's own ``mathjax_path`` in ``_config.yml`` wins.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from ai4neuro.bookext.assets import copy_asset
from ai4neuro.files import sha256_file

PACKAGE = "sphinx-mathjax-offline"
SCRIPT = "tex-svg-full.js"
SHA256 = "a4354ff94fd868aea0cc6eaaa79a57fda0588646fc46ee3700a349ee0a11cbe6"  # MathJax 3.2.2, es5/tex-svg-full.js
FOLDER = "mathjax"  # under the build's _static/
TARGET = f"{FOLDER}/{SCRIPT}"


def mathjax_script() -> Path:
    try:
        files = importlib.metadata.files(PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == SCRIPT:
            path = Path(file.locate())
            if sha256_file(path) == SHA256:
                return path
            raise ExtensionError(f"{path}: not the pinned MathJax (SHA-256 differs). Reinstall requirements.txt.")
    raise ExtensionError(f"MathJax for offline math is missing: pip install -r requirements.txt ({PACKAGE}).")


def serve_locally(app: Sphinx, config: Config) -> None:
    if str(config.mathjax_path).startswith(("https://", "http://")):
        config.mathjax_path = TARGET


def write_script(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or app.config.mathjax_path != TARGET:
        return
    has_math = app.env.get_domain("math").data.get("has_equations", {})
    if not any(has_math.values()):
        return
    copy_asset(mathjax_script(), Path(app.outdir) / "_static" / FOLDER)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", serve_locally)
    app.connect("build-finished", write_script)
