"""The book's local Sphinx extension (listed in ``_config.yml`` under ``sphinx.extra_extensions``).

- ``drafts``: leaves draft chapters out when asked (``ai4neuro_include_drafts`` / ``AI4NEURO_DRAFTS=0``).
- ``outputs``: renders the package's cell outputs (charts, searchable tables) and makes a figure of each
  output followed by a caption (a MyST-NB MIME renderer, registered in ``pyproject.toml``).
- ``charts``: the charts' HTML (Vega-Lite compiled to Vega at build time, a "Show the data" table each); serves the
  Vega runtime once, only to pages that hold a chart, and only when a chart nears the screen.
- ``datadeps``: re-executes a chapter when a snapshot it reads in ``data/`` changes.
- ``execution``: runs the chapters that need running side by side, before Sphinx reads them.
- ``theme``: small fixes to the theme's pages.
- ``links``: link targets keep a plain ``&`` between query parameters.
- ``tables``: the searchable tables' HTML; serves their script only to pages that hold one.
- ``titlebox``: the "Try a title" box (``{try-a-title}``): the rule table as data, classified in the browser.
- ``mathjax``: serves MathJax from the build (no CDN) only to pages that hold math.
- ``titles``: short titles name the chapters in navigation; page titles stay text in the print header.
- ``repository``: turns the repository and launch buttons off until ``repository.url`` is set.
- ``trends``: says in the build's output how to add the Google Trends data when ``data/`` has none.
- ``icons``: the theme's icon fonts, cut down to the icons the book shows.
- ``metadata``: description, Open Graph and Twitter card tags per page (sphinxext-opengraph).
- the posts' own scripts and styles (``_static/blog/``) load on their pages only
  (:func:`ai4neuro.posts.assets.page_files_stay_on_their_page`).
- ``csp``: a Content-Security-Policy on every page: the book's own files and the hashes of its own inline
  scripts, nothing from the network, no script from a post.
- ``search``: the search page shows result titles as text (Sphinx 7.4.7's search script, patched).
- ``integrity``: checks ``data/`` before any chapter runs, re-runs a chapter whose figures in ``figures/`` are
  missing or stale, and keeps failed chapters' tracebacks out of the published site.

Shared by the parts: ``collector`` keeps what a part knows of each page as Sphinx keeps its own (an environment
collector), ``assets`` copies the extension's files into the build with Sphinx's helper.

It also tells the chapters' kernels where the book is (``AI4NEURO_ROOT``, see :mod:`ai4neuro.paths`),
so that a build finds ``data/`` from any working directory, stops each kernel as soon as its chapter
has run (:func:`kernels_stop_when_done`), and lets them log errors only (:func:`kernels_say_only_errors`).
"""

import os
from typing import Any

from nbclient import NotebookClient
from sphinx.application import Sphinx

from ai4neuro import __version__


def kernels_stop_when_done() -> None:
    """nbclient's ``shutdown_kernel = "immediate"`` for the chapters the build executes: a chapter's kernel is
    stopped once its last cell has answered, instead of being asked to exit and waited for (about 0.4 s per
    chapter; its cells have written what they write by then). MyST-NB passes nbclient no options, so the
    trait's default is set here, in the build's process only."""
    NotebookClient.class_traits()["shutdown_kernel"].default_value = "immediate"


def kernels_say_only_errors() -> None:
    """The chapters' kernels log errors only (ipykernel's ``--IPKernelApp.log_level=ERROR``): a build runs them
    on the machine itself, where ipykernel's one warning, "Kernel is running over TCP without encryption", asks
    nothing of the author, once per chapter. Their cells' own output and errors reach the book as always."""
    trait: Any = NotebookClient.class_traits()["extra_arguments"]  # a List trait: each client gets a copy of these
    arguments = list(trait.default_args[0]) if trait.default_args else []
    if "--IPKernelApp.log_level=ERROR" not in arguments:
        trait.default_args = ([*arguments, "--IPKernelApp.log_level=ERROR"],)


def setup(app: Sphinx) -> dict:
    from ai4neuro.bookext import (
        charts,
        csp,
        datadeps,
        drafts,
        execution,
        icons,
        integrity,
        links,
        mathjax,
        metadata,
        outputs,
        repository,
        search,
        tables,
        theme,
        titlebox,
        titles,
        trends,
    )
    from ai4neuro.posts.assets import page_files_stay_on_their_page

    app.connect("config-inited", page_files_stay_on_their_page)
    os.environ.setdefault("AI4NEURO_ROOT", str(app.srcdir))  # kernels inherit the build's environment
    kernels_stop_when_done()
    kernels_say_only_errors()
    parts = (
        drafts,
        repository,
        outputs,
        charts,
        datadeps,
        execution,
        links,
        tables,
        titlebox,
        theme,
        mathjax,
        titles,
        icons,
        metadata,
        integrity,
        csp,
        search,
    )
    for part in parts:
        part.setup(app)
    trends.setup(app)
    # env_version: bump when what the extension keeps in Sphinx's environment (its collectors' values, see
    # .collector), or how it reads a page, changes (Sphinx then re-reads all).
    return {"version": __version__, "env_version": 7, "parallel_read_safe": True, "parallel_write_safe": True}
