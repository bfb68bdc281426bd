"""The second route to the Google Trends snapshot: the CSV of the Explore page's download button.

Google answers scripts with HTTP 429 most of the time since 2024, but a person in a browser
still gets the chart and its download button (↓ on "Interest over time"), which saves
``multiTimeline.csv``. :func:`import_export` reads that file into the same tidy snapshot as
the pytrends route, with its own provenance. Google writes it in two layouts (the interface
language decides the words):

The classic export (the legacy page, ``trends.google.com/trends/explore``)::

    Category: All categories            ← one or more such lines, then a blank line

    Month,NeuroAI: (Worldwide),AI4neuro: (Worldwide)
    2004-01,0,<1
    ...                                 ← every row ends with a line break

The redesigned export (the Explore page since 2025-26, ``trends.google.com/explore``)::

    "Time","NeuroAI","AI4neuro"         ← no category line, no region after the terms
    "2004-01-01",0,0                    ← a month is its first day
    ...                                 ← no line break after the last row

- the header is the first line followed by a line that starts with a period; its first column
  names the period in the interface language (Month, Woche, Mois, 月, Time ...), and when the name
  is one we know, it must agree with the periods' spacing;
- every other column is ``Term: (Region)``, one region for all terms, one to five terms (classic),
  or a bare term, one to eight (redesigned: region and category come from ``--url`` or the book's
  query, and the import says which);
- periods are ``2004-01`` or ``2004-01-01`` (months), ``2024-01-07`` (weeks, starting on Sunday,
  or days) or ``2024-01-07T10`` (hours), evenly spaced, each once, from January 2004 (where
  Google Trends begins) to today, at most :data:`MAX_PERIODS` of them;
- values are integers 0–100 or "below one" (some interest, rounding to 0) as Google spells it:
  ``<1``, ``< 1``, ``<`` + no-break space + ``1`` (French), ``‹1``, ``1 未満`` (Japanese); another
  spelling whose only digit is a lone 1 is read as below one too, and named once in the output;
- UTF-8 with or without a byte-order mark; comma, semicolon or tab between fields (the last
  two when a spreadsheet saved it again); blank lines or notes after the data are ignored.

Anything else is one :class:`~ai4neuro.errors.Ai4NeuroError` naming the file and the line, and
nothing is written; so is a file cut short (a last row with a field missing or an incomplete
date, or a classic export whose last row has no line break). The interface language goes into
the provenance as ``hl`` when the file's words name one language (else ``--url``'s ``hl``, else
none). The last period is ``is_partial`` when the import happens before it ends (the current
month or week); Google's export does not say so itself.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import logging
import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from ai4neuro import __version__, paths, snapshots, vocabulary
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources import trends_query, trends_series
from ai4neuro.sources.trends_query import BOOK, Query
from ai4neuro.sources.trends_series import DATASET

logger = logging.getLogger(__name__)

SOURCE = "Google Trends web export"
DELIMITERS = (",", ";", "\t")
PERIODS = {  # kind of period text → (its exact shape, how to read it); weeks and days share "date"
    "month": (re.compile(r"\d{4}-\d{2}"), lambda text: datetime.strptime(text, "%Y-%m")),
    "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), lambda text: datetime.strptime(text, "%Y-%m-%d")),
    "hour": (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}(:00(:00)?)?"), datetime.fromisoformat),
}
PERIOD_SHAPES = ("9999-99-99T99:99:99", "9999-99-99 99:99:99")  # what a period cut short is the start of
EXAMPLES = "2024-01 (month), 2024-01-07 (week or day) or 2024-01-07T10 (hour)"
FIRST_PERIOD = datetime(2004, 1, 1)  # Google Trends' data begins in January 2004
MAX_PERIODS = 1000  # rows: a monthly export since 2004 has about 280; weekly, daily and hourly ones fewer
MAX_BYTES = 1_000_000  # MAX_PERIODS rows of eight terms take under 60 kB
MAX_TERMS = {"classic": 5, "redesigned": 8}  # the legacy page compares up to five terms, the new one eight
NUMBER_WORDS = {5: "five", 8: "eight"}
TERM_COLUMN = re.compile(r"(?P<term>.+)[:：] ?[(（](?P<region>.+)[)）]")  # the last ": (" splits; "Yape (App): (Perú)"
BELOW_ONE = re.compile(r"[<‹]\s*1|1\s*未満")  # \s: a space, a no-break space (French) or none


@dataclass(frozen=True)
class Language:
    """How one interface language writes an export's words, as seen in real exports (the fixtures'
    README says where): the category line, "worldwide" and the period column's names."""

    hl: str
    category: str = ""
    worldwide: tuple[str, ...] = ()
    month: str = ""
    week: str = ""
    day: tuple[str, ...] = ()
    time: str = ""  # the period column of hourly classic exports and of redesigned ones


LANGUAGES = (
    Language("en", "Category: All categories", ("Worldwide",), "Month", "Week", ("Day",), "Time"),
    Language("de", "Kategorie: Alle Kategorien", ("Weltweit",), "Monat", "Woche", ("Tag",), "Zeit"),
    Language("es", "Categoría: Todas las categorías", ("Todo el mundo",), "Mes", "Semana", ("Día",)),
    Language("fr", "Catégorie : Toutes catégories", ("Dans tous les pays",), "Mois", "Semaine", ("Jour",)),
    Language("it", "Categoria: Tutte le categorie", ("Tutto il mondo",), "Mese", "Settimana", ("Giorno",)),
    Language("pt", "Categoria: Todas as categorias", ("Todo o mundo",), "Mês", "Semana", ("Dia",)),
    Language("nl", "", ("Wereldwijd",), "Maand", "Week", ("Dag",)),
    Language("sv", "", ("Hela världen",), "Månad", "Vecka", ("Dag",)),
    Language("da", "", (), "Måned", "Uge", ("Dag",)),
    Language("pl", "", ("Cały świat",), "Miesiąc", "Tydzień", ("Dzień",)),
    Language("ru", "Категория: Все категории", ("По всему миру", "Весь мир"), "Месяц", "Неделя", ("День",)),
    Language("uk", "Категорія: Усі категорії", ("Увесь світ",), "Місяць", "Тиждень", ("День",)),
    Language("ja", "カテゴリ: すべてのカテゴリ", ("すべての国",), "月", "週", ("日",)),
    Language("zh-CN", "类别：所有类别", ("全球",), "月", "周", ("日", "天"), "时间"),
    Language("zh-TW", "類別：所有類別", ("全球", "全世界"), "月", "週", ("日", "天")),
    Language("ko", "", ("전 세계",), "월", "주", ("일",)),
)


def _words(text: str) -> str:
    """``text`` compared as words: case and the kind of space (no-break, narrow) do not matter."""
    return " ".join(text.split()).casefold()


def _languages_by(words) -> dict[str, set[str]]:
    """word (as :func:`_words` writes it) → the languages that write it."""
    found: dict[str, set[str]] = {}
    for language in LANGUAGES:
        for word in words(language):
            if word:
                found.setdefault(_words(word), set()).add(language.hl)
    return found


CATEGORY_LANGUAGES = _languages_by(lambda language: [language.category])
WORLDWIDE_LANGUAGES = _languages_by(lambda language: language.worldwide)
PERIOD_COLUMN_LANGUAGES = _languages_by(lambda language: [language.month, language.week, *language.day, language.time])
PERIOD_NAMES = {  # the period column's name → the granularity it promises ("Time" promises none)
    **{_words(language.month): "month" for language in LANGUAGES if language.month},
    **{_words(language.week): "week" for language in LANGUAGES if language.week},
    **{_words(day): "day" for language in LANGUAGES for day in language.day},
}


@dataclass(frozen=True)
class Export:
    """One web export, read exactly: its tidy rows and what its header says."""

    path: Path
    sha256: str
    layout: str  # "classic" (Term: (Region) columns) or "redesigned" (bare terms)
    category: str  # the line(s) before the header, e.g. "Category: All categories"; "" in a redesigned export
    period_column: str  # the header's first column, in the interface language
    terms: tuple[str, ...]
    region: str | None  # as the header writes it, in the interface language; None: the file does not say
    hl: str | None  # the interface language its words are written in, when they name exactly one
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
        self.ends_with_line_break = text.endswith(("\n", "\r"))

    def error(self, number: int, problem: str, fix: str = "") -> Ai4NeuroError:
        fix = fix or "Download the export again from Google Trends, and import the file as it was saved"
        unchanged = f"{snapshots.csv_path(trends_query.NAME)} unchanged"
        return Ai4NeuroError(f"{self.path}, line {number}: {problem}. {fix} ({unchanged}).")

    def fields(self, number: int, delimiter: str) -> list[str]:
        """The fields of line ``number`` (1-based), split as CSV; surrounding spaces removed."""
        return [field.strip() for field in next(csv.reader([self.lines[number - 1]], delimiter=delimiter), [])]


# ---------------------------------------------------------------- reading


def read_export(path: Path, *, now: datetime | None = None) -> Export:
    """Read ``path`` exactly (see the module doc); ``now`` decides whether the last period is partial
    and which periods are still to come."""
    payload = _read_bytes(path)
    lines = _Lines(path, _decode(path, payload))
    header, delimiter = _find_header(lines)
    names = lines.fields(header, delimiter)
    layout, terms, region = _terms_and_region(lines, header, names[1:])
    rows = _data_rows(lines, header, delimiter, len(names), layout)
    kind, periods = _periods(lines, rows, now)
    granularity = _granularity(lines, rows, kind, periods)
    _check_period_name(lines, header, names[0], granularity, rows[0][1][0])
    frame = _tidy(lines, rows, periods, terms)
    frame.loc[frame["date"] == frame["date"].max(), "is_partial"] = _in_progress(periods[-1], granularity, now)
    for term in terms:
        values = frame[frame["term"] == term]
        if not (values["interest"] > 0).any() and not values["below_one"].any():
            logger.warning("%s: %r is 0 throughout (too little search volume); its line stays at 0.", path, term)
    category_lines = [line.strip() for line in lines.lines[: header - 1] if line.strip()]
    return Export(
        path=path,
        sha256=hashlib.sha256(payload).hexdigest(),
        layout=layout,
        category=" / ".join(category_lines),
        period_column=names[0],
        terms=terms,
        region=region,
        hl=_language(category_lines, names[0], region),
        granularity=granularity,
        frame=frame,
    )


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        where = "is a folder" if path.is_dir() else "does not exist"
        raise Ai4NeuroError(
            f"{path} {where}. Give the CSV that Google Trends' download button saved (usually multiTimeline.csv)."
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Ai4NeuroError(
            f"{path}: {size:,} bytes, more than the {MAX_BYTES:,} this command reads; a Google Trends export of "
            f"“Interest over time” is a few kilobytes (at most {MAX_PERIODS:,} periods). Import the file the "
            f"download button saved ({snapshots.csv_path(trends_query.NAME)} unchanged)."
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
    return next((kind for kind, (shape, _) in PERIODS.items() if shape.fullmatch(text)), None)


def _cut_period(text: str) -> bool:
    """Whether ``text`` is the start of a period and no period itself, e.g. "2024-0" (a file cut short)."""
    shape = re.sub(r"\d", "9", text)
    return bool(text) and _period_kind(text) is None and any(full.startswith(shape) for full in PERIOD_SHAPES)


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
            "data before any header: the line “Month,Term: (Region),…” or “Time,Term,…” above the periods is missing",
        )
    raise lines.error(
        1,
        "no Google Trends time series here: no header line (“Month,Term: (Region),…” or “Time,Term,…”) followed "
        f"by periods such as {EXAMPLES}",
        f"Import the file of the download button of “Interest over time” on {trends_query.EXPLORE_PAGE}",
    )


def _starts_with_period(lines: _Lines, number: int) -> bool:
    return any(_period_kind((lines.fields(number, delimiter) or [""])[0]) for delimiter in DELIMITERS)


def _terms_and_region(lines: _Lines, header: int, columns: list[str]) -> tuple[str, tuple[str, ...], str | None]:
    """The layout, the terms in order, and their one region: ``Term: (Region)`` per column (classic),
    or bare terms with no region (redesigned)."""
    matches = [TERM_COLUMN.fullmatch(column) for column in columns]
    if any(matches):
        layout = "classic"
        for position, (column, match) in enumerate(zip(columns, matches, strict=True), start=2):
            if not match:
                raise lines.error(header, f"column {position} is “{column}”, not “Term: (Region)” as Google writes it")
        found = [match for match in matches if match]  # every column matched (checked above)
        terms = [match["term"].strip() for match in found]
        regions = [match["region"].strip() for match in found]
    else:
        layout, terms, regions = "redesigned", list(columns), [None]
    if not all(terms):
        raise lines.error(header, f"column {terms.index('') + 2} names no search term")
    limit = MAX_TERMS[layout]
    if len(terms) > limit or len(set(terms)) != len(terms):
        compares = f"Google Trends compares one to {NUMBER_WORDS[limit]} different terms"
        raise lines.error(header, f"{len(terms)} columns {terms}; {compares}")
    if len(set(regions)) != 1:
        raise lines.error(
            header,
            f"the columns are for different regions ({', '.join(dict.fromkeys(regions))})",
            "Import an export that compares terms in one region, as the book does",
        )
    return layout, tuple(terms), regions[0]


def _data_rows(lines: _Lines, header: int, delimiter: str, width: int, layout: str) -> list[tuple[int, list[str]]]:
    """``(line number, fields)`` of the rows below the header, up to the first blank line.

    What follows a blank line is ignored unless it looks like more data (a joined or edited file).
    A last row cut short is refused (see :func:`_check_not_cut`).
    """
    rows: list[tuple[int, list[str]]] = []
    end = len(lines.lines) + 1
    for number in range(header + 1, len(lines.lines) + 1):
        fields = lines.fields(number, delimiter)
        if not any(fields):
            end = number
            break
        if number == len(lines.lines):
            _check_not_cut(lines, number, fields, width, layout)
        if len(fields) != width:
            terms = width - 1
            raise lines.error(
                number, f"{len(fields)} fields where the header has {width} (the period and {terms} term(s))"
            )
        if len(rows) == MAX_PERIODS:
            raise lines.error(
                number,
                f"more than {MAX_PERIODS:,} periods; a Google Trends export has at most a few hundred (monthly "
                "since 2004: under 300), so this is not one",
                "Import the file the download button of “Interest over time” saved",
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


def _check_not_cut(lines: _Lines, number: int, fields: list[str], width: int, layout: str) -> None:
    """The file's last line, when it is a row: refused if it was cut short.

    Read from the row itself (a field missing or empty, an incomplete period or quote), since the
    redesigned export ends without a line break; the classic export ends every row with one, so
    there its absence alone shows the cut (the last value may have lost digits).
    """
    text = lines.lines[number - 1]
    cut = (
        len(fields) < width
        or not fields[-1]
        or _cut_period(fields[0])
        or text.count('"') % 2 == 1
        or (layout == "classic" and not lines.ends_with_line_break)
    )
    if cut:
        shown = text if len(text) <= 40 else f"…{text[-40:]}"
        raise lines.error(
            number,
            f"the file ends in the middle of a row (“{shown}”): it was cut short, and its last period would be "
            "wrong or missing",
        )


def _periods(lines: _Lines, rows: list[tuple[int, list[str]]], now: datetime | None) -> tuple[str, list[datetime]]:
    """The periods as datetimes, all of one kind (month, date or hour), each once, in order, from
    January 2004 to today."""
    kind = _period_kind(rows[0][1][0])
    if kind is None:
        raise lines.error(rows[0][0], f"“{rows[0][1][0]}” is not a period; Google writes {EXAMPLES}")
    tomorrow = datetime.combine(_local(now).date() + timedelta(days=1), datetime.min.time())
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
            period = PERIODS[kind][1](text)
        except ValueError:
            raise lines.error(number, f"“{text}” is not a real date") from None
        if period < FIRST_PERIOD:
            raise lines.error(number, f"{text} is before January 2004, where Google Trends' data begins")
        if period >= tomorrow:
            raise lines.error(
                number, f"{text} begins after today ({tomorrow.date() - timedelta(days=1)}): Google has no data for it"
            )
        if period in seen:
            raise lines.error(number, f"the period {text} again (first on line {seen[period]}): duplicate dates")
        if periods and period < periods[-1]:
            raise lines.error(number, f"{text} comes after a later period: the dates are out of order")
        seen[period] = number
        periods.append(period)
    return kind, periods


def _granularity(lines: _Lines, rows, kind: str, periods: list[datetime]) -> str:
    """Month, week, day or hour, from evenly spaced periods (Google's export has no gaps).

    Dates on the first of consecutive months are months (the redesigned export writes a month so).
    """
    month = pd.DateOffset(months=1)
    if kind == "date" and len(periods) > 1 and periods[1] == periods[0] + month and periods[0].day == 1:
        kind = "month"
    if kind == "month":
        steps = [month] * len(periods)
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
    named = PERIOD_NAMES.get(_words(name))
    if named and named != granularity:
        raise lines.error(
            header, f"the first column is “{name}” ({named}s) but the periods are {granularity}s (“{first}”)"
        )


def _language(category_lines: list[str], period_column: str, region: str | None) -> str | None:
    """The interface language (Google's ``hl``) when the file's words name exactly one: its category
    line, the period column's name and "worldwide"; words it does not know say nothing."""
    clues = [CATEGORY_LANGUAGES.get(_words(line)) for line in category_lines]
    clues += [PERIOD_COLUMN_LANGUAGES.get(_words(period_column)), WORLDWIDE_LANGUAGES.get(_words(region or ""))]
    candidates: set[str] | None = None
    for languages in filter(None, clues):
        candidates = set(languages) if candidates is None else candidates & languages
    return candidates.pop() if candidates and len(candidates) == 1 else None


def _value(lines: _Lines, number: int, term: str, text: str) -> tuple[int, bool]:
    """Google's value → (interest, below_one): "below one" is some interest that rounds to 0."""
    if BELOW_ONE.fullmatch(text) or _lone_one(text):
        return 0, True
    if not re.fullmatch(r"\d{1,3}", text) or int(text) > 100:
        shown = f"“{text}”" if text else "an empty field"
        raise lines.error(number, f"{shown} for “{term}”; Google writes whole numbers 0–100 or “<1”")
    return int(text), False


def _lone_one(text: str) -> bool:
    """Whether ``text`` says "below one" in a spelling not listed in :data:`BELOW_ONE`: its only digit
    is a lone 1, beside words or symbols (but not a sign or decimal mark: "-1" and "1." are numbers)."""
    digits = re.findall(r"\d", text)
    if len(digits) != 1 or unicodedata.digit(digits[0]) != 1:
        return False
    return not re.fullmatch(r"[-+\u2212]?\s*\d\s*[.,%]?", text)


def _tidy(lines: _Lines, rows, periods: list[datetime], terms: tuple[str, ...]) -> pd.DataFrame:
    records: list[tuple[datetime, str, int, bool, bool]] = []
    unlisted: Counter[tuple[str, int]] = Counter()  # (spelling, line) of "below one"s this module does not list
    for (number, fields), period in zip(rows, periods, strict=True):
        for term, text in zip(terms, fields[1:], strict=True):
            interest, below_one = _value(lines, number, term, text)
            if below_one and not BELOW_ONE.fullmatch(text):
                unlisted[(text, number)] += 1
            records.append((period, term, interest, False, below_one))
    if unlisted:
        spellings = list(dict.fromkeys(text for text, _ in unlisted))
        first = min(number for _, number in unlisted)
        logger.warning(
            "%s: read %s as Google's “<1” (below one) in %d cell(s), from line %d on: a spelling this command "
            "does not list; check the figure.",
            lines.path,
            ", ".join(f"“{text}”" for text in spellings),
            sum(unlisted.values()),
            first,
        )
    frame = pd.DataFrame(records, columns=list(DATASET.columns))
    frame["date"] = pd.to_datetime(frame["date"])
    return trends_series.order_rows(frame.astype({"interest": "int64", "is_partial": bool, "below_one": bool}), terms)


def _in_progress(last: datetime, granularity: str, now: datetime | None) -> bool:
    """Whether the last period had not ended when the file is imported (the current month, week, day, hour)."""
    return trends_series.period_end(last, granularity) > _local(now)


def _local(now: datetime | None) -> datetime:
    """``now`` as a naive local time, like the export's periods (Google writes them in the browser's zone)."""
    return (now or datetime.now()).astimezone().replace(tzinfo=None)


# ---------------------------------------------------------------- the query it answers


@dataclass(frozen=True)
class Asked:
    """The query an export answers, the Explore page that shows it, and where each part was read:
    ``file``, ``url`` (``--url``), ``book`` (the book's query, for what the file does not say) or
    ``unknown`` (the interface language of a file whose words name none)."""

    query: Query
    url: str
    category: str  # "" for all categories
    geo_from: str
    category_from: str
    hl_from: str


def query_of(export: Export, url: str | None = None) -> Asked:
    """The query the export answers.

    With ``url`` (the page it was downloaded from), that page's region, period, category and language
    (its language else the file's), after checking that its terms are the export's. Without, the file's
    region (its name turned into a code) and periods; what the file does not say (a redesigned export's
    region and category, a region name this command does not know) is the book's query's, said in one line.
    """
    params = _url_params(export, url) if url else {}
    hl, hl_from = (params["hl"], "url") if params.get("hl") else (export.hl or "", "file" if export.hl else "unknown")
    if url:
        geo, geo_from = params.get("geo", ""), "url"
        timeframe = params.get("date", "today 12-m")  # the Explore page's default
    else:
        geo, geo_from = _region_code(export)
        timeframe = _timeframe(export)
    if export.category:
        category, category_from = export.category, "file"
    elif url:
        category, category_from = (f"cat={params['cat']}" if params.get("cat") else ""), "url"
    else:
        category, category_from = "", "book"
    _say_where_the_query_came_from(export, url, geo_from, hl_from)
    query = Query(terms=export.terms, timeframe=timeframe, geo=geo, hl=hl)
    return Asked(query, url or query.explore_url(), category, geo_from, category_from, hl_from)


def _url_params(export: Export, url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if not (parts.hostname or "").startswith("trends.google.") or "/explore" not in parts.path:
        raise Ai4NeuroError(f"--url {url}: not a Google Trends Explore page ({trends_query.EXPLORE_PAGE}?q=...).")
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    terms = tuple(term.strip() for term in params.get("q", "").split(","))
    if tuple(t.casefold() for t in terms) != tuple(t.casefold() for t in export.terms):
        raise Ai4NeuroError(
            f"--url {url}: its terms ({', '.join(terms)}) are not the export's ({', '.join(export.terms)}) in "
            f"{export.path}. Give the address of the page the file was downloaded from."
        )
    return params


def _region_code(export: Export) -> tuple[str, str]:
    """The Google Trends code of the header's region and where it came from: "" for worldwide, else
    the country's code; the book's region when the file names none or a region this command does not know."""
    if export.region is None:
        return BOOK.geo, "book"
    if _words(export.region) in WORLDWIDE_LANGUAGES:
        return "", "file"
    code = _country_code(export.region)
    return (code, "file") if code else (BOOK.geo, "book")


def _say_where_the_query_came_from(export: Export, url: str | None, geo_from: str, hl_from: str) -> None:
    """One line for each part of the query the file does not say, and where it was taken from."""
    region = BOOK.geo or "worldwide"
    again = "if the file shows another query, import it again with --url and the address of its page"
    if export.region is None:
        source = f"--url ({url})" if url else f"the book's query ({region}, all categories); {again}"
        logger.warning(
            "%s is a redesigned Explore page's export, which names no region or category: taken from %s.",
            export.path,
            source,
        )
    elif geo_from == "book":
        logger.warning(
            "%s: the region “%s” is not a name this command knows: taken as the book's region (%s); %s.",
            export.path,
            export.region,
            region,
            again,
        )
    if hl_from == "unknown":
        logger.warning(
            "%s: its words name no interface language this command knows, so the provenance has no hl; "
            "give --url with the page's address (it holds hl=...) to record it.",
            export.path,
        )


def _country_code(name: str) -> str | None:
    """The ISO code of a country named in any language (CLDR, through Babel), if exactly one matches."""
    try:
        from babel import Locale, localedata
    except ImportError:  # Babel comes with Sphinx; without it, the region is the book's, said in one line
        return None
    codes: set[str] = set()
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
    end = pd.Timestamp(trends_series.period_end(export.last, export.granularity)) - pd.Timedelta(days=1)
    if export.granularity == "hour":
        return f"{export.first:%Y-%m-%dT%H} {export.last:%Y-%m-%dT%H}"
    return f"{export.first:%Y-%m-%d} {end:%Y-%m-%d}"


# ---------------------------------------------------------------- the command


def import_export(path: Path, *, url: str | None = None, now: datetime | None = None) -> str:
    """Read the export at ``path`` and replace the snapshot with it; return a one-line summary."""
    export = read_export(path, now=now)
    asked = query_of(export, url)
    query = asked.query
    imported_at = (now or datetime.now()).astimezone(UTC).replace(microsecond=0)
    provenance = {
        "source": SOURCE,
        "source_url": asked.url,
        "export_file": path.name,
        "export_sha256": export.sha256,
        "export_layout": export.layout,
        "category": asked.category,
        "category_from": asked.category_from,
        "period_column": export.period_column,
        "terms": list(export.terms),
        "region": export.region,
        "geo": query.geo,
        "geo_from": asked.geo_from,
        "timeframe": query.timeframe,
        "hl": query.hl or None,
        "hl_from": asked.hl_from,
        "granularity": export.granularity,
        "period": [_period_text(export.first, export.granularity), _period_text(export.last, export.granularity)],
        "last_period_partial": export.partial,
        "scale": trends_series.SCALE,
        "imported_at": imported_at.isoformat().replace("+00:00", "Z"),
        "imported_by": _who(),
        "tool": "ai4neuro import-trends",
        "tool_version": __version__,
    }
    _warn_if_not_the_books_query(query, export)
    snapshot = snapshots.save(DATASET, export.frame, provenance)
    first, last = _period_text(export.first, export.granularity), _period_text(export.last, export.granularity)
    partial = f"; the last {export.granularity} is partial" if export.partial else ""
    below_one = int(export.frame["below_one"].sum())
    return (
        f"{snapshot.csv_path}: {len(export.frame)} rows for {', '.join(export.terms)} ({_region_label(export, query)}, "
        f"{vocabulary.PERIODS[export.granularity][1]} {first} to {last}{partial}; {below_one} below one), "
        f"imported from {path.name} (SHA-256 {export.sha256[:12]}…)."
    )


def _region_label(export: Export, query: Query) -> str:
    """The region as the file names it, else as the query's code ("worldwide" when empty)."""
    return export.region or query.geo or "worldwide"


def _period_text(period: pd.Timestamp, granularity: str) -> str:
    """A period as the classic export writes it."""
    return period.strftime({"month": "%Y-%m", "hour": "%Y-%m-%dT%H"}.get(granularity, "%Y-%m-%d"))


def _who() -> str:
    """Who imported the file: the git user of this repository, else the login name."""
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], cwd=paths.book_root(), capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError, Ai4NeuroError):
        name = ""
    return name or getpass.getuser()


def _warn_if_not_the_books_query(query: Query, export: Export) -> None:
    """The book shows what the snapshot holds; say so when that is not the book's own query."""
    differences = []
    if tuple(t.casefold() for t in query.terms) != tuple(t.casefold() for t in BOOK.terms):
        differences.append(f"terms {', '.join(query.terms)}")
    if query.geo != BOOK.geo:
        differences.append(f"region {_region_label(export, query)}")
    if query.timeframe != BOOK.timeframe:
        differences.append(f"period {query.timeframe}")
    if differences:
        logger.warning(
            "%s is not the book's query (%s): the chart and its caption will show what it holds. The book's query: %s",
            export.path,
            "; ".join(differences),
            BOOK.explore_url(),
        )
