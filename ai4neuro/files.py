"""Writing files so that a reader never sees half a file, and a set of files never half changed.

:func:`atomic_write` replaces one file. :func:`replace_together` replaces several (a refresh's snapshots,
with the registry they were counted from) as one change that survives a crash:

1. a journal (``.ai4neuro-journal.json`` in the set's folder, e.g. ``data/``) names the temporary files
   about to be written (state ``writing``);
2. every new file is written to a temporary name beside its target, flushed to disk and read back
   (its SHA-256 must be the payload's), and every file it replaces is kept under a second name (a hard
   link: no copy, no space);
3. the journal turns to ``replacing``: from here on the new set is the one that counts;
4. the temporary files are renamed over their targets; the journal and the kept files are removed.

Whatever stops it (a full or read-only disk, Ctrl-C, ``kill -9``, a power cut), the next write or load of
that folder (:func:`recover`) finishes the job: a journal still ``writing`` is rolled back (the targets
were never touched), one ``replacing`` is completed (or, if a new file went missing, rolled back from the
kept files). Ctrl-C and SIGTERM wait for the few renames of step 4. Writers take an exclusive lock on the
folder (``flock``), so two refreshes never interleave and a load waits for a commit in progress.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ai4neuro.errors import Ai4NeuroError

JOURNAL = ".ai4neuro-journal.json"
REPLACED: list[Path] = []  # every file this process replaced through replace_together (what Ctrl-C reports)


def atomic_write(path: Path, payload: bytes | str) -> None:
    """Write ``payload`` to a temporary file beside ``path``, then rename it over ``path``.

    The new file keeps the old one's permissions (or the usual ones for a new file), and a
    failure leaves ``path`` as it was.
    """
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class _Entry:
    """One file of a set: its target, the temporary name of its new bytes, where the old file is kept."""

    target: Path
    new: Path
    old: Path | None  # None: the target did not exist
    sha256: str

    def as_json(self, folder: Path) -> dict:
        def relative(path: Path | None) -> str | None:
            return os.path.relpath(path, folder) if path else None

        names = {"target": relative(self.target), "new": relative(self.new), "old": relative(self.old)}
        return {**names, "sha256": self.sha256}

    @classmethod
    def from_json(cls, item: dict, folder: Path) -> _Entry:
        def absolute(name: str) -> Path:
            return Path(os.path.normpath(folder / name))

        old = absolute(item["old"]) if item["old"] else None
        return cls(absolute(item["target"]), absolute(item["new"]), old, item["sha256"])


def replace_together(files: dict[Path, bytes], journal_dir: Path | None = None) -> None:
    """Replace ``files`` (path -> new bytes) as one change: after a failure or a crash, either all of them
    are new or all are as they were (see the module's docstring). ``journal_dir``: where the journal and the
    lock live (default: the first file's folder, e.g. ``data/``).

    A filesystem error (full or read-only disk) becomes one :class:`~ai4neuro.errors.Ai4NeuroError` that
    names the file and says that nothing changed.
    """
    if not files:
        return
    folder = Path(journal_dir or next(iter(files)).parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            _recover_locked(folder)
            _replace_locked(folder, {Path(path): payload for path, payload in files.items()})
    except OSError as error:
        raise Ai4NeuroError(
            f"{describe_os_error(error)}; nothing was changed: {_names(files)} are as they were."
        ) from None


def _replace_locked(folder: Path, files: dict[Path, bytes]) -> None:
    token = secrets.token_hex(4)
    entries = [
        _Entry(
            target,
            target.with_name(f".{target.name}.{token}.new"),
            target.with_name(f".{target.name}.{token}.old") if target.exists() else None,
            hashlib.sha256(payload).hexdigest(),
        )
        for target, payload in files.items()
    ]
    _write_journal(folder, "writing", entries)  # first: whatever is left behind, the journal names it
    try:
        for entry in entries:
            _write_checked(entry, files[entry.target])
        for entry in entries:
            if entry.old:
                _keep(entry.target, entry.old)
    except BaseException:
        _discard(folder, entries)  # the targets were never touched
        raise
    with _signals_deferred():
        try:
            _write_journal(folder, "replacing", entries)  # the commit point
        except BaseException:
            _discard(folder, entries)  # the journal still says "writing": the targets were never touched
            raise
        try:
            for entry in entries:
                os.replace(entry.new, entry.target)
            _sync_folders(entries)
        except BaseException:
            _roll_back(entries)  # if this fails too, the journal stays and the next load or write finishes it
            _discard(folder, entries)
            raise
        REPLACED.extend(entry.target for entry in entries)
        with suppress(OSError):  # the new set is in place; the next load or write removes what is left
            _finish(folder, entries)


def _write_checked(entry: _Entry, payload: bytes) -> None:
    """Write the new bytes to their temporary name, flush them to disk, and read them back."""
    try:
        entry.new.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(entry.new, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _mode_for(entry.target))
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(entry.new, _mode_for(entry.target))
    except OSError as error:  # named by the file the reader knows, not its temporary name
        raise OSError(error.errno, error.strerror, str(entry.target)) from None
    if sha256_file(entry.new) != entry.sha256:
        raise OSError(errno.EIO, "the file read back differs from what was written", str(entry.new))


def _keep(target: Path, kept: Path) -> None:
    """Keep the file about to be replaced under a second name: a hard link, or a copy where links fail."""
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)


def _roll_back(entries: list[_Entry]) -> None:
    """Put every target back as it was (after a failure between the commit point and the end)."""
    for entry in entries:
        if entry.old and entry.old.exists():
            os.replace(entry.old, entry.target)
        elif entry.old is None and entry.target.exists() and sha256_file(entry.target) == entry.sha256:
            entry.target.unlink()
    _sync_folders(entries)


def _finish(folder: Path, entries: list[_Entry]) -> None:
    (folder / JOURNAL).unlink(missing_ok=True)
    _sync_folders([_Entry(folder / JOURNAL, folder / JOURNAL, None, "")])
    for entry in entries:
        if entry.old:
            entry.old.unlink(missing_ok=True)


def _discard(folder: Path, entries: list[_Entry]) -> None:
    """Remove what a write that did not happen left: its temporary and kept files, then its journal."""
    with suppress(OSError):  # else the journal stays: the next load or write of the folder finishes the clean-up
        for entry in entries:
            entry.new.unlink(missing_ok=True)
            if entry.old:
                entry.old.unlink(missing_ok=True)
        (folder / JOURNAL).unlink(missing_ok=True)


# --- the journal ----------------------------------------------------------------------------------


def _write_journal(folder: Path, state: str, entries: list[_Entry]) -> None:
    record = {"state": state, "files": [entry.as_json(folder) for entry in entries]}
    atomic_write(folder / JOURNAL, json.dumps(record, indent=1) + "\n")
    _sync_folders([_Entry(folder / JOURNAL, folder / JOURNAL, None, "")])


def pending(folder: Path) -> bool:
    """Whether ``folder`` holds a journal (or a journal's temporary file) of a write that did not finish."""
    try:
        return any(name.startswith(JOURNAL) or name.startswith(f".{JOURNAL}.") for name in os.listdir(folder))
    except OSError:
        return False


def recover(folder: Path) -> str | None:
    """Finish or undo a set write that was interrupted in ``folder`` (waits for one in progress).

    Returns what was done ("completed" or "rolled back"), or None when there was nothing to do. Cheap when
    there is nothing to do: one listing of the folder, no lock, nothing written.
    """
    if not pending(folder):
        return None
    with _locked(folder):
        return _recover_locked(folder)


def _recover_locked(folder: Path) -> str | None:
    for name in os.listdir(folder):
        if name.startswith(f".{JOURNAL}.") and name.endswith(".tmp"):  # a journal cut off while written
            (folder / name).unlink(missing_ok=True)
    path = folder / JOURNAL
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        state, entries = record["state"], [_Entry.from_json(item, folder) for item in record["files"]]
    except (ValueError, KeyError, TypeError):
        raise Ai4NeuroError(
            f"{path}: an interrupted write left a journal that cannot be read. Check that the files of the set "
            "beside it are as they should be (git status), remove the journal, and run the command again."
        ) from None
    done = "rolled back"
    if state == "replacing" and all(entry.new.exists() or _holds(entry.target, entry.sha256) for entry in entries):
        for entry in entries:
            if entry.new.exists():
                os.replace(entry.new, entry.target)
        done = "completed"
    elif state == "replacing":
        _roll_back(entries)
    _sync_folders(entries)
    _discard(folder, entries)
    return done


def _holds(path: Path, sha256: str) -> bool:
    return path.is_file() and sha256_file(path) == sha256


# --- helpers ---------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex: the package's one way to hash a file (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``folder`` itself (no lock file: a read-only folder can be locked)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM wait until the block is done, then act (only the main thread has handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    caught = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, lambda number, frame: received.append(number)) for number in caught}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
    for kept in dict.fromkeys(received):  # now delivered, to whatever handles it (Ctrl-C: KeyboardInterrupt)
        signal.raise_signal(kept)


def _sync_folders(entries: list[_Entry]) -> None:
    """Flush the folders' entries (the renames) to disk."""
    for folder in {entry.target.parent for entry in entries}:
        try:
            handle = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(handle)
        except OSError:
            pass  # some filesystems cannot sync a folder; the renames are still atomic
        finally:
            os.close(handle)


def _mode_for(path: Path) -> int:
    return path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _names(files: dict) -> str:
    names = [str(path) for path in files]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


FIXES: dict[int | None, str] = {  # by errno (None for an OSError without one)
    errno.ENOSPC: "free some disk space",
    errno.EDQUOT: "free some disk space (the disk quota is full)",
    errno.EFBIG: "free some disk space, or raise the file size limit (ulimit -f)",
    errno.EROFS: "make the folder writable (the filesystem is read-only)",
    errno.EACCES: "make the folder writable",
    errno.EPERM: "make the folder writable",
}


def describe_os_error(error: OSError) -> str:
    """An OSError as one line: the file, what went wrong, and the fix when there is a usual one."""
    where = error.filename or "a file"
    what = error.strerror or str(error)
    fix = FIXES.get(error.errno)
    return f"{where}: {what}" + (f" ({fix}, then run the command again)" if fix else "")
