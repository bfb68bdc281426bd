"""Jekyll posts → MyST chapters: ``python -m ai4neuro import-post posts/<...>.md [--force]``.

A post (``posts/_posts/YYYY-MM-DD-<slug>.md``, or a draft ``posts/_drafts/<slug>.md``) becomes
``chapters/<slug>.md``, a myst-nb text notebook, listed in ``_toc.yml`` in series order. The post is
read as Jekyll reads it (its defaults: kramdown with ``input: GFM``) and written as MyST that shows
the same thing; what MyST cannot show is one warning naming the post and line, never silently wrong.

The modules, in the order an import runs them:

- :mod:`.site`: the blog's settings (``posts/_config.yml``: ``url``, ``baseurl``, ``series``, ``site.*``);
- :mod:`.jekyll`: Jekyll's rules: the post's front matter, file name, title, date, tags and slug, its
  permalink, and the blog's addresses from ``url`` and ``baseurl``;
- :mod:`.liquid`: Liquid tags and ``{{ }}`` output, converted (or one error);
- :mod:`.blocks`: Markdown as top-level blocks, the one splitter; :mod:`.reader`: a post's blocks as
  kramdown reads them (:mod:`.html`: where HTML ends);
- :mod:`.kramdown`: kramdown → MyST, block by block, handing each job to its module: :mod:`.attributes`
  (attribute lists), :mod:`.html_blocks` (raw HTML, elements with Markdown inside), :mod:`.inline` (the text
  in a block), :mod:`.images` (images with attributes, Liquid's figures), :mod:`.math`, :mod:`.tables`,
  :mod:`.nesting` (lists too deep for MyST) and :mod:`.highlight` (code the book cannot colour);
- :mod:`.escaping`: code spans, and the one Markdown escaper (text MyST must show as written);
- :mod:`.references`: links and files in the text and in raw HTML; :mod:`.links`: where links go (other
  posts, the blog, headings in the page); :mod:`.assets`: the post's files, copied into the book;
- :mod:`.anchors`: heading ids as kramdown makes them (MyST's slug function too);
- :mod:`.arrange`: the blocks as the chapter's body (repeats folded, definitions hoisted, headings ranked);
- :mod:`.convert`: a post into the chapter's blocks, all the steps above in order;
- :mod:`.chapter`: the chapter's front matter, read and written in one place (the book's build reads it too);
- :mod:`.sync`: re-import keeps the blocks the author added, anchored where they were;
- :mod:`.series` and :mod:`.toc`: the series' parts, and the chapter's place in ``_toc.yml``;
- :mod:`.notes`: the warnings, and the one error that lists everything missing;
- :mod:`.journal`: the chapter, a renamed post's old chapter and ``_toc.yml`` change as one step;
- :mod:`.importer`: the command, which checks everything before it writes anything.
"""

from importlib import import_module

# Exported names and the module holding each, imported on first use: a book build needs only
# :mod:`.anchors` (MyST's slug function), :mod:`.chapter` and :mod:`.assets`, not the importer.
_EXPORTS = {
    "PROSE": "blocks",
    "Block": "blocks",
    "collapse_repeats": "arrange",
    "promote_headings": "arrange",
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
