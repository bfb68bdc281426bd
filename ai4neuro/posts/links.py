"""Links from one post to another: ``{% post_url name %}`` and ``{% link _posts/name.md %}``.

Jekyll writes the other post's address (its permalink, :func:`~ai4neuro.posts.jekyll.permalink`). In the
book: the chapter of that post when the book holds it; the post itself → its own page (so
``{% post_url me %}#part`` is an in-page link, the same on every import); any other post → its address
on the blog, with a warning. A post the blog does not have is listed with every other missing target.
"""

from __future__ import annotations

from pathlib import Path

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.posts.chapter import read_front_matter
from ai4neuro.posts.jekyll import Post, nfc, permalink, read_post
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site


def post_link(site: Site, notes: Notes, post: Post, target: str, line: int, fragment: bool) -> str:
    """The link target for a post_url/link tag in ``post`` (``fragment``: a ``#part`` follows the tag)."""
    name = nfc(Path(target.strip("'\" ")).stem)
    if name == post.name:
        return "" if fragment else f"{post.slug}.md"
    for path in sorted((site.root / "chapters").glob("*.md")):
        owner = read_front_matter(path).get("post")
        if owner and nfc(Path(str(owner)).stem) == name:
            return f"{path.stem}.md"
    candidates = [path for path in sorted(site.folder.glob("_posts/**/*")) if nfc(path.stem) == name]
    if not candidates:
        notes.not_found(
            "linked post",
            line,
            f"{{% post_url {target} %}} (no post {name} under posts/_posts/)",
            "Check the names (the file name without .md), copy those posts into posts/_posts/, "
            "or write the links out as addresses.",
        )
        return "#"
    try:
        other = read_post(candidates[0])
    except Ai4NeuroError:
        other = None
    notes.warn(line, f"{name} is not in the book; the link goes to the blog")
    path = permalink(other, site.variables.get("permalink")) if other is not None else None
    if path is None or not site.address:
        return site.absolute("/")
    return site.absolute(path)
