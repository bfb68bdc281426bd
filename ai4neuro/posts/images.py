"""Images that are blocks of their own: a paragraph that is one image with attributes, and the figure and
image directives the Liquid includes make (:mod:`~ai4neuro.posts.liquid`).

MyST's inline image takes no attributes, so ``![alt](x.png){: .align-center width="50%"}`` becomes an
``image`` directive that can carry them (alignment, classes, width and height, the id as its ``:name:``).
Each file is copied into the book (:mod:`~ai4neuro.posts.assets`); where the blog lacks it
(``--skip-missing-images``), a note takes its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ai4neuro.posts.assets import Assets
from ai4neuro.posts.attributes import AttributeLists, Attributes
from ai4neuro.posts.blocks import Block
from ai4neuro.posts.references import missing_image_note

DIRECTIVE_FENCE = re.compile(r"^(`{3,})\{(figure|image|contents)\}(.*)$", re.MULTILINE)
LONE_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)\s*(\{:[^}]*\})?")
ALIGNMENTS = {"align-left", "align-center", "align-right"}


def lone_image(block: Block, attributes: Attributes, lists: AttributeLists, assets: Assets) -> Block | None:
    """A paragraph that is one image with attributes: an ``image`` directive that can carry them (else None)."""
    match = LONE_IMAGE.fullmatch(block.text.strip())
    if not match or not (attributes or match.group(3)):
        return None
    if match.group(3):
        inline = lists.parse(match.group(3)[2:-1], block.line)
        attributes = Attributes(
            inline.id or attributes.id, attributes.classes + inline.classes, {**attributes.values, **inline.values}
        )
    options = _image_options(match.group(1), attributes, block.line, lists)
    source = assets.local(match.group(2), block.line)
    if source is None:
        return Block(missing_image_note(match.group(1) or match.group(2)), "paragraph", block.line)
    return Block("\n".join([f":::{{image}} {source}", *options, ":::"]), "colon_fence", block.line)


def _image_options(alt: str, attributes: Attributes, line: int, lists: AttributeLists) -> list[str]:
    """The ``image`` directive's options for an image's description and attributes."""
    options = [f":alt: {' '.join(alt.split())}"] if alt.strip() else []
    align = [name.split("-", 1)[1] for name in attributes.classes if name in ALIGNMENTS]
    classes = [name for name in attributes.classes if not name.startswith("align-")]
    options += [f":align: {align[0]}"] if align else []
    options += [f":class: {' '.join(classes)}"] if classes else []
    for key in ("width", "height"):
        if key in attributes.values:
            options.append(f":{key}: {attributes.values[key]}")
    others = set(attributes.values) - {"width", "height", "alt"}
    if others:
        lists.links.notes.warn(line, f"image attributes dropped: {', '.join(sorted(others))}")
    if attributes.id:
        options.append(f":name: {attributes.id}")
        lists.links.block_ids.add(attributes.id)
    return options


def image_directive(block: Block, assets: Assets, prose: Callable[[str, int], str]) -> Block | None:
    """A figure, image or contents directive made from a Liquid include: its file copied, caption converted
    (None for any other fence)."""
    lines = block.text.splitlines()
    match = DIRECTIVE_FENCE.match(lines[0])
    if match is None:
        return None
    head = f"{match.group(1)}{{{match.group(2)}}}"
    options = [line for line in lines[1:-1] if line.startswith(":")]
    caption = "\n".join(lines[1 + len(options) : -1]).strip()
    source = assets.local(match.group(3).strip(), block.line) if match.group(3).strip() else ""
    caption = "\n\n" + prose(caption, block.line) if caption else ""  # after the file: warnings in order
    if source is None:
        alt = next((line[5:].strip() for line in options if line.startswith(":alt:")), match.group(3).strip())
        return Block(missing_image_note(alt) + caption, "paragraph", block.line)
    head += f" {source}" if source else ""
    body = "\n".join(options) + caption
    return Block(f"{head}\n{body}\n{lines[-1]}" if body else f"{head}\n{lines[-1]}", "fence", block.line)
