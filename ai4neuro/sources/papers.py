"""Conference papers: how much of NeurIPS, ICLR and ICML is neuroscience?

The Paper Copilot lists (github.com/papercopilot/paperlists, one JSON file per
conference and year) are downloaded through a ``pooch`` cache: each file from its
pinned commit, checked against its SHA-256 in ``ai4neuro/sources/paperlists_registry.csv``.
The cache folder is ``AI4NEURO_CACHE`` (default: a per-user cache folder); it may be a
read-only mirror with the same ``<conf>/<conf><year>.json`` layout, so a cached file
with a wrong checksum is reported, never downloaded over (delete it to download again).

Counts are over published papers (``ai4neuro/sources/paper_status.csv`` maps each ``status``
to published or not), each paper once (a paper listed twice, e.g. as poster and oral,
has the same title and first author). Journal-track papers are not in the proceedings: the
lists tag them ``Journal``, except NeurIPS 2024's, which ``ai4neuro/sources/journal_track.csv``
finds by their block of poster pages. :mod:`ai4neuro.sources.classify` labels the papers.
"""

from __future__ import annotations

import json
import logging
import platform
import sys
import warnings
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ai4neuro import paths, snapshots
from ai4neuro.errors import Ai4NeuroError, SourceUnreachable
from ai4neuro.sources import classify

if TYPE_CHECKING:
    import pooch

logger = logging.getLogger(__name__)

REPOSITORY = "papercopilot/paperlists"
SOURCE = f"https://github.com/{REPOSITORY}"
RAW_URL = "https://raw.githubusercontent.com/" + REPOSITORY + "/{commit}/{path}"
REGISTRY_FILE = Path(__file__).with_name("paperlists_registry.csv")
STATUS_FILE = Path(__file__).with_name("paper_status.csv")
JOURNAL_TRACK_FILE = Path(__file__).with_name("journal_track.csv")
JOURNAL = "Journal"
CONFERENCES = {"nips": "NeurIPS", "iclr": "ICLR", "icml": "ICML"}
REFRESH_HINT = (
    "Recompute it with `python -m ai4neuro refresh papers` "
    "(downloads the Paper Copilot lists into AI4NEURO_CACHE on first use)."
)
DOWNLOAD_TIMEOUT = 60  # seconds without data before a download gives up

COUNTS = "paper_counts"
PAPERS = "neuro_papers"
LABEL_VALUES = ["neuroai", "ai4neuro", "both", "unclear"]
# Which text a count classifies: the title alone (comparable across all years) or the
# title plus the authors' keywords (only OpenReview years have keywords).
BASES = {"title": "title_label", "title+keywords": "label"}


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
            **{label: pa.Column(int, pa.Check.ge(0)) for label in LABEL_VALUES},
        },
        checks=[
            pa.Check(lambda f: f["neuro"] == f[LABEL_VALUES].sum(axis=1), error="labels add up to neuro"),
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
            "label": pa.Column(str, pa.Check.isin(LABEL_VALUES)),
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
    ("conference", "year", "basis", "published", "with_keywords", "neuro", *LABEL_VALUES),
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
    """Write the download registry (path, commit, sha256) from a paper-list ``MANIFEST.csv``.

    Run once when the pinned versions change, e.g.
    ``python -c "from ai4neuro import papers; papers.write_registry('../shared/data/paperlists/MANIFEST.csv')"``.
    """
    table = pd.read_csv(manifest, dtype=str)[["path", "commit", "sha256"]].sort_values("path")
    target.write_bytes(snapshots.to_csv_bytes(table))
    return target


def registry() -> pd.DataFrame:
    """The pinned paper lists: ``path``, ``commit``, ``sha256`` and the download ``url``."""
    table = pd.read_csv(REGISTRY_FILE, dtype=str)
    table["url"] = [RAW_URL.format(commit=c, path=p) for c, p in zip(table["commit"], table["path"], strict=False)]
    return table


def _pooch():
    """pooch, imported only when a list is fetched: the chapters read snapshots and never need it."""
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        # pooch imports tqdm.auto, which warns in a notebook kernel without ipywidgets (a text bar is used instead);
        # unfiltered, that warning lands in the rendered chapter.
        warnings.simplefilter("ignore", TqdmWarning)
        import pooch
    return pooch


def fetcher() -> pooch.Pooch:
    """A pooch download cache in ``paths.cache_dir()`` that never overwrites a cached file."""
    pooch = _pooch()
    table = registry()
    return pooch.create(
        path=paths.cache_dir(),
        base_url=f"https://raw.githubusercontent.com/{REPOSITORY}/",
        registry={p: f"sha256:{h}" for p, h in zip(table["path"], table["sha256"], strict=False)},
        urls=dict(zip(table["path"], table["url"], strict=False)),
        allow_updates=False,
    )


def fetch(path: str, *, cache: pooch.Pooch | None = None, progressbar: bool = True) -> Path:
    """The local copy of one registered list, downloaded and checked if needed."""
    import requests

    cache = cache or fetcher()
    local = Path(cache.abspath) / path
    was_cached = local.exists()
    downloader = _pooch().HTTPDownloader(progressbar=progressbar, timeout=DOWNLOAD_TIMEOUT)
    try:
        return Path(cache.fetch(path, downloader=downloader))
    except ValueError as error:
        if was_cached:
            raise Ai4NeuroError(
                f"{local}: checksum does not match the pinned SHA-256 in {REGISTRY_FILE.name}; "
                "the cached file is corrupt or was changed. Delete it to download it again "
                "(or restore the mirror the cache points to)."
            ) from None
        raise Ai4NeuroError(
            f"{cache.get_url(path)}: the downloaded file does not match the pinned SHA-256 ({error}); "
            f"nothing was cached. Check the commit and checksum for {path} in {REGISTRY_FILE}."
        ) from None
    except PermissionError:
        raise Ai4NeuroError(
            f"{local}: missing, and the cache folder {cache.abspath} is not writable. "
            "Point AI4NEURO_CACHE at a writable folder (or at a complete copy of the lists)."
        ) from None
    except requests.RequestException as error:
        raise SourceUnreachable(
            f"{path}: not in the cache {cache.abspath} and the download from {cache.get_url(path)} failed "
            f"({type(error).__name__}: {str(error)[:160]}). Connect to the internet and run "
            "`python -m ai4neuro refresh papers` again, or set AI4NEURO_CACHE to a folder holding the lists."
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


def _first_author(record: dict) -> str:
    names = _text(record.get("author") or record.get("authors")).replace(";", ",")
    return names.split(",")[0].strip().casefold()


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
        files = ", ".join(sorted(set(papers.loc[papers["status"].isin(unknown), "source"])))
        raise Ai4NeuroError(
            f"{files}: unknown status {', '.join(map(repr, unknown))}. Add it to {STATUS_FILE} as published yes or no."
        )
    keep = papers["status"].isin(table.loc[table["published"] == "yes", "status"])
    return drop_repeated_listings(papers[keep & (papers["title"] != "")])


def drop_repeated_listings(papers: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per paper: same conference, year, title (any case) and first author.

    A listing without authors repeats a listing of the same title that has them.
    """
    key = papers["title"].str.casefold()
    authored = papers["first_author"].ne("").groupby([papers["conference"], papers["year"], key]).transform("any")
    kept = papers[~(authored & papers["first_author"].eq(""))]
    return kept[~kept.assign(_key=key).duplicated(["conference", "year", "_key", "first_author"])]


def published_papers(progressbar: bool = True) -> pd.DataFrame:
    """Every registered list, downloaded if needed: the published papers, each once."""
    cache = fetcher()
    frames = [tidy(read_list(fetch(path, cache=cache, progressbar=progressbar)), path) for path in registry()["path"]]
    return published(pd.concat(frames, ignore_index=True))


def list_sizes() -> dict[str, int]:
    """Bytes of each registered list in the cache (for the provenance: what a download costs)."""
    cache = fetcher()
    return {path: (Path(cache.abspath) / path).stat().st_size for path in registry()["path"]}


def load_papers(progressbar: bool = True) -> pd.DataFrame:
    """Every registered list, downloaded if needed: published papers, classified."""
    return classify.classify(published_papers(progressbar))


# --- Counting ----------------------------------------------------------------------------


def count(papers: pd.DataFrame) -> pd.DataFrame:
    """Per conference, year and basis: published papers, with keywords, neuroscience-related and its split."""
    columns = ["published", "with_keywords", "neuro", *LABEL_VALUES]
    tables = []
    for basis, label_column in BASES.items():
        labels = papers[label_column]
        flags = papers[["conference", "year"]].assign(
            basis=basis,
            published=1,
            with_keywords=papers["keywords"] != "",
            neuro=labels != classify.NOT_NEURO,
            **{label: labels == label for label in LABEL_VALUES},
        )
        tables.append(flags.groupby(["conference", "year", "basis"], as_index=False)[columns].sum())
    counts = pd.concat(tables, ignore_index=True).astype({column: int for column in columns})
    return counts.sort_values(["conference", "year", "basis"], ignore_index=True)


def neuroscience_papers(papers: pd.DataFrame) -> pd.DataFrame:
    """The neuroscience-related papers, for the book's table and the validation."""
    neuro = papers[papers["label"] != classify.NOT_NEURO].assign(has_keywords=lambda f: f["keywords"] != "")
    columns = list(PAPERS_DATASET.columns)
    return neuro[columns].sort_values(["conference", "year", "title"], ignore_index=True)


def _in_package(path: Path) -> str:
    """``path`` as the repository names it, e.g. ``ai4neuro/sources/paper_status.csv``."""
    return Path(path).resolve().relative_to(Path(__file__).resolve().parents[2]).as_posix()


def provenance() -> dict:
    """Where the counts come from: pinned files (and their sizes), rule and status tables, tools."""
    table = registry().assign(bytes=lambda t: t["path"].map(list_sizes()))
    return {
        "source": SOURCE,
        "files": table[["path", "commit", "sha256", "url", "bytes"]].to_dict(orient="records"),
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


def refresh(progressbar: bool = True) -> str:
    """Recount from the lists and replace ``data/paper_counts.csv``, ``data/neuro_papers.csv`` and
    ``data/paper_basis_comparison.csv`` (the labelled papers read with and without abstracts)."""
    from ai4neuro.sources import validation

    published = published_papers(progressbar=progressbar and sys.stderr.isatty())
    papers = classify.classify(published)
    record = provenance()
    counts = snapshots.save(COUNTS_DATASET, count(papers), record)
    listed = snapshots.save(PAPERS_DATASET, neuroscience_papers(papers), record)
    compared = validation.save_basis_comparison(published, record)
    years = len(counts.frame) // len(BASES)
    written = [f"{counts.csv_path}: {years} conference-years", f"{listed.csv_path}: {len(listed.frame)} papers"]
    if compared is not None:
        written.append(f"{compared.csv_path}: titles with and without abstracts")
    return "; ".join(written)


# --- What chapters call ------------------------------------------------------------------


@dataclass(frozen=True)
class PaperSnapshots:
    """The two snapshots the chapters read: counts per conference-year and the papers behind them."""

    counts: snapshots.Snapshot
    papers: snapshots.Snapshot


def load(refresh_first: bool | None = None) -> PaperSnapshots:
    """Both snapshots from ``data/``, recomputed from the lists first when asked (default: when
    ``AI4NEURO_REFRESH=1``); :class:`~ai4neuro.errors.SnapshotMissing` if absent."""
    return snapshots.load_after_refresh(COUNTS_DATASET, lambda: refresh(progressbar=False), _load, refresh_first)


def _load() -> PaperSnapshots:
    listed = snapshots.load(PAPERS_DATASET)
    text_columns = ["title_rules", "keyword_rules", "keywords", "url"]
    listed = replace(listed, frame=listed.frame.fillna({column: "" for column in text_columns}))
    return PaperSnapshots(counts=snapshots.load(COUNTS_DATASET), papers=listed)
