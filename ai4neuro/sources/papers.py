"""Conference papers: how much of NeurIPS, ICLR and ICML is neuroscience?

The Paper Copilot lists (github.com/papercopilot/paperlists, one JSON file per
conference and year) are downloaded through a ``pooch`` cache: each file from its
pinned commit, checked against its SHA-256 in ``ai4neuro/sources/paperlists_registry.csv``
(which also keeps its git blob id, to see which lists changed upstream). ``refresh papers
--update-lists`` (:func:`update_lists`) pins what the source holds now: new conference-years
and corrected lists, found with GitHub's API (:mod:`ai4neuro.sources.paperlists_github`).

The cache folder is ``AI4NEURO_CACHE`` (default: a per-user cache folder); it may be a
read-only mirror with the layout ``<conf>/<conf><year>.json``. A cached file is never
downloaded over: a version that place cannot hold (another version is there, or the folder
is read-only) is cached as ``<commit>/<conf>/<conf><year>.json`` in the cache folder, or, when
that is read-only (a folder without write bits), in ``paperlists/`` of the per-user cache
folder (:func:`cache_places`). A cached file with a wrong checksum is reported.

Counts are over published papers (``ai4neuro/sources/paper_status.csv`` maps each ``status``
to published or not), each paper once (a paper listed twice, e.g. as poster and oral,
has the same title and first author). Journal-track papers are not in the proceedings: the
lists tag them ``Journal``, except NeurIPS 2024's, which ``ai4neuro/sources/journal_track.csv``
finds by their block of poster pages. :mod:`ai4neuro.sources.classify` labels the papers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import platformdirs

from ai4neuro import paths, snapshots
from ai4neuro.errors import Ai4NeuroError, SourceUnreachable
from ai4neuro.files import atomic_write
from ai4neuro.sources import classify, paperlists_github
from ai4neuro.vocabulary import BASES, CONFERENCES, LABELS, NOT_NEURO

logger = logging.getLogger(__name__)

REPOSITORY = "papercopilot/paperlists"
SOURCE = f"https://github.com/{REPOSITORY}"
RAW_URL = "https://raw.githubusercontent.com/" + REPOSITORY + "/{commit}/{path}"
REGISTRY_FILE = Path(__file__).with_name("paperlists_registry.csv")
REGISTRY_COLUMNS = ("path", "commit", "git_blob", "sha256")
# What the last `refresh papers --update-lists` saw upstream (absent until one ran).
UPSTREAM_FILE = Path(__file__).with_name("paperlists_upstream.json")
STATUS_FILE = Path(__file__).with_name("paper_status.csv")
JOURNAL_TRACK_FILE = Path(__file__).with_name("journal_track.csv")
JOURNAL = "Journal"
REFRESH_HINT = (
    "Recompute it with `python -m ai4neuro refresh papers` "
    "(downloads the Paper Copilot lists into AI4NEURO_CACHE on first use)."
)
DOWNLOAD_TIMEOUT = 60  # seconds without data before a download gives up

COUNTS = "paper_counts"
PAPERS = "neuro_papers"


def _counts_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "conference": pa.Column(str, pa.Check.isin(list(CONFERENCES.values()))),
            "year": pa.Column(int, pa.Check.in_range(1987, 2100)),
            "basis": pa.Column(str, pa.Check.isin(list(BASES))),
            "published": pa.Column(int, pa.Check.gt(0)),
            "with_keywords": pa.Column(int, pa.Check.ge(0)),
            "neuro": pa.Column(int, pa.Check.ge(0)),
            **{label: pa.Column(int, pa.Check.ge(0)) for label in LABELS},
        },
        checks=[
            pa.Check(lambda f: f["neuro"] == f[list(LABELS)].sum(axis=1), error="labels add up to neuro"),
            pa.Check(lambda f: f["neuro"] <= f["published"], error="neuro <= published"),
            pa.Check(
                lambda f: ~f.duplicated(["conference", "year", "basis"]), error="one row per conference, year and basis"
            ),
        ],
        name="paper counts",
        strict=True,
        ordered=True,
    )


def _papers_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "conference": pa.Column(str, pa.Check.isin(list(CONFERENCES.values()))),
            "year": pa.Column(int, pa.Check.in_range(1987, 2100)),
            "title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "label": pa.Column(str, pa.Check.isin(LABELS)),
            "title_rules": pa.Column(str, nullable=True),
            "keyword_rules": pa.Column(str, nullable=True),
            "has_keywords": pa.Column(bool),
            "keywords": pa.Column(str, nullable=True),
            "url": pa.Column(str, pa.Check.str_matches(r"^(https://|$)"), nullable=True),
        },
        name="neuroscience-related papers",
        strict=True,
        ordered=True,
    )


COUNTS_DATASET = snapshots.Dataset(
    COUNTS,
    ("conference", "year", "basis", "published", "with_keywords", "neuro", *LABELS),
    _counts_schema,
    REFRESH_HINT,
)
PAPERS_DATASET = snapshots.Dataset(
    PAPERS,
    ("conference", "year", "title", "label", "title_rules", "keyword_rules", "has_keywords", "keywords", "url"),
    _papers_schema,
    REFRESH_HINT,
)


# --- The registry: which file, from which commit, with which checksum -------------------


def write_registry(manifest: Path, target: Path = REGISTRY_FILE) -> Path:
    """Write the download registry (path, commit, git_blob, sha256) from a paper-list ``MANIFEST.csv``.

    How the first 60 lists were pinned (``papers.write_registry('../shared/data/paperlists/MANIFEST.csv')``);
    since then ``python -m ai4neuro refresh papers --update-lists`` pins new and corrected lists.
    """
    table = pd.read_csv(manifest, dtype=str)[list(REGISTRY_COLUMNS)].sort_values("path")
    atomic_write(target, snapshots.to_csv_bytes(table))
    return target


def registry() -> pd.DataFrame:
    """The pinned paper lists: ``path``, ``commit``, ``git_blob``, ``sha256`` and the download ``url``."""
    table = pd.read_csv(REGISTRY_FILE, dtype=str, keep_default_na=False)
    if tuple(table.columns) != REGISTRY_COLUMNS:
        raise Ai4NeuroError(
            f"{REGISTRY_FILE}: columns {', '.join(table.columns)}; expected {', '.join(REGISTRY_COLUMNS)}. "
            "Restore it with git checkout."
        )
    return _with_urls(table)


def _with_urls(table: pd.DataFrame) -> pd.DataFrame:
    """Add each list's address on GitHub (the provenance's ``url``; downloads honour ``AI4NEURO_GITHUB_RAW``)."""
    urls = [RAW_URL.format(commit=c, path=p) for c, p in zip(table["commit"], table["path"], strict=True)]
    return table.assign(url=urls)


def _pooch():
    """pooch, imported only when a list is fetched: the chapters read snapshots and never need it."""
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        # pooch imports tqdm.auto, which warns in a notebook kernel without ipywidgets (a text bar is used instead);
        # unfiltered, that warning lands in the rendered chapter.
        warnings.simplefilter("ignore", TqdmWarning)
        import pooch
    return pooch


# --- The cache: where a pinned version is kept ------------------------------------------


def updates_dir() -> Path:
    """Where versions go that the cache folder cannot take: the cache folder itself when it is writable,
    else ``paperlists/`` in the per-user cache folder (the cache may be a read-only mirror)."""
    cache = paths.cache_dir()
    return cache if _writable(cache) else Path(platformdirs.user_cache_dir("ai4neuro")) / "paperlists"


def cache_places(path: str, commit: str) -> tuple[Path, Path]:
    """The two places a version of ``path`` is cached: ``<cache>/<path>``, the mirror's layout, and
    ``<updates>/<commit>/<path>``, for a version the first place cannot hold (another version is there,
    or the cache is read-only)."""
    return paths.cache_dir() / path, updates_dir() / commit / path


def _writable(folder: Path) -> bool:
    """Whether files can be made in ``folder`` (or in its nearest existing parent, where it would be made);
    a folder without write bits counts as read-only even for root (a mirror)."""
    existing = next(f for f in (folder, *folder.parents) if f.exists())
    return os.access(existing, os.W_OK) and bool(existing.stat().st_mode & 0o222)


def _download_place(path: str, commit: str) -> Path:
    """Where a version not cached yet goes: the mirror's layout when that is free and writable, else beside."""
    plain, versioned = cache_places(path, commit)
    return plain if not plain.exists() and _writable(plain.parent) else versioned


def _pinned(table: pd.DataFrame, path: str):
    rows = table[table["path"] == path]
    if rows.empty:
        raise Ai4NeuroError(f"{path}: not in {REGISTRY_FILE}; only pinned lists are read.")
    return rows.iloc[0]


def fetch(path: str, *, table: pd.DataFrame | None = None, progressbar: bool = True) -> Path:
    """The local copy of one pinned list, downloaded and checked (SHA-256) if the cache has none.

    A cached file is never downloaded over: one with another checksum at ``<cache>/<path>`` is another
    version (or corrupt), and the pinned one is downloaded beside it (:func:`cache_places`).
    """
    row = _pinned(registry() if table is None else table, path)
    plain, versioned = cache_places(path, row["commit"])
    if plain.is_file() and snapshots.sha256_file(plain) == row["sha256"]:
        return plain
    if versioned.is_file():
        if snapshots.sha256_file(versioned) == row["sha256"]:
            return versioned
        raise Ai4NeuroError(
            f"{versioned}: checksum does not match the pinned SHA-256 in {REGISTRY_FILE.name}; the cached file is "
            "corrupt or was changed. Delete it to download it again."
        )
    other = (
        f"{plain}: checksum does not match the pinned SHA-256 in {REGISTRY_FILE.name} (another version, or corrupt: "
        "delete it or restore the mirror), and "
        if plain.exists()
        else ""
    )
    return _download(row, _download_place(path, row["commit"]), other, progressbar)


def _download(row, target: Path, other: str, progressbar: bool) -> Path:
    """Download one pinned version to ``target`` through pooch, which checks its SHA-256 before keeping it."""
    import requests

    pooch = _pooch()
    url = paperlists_github.raw_url(row["commit"], row["path"])
    if other:
        logger.warning("%sthe pinned version is downloaded to %s.", other, target)
    downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=DOWNLOAD_TIMEOUT)
    try:
        return Path(
            pooch.retrieve(url, f"sha256:{row['sha256']}", fname=target.name, path=target.parent, downloader=downloader)
        )
    except ValueError as error:
        raise Ai4NeuroError(
            f"{url}: the downloaded file does not match the pinned SHA-256 ({error}); "
            f"nothing was cached. Check the commit and checksum for {row['path']} in {REGISTRY_FILE}."
        ) from None
    except PermissionError:
        raise Ai4NeuroError(
            f"{other}{target}: missing, and its folder is not writable. "
            "Point AI4NEURO_CACHE at a writable folder (or at a complete copy of the lists)."
        ) from None
    except requests.RequestException as error:
        missing = other or f"{row['path']}: not in the cache {paths.cache_dir()} and "
        raise SourceUnreachable(
            f"{missing}the download from {url} failed ({paperlists_github.one_line(error)}). "
            "Connect to the internet and run `python -m ai4neuro refresh papers` again, "
            "or set AI4NEURO_CACHE to a folder holding the lists."
        ) from None


# --- Reading the lists -------------------------------------------------------------------


def read_list(path: Path) -> list[dict]:
    """The records of one downloaded JSON list (a list of objects with a ``title``)."""
    try:
        records = json.loads(Path(path).read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(
            f"{path}: not valid JSON ({error}); the file is truncated or corrupt. Delete it to download it again."
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) and "title" in r for r in records):
        raise Ai4NeuroError(f"{path}: expected a JSON list of papers with a 'title'. Delete it to download it again.")
    return records


def conference_year(path: str) -> tuple[str, int]:
    """``nips/nips2023.json`` -> ``("NeurIPS", 2023)``."""
    folder, name = path.split("/")
    return CONFERENCES[folder], int(name.removeprefix(folder).removesuffix(".json"))


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def author_names(record: dict) -> list[str]:
    """A record's authors as listed (``author`` or ``authors``, separated by commas or semicolons)."""
    names = _text(record.get("author") or record.get("authors")).replace(";", ",").split(",")
    return [name.strip() for name in names if name.strip()]


def _first_author(record: dict) -> str:
    names = author_names(record)
    return names[0].casefold() if names else ""


def _url(record: dict) -> str:
    site = _text(record.get("site"))
    return site if site.startswith("https://") else ""


def tidy(records: list[dict], path: str) -> pd.DataFrame:
    """One row per record: conference, year, title, keywords, abstract, status, first author, url,
    and where it is (``source`` file, ``record`` position in it)."""
    conference, year = conference_year(path)
    return pd.DataFrame(
        {
            "conference": conference,
            "year": year,
            "title": [_text(r.get("title")) for r in records],
            "keywords": [_text(r.get("keywords")) for r in records],
            "abstract": [_text(r.get("abstract")) for r in records],
            "status": [_text(r.get("status")) for r in records],
            "first_author": [_first_author(r) for r in records],
            "url": [_url(r) for r in records],
            "source": path,
            "record": range(len(records)),
        },
        columns=[
            *("conference", "year", "title", "keywords", "abstract", "status", "first_author", "url", "source"),
            "record",
        ],
    )


def status_table() -> pd.DataFrame:
    """Which ``status`` values count as published (``ai4neuro/sources/paper_status.csv``)."""
    return pd.read_csv(STATUS_FILE, dtype=str, keep_default_na=False)


def journal_track_table() -> pd.DataFrame:
    """Blocks of poster pages that hold journal-track papers tagged ``Poster`` (``journal_track.csv``)."""
    return pd.read_csv(JOURNAL_TRACK_FILE, dtype={"list": str, "first_page": int, "last_page": int, "note": str})


def _page_number(urls: pd.Series) -> pd.Series:
    """The number that ends a paper's page address (``.../poster/98302`` -> 98302), else -1."""
    return pd.to_numeric(urls.str.extract(r"/(\d+)$", expand=False), errors="coerce").fillna(-1).astype(int)


def mark_journal_track(papers: pd.DataFrame) -> pd.DataFrame:
    """Give the status ``Journal`` to journal-track papers a list tags otherwise.

    NeurIPS 2022 and 2023 list their journal-to-conference track (JMLR, TMLR, ReScience) as
    ``Journal``; NeurIPS 2024 lists it as ``Poster`` in track ``main``, and only the numbers
    of the papers' pages on nips.cc tell it apart. Re-tagged here, the same status rule
    excludes them in every year.
    """
    page = _page_number(papers["url"])
    journal = pd.Series(False, index=papers.index)
    for block in journal_track_table().itertuples(index=False):
        journal |= (papers["source"] == block.list) & page.between(block.first_page, block.last_page)
    return papers.assign(status=papers["status"].mask(journal, JOURNAL))


def published(papers: pd.DataFrame) -> pd.DataFrame:
    """Published papers only, each once; journal-track papers are out; an unknown status is an error."""
    papers = mark_journal_track(papers)
    table = status_table()
    unknown = sorted(set(papers["status"]) - set(table["status"]))
    if unknown:
        raise Ai4NeuroError(unknown_status_message(papers, unknown))
    keep = papers["status"].isin(table.loc[table["published"] == "yes", "status"])
    return drop_repeated_listings(papers[keep & (papers["title"] != "")])


def unknown_status_message(papers: pd.DataFrame, unknown: list[str]) -> str:
    """Which lists use which unknown ``status`` values, and the lines to add to ``paper_status.csv``."""
    files = ", ".join(sorted(set(papers.loc[papers["status"].isin(unknown), "source"])))
    lines = " and ".join(f'"{value},yes,<what it means>"' for value in unknown)
    return (
        f"{files}: unknown status {', '.join(map(repr, unknown))}. Add {lines} to {_in_package(STATUS_FILE)} "
        "(yes if such papers are published in the proceedings, else no), then run the command again."
    )


def drop_repeated_listings(papers: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per paper: same conference, year, title (any case) and first author.

    A listing without authors repeats a listing of the same title that has them.
    """
    key = papers["title"].str.casefold()
    authored = papers["first_author"].ne("").groupby([papers["conference"], papers["year"], key]).transform("any")
    kept = papers[~(authored & papers["first_author"].eq(""))]
    return kept[~kept.assign(_key=key).duplicated(["conference", "year", "_key", "first_author"])]


def published_papers(progressbar: bool = True, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every pinned list (of ``table``, default the registry), downloaded if needed: the published papers, each once."""
    table = registry() if table is None else table
    frames = [tidy(read_list(fetch(path, table=table, progressbar=progressbar)), path) for path in table["path"]]
    return published(pd.concat(frames, ignore_index=True))


def list_sizes(table: pd.DataFrame | None = None) -> dict[str, int]:
    """Bytes of each pinned list in the cache (for the provenance: what a download costs)."""
    table = registry() if table is None else table
    return {path: fetch(path, table=table, progressbar=False).stat().st_size for path in table["path"]}


def load_papers(progressbar: bool = True) -> pd.DataFrame:
    """Every registered list, downloaded if needed: published papers, classified."""
    return classify.classify(published_papers(progressbar))


# --- Counting ----------------------------------------------------------------------------


def count(papers: pd.DataFrame) -> pd.DataFrame:
    """Per conference, year and basis: published papers, with keywords, neuroscience-related and its split."""
    columns = ["published", "with_keywords", "neuro", *LABELS]
    tables = []
    for basis, label_column in BASES.items():
        labels = papers[label_column]
        flags = papers[["conference", "year"]].assign(
            basis=basis,
            published=1,
            with_keywords=papers["keywords"] != "",
            neuro=labels != NOT_NEURO,
            **{label: labels == label for label in LABELS},
        )
        tables.append(flags.groupby(["conference", "year", "basis"], as_index=False)[columns].sum())
    counts = pd.concat(tables, ignore_index=True).astype({column: int for column in columns})
    return counts.sort_values(["conference", "year", "basis"], ignore_index=True)


def neuroscience_papers(papers: pd.DataFrame) -> pd.DataFrame:
    """The neuroscience-related papers, for the book's table and the validation."""
    neuro = papers[papers["label"] != NOT_NEURO].assign(has_keywords=lambda f: f["keywords"] != "")
    columns = list(PAPERS_DATASET.columns)
    return neuro[columns].sort_values(["conference", "year", "title"], ignore_index=True)


def _in_package(path: Path) -> str:
    """``path`` as the repository names it, e.g. ``ai4neuro/sources/paper_status.csv``."""
    return Path(path).resolve().relative_to(Path(__file__).resolve().parents[2]).as_posix()


def provenance(table: pd.DataFrame | None = None) -> dict:
    """Where the counts come from: pinned files (and their sizes), rule and status tables, tools."""
    table = registry() if table is None else table
    files = table.assign(bytes=lambda t: t["path"].map(list_sizes(table)))
    return {
        "source": SOURCE,
        "files": files[["path", "commit", "sha256", "url", "bytes"]].to_dict(orient="records"),
        "rules": {"file": _in_package(classify.RULES_FILE), "sha256": classify.rules_sha256()},
        "status_table": {"file": _in_package(STATUS_FILE), "sha256": snapshots.sha256_file(STATUS_FILE)},
        "journal_track": {"file": _in_package(JOURNAL_TRACK_FILE), "sha256": snapshots.sha256_file(JOURNAL_TRACK_FILE)},
        "computed_at": snapshots.utc_now(),
        "tools": {
            "python": platform.python_version(),
            **{name: version(name) for name in ("ai4neuro", "pandas", "pooch")},
        },
        "command": "python -m ai4neuro refresh papers",
    }


@dataclass(frozen=True)
class Recount:
    """Everything a refresh writes, computed before anything is written."""

    published: pd.DataFrame  # the published papers, unclassified (for the title/abstract comparison)
    papers: pd.DataFrame  # the same, classified
    counts: pd.DataFrame
    record: dict  # the provenance


def recount(table: pd.DataFrame | None = None, progressbar: bool = True) -> Recount:
    """Count the pinned lists of ``table`` (default: the registry), downloading what the cache lacks."""
    table = registry() if table is None else table
    published = published_papers(progressbar, table)
    papers = classify.classify(published)
    return Recount(published, papers, count(papers), provenance(table))


# --- Bringing the lists up to date -------------------------------------------------------


@dataclass(frozen=True)
class ListChange:
    """A list to pin: a conference-year the registry lacks (``new``) or a pinned one changed upstream."""

    path: str
    kind: str  # "new" or "corrected"
    git_blob: str
    size: int


def changes(table: pd.DataFrame, listing: paperlists_github.Listing) -> list[ListChange]:
    """The lists of ``listing`` that are not pinned in ``table`` as they are upstream (by git blob id)."""
    pinned = dict(zip(table["path"], table["git_blob"], strict=True))
    return [
        ListChange(path, "new" if path not in pinned else "corrected", item.git_blob, item.size)
        for path, item in listing.lists.items()
        if pinned.get(path) != item.git_blob
    ]


@dataclass(frozen=True)
class Update:
    """What ``refresh papers --update-lists`` found: the registry with every new or corrected list pinned
    (each already downloaded and checked), the lists it pinned, and what it saw of the source."""

    table: pd.DataFrame
    todo: list[ListChange]
    seen: str
    notes: list[str]

    def up_to_date(self) -> str:
        return "\n".join(
            [f"Up to date with {self.seen}: {len(self.table)} lists pinned, nothing to download.", *self.notes]
        )

    def report(self, before: pd.DataFrame | None, after: pd.DataFrame) -> list[str]:
        lists = f"{len(self.todo)} list" + ("s" if len(self.todo) > 1 else "")
        return [f"Pinned {lists} from {self.seen}:", *changed_years(self.todo, before, after), *self.notes]


def plan_update(progressbar: bool = True, echo: Callable[[str], None] = lambda line: None) -> Update:
    """Ask GitHub which NeurIPS, ICLR and ICML lists Paper Copilot's head commit holds; download every one the
    registry lacks or holds in another version into the cache, checked against the tree's git blob id.

    Nothing in the registry or ``data/`` changes here: the caller recounts and writes everything together.
    What the source holds is recorded in ``paperlists_upstream.json`` as soon as it is known.
    """
    listing = paperlists_github.head()
    record_upstream(listing)
    table = registry()
    todo = changes(table, listing)
    seen = f"{paperlists_github.REPOSITORY} at {listing.commit[:7]} ({listing.date})"
    gone = sorted(set(table["path"]) - set(listing.lists))
    notes = [f"No longer in the source's tree, still pinned: {', '.join(gone)}."] if gone else []
    if todo:
        progressbar = progressbar and sys.stderr.isatty()
        table = _merged(table, pd.DataFrame([_pin(c, listing.commit, progressbar, echo) for c in todo]))
    return Update(table, todo, seen, notes)


def registry_bytes(table: pd.DataFrame) -> bytes:
    """The registry file's bytes for ``table``."""
    return snapshots.to_csv_bytes(table[list(REGISTRY_COLUMNS)])


def _pin(change: ListChange, commit: str, progressbar: bool, echo: Callable[[str], None]) -> dict[str, str]:
    """Download one list of ``commit`` into the cache, checked against its git blob id: its registry row."""
    row = {"path": change.path, "commit": commit, "git_blob": change.git_blob}
    for place in cache_places(change.path, commit):
        if place.is_file() and paperlists_github.git_blob_id(place.read_bytes()) == change.git_blob:
            return {**row, "sha256": snapshots.sha256_file(place)}
    target = _download_place(change.path, commit)
    echo(f"Downloading {change.path} ({change.kind}, {change.size / 1e6:.1f} MB) into {target}")
    payload = _download_checked(paperlists_github.raw_url(commit, change.path), change, target, progressbar)
    return {**row, "sha256": hashlib.sha256(payload).hexdigest()}


def _download_checked(url: str, change: ListChange, target: Path, progressbar: bool) -> bytes:
    """Download ``url`` to ``target`` (atomically) only if its bytes are the tree's blob; return them."""
    import requests

    downloader = _pooch().HTTPDownloader(progressbar=progressbar, timeout=DOWNLOAD_TIMEOUT)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except PermissionError:
        raise Ai4NeuroError(
            f"{target.parent}: not writable, so {change.path} cannot be cached; point AI4NEURO_CACHE at a writable "
            "folder. Nothing was changed."
        ) from None
    os.close(handle)
    try:
        downloader(url, part, None)
        payload = Path(part).read_bytes()
        blob = paperlists_github.git_blob_id(payload)
        if blob != change.git_blob:
            raise Ai4NeuroError(
                f"{url}: the downloaded bytes ({len(payload):,} bytes, git blob {blob[:12]}) are not the file the "
                f"source's tree lists ({change.size:,} bytes, git blob {change.git_blob[:12]}); nothing was cached, "
                "pinned or recounted. Run the command again; if it persists, the address or mirror serves other files."
            )
        os.replace(part, target)
    except requests.RequestException as error:
        raise SourceUnreachable(
            f"{url}: the download failed ({paperlists_github.one_line(error)}); nothing was pinned or "
            "recounted. Connect to the internet and run `python -m ai4neuro refresh papers --update-lists` again."
        ) from None
    finally:
        Path(part).unlink(missing_ok=True)
    return payload


def _merged(table: pd.DataFrame, pins: pd.DataFrame) -> pd.DataFrame:
    """The registry with ``pins`` added or replacing the rows of their paths, sorted by path."""
    kept = table[~table["path"].isin(pins["path"])][list(REGISTRY_COLUMNS)]
    return _with_urls(pd.concat([kept, pins], ignore_index=True).sort_values("path", ignore_index=True))


def counts_before() -> pd.DataFrame | None:
    """The counts in ``data/`` before the update (None without a readable snapshot)."""
    try:
        return snapshots.load(COUNTS_DATASET).frame
    except Ai4NeuroError:
        return None


# What the report of an update shows for a conference-year (counts by title, the figures' basis).
CHANGE_COLUMNS = {
    **{"published": "published", "neuro": "neuroscience-related", "neuroai": "NeuroAI", "ai4neuro": "AI4Neuro"},
    **{"both": "both", "unclear": "unclear"},
}


def changed_years(todo: list[ListChange], before: pd.DataFrame | None, after: pd.DataFrame) -> list[str]:
    """One line per pinned conference-year: a new year's counts, a corrected year's before -> after (titles)."""
    lines = []
    for change in todo:
        conference, year = conference_year(change.path)
        now = _title_counts(after, conference, year)
        then = _title_counts(before, conference, year) if change.kind == "corrected" else None
        if now is None:  # a pinned list has no count only if it holds no published paper
            lines.append(f"  {conference} {year}: no published papers")
            continue
        shown = ", ".join(
            f"{name} {then[column]:,} → {now[column]:,}"
            if then is not None and then[column] != now[column]
            else f"{name} {now[column]:,}"
            for column, name in CHANGE_COLUMNS.items()
        )
        kind = "new list" if change.kind == "new" else "corrected list"
        if change.kind == "corrected" and then is None:
            kind += " (no earlier count in data/)"
        lines.append(f"  {conference} {year}: {kind}: {shown}")
    return lines


def _title_counts(counts: pd.DataFrame | None, conference: str, year: int) -> pd.Series | None:
    if counts is None:
        return None
    rows = counts[(counts["conference"] == conference) & (counts["year"] == year) & (counts["basis"] == "title")]
    return None if rows.empty else rows.iloc[0]


def record_upstream(listing: paperlists_github.Listing) -> None:
    """Record what the source held (``paperlists_upstream.json``), for About the data; unchanged, untouched."""
    record = {
        "command": "python -m ai4neuro refresh papers --update-lists",
        "repository": paperlists_github.REPOSITORY,
        "branch": paperlists_github.BRANCH,
        "commit": listing.commit,
        "commit_date": listing.date,
        "lists": {path: item.git_blob for path, item in listing.lists.items()},
    }
    payload = (json.dumps(record, indent=2) + "\n").encode("utf-8")
    if not UPSTREAM_FILE.exists() or UPSTREAM_FILE.read_bytes() != payload:
        atomic_write(UPSTREAM_FILE, payload)


def upstream_record() -> dict | None:
    """What the last ``--update-lists`` saw upstream, or None if none ran (nothing is known then)."""
    if not UPSTREAM_FILE.exists():
        return None
    return json.loads(UPSTREAM_FILE.read_text(encoding="utf-8"))
