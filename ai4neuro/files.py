"""Writing files so that a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_together(files: dict[Path, bytes]) -> None:
    """Replace several files so that they change together: each is written atomically, and if any write
    fails the ones already replaced are put back as they were (or removed, if they were new)."""
    before = {path: path.read_bytes() if path.exists() else None for path in files}
    try:
        for path, payload in files.items():
            atomic_write(path, payload)
    except BaseException:
        for path, payload in before.items():
            if payload is None:
                path.unlink(missing_ok=True)
            elif not path.exists() or path.read_bytes() != payload:
                atomic_write(path, payload)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
