"""Jekyll posts → MyST chapters: ``python -m ai4neuro import-post posts/<...>.md [--force]``.

A post (``posts/_posts/YYYY-MM-DD-<slug>.md``, or a draft ``posts/_drafts/<slug>.md``) becomes
``chapters/<slug>.md``, a myst-nb text notebook, listed in ``_toc.yml`` in series order. The post is
read as Jekyll reads it (its defaults: kramdown with ``input: GFM``) and written as MyST that shows
the same thing; what MyST cannot show is one warning naming the post and line, never silently wrong.

The modules, in the order an import runs them:

- :mod:`.site`: the blog's settings (``posts/_config.yml``: ``url``, ``baseurl``, ``series``, ``site.*``);
- :mod:`.jekyll`: the post's front matter, file name, title, date, tags and slug;
- :mod:`.liquid`: Liquid tags and ``{{ }}`` output, converted (or one error);
- :mod:`.links`: links to other posts (``post_url``), to their chapters or the blog;
- :mod:`.reader`: the post's blocks as kramdown reads them (:mod:`.html`: where HTML ends);
- :mod:`.kramdown`: kramdown → MyST, block by block (attribute lists, headings, HTML, code), with
  :mod:`.references` (links, images, the files raw HTML loads), :mod:`.math` (delimiters), :mod:`.tables`
  and :mod:`.nesting` (lists too deep for MyST);
- :mod:`.assets`: the post's images, scripts and styles, copied into the book;
- :mod:`.anchors`: heading ids as kramdown makes them (MyST's slug function too);
- :mod:`.blocks`: Markdown as top-level blocks; repeats folded, definitions hoisted, headings ranked;
- :mod:`.chapter`: the chapter's text and front matter (with the record of what the import wrote);
- :mod:`.sync`: re-import keeps the blocks the author added, anchored where they were;
- :mod:`.toc`: the chapter's place in ``_toc.yml``;
- :mod:`.journal`: the chapter, a renamed post's old chapter and ``_toc.yml`` change as one step;
- :mod:`.importer`: the command, which checks everything before it writes anything.
"""

from importlib import import_module

# Exported names and the module holding each, imported on first use: a book build needs only
# :mod:`.anchors` (MyST's slug function), not the importer.
_EXPORTS = {
    "PROSE": "blocks",
    "Block": "blocks",
    "collapse_repeats": "blocks",
    "promote_headings": "blocks",
    "split_blocks": "blocks",
    "DRAFT_BANNER": "chapter",
    "MANAGED_KEYS": "chapter",
    "NOTEBOOK_KEYS": "chapter",
    "RECORD_KEY": "chapter",
    "import_post": "importer",
    "read_front_matter": "chapter",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
