"""Google Trends, first route: the real pytrends code path, fed Google's wire format offline.

``responses`` serves pytrends' three HTTP calls (cookie, explore widgets, multiline timeline)
from the hand-made fixtures in ``tests/fixtures/trends/``. Every failure case checks that the
snapshot in ``AI4NEURO_DATA`` (a copy of the fixture snapshot) is byte-for-byte unchanged, and
every refusal by Google names the second route (the web export and ``import-trends``).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import requests
import responses
import tenacity

from ai4neuro import cli, snapshots
from ai4neuro.errors import Ai4NeuroError, SnapshotMissing, SourceUnreachable
from ai4neuro.sources import trends, trends_pytrends
from ai4neuro.sources.trends import BOOK, Query
from ai4neuro.views import trends as trends_view

FIXTURES = Path(__file__).parent / "fixtures" / "trends"
COOKIE_URL = "https://trends.google.com/trends/explore/?geo=GB"  # pytrends: geo = hl[-2:]
EXPLORE_URL = "https://trends.google.com/trends/api/explore"
MULTILINE_URL = "https://trends.google.com/trends/api/widgetdata/multiline"
JSON = "application/json; charset=utf-8"
BOOK_URL = "https://trends.google.com/explore?q=NeuroAI,AI4neuro&date=all&hl=en-GB"  # the redesigned Explore page
NO_WAIT = trends_pytrends.RetryPolicy(deadline=60, wait=tenacity.wait_none(), sleep=lambda seconds: None)


def wire(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """AI4NEURO_DATA → a temporary folder holding the good fixture snapshot."""
    folder = shutil.copytree(FIXTURES / "snapshot", tmp_path / "data")
    monkeypatch.setenv("AI4NEURO_DATA", str(folder))
    return folder


@pytest.fixture
def google():
    """Google Trends, served offline; anything not registered is refused (ConnectionError)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(COOKIE_URL, headers={"Set-Cookie": "NID=fixture; Path=/"})
        yield mock


def serve(google, timeline: str = "multiline_two_terms.txt") -> None:
    google.post(EXPLORE_URL, body=wire("explore.txt"), content_type=JSON)
    google.get(MULTILINE_URL, body=wire(timeline), content_type=JSON)


def rows(frame, term: str):
    return frame[frame["term"] == term].set_index(frame[frame["term"] == term]["date"].dt.strftime("%Y-%m"))


def test_two_terms_in_one_request_become_a_tidy_snapshot(google, data_dir):
    serve(google)
    summary = trends.refresh(policy=NO_WAIT)

    explores = [call for call in google.calls if call.request.url.startswith(EXPLORE_URL)]
    assert len(explores) == 1, "both terms must share one request (one 0-100 scale)"
    query = json.loads(explores[0].request.params["req"])
    assert [item["keyword"] for item in query["comparisonItem"]] == ["NeuroAI", "AI4neuro"]
    assert {(item["time"], item["geo"]) for item in query["comparisonItem"]} == {("all", "")}
    assert explores[0].request.params["hl"] == "en-GB"

    snapshot = trends.load()
    frame = snapshot.frame
    assert list(frame.columns) == ["date", "term", "interest", "is_partial", "below_one"]
    assert list(frame["term"].unique()) == ["NeuroAI", "AI4neuro"]
    assert rows(frame, "NeuroAI")["interest"].to_dict() == {
        "2023-12": 40,
        "2024-01": 55,
        "2024-02": 100,
        "2024-03": 72,
        "2024-04": 64,
        "2024-05": 38,
    }
    record = snapshot.provenance
    assert record["source_url"] == BOOK_URL
    assert (record["terms"], record["timeframe"], record["geo"], record["hl"]) == (
        ["NeuroAI", "AI4neuro"],
        "all",
        "",
        "en-GB",
    )
    assert record["tool"] == "pytrends" and record["tool_version"] == "4.9.2"
    assert record["rows"] == 12 and record["sha256"] == snapshots.sha256_file(snapshot.csv_path)
    assert record["fetched_at"].endswith("Z") and "note" not in record
    assert str(snapshot.csv_path) in summary and "12 rows" in summary


def test_less_than_one_is_zero_with_a_flag(google, data_dir):
    serve(google)
    ai4neuro = rows(trends_pytrends.fetch(policy=NO_WAIT), "AI4neuro")
    assert ai4neuro.loc["2023-12", ["interest", "below_one"]].tolist() == [0, True]
    assert ai4neuro.loc["2024-04", ["interest", "below_one"]].tolist() == [0, True]
    assert ai4neuro.loc["2024-01", ["interest", "below_one"]].tolist() == [0, False]  # hasData false: no volume
    assert ai4neuro.loc["2024-03", ["interest", "below_one"]].tolist() == [5, False]


def test_only_the_last_point_is_partial(google, data_dir):
    serve(google)
    frame = trends_pytrends.fetch(policy=NO_WAIT)
    partial = frame[frame["is_partial"]]
    assert sorted(partial["term"]) == ["AI4neuro", "NeuroAI"]
    assert set(partial["date"].dt.strftime("%Y-%m")) == {"2024-05"}


def test_429_is_retried_and_logged_then_succeeds(google, data_dir, caplog):
    google.post(EXPLORE_URL, status=429, body="<html>Too Many Requests</html>", content_type="text/html")
    serve(google)
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_pytrends"):
        frame = trends_pytrends.fetch(policy=NO_WAIT)
    assert len(frame) == 12
    assert sum(call.request.url.startswith(EXPLORE_URL) for call in google.calls) == 2
    assert any("Retrying" in message and "TooManyRequests" in message for message in caplog.messages)


def assert_names_the_export_route(message: str, url: str = BOOK_URL) -> None:
    """One line that says what to do next: open the query's page, press download, run import-trends."""
    assert "\n" not in message
    assert f"open {url}, press the download button" in message
    assert "python -m ai4neuro import-trends <the downloaded multiTimeline.csv>" in message


def test_a_429_storm_gives_up_keeps_the_snapshot_and_names_the_export_route(google, data_dir):
    before = folder_bytes(data_dir)
    google.post(EXPLORE_URL, status=429, body="<html>Too Many Requests</html>", content_type="text/html")
    policy = trends_pytrends.RetryPolicy(deadline=0.3, wait=tenacity.wait_fixed(0.1))
    with pytest.raises(SourceUnreachable, match="kept answering HTTP 429") as caught:
        trends.refresh(policy=policy)
    assert f"{data_dir / 'google_trends.csv'} unchanged" in str(caught.value)
    assert_names_the_export_route(str(caught.value))
    assert sum(call.request.url.startswith(EXPLORE_URL) for call in google.calls) >= 2
    assert folder_bytes(data_dir) == before


def test_the_export_route_is_for_the_query_asked(google, data_dir):
    google.post(EXPLORE_URL, status=429, body="<html>Too Many Requests</html>", content_type="text/html")
    query = replace(BOOK, terms=("NeuroAI",), geo="DE", timeframe="today 5-y")
    with pytest.raises(SourceUnreachable) as caught:
        trends.refresh(query, policy=trends_pytrends.RetryPolicy(deadline=0.1, wait=tenacity.wait_fixed(0.05)))
    url = "https://trends.google.com/explore?q=NeuroAI&date=today%205-y&geo=DE&hl=en-GB"
    assert_names_the_export_route(str(caught.value), url)


def test_connection_refused_is_one_clear_error(google, data_dir):
    before = folder_bytes(data_dir)
    google.replace(
        responses.GET, COOKIE_URL, body=requests.exceptions.ConnectionError("[Errno 111] Connection refused")
    )
    with pytest.raises(SourceUnreachable) as caught:
        trends.refresh(policy=NO_WAIT)
    message = str(caught.value)
    assert "network unreachable" in message and f"{data_dir / 'google_trends.csv'} unchanged" in message
    assert "\n" not in message
    assert len(google.calls) == 1, "an unreachable network is not retried"
    assert folder_bytes(data_dir) == before


def test_empty_timeline_for_a_term_without_volume(google, data_dir):
    before = folder_bytes(data_dir)
    serve(google, "multiline_empty.txt")
    with pytest.raises(Ai4NeuroError, match=r"no data for AI4neuro \(worldwide, all time"):
        trends.refresh(replace(BOOK, terms=("AI4neuro",)), policy=NO_WAIT)
    assert folder_bytes(data_dir) == before


def test_malformed_json_is_one_clear_error(google, data_dir):
    before = folder_bytes(data_dir)
    serve(google, "multiline_malformed.txt")
    with pytest.raises(Ai4NeuroError, match="cannot read .*JSONDecodeError") as caught:
        trends.refresh(policy=NO_WAIT)
    assert "unchanged" in str(caught.value) and "\n" not in str(caught.value)
    assert folder_bytes(data_dir) == before


@pytest.mark.parametrize("terms", [[], ["NeuroAI", " "], ["a", "b", "c", "d", "e", "f"], ["NeuroAI", "NeuroAI"]])
def test_bad_term_lists_are_refused_before_any_request(google, data_dir, terms):
    with pytest.raises(Ai4NeuroError, match="terms"):
        trends.refresh(Query(terms=tuple(terms)), policy=NO_WAIT)
    assert len(google.calls) == 0


def test_missing_snapshot_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path))
    with pytest.raises(SnapshotMissing, match="python -m ai4neuro refresh trends"):
        trends.load()


def test_corrupt_snapshot_is_one_clear_error(data_dir):
    csv = data_dir / "google_trends.csv"
    csv.write_bytes(csv.read_bytes().replace(b",100,", b",1000,"))
    with pytest.raises(Ai4NeuroError, match="checksum .* does not match") as caught:
        trends.load()
    assert str(csv) in str(caught.value) and "\n" not in str(caught.value)


def test_snapshot_from_another_version_is_one_clear_error(data_dir):
    """A snapshot whose checksum matches but whose columns are not this version's (say, an older book's)."""
    csv, record_path = data_dir / "google_trends.csv", data_dir / "google_trends.provenance.json"
    csv.write_bytes(csv.read_bytes().replace(b"below_one", b"below_1"))
    record = json.loads(record_path.read_text())
    record_path.write_bytes(snapshots.record_bytes({**record, "sha256": snapshots.sha256_file(csv)}))
    with pytest.raises(Ai4NeuroError, match="this version of the book expects") as caught:
        trends.load()
    assert str(csv) in str(caught.value) and "refresh trends" in str(caught.value)


def test_new_data_outside_the_schema_is_refused(data_dir):
    frame = trends.load().frame
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError, match="interest: in_range"):
        snapshots.save(trends.DATASET, frame.assign(interest=frame["interest"] * 10), {"source": "test"})
    assert folder_bytes(data_dir) == before


def test_failed_refresh_in_the_chapter_keeps_showing_the_snapshot(google, data_dir):
    google.replace(responses.GET, COOKIE_URL, body=requests.exceptions.ConnectionError("offline"))
    snapshot = trends.load(refresh_first=True)
    assert snapshot.provenance["note"].startswith("FIXTURE")


def test_failed_refresh_without_snapshot_raises_for_the_notice(google, tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path))
    google.replace(responses.GET, COOKIE_URL, body=requests.exceptions.ConnectionError("offline"))
    with pytest.raises(SourceUnreachable):
        trends.load(refresh_first=True)
    assert list(tmp_path.iterdir()) == []


def test_cli_offline_prints_one_line_and_exits_non_zero(google, data_dir, monkeypatch, capsys):
    before = folder_bytes(data_dir)
    google.replace(responses.GET, COOKIE_URL, body=requests.exceptions.ConnectionError("offline"))
    monkeypatch.setattr(sys, "argv", ["ai4neuro", "refresh", "trends"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code != 0
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "network unreachable" in err and "unchanged" in err
    assert folder_bytes(data_dir) == before


def test_caption_states_terms_region_period_scale_marks_and_fetch_date(data_dir):
    snapshot = trends.load()
    text = trends_view.caption(snapshot.provenance, snapshot.frame)
    assert text.startswith("FIXTURE: hand-made test data")
    for fact in (
        "“NeuroAI” and “AI4neuro”, worldwide, monthly, December 2023 to May 2024",
        "0–100 scale: 100 is the month with the most searches for either term and 50 half as many",
        "Hollow circles: Google's “<1”",
        "Dashed: May 2024, still in progress",
        "Fetched on 2024-05-20 with pytrends 4.9.2",
    ):
        assert fact in text
    assert "Grey dotted lines: this post (1 January 2024)." in text  # the other date is before the data
    assert "perspective paper" not in text


def test_the_notice_tells_readers_what_the_figure_shows_and_links_it_live():
    """Readers see a note, not the author's commands: what the figure would show, and the same comparison
    live on Google Trends (the redesigned Explore page)."""
    bundle = trends_view.notice()._repr_mimebundle_()
    page, text = bundle["text/html"], bundle["text/plain"]
    assert 'class="admonition note ai4n-notice"' in page
    assert "“NeuroAI” and “AI4neuro”, worldwide, month by month since 2004, on one 0–100 scale" in text
    assert 'href="https://trends.google.com/explore?q=NeuroAI,AI4neuro&amp;date=all&amp;hl=en-GB"' in page
    assert "See the same comparison live on Google Trends" in page and BOOK_URL in text
    for author_words in ("python -m", "<code>", "refresh trends", "import-trends", "multiTimeline.csv"):
        assert author_words not in page and author_words not in text, author_words


def test_the_build_says_how_to_add_the_data_in_one_line(tmp_path, monkeypatch):
    """The commands go to the build's output (and About the data), once, without pandas in the build's process."""
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path))
    line = trends.missing_snapshot_line()
    assert line.startswith(f"[ai4neuro] no Google Trends snapshot ({tmp_path / 'google_trends.csv'})")
    assert "python -m ai4neuro refresh trends" in line and "python -m ai4neuro import-trends multiTimeline.csv" in line
    assert BOOK_URL in line and "\n" not in line
    shutil.copytree(FIXTURES / "snapshot", tmp_path, dirs_exist_ok=True)
    assert trends.missing_snapshot_line() is None
    code = "import sys, ai4neuro.bookext.trends; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_the_books_query_is_set_in_one_place():
    assert BOOK.explore_url() == BOOK_URL
    assert [event.date.isoformat() for event in BOOK.events] == ["2023-03-22", "2024-01-01"]
    assert BOOK_URL in trends.DATASET.refresh_hint


@pytest.mark.parametrize(
    ("status", "body", "shown"),
    [
        (200, "<html>Before you continue to Google</html>", r"refused the request: HTTP 200 \(text/html"),
        (403, "<html>Your client does not have permission</html>", r"refused the request: HTTP 403 \(text/html"),
    ],
)
def test_a_blocked_request_names_the_export_route(google, data_dir, status, body, shown):
    """Google's consent or "unusual traffic" page where JSON was expected: not retried, the other route named."""
    before = folder_bytes(data_dir)
    google.post(EXPLORE_URL, status=status, body=body, content_type="text/html; charset=UTF-8")
    with pytest.raises(SourceUnreachable, match=shown) as caught:
        trends.refresh(policy=NO_WAIT)
    assert_names_the_export_route(str(caught.value))
    assert sum(call.request.url.startswith(EXPLORE_URL) for call in google.calls) == 1
    assert folder_bytes(data_dir) == before
