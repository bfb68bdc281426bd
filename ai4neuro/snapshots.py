"""Snapshots in ``data/``: a tidy CSV and, beside it, its provenance record.

``data/<name>.csv`` holds the table; ``data/<name>.provenance.json`` says where it came
from (source URL, query, fetched_at in UTC, tool and version, row count) and the
SHA-256 of the CSV. A :class:`Dataset` declares one snapshot: its name, columns, checks
and how to refresh it. :func:`save` validates the whole table against the checks
(pandera) before it writes, and replaces both files atomically, so a failed or invalid
fetch never touches a good snapshot. :func:`load` checks the checksum (the bytes are
those :func:`save` validated) and the columns, and names the file and the fix when
either fails; pandera is imported only when a table is validated.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ai4neuro import paths
from ai4neuro.errors import Ai4NeuroError, SnapshotMissing
from ai4neuro.files import replace_together

if TYPE_CHECKING:
    import pandera.pandas as pa

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dataset:
    """One snapshot as the code expects it.

    ``columns`` are the CSV's columns in order; ``dates`` those read as dates; ``schema``
    builds the pandera schema that :func:`save` checks (a function, so that reading a
    snapshot never imports pandera); ``refresh_hint`` says how to make the snapshot.
    """

    name: str
    columns: tuple[str, ...]
    schema: Callable[[], pa.DataFrameSchema]
    refresh_hint: str
    dates: tuple[str, ...] = ()

    @property
    def csv_path(self) -> Path:
        return csv_path(self.name)


@dataclass(frozen=True)
class Snapshot:
    """A loaded snapshot: the table and its provenance record."""

    frame: pd.DataFrame
    provenance: dict
    csv_path: Path


def csv_path(name: str) -> Path:
    return paths.data_dir() / f"{name}.csv"


def provenance_path(name: str) -> Path:
    return paths.data_dir() / f"{name}.provenance.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, origin: str, fix: str) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; raise one clear error naming ``origin`` and ``fix``."""
    from pandera.errors import SchemaError, SchemaErrors

    if frame.empty:
        raise Ai4NeuroError(f"{origin}: no rows. {fix}")
    try:
        return schema.validate(frame, lazy=True)
    except (SchemaError, SchemaErrors) as error:
        summary = _describe_failures(error)
        name = schema.name or "expected"
        raise Ai4NeuroError(f"{origin}: does not match the {name} schema ({summary}). {fix}") from None


def _describe_failures(error) -> str:
    """Up to three failures as 'column: check (e.g. value)'."""
    cases = error.failure_cases
    if not isinstance(cases, pd.DataFrame) or cases.empty:
        return str(error).strip().splitlines()[0]
    parts = []
    for (column, check), group in list(cases.groupby(["column", "check"], dropna=False, sort=False))[:3]:
        example = group["failure_case"].iloc[0]
        parts.append(f"{column}: {check} (e.g. {example!s})")
    return "; ".join(parts)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def prepare(dataset: Dataset, frame: pd.DataFrame, provenance: dict) -> tuple[Snapshot, dict[Path, bytes]]:
    """Validate ``frame`` and make the bytes of ``data/<name>.csv`` and its provenance, writing nothing.

    ``provenance`` holds the source fields; ``file``, ``rows`` and ``sha256`` are added here.
    """
    path = csv_path(dataset.name)
    fix = f"The snapshot {path} is unchanged. {dataset.refresh_hint}"
    frame = validate(frame, dataset.schema(), f"new {dataset.name} data", fix)
    if tuple(frame.columns) != dataset.columns:
        columns = f"columns {list(frame.columns)}, not {list(dataset.columns)}"
        raise Ai4NeuroError(f"new {dataset.name} data: {columns}. {fix}")
    payload = to_csv_bytes(frame)
    record = {**provenance, "file": path.name, "rows": int(len(frame)), "sha256": hashlib.sha256(payload).hexdigest()}
    text = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return Snapshot(frame, record, path), {path: payload, provenance_path(dataset.name): text}


def save_set(
    prepared: list[tuple[Snapshot, dict[Path, bytes]]], others: dict[Path, bytes] | None = None
) -> list[Snapshot]:
    """Write snapshots made by :func:`prepare` (and ``others``, e.g. the registry they were counted from)
    together: all of them, or, when a write fails, none (:func:`ai4neuro.files.replace_together`)."""
    files = {path: payload for _, made in prepared for path, payload in made.items()} | (others or {})
    replace_together(files)
    return [snapshot for snapshot, _ in prepared]


def save(dataset: Dataset, frame: pd.DataFrame, provenance: dict) -> Snapshot:
    """Validate ``frame`` and replace ``data/<name>.csv`` and its provenance together; nothing is written
    unless the frame validates."""
    return save_set([prepare(dataset, frame, provenance)])[0]


_LOADED: set[str] = set()  # snapshot names this process loaded (bookext.datadeps checks chapters declare them)


def loaded_names() -> set[str]:
    return set(_LOADED)


def load(dataset: Dataset) -> Snapshot:
    """Read ``data/<name>.csv``, after checking it against its provenance checksum.

    The checksum proves these are the bytes :func:`save` validated, so the table is not
    validated again; its columns are compared with what the code expects.
    """
    _LOADED.add(dataset.name)
    path, record_path, hint = csv_path(dataset.name), provenance_path(dataset.name), dataset.refresh_hint
    if not path.exists():
        raise SnapshotMissing(f"{path}: no snapshot yet. {hint}")
    if not record_path.exists():
        raise Ai4NeuroError(f"{record_path}: provenance record missing for {path.name}. {hint}")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        where = f"{error.msg}, line {error.lineno}"
        fix = f"Restore it with git checkout, or: {hint}"
        raise Ai4NeuroError(f"{record_path}: not valid JSON ({where}). {fix}") from None
    actual = sha256_file(path)
    if record.get("sha256") != actual:
        raise Ai4NeuroError(
            f"{path}: checksum {actual[:12]}… does not match its provenance ({str(record.get('sha256'))[:12]}…); "
            f"the file was changed or is corrupt. Restore it with git checkout, or: {hint}"
        )
    try:
        frame = pd.read_csv(path, parse_dates=list(dataset.dates) or None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(f"{path}: not a readable CSV ({error}). {hint}") from None
    if tuple(frame.columns) != dataset.columns:
        raise Ai4NeuroError(
            f"{path}: columns {', '.join(frame.columns)}; this version of the book expects "
            f"{', '.join(dataset.columns)}. {hint}"
        )
    return Snapshot(frame, record, path)


def load_after_refresh(
    dataset: Dataset, refresh: Callable[[], str], load: Callable[[], object], requested: bool | None
):
    """What chapters call: ``load()``, after ``refresh()`` when ``requested`` (default: ``AI4NEURO_REFRESH=1``).

    A failed refresh keeps the existing snapshot (logged); with no snapshot at all its error is
    raised, for the chapter's notice.
    """
    if paths.refresh_requested() if requested is None else requested:
        try:
            logger.info(refresh())
        except Ai4NeuroError as error:
            if not dataset.csv_path.exists():
                raise
            logger.warning("%s Showing the existing snapshot.", error)
    return load()
