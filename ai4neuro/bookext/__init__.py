"""The book's local Sphinx extension (listed in ``_config.yml`` under ``sphinx.extra_extensions``).

- ``drafts``: leaves draft chapters out when asked (``ai4neuro_include_drafts`` / ``AI4NEURO_DRAFTS=0``).
- ``charts``: serves the Vega bundle once, only to pages that hold a chart.
- ``datadeps``: re-executes a chapter when a snapshot it reads in ``data/`` changes.
- ``theme``: small fixes to the theme's pages.
- ``links``: link targets keep a plain ``&`` between query parameters.
- ``tables``: serves the searchable paper-table script only to pages that hold one.
- ``mathjax``: serves MathJax from the build (no CDN) only to pages that hold math.
- ``titles``: page titles stay text in the theme's print header.
- ``icons``: the theme's icon fonts, cut down to the icons the book shows.
- ``metadata``: description, Open Graph and Twitter card tags per page (sphinxext-opengraph).
"""

from sphinx.application import Sphinx

from ai4neuro import __version__


def setup(app: Sphinx) -> dict:
    from ai4neuro.bookext import charts, datadeps, drafts, icons, links, mathjax, metadata, tables, theme, titles

    for part in (drafts, charts, datadeps, links, tables, theme, mathjax, titles, icons, metadata):
        part.setup(app)
    # env_version: bump when what the extension keeps in Sphinx's environment changes (Sphinx then re-reads all).
    return {"version": __version__, "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
