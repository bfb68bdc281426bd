"""A figure's files in ``figures/`` and the stamp that says they are whole and drawn from the data as it is.

:func:`ai4neuro.figures.export` writes ``<name>.vl.json`` (the spec), ``.png`` and ``.svg`` (drawn from it)
and ``.csv`` (its data). The spec file carries a stamp under Vega-Lite's ``usermeta`` (which renderers
ignore): the SHA-256 of the PNG, SVG and CSV written with it, and the record checksum of every snapshot the
drawing process had loaded. It is written last, so a stamp always follows a complete drawing.

- ``export`` redraws when a drawing is missing or differs from its stamp (not only when the spec changed);
- the book's extension (:mod:`ai4neuro.bookext.integrity`) re-runs a chapter whose figures are missing,
  changed, or drawn from other data than ``data/`` holds now: Jupyter Book's execution cache would otherwise
  keep a stale figure (e.g. one drawn from a bad snapshot, after the snapshot was restored).

Pandas-free, so that the build's process can check figures without importing it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ai4neuro import paths
from ai4neuro.files import sha256_file

STAMP_KEY = "ai4neuro"
DRAWINGS = ("png", "svg")


def files_of(name: str) -> dict[str, Path]:
    folder = paths.figures_dir()
    return {suffix: folder / f"{name}.{suffix}" for suffix in ("vl.json", "png", "svg", "csv")}


def spec_bytes(spec: dict, stamp: dict | None = None) -> bytes:
    """The spec file's bytes: the spec, with ``stamp`` under ``usermeta`` when given."""
    if stamp is not None:
        spec = {**spec, "usermeta": {**spec.get("usermeta", {}), STAMP_KEY: stamp}}
    return (json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def stamp(files: dict[str, Path], data: dict[str, str]) -> dict:
    """What the spec file vouches for: the drawings' and the CSV's SHA-256, and the snapshots' records."""
    return {**{suffix: sha256_file(files[suffix]) for suffix in (*DRAWINGS, "csv")}, "data": dict(sorted(data.items()))}


def read(name: str) -> tuple[dict, dict] | None:
    """The spec on disk (without its stamp) and its stamp; None if the file is missing, unreadable or unstamped."""
    try:
        spec = json.loads(files_of(name)["vl.json"].read_text(encoding="utf-8"))
        usermeta = spec.pop("usermeta")
        found = usermeta.pop(STAMP_KEY)
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    if usermeta:
        spec["usermeta"] = usermeta
    return spec, found


def drawings_match(files: dict[str, Path], found: dict) -> bool:
    return all(files[suffix].is_file() and sha256_file(files[suffix]) == found.get(suffix) for suffix in DRAWINGS)


def record_checksums(names) -> dict[str, str]:
    """The record checksum of each snapshot in ``data/`` ("" if it has none: missing or unreadable)."""
    found = {}
    for name in names:
        try:
            record = json.loads((paths.data_dir() / f"{name}.provenance.json").read_text(encoding="utf-8"))
            found[name] = str(record.get("record_sha256", ""))
        except (OSError, ValueError, AttributeError):
            found[name] = ""
    return found


def problem(name: str) -> str | None:
    """Why ``figures/<name>.*`` is not what the data gives now (missing, changed, or drawn from other data);
    None when it is."""
    files = files_of(name)
    found = read(name)
    if found is None:
        return f"{files['vl.json']} is missing or has no stamp"
    for suffix in (*DRAWINGS, "csv"):
        if not files[suffix].is_file() or sha256_file(files[suffix]) != found[1].get(suffix):
            return f"{files[suffix]} is missing or differs from the drawing"
    data = found[1].get("data") or {}
    if record_checksums(data) != data:
        return f"{files['vl.json']} was drawn from other data than {paths.data_dir()} holds"
    return None
