"""Snapshots in ``data/``: a tidy CSV and, beside it, its provenance record.

``data/<name>.csv`` holds the table; ``data/<name>.provenance.json`` says where it came
from (source URL, query, fetched_at in UTC, tool and version, row count) and the
SHA-256 of the CSV. ``save`` validates before it writes and replaces both files
atomically, so a failed or invalid fetch never touches a good snapshot; ``load``
checks the checksum and the schema and names the file and the fix when either fails.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from ai4neuro import paths
from ai4neuro.errors import Ai4NeuroError, SnapshotMissing
from ai4neuro.files import atomic_write


@dataclass(frozen=True)
class Snapshot:
    """A loaded snapshot: the validated table and its provenance record."""

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
    if frame.empty:
        raise Ai4NeuroError(f"{origin}: no rows. {fix}")
    try:
        return schema.validate(frame, lazy=True)
    except (SchemaError, SchemaErrors) as error:
        summary = _describe_failures(error)
        raise Ai4NeuroError(
            f"{origin}: does not match the {schema.name or 'expected'} schema ({summary}). {fix}"
        ) from None


def _describe_failures(error: SchemaError | SchemaErrors) -> str:
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


def save(
    name: str, frame: pd.DataFrame, schema: pa.DataFrameSchema, provenance: dict, *, refresh_hint: str
) -> Snapshot:
    """Validate ``frame`` and atomically replace ``data/<name>.csv`` and its provenance.

    ``provenance`` holds the source fields; ``rows``, ``sha256`` and ``file`` are added here.
    Nothing is written unless the frame validates.
    """
    frame = validate(frame, schema, f"new {name} data", f"The snapshot {csv_path(name)} is unchanged. {refresh_hint}")
    payload = to_csv_bytes(frame)
    record = {
        **provenance,
        "file": csv_path(name).name,
        "rows": int(len(frame)),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    target_dir = paths.data_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(csv_path(name), payload)
    atomic_write(provenance_path(name), (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return Snapshot(frame, record, csv_path(name))


_LOADED: set[str] = set()  # snapshot names this process loaded (bookext.datadeps checks chapters declare them)


def loaded_names() -> set[str]:
    return set(_LOADED)


def load(name: str, schema: pa.DataFrameSchema, *, refresh_hint: str, parse_dates: list[str] | None = None) -> Snapshot:
    """Read ``data/<name>.csv``, check it against its provenance checksum and ``schema``."""
    _LOADED.add(name)
    path, record_path = csv_path(name), provenance_path(name)
    if not path.exists():
        raise SnapshotMissing(f"{path}: no snapshot yet. {refresh_hint}")
    if not record_path.exists():
        raise Ai4NeuroError(f"{record_path}: provenance record missing for {path.name}. {refresh_hint}")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise Ai4NeuroError(
            f"{record_path}: not valid JSON ({error.msg}, line {error.lineno}). "
            f"Restore it with git checkout, or: {refresh_hint}"
        ) from None
    actual = sha256_file(path)
    if record.get("sha256") != actual:
        raise Ai4NeuroError(
            f"{path}: checksum {actual[:12]}… does not match its provenance ({str(record.get('sha256'))[:12]}…); "
            f"the file was changed or is corrupt. Restore it with git checkout, or: {refresh_hint}"
        )
    try:
        frame = pd.read_csv(path, parse_dates=parse_dates)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(f"{path}: not a readable CSV ({error}). {refresh_hint}") from None
    frame = validate(frame, schema, str(path), f"Restore it with git checkout, or: {refresh_hint}")
    return Snapshot(frame, record, path)
