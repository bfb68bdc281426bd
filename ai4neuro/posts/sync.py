"""Re-import as a sync: the chapter's prose follows the post, what the author added stays put.

The chapter's front matter records the last import (``imported``: one fingerprint per block it
wrote, in order). On the next import, every chapter block whose fingerprint is in that record
came from the post and is replaced by the fresh import; every other block (a code cell, a glue
figure, a note, ...) was added by the author and is kept, anchored to the imported block before it:
it follows that block wherever the post moves it, and takes the place of the block's new version
when the post changed it (the block before it, when the post deleted it).

The one thing a sync cannot settle is prose edited in the chapter itself (an imported block
replaced by an unrecorded one): the post is the source of the prose, so the import stops and says
where, unless ``--force`` (take the post's text; added cells are still kept).

A chapter without a record (imported before records existed) is read the old way: prose kinds and
any block the post holds are imported, code cells and MyST directives were added.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ai4neuro.posts.blocks import PROSE, Block

EDITABLE = PROSE | {"definitions", "footnote", "html_block", "code_block"}


@dataclass(frozen=True)
class Merge:
    blocks: list[Block]
    edited: list[Block]  # chapter blocks that look like imported prose edited in the chapter


def classify_legacy(chapter: list[Block], known: set[Block], banner: str) -> list[str]:
    """Fingerprints of the blocks an import without a record wrote."""
    return [
        block.digest
        for block in chapter
        if block in known or block.kind in PROSE | {"definitions", "footnote"} or block.text == banner
    ]


def merge(chapter: list[Block], record: list[str], fresh: list[Block]) -> Merge:
    """Fresh blocks in order, each followed by the author's blocks anchored to it."""
    digests = [block.digest for block in chapter]
    matcher = SequenceMatcher(None, record, digests, autojunk=False)
    old_of: dict[int, int] = {}  # chapter index → record index
    for match in matcher.get_matching_blocks():
        for offset in range(match.size):
            old_of[match.b + offset] = match.a + offset
    next_old, following = [len(record)] * len(chapter), len(record)
    for index in range(len(chapter) - 1, -1, -1):
        next_old[index] = following
        following = old_of.get(index, following)
    anchors: list[tuple[int, Block]] = []
    edited: list[Block] = []
    anchor = -1
    for index, block in enumerate(chapter):
        if index in old_of:
            anchor = old_of[index]
        elif block.kind in EDITABLE and next_old[index] > anchor + 1:
            edited.append(block)  # in the place of imported blocks that are gone from the chapter
        else:
            anchors.append((anchor, block))
    new_of = _record_to_fresh(record, fresh)
    after: dict[int, list[Block]] = {}
    for old, block in anchors:
        after.setdefault(new_of.get(old, -1), []).append(block)
    merged = list(after.get(-1, []))
    for index, block in enumerate(fresh):
        merged.append(block)
        merged += after.get(index, [])
    return Merge(merged, edited)


def _record_to_fresh(record: list[str], fresh: list[Block]) -> dict[int, int]:
    """Where each recorded block went: itself, its new version, or the block before it."""
    matcher = SequenceMatcher(None, record, [block.digest for block in fresh], autojunk=False)
    mapping: dict[int, int] = {-1: -1}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for old in range(i1, i2):
            if tag == "equal":
                mapping[old] = j1 + old - i1
            elif tag == "replace":
                mapping[old] = j2 - 1
            elif tag == "delete":
                mapping[old] = j1 - 1
    return mapping
