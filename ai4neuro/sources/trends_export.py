"""The second route to the Google Trends snapshot: the CSV of the Explore page's download button.

Google answers scripts with HTTP 429 most of the time since 2024, but a person in a browser
still gets the chart and its download button (↓ on "Interest over time"), which saves
``multiTimeline.csv``. :func:`import_export` reads that file into the same tidy snapshot as
the pytrends route, with its own provenance.

What the file looks like (the interface language decides the words)::

    Category: All categories            ← one or more such lines, then a blank line

    Month,NeuroAI: (Worldwide),AI4neuro: (Worldwide)
    2004-01,0,<1
    ...

- the header is the first line followed by a line that starts with a period; its first column
  names the period in the interface language (Month, Woche, Mes, Jour, Tiempo ...), and when
  the name is one we know, it must agree with the periods' spacing;
- every other column is ``Term: (Region)``, one region for all terms;
- periods are ``2004-01`` (months), ``2024-01-07`` (weeks, starting on Sunday, or days) or
  ``2024-01-07T10`` (hours), evenly spaced, each once;
- values are integers 0–100 or ``<1`` (some interest, rounding to 0);
- UTF-8 with or without a byte-order mark; comma, semicolon or tab between fields (the last
  two when a spreadsheet saved it again); blank lines or notes after the data are ignored.

Anything else is one :class:`~ai4neuro.errors.Ai4NeuroError` naming the file and the line, and
nothing is written. The last period is ``is_partial`` when the import happens before it ends
(the current month or week); Google's export does not say so itself.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import logging
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from ai4neuro import __version__, paths, snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources import trends
from ai4neuro.sources.trends import BOOK, DATASET, Query

logger = logging.getLogger(__name__)

SOURCE = "Google Trends web export"
DELIMITERS = (",", ";", "\t")
PERIODS = {  # kind of period text → its exact format (weeks and days share one, told apart by the spacing)
    "month": (re.compile(r"\d{4}-\d{2}"), "%Y-%m"),
    "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
    "hour": (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}"), "%Y-%m-%dT%H"),
}
EXAMPLES = "2024-01 (month), 2024-01-07 (week or day) or 2024-01-07T10 (hour)"
PERIOD_NAMES = {  # the period column in interface languages; a name not listed is accepted by its values
    "month": {"month", "monat", "mes", "mois", "mese", "mês", "maand", "månad", "måned", "miesiąc", "месяц", "місяць"},
    "week": {"week", "woche", "semana", "semaine", "settimana", "vecka", "uge", "tydzień", "неделя", "тиждень"},
    "day": {"day", "tag", "día", "dia", "jour", "giorno", "dag", "dzień", "день"},
}
WORLDWIDE = {
    "worldwide",
    "weltweit",
    "todo el mundo",
    "todo o mundo",
    "mundial",
    "dans le monde entier",
    "monde entier",
    "tutto il mondo",
    "wereldwijd",
    "hela världen",
    "cały świat",
    "весь мир",
    "увесь світ",
    "全世界",
    "全球",
    "전 세계",
}
TERM_COLUMN = re.compile(r"(?P<term>.+): \((?P<region>.+)\)")  # the last ": (" splits; "Yape (App): (Perú)"
GRANULARITY_WORDS = {"month": "monthly", "week": "weekly", "day": "daily", "hour": "hourly"}


@dataclass(frozen=True)
class Export:
    """One web export, read exactly: its tidy rows and what its header says."""

    path: Path
    sha256: str
    category: str  # the line(s) before the header, e.g. "Category: All categories"
    period_column: str  # the header's first column, in the interface language
    terms: tuple[str, ...]
    region: str  # as the header writes it, in the interface language
    granularity: str  # month, week, day or hour
    frame: pd.DataFrame

    @property
    def first(self) -> pd.Timestamp:
        return self.frame["date"].min()

    @property
    def last(self) -> pd.Timestamp:
        return self.frame["date"].max()

    @property
    def partial(self) -> bool:
        return bool(self.frame["is_partial"].any())


class _Lines:
    """The file's lines, and errors that name the file and a line."""

    def __init__(self, path: Path, text: str) -> None:
        # Lines end at \n, \r\n or \r only, as in an editor (str.splitlines also splits at U+2028 and others).
        self.path, self.lines = path, re.split(r"\r\n|\r|\n", text.removesuffix("\n").removesuffix("\r"))

    def error(self, number: int, problem: str, fix: str = "") -> Ai4NeuroError:
        fix = fix or "Download the export again from Google Trends, and import the file as it was saved"
        unchanged = f"{snapshots.csv_path(trends.NAME)} unchanged"
        return Ai4NeuroError(f"{self.path}, line {number}: {problem}. {fix} ({unchanged}).")

    def fields(self, number: int, delimiter: str) -> list[str]:
        """The fields of line ``number`` (1-based), split as CSV; surrounding spaces removed."""
        return [field.strip() for field in next(csv.reader([self.lines[number - 1]], delimiter=delimiter), [])]


# ---------------------------------------------------------------- reading


def read_export(path: Path, *, now: datetime | None = None) -> Export:
    """Read ``path`` exactly (see the module doc); ``now`` decides whether the last period is partial."""
    payload = _read_bytes(path)
    lines = _Lines(path, _decode(path, payload))
    header, delimiter = _find_header(lines)
    names = lines.fields(header, delimiter)
    terms, region = _terms_and_region(lines, header, names[1:])
    rows = _data_rows(lines, header, delimiter, len(names))
    kind, periods = _periods(lines, rows)
    granularity = _granularity(lines, rows, kind, periods)
    _check_period_name(lines, header, names[0], granularity, rows[0][0])
    frame = _tidy(lines, rows, periods, terms)
    frame.loc[frame["date"] == frame["date"].max(), "is_partial"] = _in_progress(periods[-1], granularity, now)
    for term in terms:
        values = frame[frame["term"] == term]
        if not (values["interest"] > 0).any() and not values["below_one"].any():
            logger.warning("%s: %r is 0 throughout (too little search volume); its line stays at 0.", path, term)
    category = " / ".join(line.strip() for line in lines.lines[: header - 1] if line.strip())
    return Export(
        path=path,
        sha256=hashlib.sha256(payload).hexdigest(),
        category=category,
        period_column=names[0],
        terms=terms,
        region=region,
        granularity=granularity,
        frame=frame,
    )


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        where = "is a folder" if path.is_dir() else "does not exist"
        raise Ai4NeuroError(
            f"{path} {where}. Give the CSV that Google Trends' download button saved (usually multiTimeline.csv)."
        )
    payload = path.read_bytes()
    if not payload.strip():
        raise Ai4NeuroError(f"{path}, line 1: the file is empty. Download the export again from Google Trends.")
    return payload


def _decode(path: Path, payload: bytes) -> str:
    """UTF-8, with or without the byte-order mark that spreadsheet programs add."""
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = payload[: error.start].count(b"\n") + 1
        raise Ai4NeuroError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{payload[error.start]:02x}). Google saves UTF-8; "
            "download the export again, or save it from your spreadsheet program as “CSV UTF-8”."
        ) from None


def _period_kind(text: str) -> str | None:
    return next((kind for kind, (pattern, _) in PERIODS.items() if pattern.fullmatch(text)), None)


def _find_header(lines: _Lines) -> tuple[int, str]:
    """The header's line number and the delimiter: the first line of two or more fields (not a
    period itself) that is followed by a line starting with a period."""
    for number in range(1, len(lines.lines)):
        for delimiter in DELIMITERS:
            names = lines.fields(number, delimiter)
            if len(names) < 2 or _period_kind(names[0]):
                continue
            following = lines.fields(number + 1, delimiter)
            if following and _period_kind(following[0]):
                return number, delimiter
    first_data = next((n for n in range(1, len(lines.lines) + 1) if _starts_with_period(lines, n)), None)
    if first_data:
        raise lines.error(
            first_data,
            "data before any header: the line “Month,Term: (Region),…” above the periods is missing",
        )
    raise lines.error(
        1,
        "no Google Trends time series here: no header line (“Month,Term: (Region),…”) followed by "
        f"periods such as {EXAMPLES}",
        "Import the file of the download button of “Interest over time” on trends.google.com/trends/explore",
    )


def _starts_with_period(lines: _Lines, number: int) -> bool:
    return any(_period_kind((lines.fields(number, delimiter) or [""])[0]) for delimiter in DELIMITERS)


def _terms_and_region(lines: _Lines, header: int, columns: list[str]) -> tuple[tuple[str, ...], str]:
    """``Term: (Region)`` per column: the terms in order, and their one region."""
    terms, regions = [], []
    for position, column in enumerate(columns, start=2):
        match = TERM_COLUMN.fullmatch(column)
        if not match:
            raise lines.error(header, f"column {position} is “{column}”, not “Term: (Region)” as Google writes it")
        terms.append(match["term"].strip())
        regions.append(match["region"].strip())
    if len(terms) > trends.MAX_TERMS or len(set(terms)) != len(terms):
        raise lines.error(header, f"{len(terms)} columns {terms}; Google Trends compares one to five different terms")
    if len(set(regions)) != 1:
        raise lines.error(
            header,
            f"the columns are for different regions ({', '.join(dict.fromkeys(regions))})",
            "Import an export that compares terms in one region, as the book does",
        )
    return tuple(terms), regions[0]


def _data_rows(lines: _Lines, header: int, delimiter: str, width: int) -> list[tuple[int, list[str]]]:
    """``(line number, fields)`` of the rows below the header, up to the first blank line.

    What follows a blank line is ignored unless it looks like more data (a joined or edited file).
    """
    rows: list[tuple[int, list[str]]] = []
    end = len(lines.lines) + 1
    for number in range(header + 1, len(lines.lines) + 1):
        fields = lines.fields(number, delimiter)
        if not any(fields):
            end = number
            break
        if len(fields) != width:
            terms = width - 1
            raise lines.error(
                number, f"{len(fields)} fields where the header has {width} (the period and {terms} term(s))"
            )
        rows.append((number, fields))
    for number in range(end + 1, len(lines.lines) + 1):
        first = lines.fields(number, delimiter)[:1]
        if first and _period_kind(first[0]):
            raise lines.error(number, f"more periods after the blank line at line {end}: the file looks joined")
    notes = [n for n in range(end + 1, len(lines.lines) + 1) if lines.lines[n - 1].strip(" \t,;")]
    if notes:
        logger.warning("%s: ignored %d line(s) of text after the data (line %d on).", lines.path, len(notes), notes[0])
    return rows


def _periods(lines: _Lines, rows: list[tuple[int, list[str]]]) -> tuple[str, list[datetime]]:
    """The periods as datetimes, all of one kind (month, date or hour), each once, in order."""
    kind = _period_kind(rows[0][1][0])
    periods: list[datetime] = []
    seen: dict[datetime, int] = {}
    for number, fields in rows:
        text = fields[0]
        this = _period_kind(text)
        if this != kind:
            first = rows[0][1][0]
            raise lines.error(
                number,
                f"“{text}” is not a period like “{first}” (line {rows[0][0]}): mixed granularity"
                if this
                else f"“{text}” is not a period; Google writes {EXAMPLES}",
            )
        try:
            period = datetime.strptime(text, PERIODS[kind][1])
        except ValueError:
            raise lines.error(number, f"“{text}” is not a real date") from None
        if period in seen:
            raise lines.error(number, f"the period {text} again (first on line {seen[period]}): duplicate dates")
        if periods and period < periods[-1]:
            raise lines.error(number, f"{text} comes after a later period: the dates are out of order")
        seen[period] = number
        periods.append(period)
    return kind, periods


def _granularity(lines: _Lines, rows, kind: str, periods: list[datetime]) -> str:
    """Month, week, day or hour, from evenly spaced periods (Google's export has no gaps)."""
    if kind == "month":
        steps = [pd.DateOffset(months=1)] * len(periods)
        granularity = "month"
    elif kind == "hour":
        steps = [timedelta(hours=1)] * len(periods)
        granularity = "hour"
    else:
        if len(periods) < 2:
            raise lines.error(rows[0][0], "one day or week alone; Google's export has a series of periods")
        first_step = periods[1] - periods[0]
        if first_step not in (timedelta(days=1), timedelta(days=7)):
            raise lines.error(
                rows[1][0],
                f"the first two periods are {first_step.days} days apart; Google's export has months, weeks, "
                "days or hours",
            )
        granularity = "week" if first_step == timedelta(days=7) else "day"
        steps = [first_step] * len(periods)
    for (number, fields), previous, period, step in zip(rows[1:], periods, periods[1:], steps, strict=False):
        if period != previous + step:
            raise lines.error(
                number,
                f"{fields[0]} does not follow the period before it by one {granularity}, as the earlier periods "
                f"do: mixed granularity, or rows are missing",
            )
    return granularity


def _check_period_name(lines: _Lines, header: int, name: str, granularity: str, first: str) -> None:
    """A period column called "Month" (in a language we know) must hold months, and so on."""
    named = next((kind for kind, names in PERIOD_NAMES.items() if name.casefold() in names), None)
    if named and named != granularity:
        raise lines.error(
            header, f"the first column is “{name}” ({named}s) but the periods are {granularity}s (“{first}”)"
        )


def _value(lines: _Lines, number: int, term: str, text: str) -> tuple[int, bool]:
    """Google's value → (interest, below_one): "<1" is some interest that rounds to 0."""
    if text == "<1":
        return 0, True
    if not re.fullmatch(r"\d{1,3}", text) or int(text) > 100:
        shown = f"“{text}”" if text else "an empty field"
        raise lines.error(number, f"{shown} for “{term}”; Google writes whole numbers 0–100 or “<1”")
    return int(text), False


def _tidy(lines: _Lines, rows, periods: list[datetime], terms: tuple[str, ...]) -> pd.DataFrame:
    records = []
    for (number, fields), period in zip(rows, periods, strict=True):
        for term, text in zip(terms, fields[1:], strict=True):
            interest, below_one = _value(lines, number, term, text)
            records.append((period, term, interest, False, below_one))
    frame = pd.DataFrame(records, columns=list(DATASET.columns))
    frame["date"] = pd.to_datetime(frame["date"])
    return trends.order_rows(frame.astype({"interest": "int64", "is_partial": bool, "below_one": bool}), terms)


def _in_progress(last: datetime, granularity: str, now: datetime | None) -> bool:
    """Whether the last period had not ended when the file is imported (the current month, week, day, hour)."""
    return trends.period_end(last, granularity) > _local(now)


def _local(now: datetime | None) -> datetime:
    """``now`` as a naive local time, like the export's periods (Google writes them in the browser's zone)."""
    return (now or datetime.now()).astimezone().replace(tzinfo=None)


# ---------------------------------------------------------------- the query it answers


def query_of(export: Export, url: str | None = None) -> tuple[Query, str]:
    """The query the export answers, and the Explore URL that shows it.

    With ``url`` (the page it was downloaded from) that URL, after checking that its terms are
    the export's; otherwise built from the header (region → code) and the periods.
    """
    if url:
        return _query_from_url(export, url), url
    geo = _region_code(export)
    query = Query(terms=export.terms, timeframe=_timeframe(export), geo=geo, hl=BOOK.hl)
    return query, query.explore_url()


def _query_from_url(export: Export, url: str) -> Query:
    parts = urlsplit(url)
    if not (parts.hostname or "").startswith("trends.google.") or "/explore" not in parts.path:
        raise Ai4NeuroError(
            f"--url {url}: not a Google Trends Explore page (https://trends.google.com/trends/explore?q=...)."
        )
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    terms = tuple(term.strip() for term in params.get("q", "").split(","))
    if tuple(t.casefold() for t in terms) != tuple(t.casefold() for t in export.terms):
        raise Ai4NeuroError(
            f"--url {url}: its terms ({', '.join(terms)}) are not the export's ({', '.join(export.terms)}) in "
            f"{export.path}. Give the address of the page the file was downloaded from."
        )
    return Query(
        terms=export.terms,
        timeframe=params.get("date", "today 12-m"),  # the Explore page's default
        geo=params.get("geo", ""),
        hl=params.get("hl", BOOK.hl),
    )


def _region_code(export: Export) -> str:
    """The Google Trends code of the header's region: "" for worldwide, else the country's code."""
    if export.region.casefold() in WORLDWIDE:
        return ""
    code = _country_code(export.region)
    if code is None:
        raise Ai4NeuroError(
            f"{export.path}: the region “{export.region}” is not a country name this command knows, so it cannot "
            "write the Explore address that reproduces the data. Run it again with --url and the address of the "
            "page the file was downloaded from (nothing was written)."
        )
    return code


def _country_code(name: str) -> str | None:
    """The ISO code of a country named in any language (CLDR, through Babel), if exactly one matches."""
    try:
        from babel import Locale, localedata
    except ImportError:  # Babel comes with Sphinx; without it, ask for --url
        return None
    codes = set()
    for identifier in localedata.locale_identifiers():
        if "_" in identifier:  # regional variants name countries as their language does
            continue
        territories = Locale.parse(identifier).territories
        codes.update(code for code, text in territories.items() if text.casefold() == name.casefold())
    countries = {code for code in codes if code.isalpha()}  # not "001" (world) and other groupings
    return countries.pop() if len(countries) == 1 else None


def _timeframe(export: Export) -> str:
    """The Explore page's ``date`` for the export's periods: ``all`` for monthly since 2004, else the range."""
    if export.granularity == "month" and export.first == pd.Timestamp(2004, 1, 1):
        return "all"
    end = pd.Timestamp(trends.period_end(export.last, export.granularity)) - pd.Timedelta(days=1)
    if export.granularity == "hour":
        return f"{export.first:%Y-%m-%dT%H} {export.last:%Y-%m-%dT%H}"
    return f"{export.first:%Y-%m-%d} {end:%Y-%m-%d}"


# ---------------------------------------------------------------- the command


def import_export(path: Path, *, url: str | None = None, now: datetime | None = None) -> str:
    """Read the export at ``path`` and replace the snapshot with it; return a one-line summary."""
    export = read_export(path, now=now)
    query, source_url = query_of(export, url)
    imported_at = (now or datetime.now()).astimezone(UTC).replace(microsecond=0)
    provenance = {
        "source": SOURCE,
        "source_url": source_url,
        "export_file": path.name,
        "export_sha256": export.sha256,
        "category": export.category,
        "period_column": export.period_column,
        "terms": list(export.terms),
        "region": export.region,
        "geo": query.geo,
        "timeframe": query.timeframe,
        "hl": query.hl,
        "granularity": export.granularity,
        "period": [_period_text(export.first, export.granularity), _period_text(export.last, export.granularity)],
        "last_period_partial": export.partial,
        "scale": trends.SCALE,
        "imported_at": imported_at.isoformat().replace("+00:00", "Z"),
        "imported_by": _who(),
        "tool": "ai4neuro import-trends",
        "tool_version": __version__,
    }
    _warn_if_not_the_books_query(query, export)
    snapshot = snapshots.save(DATASET, export.frame, provenance)
    first, last = provenance["period"]
    partial = f"; the last {export.granularity} is partial" if export.partial else ""
    return (
        f"{snapshot.csv_path}: {len(export.frame)} rows for {', '.join(export.terms)} ({export.region}, "
        f"{GRANULARITY_WORDS[export.granularity]} {first} to {last}{partial}), "
        f"imported from {path.name} (SHA-256 {export.sha256[:12]}…)."
    )


def _period_text(period: pd.Timestamp, granularity: str) -> str:
    """A period as the export writes it."""
    return period.strftime({"month": "%Y-%m", "hour": "%Y-%m-%dT%H"}.get(granularity, "%Y-%m-%d"))


def _who() -> str:
    """Who imported the file: the git user of this repository, else the login name."""
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


def _warn_if_not_the_books_query(query: Query, export: Export) -> None:
    """The book shows what the snapshot holds; say so when that is not the book's own query."""
    differences = []
    if tuple(t.casefold() for t in query.terms) != tuple(t.casefold() for t in BOOK.terms):
        differences.append(f"terms {', '.join(query.terms)}")
    if query.geo != BOOK.geo:
        differences.append(f"region {export.region}")
    if query.timeframe != BOOK.timeframe:
        differences.append(f"period {query.timeframe}")
    if differences:
        logger.warning(
            "%s is not the book's query (%s): the chart and its caption will show what it holds. The book's query: %s",
            export.path,
            "; ".join(differences),
            BOOK.explore_url(),
        )
