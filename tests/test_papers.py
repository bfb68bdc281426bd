"""Paper lists: checksummed downloads, status filter, counts and snapshots (hand-made lists)."""

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses
from typer.testing import CliRunner

from ai4neuro import cli, evidence, paths, testing
from ai4neuro.errors import Ai4NeuroError, SourceUnreachable
from ai4neuro.sources import paperlists_github, papers
from ai4neuro.testing import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "papers"
LISTS = ["iclr/iclr2023.json", "nips/nips1990.json", "nips/nips2023.json"]
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _use_registry(tmp_path, monkeypatch, contents: dict[str, bytes]) -> None:
    rows = "".join(
        f"{path},{COMMIT},{paperlists_github.git_blob_id(payload)},{_sha256(payload)}\n"
        for path, payload in sorted(contents.items())
    )
    registry = tmp_path / "registry.csv"
    registry.write_text("path,commit,git_blob,sha256\n" + rows, encoding="utf-8")
    monkeypatch.setattr(papers, "REGISTRY_FILE", registry)


@pytest.fixture
def mirror(tmp_path, monkeypatch) -> Path:
    """A local copy of the fixture lists as the cache, with a registry that pins them."""
    cache = tmp_path / "mirror"
    shutil.copytree(FIXTURES, cache)
    _use_registry(tmp_path, monkeypatch, {path: (cache / path).read_bytes() for path in LISTS})
    monkeypatch.setenv("AI4NEURO_CACHE", str(cache))
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path / "data"))
    return cache


@pytest.fixture
def empty_cache(tmp_path, monkeypatch) -> Path:
    """An empty cache and a registry pinning the fixture lists (to be 'downloaded')."""
    _use_registry(tmp_path, monkeypatch, {path: (FIXTURES / path).read_bytes() for path in LISTS})
    cache = tmp_path / "cache"
    monkeypatch.setenv("AI4NEURO_CACHE", str(cache))
    return cache


def _url(path: str) -> str:
    return f"https://raw.githubusercontent.com/papercopilot/paperlists/{COMMIT}/{path}"


# --- downloads ---------------------------------------------------------------------------


@responses.activate
def test_download_goes_to_the_cache_from_the_pinned_commit(empty_cache):
    payload = (FIXTURES / LISTS[1]).read_bytes()
    responses.get(_url(LISTS[1]), body=payload, status=200, content_type="text/plain; charset=utf-8")
    local = papers.fetch(LISTS[1], progressbar=False)
    assert local == empty_cache / LISTS[1] and local.read_bytes() == payload
    assert len(responses.calls) == 1
    papers.fetch(LISTS[1], progressbar=False)  # cached and checked: no second download
    assert len(responses.calls) == 1


@responses.activate
def test_wrong_checksum_download_is_an_error_and_nothing_is_cached(empty_cache):
    responses.get(_url(LISTS[1]), body=b'[{"title": "something else"}]', status=200)
    with pytest.raises(Ai4NeuroError, match="does not match the pinned SHA-256") as caught:
        papers.fetch(LISTS[1], progressbar=False)
    assert LISTS[1] in str(caught.value)
    assert not (empty_cache / LISTS[1]).exists()


@responses.activate
def test_truncated_download_is_an_error_and_nothing_is_cached(empty_cache):
    responses.get(_url(LISTS[1]), body=(FIXTURES / LISTS[1]).read_bytes()[:100], status=200)
    with pytest.raises(Ai4NeuroError, match="SHA-256"):
        papers.fetch(LISTS[1], progressbar=False)
    assert not (empty_cache / LISTS[1]).exists()


@responses.activate
def test_missing_file_404_is_one_clear_error(empty_cache):
    responses.get(_url(LISTS[1]), body="404: Not Found", status=404)
    with pytest.raises(SourceUnreachable, match="nips1990.json.*failed.*HTTPError"):
        papers.fetch(LISTS[1], progressbar=False)
    assert not (empty_cache / LISTS[1]).exists()


@responses.activate
def test_offline_is_one_clear_error(empty_cache):
    responses.get(_url(LISTS[1]), body=requests.ConnectionError("Failed to resolve 'raw.githubusercontent.com'"))
    with pytest.raises(SourceUnreachable, match="AI4NEURO_CACHE"):
        papers.fetch(LISTS[1], progressbar=False)
    assert not (empty_cache / LISTS[1]).exists()


@responses.activate
def test_corrupt_cached_file_is_reported_and_never_downloaded_over(mirror):
    corrupt = mirror / LISTS[2]
    corrupt.write_bytes(corrupt.read_bytes()[:-40])  # truncated in the cache (or another version of the list)
    damaged = corrupt.read_bytes()
    with pytest.raises(SourceUnreachable, match="checksum does not match.*delete it.*download .* failed") as caught:
        papers.fetch(LISTS[2], progressbar=False)  # offline
    assert str(corrupt) in str(caught.value) and "\n" not in str(caught.value)
    assert corrupt.read_bytes() == damaged

    payload = (FIXTURES / LISTS[2]).read_bytes()
    responses.get(_url(LISTS[2]), body=payload, status=200)
    local = papers.fetch(LISTS[2], progressbar=False)  # online: the pinned version goes beside it
    assert local == mirror / COMMIT / LISTS[2] and local.read_bytes() == payload
    assert corrupt.read_bytes() == damaged
    assert papers.fetch(LISTS[2], progressbar=False) == local and len(responses.calls) == 2  # found there next time


@responses.activate
def test_a_read_only_mirror_gets_no_file_new_versions_go_to_the_per_user_cache(mirror, tmp_path, monkeypatch):
    """CI points AI4NEURO_CACHE at a read-only mirror (no write bits, even for root): a version it lacks is
    downloaded to paperlists/<commit>/<path> in the per-user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    (mirror / LISTS[1]).unlink()
    for folder in (mirror, mirror / "nips"):
        folder.chmod(0o555)
    try:
        payload = (FIXTURES / LISTS[1]).read_bytes()
        responses.get(_url(LISTS[1]), body=payload, status=200)
        local = papers.fetch(LISTS[1], progressbar=False)
        assert local == tmp_path / "user-cache" / "ai4neuro" / "paperlists" / COMMIT / LISTS[1]
        assert local.read_bytes() == payload and not (mirror / LISTS[1]).exists()
    finally:
        for folder in (mirror, mirror / "nips"):
            folder.chmod(0o755)


def test_malformed_json_is_one_clear_error(tmp_path):
    broken = tmp_path / "nips2023.json"
    broken.write_text('[{"title": "cut off', encoding="utf-8")
    with pytest.raises(Ai4NeuroError, match="not valid JSON") as caught:
        papers.read_list(broken)
    assert str(broken) in str(caught.value)
    broken.write_text('{"title": "not a list"}', encoding="utf-8")
    with pytest.raises(Ai4NeuroError, match="expected a JSON list"):
        papers.read_list(broken)


# --- status filter and counts ------------------------------------------------------------


def test_only_published_papers_count_and_each_once(mirror):
    table = papers.published(papers.tidy(papers.read_list(mirror / LISTS[2]), LISTS[2]))
    assert sorted(table["title"]) == sorted(
        [
            "Biologically Plausible Learning Rules for Deep Networks",
            "Graph Neural Networks for Molecules",  # listed twice (poster, spotlight): once
            "Recurrent Networks Explain Working Memory Tasks",
            "Spike Sorting with Transformers <script>window.pwned = 1</script> & Friends",
            "Dead Neurons in ReLU Networks",
        ]
    )  # Reject, Journal and Withdraw are out


def test_same_title_by_other_authors_is_another_paper():
    records = [
        {"title": "Reproducibility Study of X", "author": "A. One", "status": "Poster"},
        {"title": "Reproducibility study of X", "author": "B. Two", "status": "Poster"},
        {"title": "Reproducibility Study of X", "status": "Oral"},  # no authors: a repeat listing
    ]
    assert len(papers.published(papers.tidy(records, "nips/nips2024.json"))) == 2


def test_journal_track_of_neurips_2024_is_excluded_like_2023s():
    """NeurIPS 2024 lists its journal track as Poster/main; journal_track.csv finds it by its poster pages."""
    site = "https://nips.cc/virtual/2024/poster/{}"
    records = [
        {"title": "A Main-Track Paper", "author": "A. One", "status": "Poster", "site": site.format(95000)},
        {"title": "A JMLR Paper", "author": "B. Two", "status": "Poster", "site": site.format(98310)},
        {"title": "[Re] A Reproduction", "author": "C. Three", "status": "Poster", "site": site.format(99340)},
        {"title": "A Paper Without a Page", "author": "D. Four", "status": "Oral"},
    ]
    table = papers.tidy(records, "nips/nips2024.json")
    assert papers.mark_journal_track(table)["status"].tolist() == ["Poster", "Journal", "Journal", "Oral"]
    assert papers.published(table)["title"].tolist() == ["A Main-Track Paper", "A Paper Without a Page"]
    assert len(papers.published(papers.tidy(records, "nips/nips2023.json"))) == 4  # the blocks are 2024's only


@pytest.mark.skipif(not testing.paper_lists_cached(), reason=testing.PAPER_LISTS_MISSING)
def test_the_53_journal_track_papers_of_neurips_2024_are_found():
    path = "nips/nips2024.json"
    table = papers.tidy(papers.read_list(papers.fetch(path, progressbar=False)), path)
    journal = papers.mark_journal_track(table).query("status == 'Journal'")
    assert len(journal) == 53
    assert journal["title"].str.contains(r"^\[Re\]|Reproducibility", case=False).sum() >= 15  # TMLR/ReScience


def test_unknown_status_is_an_error_naming_file_and_fix():
    records = [{"title": "A", "author": "A", "status": "Maybe"}]
    with pytest.raises(Ai4NeuroError, match=r"nips/nips2024.json: unknown status 'Maybe'.*paper_status.csv"):
        papers.published(papers.tidy(records, "nips/nips2024.json"))


def test_counts_of_the_fixture_lists(mirror):
    counts = papers.count(papers.load_papers(progressbar=False))
    expected = pd.DataFrame(
        [
            ["ICLR", 2023, "title", 3, 3, 2, 1, 0, 1, 0],
            ["ICLR", 2023, "title+keywords", 3, 3, 2, 1, 0, 1, 0],
            ["NeurIPS", 1990, "title", 4, 0, 2, 1, 1, 0, 0],
            ["NeurIPS", 1990, "title+keywords", 4, 0, 2, 1, 1, 0, 0],
            ["NeurIPS", 2023, "title", 5, 4, 2, 1, 1, 0, 0],
            ["NeurIPS", 2023, "title+keywords", 5, 4, 3, 2, 1, 0, 0],  # keywords "computational neuroscience": NeuroAI
        ],
        columns=list(papers.COUNTS_DATASET.columns),
    )
    pd.testing.assert_frame_equal(counts, expected)


def test_refresh_is_deterministic_and_keeps_provenance(mirror):
    evidence.refresh_papers(progressbar=False)
    first = (paths.data_dir() / "paper_counts.csv").read_bytes()
    listed = (paths.data_dir() / "neuro_papers.csv").read_bytes()
    evidence.refresh_papers(progressbar=False)
    assert (paths.data_dir() / "paper_counts.csv").read_bytes() == first
    assert (paths.data_dir() / "neuro_papers.csv").read_bytes() == listed
    record = json.loads((paths.data_dir() / "paper_counts.provenance.json").read_text())
    assert [f["path"] for f in record["files"]] == LISTS
    assert all(f["commit"] == COMMIT and len(f["sha256"]) == 64 for f in record["files"])
    assert [f["bytes"] for f in record["files"]] == [(mirror / path).stat().st_size for path in LISTS]
    assert not (paths.data_dir() / "paper_basis_comparison.csv").exists()  # no labelled papers in this data folder
    assert len(record["rules"]["sha256"]) == 64 and record["computed_at"].endswith("Z")
    loaded = evidence.load()
    assert loaded.papers.frame["url"].str.startswith("javascript").sum() == 0  # only https links kept
    assert (loaded.papers.frame["title_rules"] == "").sum() == 1  # the keyword-only paper, read back as ""


def test_failed_refresh_keeps_the_snapshots(mirror, monkeypatch):
    evidence.refresh_papers(progressbar=False)
    before = (paths.data_dir() / "paper_counts.csv").read_bytes()
    (mirror / LISTS[0]).write_bytes(b"[]")
    with pytest.raises(Ai4NeuroError, match="checksum"):
        evidence.refresh_papers(progressbar=False)
    assert (paths.data_dir() / "paper_counts.csv").read_bytes() == before
    assert evidence.load(refresh_first=True).counts.frame.shape[0] == 6  # the chapter falls back to the snapshot


def test_cli_reports_one_line_and_exit_code(mirror):
    (mirror / LISTS[0]).write_bytes(b"[]")
    result = CliRunner().invoke(cli.app, ["refresh", "papers"])
    assert result.exit_code != 0
    assert isinstance(result.exception, Ai4NeuroError) and "iclr2023.json" in str(result.exception)


@pytest.mark.skipif(not testing.paper_lists_cached(), reason=testing.PAPER_LISTS_MISSING)
def test_committed_snapshot_is_recomputed_byte_for_byte(tmp_path, monkeypatch):
    committed = ROOT / "data"
    for name in ("paper_labels", "paper_title_labels"):  # hand-made: copied, not recomputed
        for suffix in (".csv", ".provenance.json"):
            shutil.copy(committed / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path))
    evidence.refresh_papers(progressbar=False)
    for name in ("paper_counts.csv", "neuro_papers.csv", "paper_basis_comparison.csv"):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


@pytest.mark.skipif(not testing.paper_lists_cached(), reason=testing.PAPER_LISTS_MISSING)
def test_the_registry_keeps_each_lists_git_blob_id():
    """--update-lists finds corrections by git blob id: the committed ids must be those of the pinned bytes."""
    for row in papers.registry().itertuples():
        payload = papers.fetch(row.path, progressbar=False).read_bytes()
        assert paperlists_github.git_blob_id(payload) == row.git_blob, row.path


def test_a_notice_by_the_figures_when_the_rules_changed_since_the_counts(tmp_path, monkeypatch):
    """The snapshot's provenance records the rules' SHA-256; edited rules get a notice naming the refresh."""
    from ai4neuro.sources import classify
    from ai4neuro.views import papers as paper_views
    from ai4neuro.views.notice import Notice

    monkeypatch.setenv("AI4NEURO_FIGURES", str(tmp_path / "figures"))
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    paper_views.show_neurips_share()
    assert not [item for item in shown if isinstance(item, Notice)]  # the committed rules made the snapshot

    monkeypatch.setattr(classify, "rules_sha256", lambda *args: "0" * 64)
    shown.clear()
    paper_views.show_neuroai_vs_ai4neuro()
    notice = shown[0]
    assert isinstance(notice, Notice), shown
    text = notice._repr_mimebundle_()["text/html"]
    assert "classification rules changed" in text and "<code>python -m ai4neuro refresh papers</code>" in text
    assert any(isinstance(item, paper_views.figures.RenderedFigure) for item in shown[1:])  # the figure still shows
