"""Google Trends, second route: the Explore page's CSV export (``multiTimeline.csv``) → the snapshot.

Every export here is hand-made in ``tests/fixtures/trends/exports/`` (see its README) in one of the
dialects Google writes: interface languages, months/weeks/days/hours, ``<1``, byte-order mark and
semicolons (a file saved again by a spreadsheet), a region other than worldwide, a term without
data, lines after the data. Each must import to exactly the expected tidy frame; each malformed
one must be refused with the file and the line, leaving ``data/`` byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import responses
import tenacity

from ai4neuro import cli
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources import trends, trends_export, trends_pytrends
from ai4neuro.testing import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "trends"
EXPORTS = FIXTURES / "exports"
BOOK_URL = "https://trends.google.com/trends/explore?date=all&q=NeuroAI,AI4neuro&hl=en-GB"
LONG_AFTER = datetime(2030, 1, 1)  # an import date after every fixture's last period


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """AI4NEURO_DATA → a temporary folder holding the good fixture snapshot."""
    folder = shutil.copytree(FIXTURES / "snapshot", tmp_path / "data")
    monkeypatch.setenv("AI4NEURO_DATA", str(folder))
    return folder


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def expected(periods: pd.DatetimeIndex, values: dict[str, str], partial: bool = False) -> pd.DataFrame:
    """The tidy frame for ``values`` as the export writes them ("<1" included), one string per term."""
    rows = []
    for term, written in values.items():
        cells = written.split()
        assert len(cells) == len(periods)
        for period, cell in zip(periods, cells, strict=True):
            last = period == periods[-1]
            rows.append((period, term, 0 if cell == "<1" else int(cell), partial and last, cell == "<1"))
    frame = pd.DataFrame(rows, columns=["date", "term", "interest", "is_partial", "below_one"])
    return frame.astype({"date": "datetime64[us]", "interest": "int64"})


def months(start: str, count: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=count, freq="MS")


# name → (period column, terms/values, region, granularity, periods); all imported long after their last period
DIALECTS = {
    "en_monthly.csv": (
        "Month",
        {"NeuroAI": "21 25 48 40 37 44 52 100", "AI4neuro": "0 <1 <1 0 2 <1 1 3"},
        "Worldwide",
        "month",
        months("2023-01-01", 8),
    ),
    "de_weekly_bom_semicolon.csv": (
        "Woche",
        {"NeuroAI": "100 93 61", "AI4neuro": "<1 0 <1"},
        "Deutschland",
        "week",
        pd.date_range("2024-04-07", periods=3, freq="7D"),
    ),
    "es_daily.csv": (
        "Día",
        {"NeuroAI": "35 61 100 74 58", "AI4neuro": "0 <1 0 <1 3"},
        "Todo el mundo",
        "day",
        pd.date_range("2024-02-26", periods=5, freq="D"),
    ),
    "fr_weekly.csv": (
        "Semaine",
        {"NeuroAI": "62 100 81 70", "AI4neuro": "<1 2 <1 0"},
        "Dans le monde entier",
        "week",
        pd.date_range("2023-12-31", periods=4, freq="7D"),
    ),
    "it_monthly_quoted.csv": (
        "Mese",
        {'"neuro AI"': "7 9 100 63", "AI4neuro": "<1 <1 0 1"},
        "Tutto il mondo",
        "month",
        months("2022-10-01", 4),
    ),
    "en_hourly.csv": (
        "Time",
        {"NeuroAI": "18 9 <1 100", "AI4neuro": "0 0 0 <1"},
        "United States",
        "hour",
        pd.date_range("2024-01-07 22:00", periods=4, freq="h"),
    ),
    "tr_monthly_unknown_period_name.csv": (
        "Ay",
        {"NeuroAI": "0 <1 100 45"},
        "Türkiye",
        "month",
        months("2023-10-01", 4),
    ),
    "one_term_without_data.csv": (
        "Week",
        {"NeuroAI": "88 100 73", "AI4neuro": "0 0 0"},
        "Worldwide",
        "week",
        pd.date_range("2024-03-03", periods=3, freq="7D"),
    ),
    "trailing_lines.csv": (
        "Month",
        {"NeuroAI": "55 100 72", "AI4neuro": "0 <1 5"},
        "Worldwide",
        "month",
        months("2024-01-01", 3),
    ),
}


@pytest.mark.parametrize("name", DIALECTS)
def test_each_dialect_reads_to_the_expected_tidy_frame(name):
    column, values, region, granularity, periods = DIALECTS[name]
    export = trends_export.read_export(EXPORTS / name, now=LONG_AFTER)
    pd.testing.assert_frame_equal(export.frame, expected(periods, values), check_dtype=False)
    assert export.frame.dtypes.astype(str).tolist() == ["datetime64[us]", "str", "int64", "bool", "bool"]
    assert (export.period_column, export.terms, export.region, export.granularity) == (
        column,
        tuple(values),
        region,
        granularity,
    )
    assert export.sha256 == hashlib.sha256((EXPORTS / name).read_bytes()).hexdigest()


def test_the_category_line_and_regions_come_from_the_header():
    assert trends_export.read_export(EXPORTS / "de_weekly_bom_semicolon.csv").category == "Kategorie: Alle Kategorien"
    export = trends_export.read_export(EXPORTS / "en_hourly.csv", now=LONG_AFTER)
    query, url = trends_export.query_of(export)
    assert (query.geo, query.timeframe) == ("US", "2024-01-07T22 2024-01-08T01")
    assert (
        url
        == "https://trends.google.com/trends/explore?date=2024-01-07T22%202024-01-08T01&geo=US&q=NeuroAI,AI4neuro&hl=en-GB"
    )
    german = trends_export.query_of(trends_export.read_export(EXPORTS / "de_weekly_bom_semicolon.csv"))[0]
    assert (german.geo, german.timeframe) == ("DE", "2024-04-07 2024-04-27")
    worldwide = trends_export.query_of(trends_export.read_export(EXPORTS / "fr_weekly.csv"))[0]
    assert worldwide.geo == ""


def test_monthly_since_2004_is_the_books_query():
    export = trends_export.read_export(EXPORTS / "realistic_all_time.csv")
    assert export.granularity == "month" and export.first == pd.Timestamp("2004-01-01")
    assert trends_export.query_of(export) == (trends.BOOK, BOOK_URL)


def test_a_topic_keeps_its_type_in_the_term(tmp_path):
    export = tmp_path / "multiTimeline.csv"
    export.write_text(
        "Category: All categories\n\nMonth,Brain–computer interface (Topic): (Worldwide)\n2024-01,80\n2024-02,100\n",
        encoding="utf-8",
    )
    read = trends_export.read_export(export, now=LONG_AFTER)
    assert (read.terms, read.region) == (("Brain–computer interface (Topic)",), "Worldwide")


def test_a_term_without_data_is_kept_at_zero_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends_export.read_export(EXPORTS / "one_term_without_data.csv", now=LONG_AFTER)
    assert any("'AI4neuro' is 0 throughout" in message for message in caplog.messages)


def test_text_after_the_data_is_ignored_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends_export.read_export(EXPORTS / "trailing_lines.csv", now=LONG_AFTER)
    assert any("ignored 1 line(s) of text after the data (line 10 on)" in message for message in caplog.messages)


# ---------------------------------------------------------------- the period in progress


@pytest.mark.parametrize(
    ("name", "now", "partial"),
    [
        ("en_monthly.csv", datetime(2023, 8, 31, 23, 59), True),  # August 2023 not over yet
        ("en_monthly.csv", datetime(2023, 9, 1, 0, 0), False),
        ("fr_weekly.csv", datetime(2024, 1, 27, 12), True),  # the week of Sunday 21 January, Saturday
        ("fr_weekly.csv", datetime(2024, 1, 28, 0, 1), False),
        ("es_daily.csv", datetime(2024, 3, 1, 18), True),
        ("en_hourly.csv", datetime(2024, 1, 8, 1, 30), True),
        ("en_hourly.csv", datetime(2024, 1, 8, 2, 0), False),
    ],
)
def test_the_last_period_is_partial_while_the_import_date_is_in_it(name, now, partial):
    frame = trends_export.read_export(EXPORTS / name, now=now).frame
    last = frame["date"] == frame["date"].max()
    assert frame.loc[last, "is_partial"].tolist() == [partial] * int(last.sum())
    assert not frame.loc[~last, "is_partial"].any()


# ---------------------------------------------------------------- what is refused


MALFORMED = {
    "bad_missing_header.csv": (3, "data before any header"),
    "bad_term_count.csv": (5, "2 fields where the header has 3"),
    "bad_value_101.csv": (6, "“101” for “NeuroAI”; Google writes whole numbers 0–100 or “<1”"),
    "bad_duplicate_dates.csv": (6, "the period 2024-01-14 again (first on line 5): duplicate dates"),
    "bad_mixed_granularity.csv": (6, "“2024-03-01” is not a period like “2024-01” (line 4): mixed granularity"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_export_is_refused_with_file_and_line_and_data_unchanged(data_dir, name):
    line, problem = MALFORMED[name]
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError) as caught:
        trends.import_export(EXPORTS / name)
    message = str(caught.value)
    assert message.startswith(f"{EXPORTS / name}, line {line}: {problem}")
    assert f"{data_dir / 'google_trends.csv'} unchanged" in message and "\n" not in message
    assert folder_bytes(data_dir) == before


HEADER = "Category: All categories\n\nMonth,NeuroAI: (Worldwide),AI4neuro: (Worldwide)\n"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (HEADER + "2024-01,5,0\n2024-02,,1\n", 5, "an empty field for “NeuroAI”"),
        (HEADER + "2024-01,5,0\n2024-02,4.5,1\n", 5, "“4.5” for “NeuroAI”"),
        (HEADER + "2024-01,5,0\n2024-02,-1,1\n", 5, "“-1” for “NeuroAI”"),
        (HEADER + "2024-01,5,0\n2024-03,4,1\n", 5, "2024-03 does not follow the period before it by one month"),
        (HEADER + "2024-02,5,0\n2024-01,4,1\n", 5, "2024-01 comes after a later period"),
        (HEADER + "2024-01,5,0\n2024-13,4,1\n", 5, "“2024-13” is not a real date"),
        (HEADER + "2024-01,5,0\n01/02/2024,4,1\n", 5, "“01/02/2024” is not a period; Google writes 2024-01 (month)"),
        (HEADER + "2024-01,5,0\n\n2024-02,4,1\n", 6, "more periods after the blank line at line 5"),
        (HEADER.replace("Month", "Week") + "2024-01-07,5,0\n2024-01-08,4,1\n", 3, "“Week” (weeks) but the periods"),
        (HEADER.replace("Month", "Day") + "2024-01-07,5,0\n2024-01-10,4,1\n", 5, "3 days apart"),
        (HEADER.replace("AI4neuro: (Worldwide)", "AI4neuro: (Germany)") + "2024-01,5,0\n", 3, "different regions"),
        (HEADER.replace("AI4neuro: (Worldwide)", "AI4neuro") + "2024-01,5,0\n", 3, "column 3 is “AI4neuro”"),
        (HEADER.replace("AI4neuro", "NeuroAI") + "2024-01,5,0\n", 3, "Google Trends compares one to five"),
        (
            "Month,a: (Worldwide),b: (Worldwide),c: (Worldwide),d: (Worldwide),e: (Worldwide),f: (Worldwide)\n"
            "2024-01,1,2,3,4,5,6\n",
            1,
            "6 columns",
        ),
        ("Category: All categories\n\n", 1, "no Google Trends time series here"),
        ("Interest by region\nRegion,NeuroAI\nGermany,100\n", 1, "no Google Trends time series here"),
        ("   \n", 1, "the file is empty"),
    ],
)
def test_what_google_never_writes_is_refused_with_the_line(data_dir, tmp_path, text, line, problem):
    export = tmp_path / "multiTimeline.csv"
    export.write_text(text, encoding="utf-8")
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError) as caught:
        trends.import_export(export)
    assert str(caught.value).startswith(f"{export}, line {line}: ")
    assert problem in str(caught.value)
    assert folder_bytes(data_dir) == before


def test_a_file_that_is_not_utf8_is_refused_with_the_line(data_dir, tmp_path):
    export = tmp_path / "multiTimeline.csv"
    export.write_bytes("Kategorie: Alle Kategorien\n\nMonat,Bären: (Deutschland)\n2024-01,5\n".encode("latin-1"))
    with pytest.raises(Ai4NeuroError, match=rf"^{export}, line 3: not UTF-8 text \(byte 0xe4\)"):
        trends.import_export(export)


def test_a_missing_file_or_a_folder_is_one_clear_error(data_dir, tmp_path):
    with pytest.raises(Ai4NeuroError, match="does not exist. Give the CSV"):
        trends.import_export(tmp_path / "multiTimeline.csv")
    with pytest.raises(Ai4NeuroError, match="is a folder"):
        trends.import_export(tmp_path)


# ---------------------------------------------------------------- the snapshot and its provenance


def test_import_writes_the_snapshot_with_the_exports_provenance(data_dir):
    export = EXPORTS / "realistic_all_time.csv"
    summary = trends.import_export(export, now=datetime(2026, 11, 20, 9, 30))
    snapshot = trends.load()
    assert summary.startswith(f"{data_dir / 'google_trends.csv'}: 550 rows for NeuroAI, AI4neuro (Worldwide, ")
    assert "monthly 2004-01 to 2026-11; the last month is partial" in summary
    record = snapshot.provenance
    assert record["source"] == "Google Trends web export" and record["source_url"] == BOOK_URL
    assert record["export_file"] == "realistic_all_time.csv"
    assert record["export_sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert (record["terms"], record["region"], record["geo"], record["timeframe"]) == (
        ["NeuroAI", "AI4neuro"],
        "Worldwide",
        "",
        "all",
    )
    assert record["category"] == "Category: All categories" and record["period_column"] == "Month"
    assert (record["granularity"], record["period"], record["last_period_partial"]) == (
        "month",
        ["2004-01", "2026-11"],
        True,
    )
    in_utc = datetime(2026, 11, 20, 9, 30).astimezone(UTC)
    assert record["imported_at"] == in_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert record["imported_by"] and record["tool"] == "ai4neuro import-trends"
    assert record["rows"] == 550 and "note" not in record
    frame = snapshot.frame
    assert frame[frame["is_partial"]]["date"].dt.strftime("%Y-%m").unique().tolist() == ["2026-11"]


def test_the_export_gives_the_same_snapshot_as_pytrends_for_the_same_numbers(data_dir):
    """One schema, one frame: Google's wire answer and its web export of the same six months agree."""
    wire = {name: (FIXTURES / name).read_text(encoding="utf-8") for name in ("explore.txt", "multiline_two_terms.txt")}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as google:
        google.get("https://trends.google.com/trends/explore/?geo=GB")
        google.post(
            "https://trends.google.com/trends/api/explore", body=wire["explore.txt"], content_type="application/json"
        )
        google.get(
            "https://trends.google.com/trends/api/widgetdata/multiline",
            body=wire["multiline_two_terms.txt"],
            content_type="application/json",
        )
        fetched = trends_pytrends.fetch(
            policy=trends_pytrends.RetryPolicy(deadline=5, wait=tenacity.wait_none(), sleep=lambda s: None)
        )
    trends.import_export(EXPORTS / "en_monthly_as_wire.csv", now=datetime(2024, 5, 20))
    imported = trends.load().frame
    pd.testing.assert_frame_equal(imported, fetched.astype({"date": imported["date"].dtype}))


def test_reimporting_the_same_export_writes_the_same_table(data_dir):
    trends.import_export(EXPORTS / "en_monthly.csv", now=LONG_AFTER)
    first = (data_dir / "google_trends.csv").read_bytes()
    trends.import_export(EXPORTS / "en_monthly.csv", now=LONG_AFTER)
    assert (data_dir / "google_trends.csv").read_bytes() == first


def test_an_export_that_is_not_the_books_query_is_imported_with_a_note(data_dir, caplog):
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends.import_export(EXPORTS / "de_weekly_bom_semicolon.csv", now=LONG_AFTER)
    note = next(message for message in caplog.messages if "not the book's query" in message)
    assert "region Deutschland" in note and "period 2024-04-07 2024-04-27" in note and BOOK_URL in note
    record = trends.load().provenance
    assert (record["geo"], record["region"], record["granularity"]) == ("DE", "Deutschland", "week")


# ---------------------------------------------------------------- the Explore address


def test_a_region_without_a_known_name_needs_the_page_address(data_dir, tmp_path):
    export = tmp_path / "multiTimeline.csv"
    export.write_text(
        "Category: All categories\n\nMonth,NeuroAI: (California)\n2024-01,40\n2024-02,100\n", encoding="utf-8"
    )
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError, match="“California” is not a country name .* --url"):
        trends.import_export(export, now=LONG_AFTER)
    assert folder_bytes(data_dir) == before
    url = "https://trends.google.com/trends/explore?date=2024-01-01%202024-02-29&geo=US-CA&q=NeuroAI&hl=en-US"
    trends.import_export(export, url=url, now=LONG_AFTER)
    record = trends.load().provenance
    assert (record["source_url"], record["geo"], record["hl"], record["region"]) == (
        url,
        "US-CA",
        "en-US",
        "California",
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.com/trends/explore?q=NeuroAI,AI4neuro", "not a Google Trends Explore page"),
        ("https://trends.google.com/trends/explore?q=NeuroAI", r"its terms \(NeuroAI\) are not the export's"),
    ],
)
def test_a_page_address_that_does_not_match_the_export_is_refused(data_dir, url, problem):
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError, match=problem):
        trends.import_export(EXPORTS / "en_monthly.csv", url=url)
    assert folder_bytes(data_dir) == before


# ---------------------------------------------------------------- the command


def test_cli_imports_and_prints_one_line(data_dir, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["ai4neuro", "import-trends", str(EXPORTS / "en_monthly.csv")])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    out, err = capsys.readouterr()
    assert exited.value.code == 0
    assert len(out.strip().splitlines()) == 1 and "16 rows for NeuroAI, AI4neuro (Worldwide, monthly" in out
    assert json.loads((data_dir / "google_trends.provenance.json").read_text())["export_file"] == "en_monthly.csv"


def test_cli_refuses_a_malformed_export_in_one_line(data_dir, monkeypatch, capsys):
    before = folder_bytes(data_dir)
    monkeypatch.setattr(sys, "argv", ["ai4neuro", "import-trends", str(EXPORTS / "bad_value_101.csv")])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    out, err = capsys.readouterr()
    assert exited.value.code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {EXPORTS / 'bad_value_101.csv'}, line 6: ")
    assert folder_bytes(data_dir) == before


def test_chapters_do_not_import_pytrends_or_the_export_reader():
    """The book's kernels only read snapshots: pytrends (and requests, tenacity) load only to fetch."""
    code = (
        "import sys, ai4neuro.views.trends, ai4neuro.sources.trends; "
        "print(sorted(m for m in ('pytrends', 'requests', 'tenacity', 'ai4neuro.sources.trends_export', "
        "'ai4neuro.sources.trends_pytrends') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
