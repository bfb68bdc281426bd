"""An import's changes to the book as one step: the chapter, a renamed chapter's removal, ``_toc.yml``.

The import writes what it is about to do to ``posts/.import-in-progress.json`` (atomically), does it,
and removes the file. An import killed part-way (or stopped by a full disk) leaves the file, and the
next import completes the change before anything else: a renamed post is never left in the book
twice, nor a chapter missing from ``_toc.yml``. A file changed since (by hand) is never overwritten:
the import stops and says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.files import atomic_write

JOURNAL = Path("posts") / ".import-in-progress.json"


@dataclass
class Change:
    post: str  # the post imported (for messages)
    writes: dict[str, str] = field(default_factory=dict)  # path in the book → its new text
    deletes: list[str] = field(default_factory=list)  # paths in the book to remove, after the writes

    def __bool__(self) -> bool:
        return bool(self.writes or self.deletes)


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply(root: Path, change: Change) -> None:
    """Make ``change`` in the book, recoverably: journal, writes, removals, journal gone."""
    if not change:
        return
    before = {name: digest(root / name) for name in [*change.writes, *change.deletes]}
    record = {"post": change.post, "writes": change.writes, "deletes": change.deletes, "before": before}
    atomic_write(root / JOURNAL, json.dumps(record, ensure_ascii=False, indent=1))
    _carry_out(root, change)
    (root / JOURNAL).unlink()


def _carry_out(root: Path, change: Change) -> None:
    for name, text in change.writes.items():
        target = root / name
        if digest(target) != _text_digest(text):
            atomic_write(target, text)
    for name in change.deletes:
        (root / name).unlink(missing_ok=True)


def resume(root: Path) -> str | None:
    """Complete the import a previous run left half done (if any); say which."""
    journal = root / JOURNAL
    if not journal.is_file():
        return None
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        change = Change(record["post"], dict(record["writes"]), list(record["deletes"]))
        before = dict(record["before"])
    except (ValueError, KeyError, TypeError):
        raise Ai4NeuroError(
            f"{journal}: the record of an interrupted import is unreadable. Delete it and import the post again "
            "(check chapters/ and _toc.yml first)."
        ) from None
    for name in [*change.writes, *change.deletes]:
        now = digest(root / name)
        done = _text_digest(change.writes[name]) if name in change.writes else None
        if now not in {before.get(name), done}:
            raise Ai4NeuroError(
                f"{journal}: an import of {change.post} was interrupted, and {name} has changed since. "
                f"Delete {JOURNAL.as_posix()} to keep the files as they are, then import the post again."
            )
    _carry_out(root, change)
    journal.unlink()
    return f"completed the interrupted import of {change.post}"
