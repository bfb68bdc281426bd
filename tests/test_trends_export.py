"""Google Trends, second route: the Explore page's CSV export (``multiTimeline.csv``) → the snapshot.

Every export here is hand-made in ``tests/fixtures/trends/exports/`` (see its README) in one of the
dialects Google writes: the classic and the redesigned layout, interface languages, months/weeks/
days/hours, "below one" as each language spells it, byte-order mark and semicolons (a file saved
again by a spreadsheet), a region other than worldwide, a term without data, lines after the data.
Each must import to exactly the expected tidy frame; each malformed one (cut short, too long, dates
Google cannot have) must be refused with the file and the line, leaving ``data/`` byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
from dataclasses import replace
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
BOOK_URL = "https://trends.google.com/explore?q=NeuroAI,AI4neuro&date=all&hl=en-GB"  # the redesigned page
ENGLISH_URL = BOOK_URL.replace("hl=en-GB", "hl=en")  # the book's query, from an English export
NBSP = "\u00a0"
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


# name → (period column, terms/values, region, granularity, periods, layout, interface language); all imported
# long after their last period. "<1" stands for "below one" however the file spells it (fr: "<" + no-break space
# + "1", it: "< 1").
DIALECTS = {
    "en_monthly.csv": (
        "Month",
        {"NeuroAI": "21 25 48 40 37 44 52 100", "AI4neuro": "0 <1 <1 0 2 <1 1 3"},
        "Worldwide",
        "month",
        months("2023-01-01", 8),
        "classic",
        "en",
    ),
    "de_weekly_bom_semicolon.csv": (
        "Woche",
        {"NeuroAI": "100 93 61", "AI4neuro": "<1 0 <1"},
        "Deutschland",
        "week",
        pd.date_range("2024-04-07", periods=3, freq="7D"),
        "classic",
        "de",
    ),
    "es_daily.csv": (
        "Día",
        {"NeuroAI": "35 61 100 74 58", "AI4neuro": "0 <1 0 <1 3"},
        "Todo el mundo",
        "day",
        pd.date_range("2024-02-26", periods=5, freq="D"),
        "classic",
        "es",
    ),
    "fr_weekly.csv": (
        "Semaine",
        {"NeuroAI": "62 100 81 70", "AI4neuro": "<1 2 <1 0"},
        "Dans tous les pays",
        "week",
        pd.date_range("2023-12-31", periods=4, freq="7D"),
        "classic",
        "fr",
    ),
    "it_monthly_quoted.csv": (
        "Mese",
        {'"neuro AI"': "7 9 100 63", "AI4neuro": "<1 <1 0 1"},
        "Tutto il mondo",
        "month",
        months("2022-10-01", 4),
        "classic",
        "it",
    ),
    "en_hourly.csv": (
        "Time",
        {"NeuroAI": "18 9 <1 100", "AI4neuro": "0 0 0 <1"},
        "United States",
        "hour",
        pd.date_range("2024-01-07 22:00", periods=4, freq="h"),
        "classic",
        "en",
    ),
    "tr_monthly_unknown_period_name.csv": (
        "Ay",
        {"NeuroAI": "0 <1 100 45"},
        "Türkiye",
        "month",
        months("2023-10-01", 4),
        "classic",
        None,
    ),
    "one_term_without_data.csv": (
        "Week",
        {"NeuroAI": "88 100 73", "AI4neuro": "0 0 0"},
        "Worldwide",
        "week",
        pd.date_range("2024-03-03", periods=3, freq="7D"),
        "classic",
        "en",
    ),
    "trailing_lines.csv": (
        "Month",
        {"NeuroAI": "55 100 72", "AI4neuro": "0 <1 5"},
        "Worldwide",
        "month",
        months("2024-01-01", 3),
        "classic",
        "en",
    ),
    "redesigned_daily.csv": (
        "Time",
        {"NeuroAI": "41 100 73 58", "AI4neuro": "0 <1 3 <1"},
        None,
        "day",
        pd.date_range("2026-03-02", periods=4, freq="D"),
        "redesigned",
        "en",
    ),
    "redesigned_eight_terms_weekly.csv": (
        "Time",
        {
            "NeuroAI": "7 8 6 9",
            "AI4neuro": "<1 <1 0 <1",
            "neuroscience": "64 61 66 59",
            "deep learning": "100 97 92 95",
            "connectomics": "2 1 2 3",
            "spike sorting": "1 <1 1 1",
            "brain-computer interface": "9 11 8 10",
            "computational neuroscience": "5 6 4 5",
        },
        None,
        "week",
        pd.date_range("2026-05-03", periods=4, freq="7D"),
        "redesigned",
        "en",
    ),
}


@pytest.mark.parametrize("name", DIALECTS)
def test_each_dialect_reads_to_the_expected_tidy_frame(name):
    column, values, region, granularity, periods, layout, hl = DIALECTS[name]
    export = trends_export.read_export(EXPORTS / name, now=LONG_AFTER)
    pd.testing.assert_frame_equal(export.frame, expected(periods, values), check_dtype=False)
    assert export.frame.dtypes.astype(str).tolist() == ["datetime64[us]", "str", "int64", "bool", "bool"]
    assert (export.period_column, export.terms, export.region, export.granularity, export.layout, export.hl) == (
        column,
        tuple(values),
        region,
        granularity,
        layout,
        hl,
    )
    assert export.sha256 == hashlib.sha256((EXPORTS / name).read_bytes()).hexdigest()


def test_the_category_line_and_regions_come_from_the_header():
    assert trends_export.read_export(EXPORTS / "de_weekly_bom_semicolon.csv").category == "Kategorie: Alle Kategorien"
    export = trends_export.read_export(EXPORTS / "en_hourly.csv", now=LONG_AFTER)
    asked = trends_export.query_of(export)
    assert (asked.query.geo, asked.query.timeframe, asked.geo_from) == ("US", "2024-01-07T22 2024-01-08T01", "file")
    assert asked.url == (
        "https://trends.google.com/explore?q=NeuroAI,AI4neuro&date=2024-01-07T22%202024-01-08T01&geo=US&hl=en"
    )
    german = trends_export.query_of(trends_export.read_export(EXPORTS / "de_weekly_bom_semicolon.csv")).query
    assert (german.geo, german.timeframe, german.hl) == ("DE", "2024-04-07 2024-04-27", "de")
    worldwide = trends_export.query_of(trends_export.read_export(EXPORTS / "fr_weekly.csv")).query
    assert (worldwide.geo, worldwide.hl) == ("", "fr")


def test_monthly_since_2004_is_the_books_query():
    export = trends_export.read_export(EXPORTS / "realistic_all_time.csv")
    assert export.granularity == "month" and export.first == pd.Timestamp("2004-01-01")
    asked = trends_export.query_of(export)
    assert asked.query == replace(trends.BOOK, hl="en")  # English: the file cannot tell en-GB from en-US
    assert asked.url == BOOK_URL.replace("hl=en-GB", "hl=en")


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
    assert "monthly 2004-01 to 2026-11; the last month is partial; 63 below one)" in summary
    record = snapshot.provenance
    assert record["source"] == "Google Trends web export" and record["source_url"] == ENGLISH_URL
    assert record["export_file"] == "realistic_all_time.csv"
    assert record["export_sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert (record["terms"], record["region"], record["geo"], record["timeframe"]) == (
        ["NeuroAI", "AI4neuro"],
        "Worldwide",
        "",
        "all",
    )
    assert record["category"] == "Category: All categories" and record["period_column"] == "Month"
    assert (record["export_layout"], record["hl"]) == ("classic", "en")  # from the file's words, not a default
    assert (record["geo_from"], record["category_from"], record["hl_from"]) == ("file", "file", "file")
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


def test_a_region_name_it_does_not_know_is_the_books_region_with_a_note(data_dir, tmp_path, caplog):
    """Not a refusal: the label shared by every term is taken as the book's region, and the import says so;
    --url with the page's address gives the real one."""
    export = tmp_path / "multiTimeline.csv"
    export.write_text(
        "Category: All categories\n\nMonth,NeuroAI: (California)\n2024-01,40\n2024-02,100\n", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends.import_export(export, now=LONG_AFTER)
    notes = [message for message in caplog.messages if "“California” is not a name this command knows" in message]
    assert len(notes) == 1 and "taken as the book's region (worldwide)" in notes[0] and "--url" in notes[0]
    record = trends.load().provenance
    assert (record["region"], record["geo"], record["geo_from"]) == ("California", "", "book")

    url = "https://trends.google.com/explore?q=NeuroAI&date=2024-01-01%202024-02-29&geo=US-CA&hl=en-US"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends.import_export(export, url=url, now=LONG_AFTER)
    assert not [message for message in caplog.messages if "is not a name this command knows" in message]
    record = trends.load().provenance
    assert (record["source_url"], record["geo"], record["geo_from"], record["hl"], record["hl_from"]) == (
        url,
        "US-CA",
        "url",
        "en-US",
        "url",
    )


def test_the_legacy_pages_address_is_accepted_as_url(data_dir):
    legacy = "https://trends.google.com/trends/explore?date=today%205-y&geo=DE&q=NeuroAI,AI4neuro&hl=de"
    trends.import_export(EXPORTS / "de_weekly_bom_semicolon.csv", url=legacy, now=LONG_AFTER)
    record = trends.load().provenance
    assert (record["source_url"], record["geo"], record["timeframe"], record["hl"]) == (
        legacy,
        "DE",
        "today 5-y",
        "de",
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


# ---------------------------------------------------------------- held-out exports: languages and the redesigned page

# name → (interface language, how the file spells "below one"); each the book's query, all time, invented numbers
HELD_OUT = {
    "fr_monthly_all_time.csv": ("fr", f"<{NBSP}1"),
    "ja_monthly_all_time.csv": ("ja", "1 未満"),
    "ru_monthly_all_time.csv": ("ru", "<1"),
    "zh_monthly_all_time.csv": ("zh-CN", "<1"),
    "redesigned_all_time.csv": ("en", "<1"),
}


def cells(path: Path) -> list[list[str]]:
    """The export's data rows as plain CSV: what the test expects, read without the importer."""
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    return [row for row in rows if row and row[0][:4].isdigit()]


@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_exports_import_as_the_books_query(data_dir, name, caplog):
    hl, below = HELD_OUT[name]
    path = EXPORTS / name
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        summary = trends.import_export(path, now=datetime(2026, 11, 20, 12))
    assert not [message for message in caplog.messages if "not the book's query" in message]
    snapshot = trends.load()
    record, frame = snapshot.provenance, snapshot.frame
    assert (record["terms"], record["geo"], record["timeframe"], record["hl"], record["hl_from"]) == (
        ["NeuroAI", "AI4neuro"],
        "",
        "all",
        hl,
        "file",
    )
    assert record["source_url"] == f"https://trends.google.com/explore?q=NeuroAI,AI4neuro&date=all&hl={hl}"
    assert record["period"] == ["2004-01", "2026-11"] and record["last_period_partial"]

    rows = cells(path)
    assert len(rows) == 275 and len(frame) == 2 * 275 and record["rows"] == 550
    for position, term in enumerate(("NeuroAI", "AI4neuro"), start=1):
        written = [row[position] for row in rows]
        series = frame[frame["term"] == term]
        assert series["below_one"].tolist() == [cell == below for cell in written], term
        assert series["interest"].tolist() == [0 if cell == below else int(cell) for cell in written], term
    assert f"{int(frame['below_one'].sum())} below one)" in summary


def test_the_redesigned_export_takes_region_and_category_from_the_books_query_and_says_so(data_dir, caplog):
    path = EXPORTS / "redesigned_all_time.csv"
    assert not path.read_bytes().endswith(b"\n")  # as Google writes it: no line break after the last row
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends.import_export(path, now=datetime(2026, 11, 20, 12))
    notes = [message for message in caplog.messages if "names no region or category" in message]
    assert len(notes) == 1 and "taken from the book's query (worldwide, all categories)" in notes[0]
    record = trends.load().provenance
    assert (record["export_layout"], record["region"], record["category"], record["period_column"]) == (
        "redesigned",
        None,
        "",
        "Time",
    )
    assert (record["geo_from"], record["category_from"]) == ("book", "book")


def test_the_redesigned_export_takes_region_and_category_from_url_when_given(data_dir, caplog):
    url = "https://trends.google.com/explore?q=NeuroAI,AI4neuro&date=today%203-m&geo=GB&cat=174&hl=fr"
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends.import_export(EXPORTS / "redesigned_daily.csv", url=url, now=LONG_AFTER)
    notes = [message for message in caplog.messages if "names no region or category" in message]
    assert len(notes) == 1 and f"taken from --url ({url})" in notes[0]
    record = trends.load().provenance
    assert (record["geo"], record["geo_from"], record["category"], record["category_from"]) == (
        "GB",
        "url",
        "cat=174",
        "url",
    )
    assert (record["hl"], record["hl_from"], record["timeframe"], record["granularity"]) == (
        "fr",
        "url",
        "today 3-m",
        "day",
    )


def test_the_redesigned_export_compares_up_to_eight_terms(tmp_path):
    nine = ",".join(f'"term {n}"' for n in range(1, 10))
    export = tmp_path / "multiTimeline.csv"
    export.write_text(f'"Time",{nine}\n"2024-01-01",{",".join(["1"] * 9)}', encoding="utf-8")
    with pytest.raises(Ai4NeuroError, match=r"line 1: 9 columns .* compares one to eight different terms"):
        trends_export.read_export(export, now=LONG_AFTER)


def test_the_interface_language_is_the_files_not_a_default(data_dir, caplog):
    """A German export's provenance says hl: de (it said en-GB); a file in a language the importer does not
    know has no hl, and says so in one line; --url's hl is taken when given."""
    trends.import_export(EXPORTS / "de_weekly_bom_semicolon.csv", now=LONG_AFTER)
    assert (trends.load().provenance["hl"], trends.load().provenance["hl_from"]) == ("de", "file")

    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        trends.import_export(EXPORTS / "tr_monthly_unknown_period_name.csv", now=LONG_AFTER)
    assert sum("no interface language this command knows" in message for message in caplog.messages) == 1
    record = trends.load().provenance
    assert (record["hl"], record["hl_from"]) == (None, "unknown") and "hl=" not in record["source_url"]

    url = "https://trends.google.com/explore?q=NeuroAI&date=2023-10-01%202024-01-31&geo=TR&hl=tr"
    trends.import_export(EXPORTS / "tr_monthly_unknown_period_name.csv", url=url, now=LONG_AFTER)
    assert (trends.load().provenance["hl"], trends.load().provenance["hl_from"]) == ("tr", "url")


@pytest.mark.parametrize(
    ("category", "period", "region", "hl"),
    [
        ("Category: All categories", "Week", "Worldwide", "en"),
        (f"Catégorie{NBSP}: Toutes catégories", "Semaine", "Dans tous les pays", "fr"),
        ("Categoria: Tutte le categorie", "Settimana", "Tutto il mondo", "it"),
        ("カテゴリ: すべてのカテゴリ", "週", "すべての国", "ja"),
        ("Категория: Все категории", "Неделя", "По всему миру", "ru"),
        ("类别：所有类别", "周", "全球", "zh-CN"),
        ("", "Week", "Worldwide", "en"),  # English without a category line
        ("", "Semana", "Todo o mundo", "pt"),  # "Semana" is Spanish or Portuguese; "Todo o mundo" says which
        ("", "週", "全球", "zh-TW"),  # 週: Japanese or traditional Chinese; 全球: Chinese
        ("类别：所有类别", "Semaine", "全球", None),  # words of two languages
    ],
)
def test_worldwide_and_the_language_in_each_interface_language(tmp_path, category, period, region, hl):
    export = tmp_path / "multiTimeline.csv"
    head = f"{category}\n\n" if category else ""
    export.write_text(
        f"{head}{period},NeuroAI: ({region})\n2024-01-07,5\n2024-01-14,100\n2024-01-21,<1\n", encoding="utf-8"
    )
    read = trends_export.read_export(export, now=LONG_AFTER)
    assert (read.region, read.hl, read.granularity) == (region, hl, "week")
    assert trends_export.query_of(read).query.geo == ""  # worldwide, named in the file's language
    assert trends_export.query_of(read).geo_from == "file"


# ---------------------------------------------------------------- "below one", as Google spells it


def one_column_export(tmp_path: Path, cells_: list[str]) -> Path:
    export = tmp_path / "multiTimeline.csv"
    rows = "".join(f"2024-0{month},{cell}\n" for month, cell in enumerate(cells_, start=1))
    export.write_text(f"Category: All categories\n\nMonth,NeuroAI: (Worldwide)\n{rows}", encoding="utf-8")
    return export


@pytest.mark.parametrize("spelling", ["<1", "< 1", f"<{NBSP}1", "<\u202f1", "‹1", "1 未満", f"1{NBSP}未満"])
def test_every_spelling_google_writes_is_below_one(tmp_path, caplog, spelling):
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        read = trends_export.read_export(one_column_export(tmp_path, ["100", spelling, "3"]), now=LONG_AFTER)
    assert read.frame["below_one"].tolist() == [False, True, False]
    assert read.frame["interest"].tolist() == [100, 0, 3]
    assert not [message for message in caplog.messages if "does not list" in message]


def test_another_spelling_with_a_lone_1_is_below_one_and_named_once(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="ai4neuro.sources.trends_export"):
        read = trends_export.read_export(
            one_column_export(tmp_path, ["100", "moins de 1", "<1%", "moins de 1", "4"]), now=LONG_AFTER
        )
    assert read.frame["below_one"].tolist() == [False, True, True, True, False]
    named = [message for message in caplog.messages if "does not list" in message]
    assert len(named) == 1
    assert "“moins de 1”, “<1%”" in named[0] and "in 3 cell(s), from line 5 on" in named[0]


@pytest.mark.parametrize("cell", ["1.5", "-1", "+1", "1%", "1.", "< 2", "<10", "n/a", "≈"])
def test_anything_else_that_is_not_0_to_100_is_refused_with_the_line(data_dir, tmp_path, cell):
    before = folder_bytes(data_dir)
    export = one_column_export(tmp_path, ["100", "7", cell])
    with pytest.raises(Ai4NeuroError) as caught:
        trends.import_export(export, now=LONG_AFTER)
    assert str(caught.value).startswith(f"{export}, line 6: “{cell}” for “NeuroAI”")
    assert folder_bytes(data_dir) == before


# ---------------------------------------------------------------- cut short (issue 20, item 7)

CUT = {
    "bad_cut_mid_date.csv": (4, '“"2024-0”'),  # the redesigned export, cut inside its last date
    "bad_cut_missing_field.csv": (4, '“"2024-03-01",72”'),  # ... after its last row's first value
    "bad_cut_no_line_end.csv": (6, "“2024-03,7”"),  # a classic export ends every row with a line break
}


@pytest.mark.parametrize("name", CUT)
def test_an_export_cut_short_is_refused_with_the_line(data_dir, name):
    line, shown = CUT[name]
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError) as caught:
        trends.import_export(EXPORTS / name, now=LONG_AFTER)
    message = str(caught.value)
    assert message.startswith(f"{EXPORTS / name}, line {line}: the file ends in the middle of a row ({shown})")
    assert "cut short" in message and "\n" not in message
    assert folder_bytes(data_dir) == before


@pytest.mark.parametrize(
    "text",
    [
        "Category: All categories\n\nMonth,NeuroAI: (Worldwide)\n2024-01,55\n2024-02,10",  # one term, value cut
        "Category: All categories\n\nMonth,NeuroAI: (Worldwide)\n2024-01,55\n2024-0",
        '"Time","NeuroAI","AI4neuro"\n"2024-01-01",55,0\n"2024-02-01",100,',
        '"Time","NeuroAI","AI4neuro"\n"2024-01-01",55,0\n"2024-02-01',
        '"Time","NeuroAI"\n"2024-01-07",55\n"2024-01-14",100\n"2024-01-2',
    ],
)
def test_a_last_row_cut_short_is_refused_in_either_layout(tmp_path, text):
    export = tmp_path / "multiTimeline.csv"
    export.write_text(text, encoding="utf-8")
    with pytest.raises(Ai4NeuroError, match=r", line \d+: the file ends in the middle of a row .* cut short"):
        trends_export.read_export(export, now=LONG_AFTER)


# ---------------------------------------------------------------- limits (issue 20, item 12)


def test_a_huge_file_is_refused_before_it_is_read(data_dir, tmp_path):
    """A 100,000-row export made a 75 MB page; now it is refused with the limit, and nothing is written."""
    export = tmp_path / "multiTimeline.csv"
    days = pd.date_range("2004-01-01", periods=100_000, freq="h")
    export.write_text(
        "Category: All categories\n\nTime,NeuroAI: (Worldwide)\n"
        + "".join(f"{day:%Y-%m-%dT%H},{n % 101}\n" for n, day in enumerate(days)),
        encoding="utf-8",
    )
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError, match=r"bytes, more than the 1,000,000 this command reads; .* 1,000 periods"):
        trends.import_export(export, now=LONG_AFTER)
    assert folder_bytes(data_dir) == before


def test_more_periods_than_any_export_has_are_refused_with_the_line(tmp_path):
    export = tmp_path / "multiTimeline.csv"
    days = pd.date_range("2020-01-01", periods=1001, freq="D")
    export.write_text(
        "Category: All categories\n\nDay,NeuroAI: (Worldwide)\n" + "".join(f"{day:%Y-%m-%d},5\n" for day in days),
        encoding="utf-8",
    )
    with pytest.raises(Ai4NeuroError, match=r"line 1004: more than 1,000 periods; a Google Trends export has"):
        trends_export.read_export(export, now=LONG_AFTER)
    export.write_text(export.read_text(encoding="utf-8").rsplit("2022-09-27", 1)[0], encoding="utf-8")
    assert len(trends_export.read_export(export, now=LONG_AFTER).frame) == 1000  # the limit itself is fine


@pytest.mark.parametrize(
    ("rows", "line", "problem"),
    [
        ("1900-01,5\n1900-02,100\n", 4, "1900-01 is before January 2004, where Google Trends' data begins"),
        ("2003-12,5\n2004-01,100\n", 4, "2003-12 is before January 2004"),
        ("2026-12,5\n2027-01,100\n", 5, "2027-01 begins after today (2026-12-07): Google has no data for it"),
        ("2173-01,5\n2173-02,100\n", 4, "2173-01 begins after today (2026-12-07)"),
    ],
)
def test_dates_google_trends_cannot_have_are_refused_with_the_line(data_dir, tmp_path, rows, line, problem):
    export = tmp_path / "multiTimeline.csv"
    export.write_text(f"Category: All categories\n\nMonth,NeuroAI: (Worldwide)\n{rows}", encoding="utf-8")
    before = folder_bytes(data_dir)
    with pytest.raises(Ai4NeuroError) as caught:
        trends.import_export(export, now=datetime(2026, 12, 7, 10))
    assert str(caught.value).startswith(f"{export}, line {line}: {problem}")
    assert folder_bytes(data_dir) == before


def test_the_month_in_progress_is_not_in_the_future(tmp_path):
    export = tmp_path / "multiTimeline.csv"
    export.write_text("Category: All categories\n\nMonth,NeuroAI: (Worldwide)\n2026-11,5\n2026-12,100\n")
    read = trends_export.read_export(export, now=datetime(2026, 12, 7, 10))
    assert read.frame["is_partial"].tolist() == [False, True]
