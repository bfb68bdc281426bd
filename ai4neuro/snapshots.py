"""Snapshots in ``data/``: a tidy CSV and, beside it, its provenance record.

``data/<name>.csv`` holds the table; ``data/<name>.provenance.json`` says where it came from (source URL,
query, fetched_at in UTC, tool and version, row count), the SHA-256 of the CSV (``sha256``), the set of
snapshots written with it (``set``: an id and the members' names) and ``record_sha256``, the SHA-256 of
the record itself (its sorted-key JSON without this field): since the record holds the CSV's checksum,
the two files vouch for each other, and a record edited by hand is refused like a changed CSV.

A :class:`Dataset` declares one snapshot: its name, columns, checks and how to refresh it.

- Writing: :func:`prepare` validates the whole table against the checks (pandera) and makes the bytes;
  :func:`save_set` writes one or more snapshots (and, e.g., the registry they were counted from) through
  :func:`ai4neuro.files.replace_together`: all of them or none, even after ``kill -9`` or a full disk.
- Reading: :func:`load` finishes an interrupted write first, then checks the record, the CSV's checksum,
  that every member of the set is from the same write, the columns, and the values (the schema, through
  pandera, once per content and package version: the result is kept in a per-user cache). Each failure is
  one :class:`~ai4neuro.errors.Ai4NeuroError` naming the file and the fix.
- Building: :func:`check_folder` runs the same checks on every snapshot in ``data/`` without pandas
  unless a snapshot's values were never checked (``./run book`` and the book's extension call it first).

This module imports pandas and pandera only inside the functions that need them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from ai4neuro import files, paths
from ai4neuro.errors import Ai4NeuroError, SnapshotMissing
from ai4neuro.files import sha256_file  # also called as snapshots.sha256_file

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

logger = logging.getLogger(__name__)

RECORD_CHECKSUM = "record_sha256"
# The modules that declare the book's datasets (imported only to check a snapshot's values).
DATASET_MODULES = (
    "ai4neuro.sources.trends",
    "ai4neuro.sources.papers",
    "ai4neuro.validation.labels",
    "ai4neuro.validation.visibility",
    "ai4neuro.validation.estimates",
    "ai4neuro.validation.bases",
)
_DECLARED: dict[str, Dataset] = {}


@dataclass(frozen=True)
class Dataset:
    """One snapshot as the code expects it.

    ``columns`` are the CSV's columns in order; ``dates`` those read as dates; ``schema``
    builds the pandera schema that :func:`save` and :func:`load` check (a function, so that reading a
    snapshot imports pandera only when its values were never checked); ``refresh_hint`` says how to make
    the snapshot.
    """

    name: str
    columns: tuple[str, ...]
    schema: Callable[[], pa.DataFrameSchema]
    refresh_hint: str
    dates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _DECLARED[self.name] = self

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
    import pandas as pd

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


# --- the record ----------------------------------------------------------------------------------


def record_checksum(record: dict) -> str:
    """The SHA-256 of a provenance record without its own checksum (sorted keys, compact JSON)."""
    body = {key: value for key, value in record.items() if key != RECORD_CHECKSUM}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(record: dict) -> dict:
    """``record`` with its own checksum (:data:`RECORD_CHECKSUM`)."""
    return {**record, RECORD_CHECKSUM: record_checksum(record)}


def record_bytes(record: dict) -> bytes:
    return (json.dumps(sealed(record), indent=2, sort_keys=True) + "\n").encode("utf-8")


def set_id(records: list[dict]) -> str:
    """The id of a set of snapshots written together: from the members' names and CSV checksums, so the
    same data written again has the same id."""
    lines = sorted(f"{record['file']} {record['sha256']}" for record in records)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


# --- writing -------------------------------------------------------------------------------------


def prepare(dataset: Dataset, frame: pd.DataFrame, provenance: dict) -> tuple[Snapshot, dict[Path, bytes]]:
    """Validate ``frame`` and make the bytes of ``data/<name>.csv`` and its provenance, writing nothing.

    ``provenance`` holds the source fields; ``file``, ``rows``, ``sha256``, ``set`` (a set of one, until
    :func:`save_set` says otherwise) and the record's own checksum are added here.
    """
    path = csv_path(dataset.name)
    fix = f"The snapshot {path} is unchanged. {dataset.refresh_hint}"
    frame = validate(frame, dataset.schema(), f"new {dataset.name} data", fix)
    if tuple(frame.columns) != dataset.columns:
        columns = f"columns {list(frame.columns)}, not {list(dataset.columns)}"
        raise Ai4NeuroError(f"new {dataset.name} data: {columns}. {fix}")
    payload = to_csv_bytes(frame)
    record = {**provenance, "file": path.name, "rows": int(len(frame)), "sha256": hashlib.sha256(payload).hexdigest()}
    record = sealed(_in_set(record, [record]))
    return Snapshot(frame, record, path), {path: payload, provenance_path(dataset.name): record_bytes(record)}


def _in_set(record: dict, members: list[dict]) -> dict:
    names = sorted(Path(member["file"]).stem for member in members)
    return {**record, "set": {"id": set_id(members), "members": names}}


def save_set(
    prepared: list[tuple[Snapshot, dict[Path, bytes]]], others: dict[Path, bytes] | None = None
) -> list[Snapshot]:
    """Write snapshots made by :func:`prepare` (and ``others``, e.g. the registry they were counted from)
    together: all of them, or, whatever stops the write, none (:func:`ai4neuro.files.replace_together`).
    Their records name one another as one set, which :func:`load` checks."""
    members = [snapshot.provenance for snapshot, _ in prepared]
    written, payloads = [], {}
    for snapshot, made in prepared:
        record = sealed(_in_set(snapshot.provenance, members))
        record_path = snapshot.csv_path.with_name(f"{snapshot.csv_path.stem}.provenance.json")
        payloads.update({**made, record_path: record_bytes(record)})
        written.append(Snapshot(snapshot.frame, record, snapshot.csv_path))
    files.replace_together(payloads | (others or {}), journal_dir=paths.data_dir())
    return written


def save(dataset: Dataset, frame: pd.DataFrame, provenance: dict) -> Snapshot:
    """Validate ``frame`` and replace ``data/<name>.csv`` and its provenance together; nothing is written
    unless the frame validates."""
    return save_set([prepare(dataset, frame, provenance)])[0]


# --- reading -------------------------------------------------------------------------------------

_LOADED: dict[str, str] = {}  # snapshot name -> record checksum, for what this process loaded


def loaded_names() -> set[str]:
    """The snapshots this process loaded (bookext.datadeps checks that chapters declare them)."""
    return set(_LOADED)


def loaded_records() -> dict[str, str]:
    """Each snapshot this process loaded, with its record's checksum (what a figure was drawn from)."""
    return dict(_LOADED)


def load(dataset: Dataset) -> Snapshot:
    """Read ``data/<name>.csv`` after checking it and its record (see the module's docstring)."""
    _LOADED.setdefault(dataset.name, "")
    folder = paths.data_dir()
    _recover(folder)
    try:
        record = verified_record(dataset.name, dataset.refresh_hint)
    except SnapshotMissing:
        raise
    except Ai4NeuroError:
        if _recover(folder) is None:  # not a write that finished while this one read
            raise
        record = verified_record(dataset.name, dataset.refresh_hint)
    frame = _read(dataset)
    check_values(dataset, record, frame)
    _LOADED[dataset.name] = record[RECORD_CHECKSUM]
    return Snapshot(frame, record, csv_path(dataset.name))


def _recover(folder: Path) -> str | None:
    try:
        done = files.recover(folder)
    except OSError as error:
        raise Ai4NeuroError(
            f"{files.describe_os_error(error)}; an interrupted write in {folder} is unfinished"
        ) from None
    if done:
        logger.warning("%s: an interrupted write of snapshots was %s.", folder, done)
    return done


def verified_record(name: str, hint: str) -> dict:
    """The provenance record of ``data/<name>.csv``, after checking the record, the CSV's checksum and the
    set it belongs to (no pandas). :class:`~ai4neuro.errors.SnapshotMissing` if the CSV does not exist."""
    path, record_path = csv_path(name), provenance_path(name)
    restore = f"Restore data/ with git checkout data/, or: {hint}"
    if not path.exists():
        raise SnapshotMissing(f"{path}: no snapshot yet. {hint}")
    record = _read_record(record_path, path.name, restore)
    actual = sha256_file(path)
    if record.get("sha256") != actual:
        raise Ai4NeuroError(
            f"{path}: checksum {actual[:12]}… does not match its provenance ({str(record.get('sha256'))[:12]}…); "
            f"the file was changed or is corrupt. {restore}"
        )
    _check_set(name, record, restore)
    return record


def _read_record(record_path: Path, csv_name: str, restore: str) -> dict:
    if not record_path.exists():
        raise Ai4NeuroError(f"{record_path}: provenance record missing for {csv_name}. {restore}")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f"{error.msg}, line {error.lineno}" if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        raise Ai4NeuroError(f"{record_path}: not valid JSON ({where}). {restore}") from None
    if not isinstance(record, dict) or RECORD_CHECKSUM not in record:
        raise Ai4NeuroError(
            f"{record_path}: the record has no checksum of its own ({RECORD_CHECKSUM}): it was written by an "
            f"older version of the book or by hand. If the book wrote it, `{UPGRADE_COMMAND}` adds it (the CSV's "
            f"checksum is checked first); otherwise {restore[0].lower()}{restore[1:]}"
        )
    if record[RECORD_CHECKSUM] != record_checksum(record):
        raise Ai4NeuroError(
            f"{record_path}: the record was changed after it was written (its checksum does not match). {restore}"
        )
    return record


def _check_set(name: str, record: dict, restore: str) -> None:
    """Every member of the snapshot's set must carry the same set id: written by the same refresh."""
    own = record.get("set") or {}
    for member in own.get("members", []):
        if member == name:
            continue
        other = provenance_path(member)
        try:
            theirs = json.loads(other.read_text(encoding="utf-8")).get("set") or {}
        except (OSError, ValueError, AttributeError):
            theirs = {}
        if theirs.get("id") != own.get("id"):
            raise Ai4NeuroError(
                f"{csv_path(name)} and {csv_path(member)} are not from the same write (set "
                f"{own.get('id')} and {theirs.get('id') or 'none'}): the snapshots of one set "
                f"({', '.join(own['members'])}) must change together. {restore}"
            )


def _read(dataset: Dataset) -> pd.DataFrame:
    import pandas as pd

    path = csv_path(dataset.name)
    try:
        frame = pd.read_csv(path, parse_dates=list(dataset.dates) or None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as error:
        raise Ai4NeuroError(f"{path}: not a readable CSV ({error}). {dataset.refresh_hint}") from None
    if tuple(frame.columns) != dataset.columns:
        raise Ai4NeuroError(
            f"{path}: columns {', '.join(frame.columns)}; this version of the book expects "
            f"{', '.join(dataset.columns)}. {dataset.refresh_hint}"
        )
    return frame


def check_values(dataset: Dataset, record: dict, frame: pd.DataFrame | None = None) -> None:
    """Check the snapshot's values against its schema, unless this content passed this package's checks
    before (a stamp per record checksum and package version, in the per-user cache)."""
    stamp = _stamp(dataset.name, record)
    if stamp.exists():
        return
    frame = _read(dataset) if frame is None else frame
    path = csv_path(dataset.name)
    validate(frame, dataset.schema(), str(path), f"Restore data/ with git checkout data/, or: {dataset.refresh_hint}")
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass  # no cache: the values are checked again next time


def _stamp(name: str, record: dict) -> Path:
    key = hashlib.sha256(f"{name}\n{record[RECORD_CHECKSUM]}\n{_package_digest()}".encode()).hexdigest()
    return Path(platformdirs.user_cache_dir("ai4neuro")) / "checked-snapshots" / key


@cache
def _package_digest() -> str:
    """The package's Python code, hashed: a schema may live in any module."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def declared(name: str) -> Dataset | None:
    """The dataset called ``name`` (importing the modules that declare the book's datasets)."""
    if name not in _DECLARED:
        for module in DATASET_MODULES:
            importlib.import_module(module)
    return _DECLARED.get(name)


def check_folder() -> list[str]:
    """Check every snapshot in ``data/`` as :func:`load` does; return their names, or raise the first problem.

    Pandas-free unless a snapshot's values were never checked with this package (its stamp is missing).
    """
    folder = paths.data_dir()
    if not folder.is_dir():
        return []
    _recover(folder)
    names = sorted({path.name.removesuffix(".provenance.json") for path in folder.glob("*.provenance.json")})
    names = sorted(set(names) | {path.stem for path in folder.glob("*.csv")})
    for name in names:
        dataset = declared(name) if not _stamp_exists(name) else None
        hint = dataset.refresh_hint if dataset else "Restore data/ with git checkout data/."
        record = verified_record(name, hint)
        if dataset is not None:
            check_values(dataset, record)
    return names


UPGRADE_COMMAND = "python -m ai4neuro check-data --upgrade"
LEGACY_WRITES = ("computed_at", "fetched_at", "imported_at", "created_at")  # when an older version wrote a record


def upgrade_legacy() -> list[str]:
    """Give the records an older version of the book wrote their own checksum and their set: records of one
    write (the same command, at the same time) become one set, others a set of one each. Each CSV's checksum
    is checked first; nothing else changes. Returns the names upgraded."""
    folder = paths.data_dir()
    legacy: dict[str, dict] = {}
    for record_path in sorted(folder.glob("*.provenance.json")):
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if RECORD_CHECKSUM in record:
            continue
        name = record_path.name.removesuffix(".provenance.json")
        if record.get("sha256") != sha256_file(csv_path(name)):
            raise Ai4NeuroError(f"{csv_path(name)}: its checksum does not match its record; not upgraded.")
        legacy[name] = record
    groups: dict[tuple, list[str]] = {}
    for name, record in legacy.items():
        write = (record.get("command"), *(record.get(key) for key in LEGACY_WRITES))
        groups.setdefault(write if record.get("command") else (name,), []).append(name)
    payloads = {}
    for names in groups.values():
        members = [legacy[name] for name in names]
        for name in names:
            payloads[provenance_path(name)] = record_bytes(_in_set(legacy[name], members))
    files.replace_together(payloads, journal_dir=folder)
    return sorted(legacy)


def _stamp_exists(name: str) -> bool:
    try:
        record = json.loads(provenance_path(name).read_text(encoding="utf-8"))
        return _stamp(name, record).exists()
    except (OSError, ValueError, KeyError, TypeError):
        return False


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
