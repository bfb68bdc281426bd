"""Re-import as a sync: the chapter's prose follows the post, what the author added stays put.

The chapter's front matter records the last import (``imported``: one fingerprint per block it
wrote, in order). On the next import, every chapter block whose fingerprint is in that record
came from the post and is replaced by the fresh import; every other block (a code cell, a glue
figure, a note, ...) was added by the author and is kept, anchored to the imported block before it:
it follows that block wherever the post moves it, and takes the place of the block's new version
when the post changed it (the block before it, when the post deleted it).

An imported block the author moved (or swapped with another) in the chapter is still the post's: it
is kept once, where the post has it. A chapter without a record (the line deleted, or imported before
records existed) counts as imported only the blocks the post still holds: every other block is the
author's, and is kept.

The one thing a sync cannot settle is prose edited in the chapter itself (an imported block
replaced by an unrecorded one): the post is the source of the prose, so the import stops and says
where, unless ``--force`` (take the post's text; added cells are still kept).

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
    """Fingerprints of the chapter's blocks that an import wrote, for a chapter without a record: those the
    import would write now (``known``) and the draft banner. Anything else is the author's."""
    digests = {block.digest for block in known}
    return [block.digest for block in chapter if block.digest in digests or block.text == banner]


def merge(chapter: list[Block], record: list[str], fresh: list[Block]) -> Merge:
    """Fresh blocks in order, each followed by the author's blocks anchored to it."""
    digests = [block.digest for block in chapter]
    old_of: dict[int, int] = {}  # chapter index → record index
    for tag, i1, i2, j1, _ in opcodes(record, digests):
        if tag == "equal":
            for offset in range(i2 - i1):
                old_of[j1 + offset] = i1 + offset
    next_old, following = [len(record)] * len(chapter), len(record)
    for index in range(len(chapter) - 1, -1, -1):
        next_old[index] = following
        following = old_of.get(index, following)
    anchors: list[tuple[int, Block]] = []
    edited: list[Block] = []
    anchor = -1
    recorded = set(record)
    for index, block in enumerate(chapter):
        if index in old_of:
            anchor = old_of[index]
        elif block.digest in recorded:
            continue  # an imported block the author moved: the fresh import holds it, in the post's place
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
    mapping: dict[int, int] = {-1: -1}
    for tag, i1, i2, j1, j2 in opcodes(record, [block.digest for block in fresh]):
        for old in range(i1, i2):
            if tag == "equal":
                mapping[old] = j1 + old - i1
            elif tag == "replace":
                mapping[old] = j2 - 1
            elif tag == "delete":
                mapping[old] = j1 - 1
    return mapping


def opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, with the common head and tail taken off first (a sync of a long post changes little)."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle = SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False)
    result = [("equal", 0, head, 0, head)] if head else []
    result += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        result.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return [code for code in result if code[1] != code[2] or code[3] != code[4]]
