"""Google Trends interest over time, for "NeuroAI" against "AI4neuro" (Part 1).

One thin adapter around pytrends (unmaintained; used here at 4.9.2): pytrends builds the
requests and parses Google's answers, this module owns the rest.

- **One request for all terms**, so they share one 0–100 scale (100 = the highest point of
  any term in the region and timeframe).
- **Retry policy**: HTTP 429 and 5xx are retried with exponential backoff within a bounded
  total time (:class:`RetryPolicy`), each retry logged. pytrends' own ``retries=`` is not
  used: it passes ``method_whitelist`` to urllib3's ``Retry``, which urllib3 2.x rejects.
  ``TrendReq()`` already fetches a cookie in its constructor, so it is built inside the
  retried region.
- **Errors**: no network, HTTP errors, an unreadable or empty answer each become one
  :class:`~ai4neuro.errors.Ai4NeuroError` line naming the snapshot, which stays unchanged.
- **Tidy frame**: ``date, term, interest, is_partial, below_one``. ``interest`` is Google's
  integer 0–100; where Google shows "<1" (some interest, rounding to 0) it is 0 and
  ``below_one`` is true. ``is_partial`` marks the last, still incomplete period. A term
  with too little search volume in a non-empty timeline is kept with interest 0 (logged);
  an entirely empty timeline is an error.
- **Snapshot** ``data/google_trends.csv`` with ``google_trends.provenance.json`` beside it,
  through :mod:`ai4neuro.snapshots` (validated on load and before every write).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from urllib.parse import quote, urlencode

import pandas as pd
import requests
import tenacity
from pytrends import exceptions as pytrends_errors
from pytrends.request import TrendReq

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError, SourceUnreachable

logger = logging.getLogger(__name__)

NAME = "google_trends"
DEFAULT_TERMS = ("NeuroAI", "AI4neuro")  # as in trends.google.com/trends/explore?q=NeuroAI,AI4neuro&hl=en-GB
DEFAULT_TIMEFRAME = "all"  # all time (2004 to today), monthly points
DEFAULT_GEO = ""  # worldwide
DEFAULT_HL = "en-GB"
MAX_TERMS = 5  # Google Trends compares at most five terms
REQUEST_TIMEOUT = (10, 30)  # seconds: connect, read
REFRESH_HINT = "Fetch it with `python -m ai4neuro refresh trends` on a machine with internet."


def _schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": pa.Column(pa.DateTime),
            "term": pa.Column(str, pa.Check.str_length(min_value=1)),
            "interest": pa.Column(int, pa.Check.in_range(0, 100)),
            "is_partial": pa.Column(bool),
            "below_one": pa.Column(bool),
        },
        name="google_trends",
        strict=True,
        ordered=True,
        unique=["date", "term"],
    )


DATASET = snapshots.Dataset(
    NAME, ("date", "term", "interest", "is_partial", "below_one"), _schema, REFRESH_HINT, dates=("date",)
)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep asking when Google answers 429 (too many requests) or 5xx.

    ``deadline``: seconds for all attempts together (no retry starts that would end later);
    ``wait``: a tenacity wait strategy; ``sleep``: how to wait (tests pass a no-op).
    """

    deadline: float = 300.0
    wait: tenacity.wait.wait_base = field(
        default_factory=lambda: tenacity.wait_exponential(multiplier=5, max=120) + tenacity.wait_random(0, 5)
    )
    sleep: Callable[[float], None] = time.sleep

    def retrying(self) -> tenacity.Retrying:
        return tenacity.Retrying(
            retry=tenacity.retry_if_exception(_is_rate_limit_or_server_error),
            stop=tenacity.stop_before_delay(self.deadline),
            wait=self.wait,
            sleep=self.sleep,
            before_sleep=tenacity.before_sleep_log(logger, logging.WARNING),
            reraise=True,
        )


def _is_rate_limit_or_server_error(error: BaseException) -> bool:
    if isinstance(error, pytrends_errors.TooManyRequestsError):
        return True
    return isinstance(error, pytrends_errors.ResponseError) and error.response.status_code >= 500


class _TrendReq(TrendReq):
    """pytrends' client, keeping the last decoded answer: its parsing drops Google's "<1"."""

    last_response: dict | None = None

    def _get_data(self, url, *args, **kwargs):
        self.last_response = super()._get_data(url, *args, **kwargs)
        return self.last_response


def _request(terms: list[str], timeframe: str, geo: str, hl: str) -> tuple[pd.DataFrame, list[dict]]:
    """One Google Trends query: pytrends' wide frame and Google's raw timeline points."""
    client = _TrendReq(hl=hl, tz=0, timeout=REQUEST_TIMEOUT)  # goes to the network (cookie)
    client.build_payload(terms, timeframe=timeframe, geo=geo)
    wide = client.interest_over_time()
    return wide, client.last_response["default"]["timelineData"]


def fetch(
    terms: Sequence[str] = DEFAULT_TERMS,
    timeframe: str = DEFAULT_TIMEFRAME,
    geo: str = DEFAULT_GEO,
    hl: str = DEFAULT_HL,
    *,
    policy: RetryPolicy = RetryPolicy(),
) -> pd.DataFrame:
    """Interest over time for ``terms`` from Google Trends, as a tidy frame (see the module doc)."""
    terms = _checked_terms(terms)
    unchanged = f"{snapshots.csv_path(NAME)} unchanged"
    try:
        wide, timeline = policy.retrying()(_request, terms, timeframe, geo, hl)
    except requests.exceptions.ConnectionError as error:
        raise SourceUnreachable(
            f"Google Trends: network unreachable ({type(error).__name__}); {unchanged}. "
            "Try again on a machine with internet."
        ) from None
    except requests.exceptions.Timeout:
        raise SourceUnreachable(
            f"Google Trends: no answer within {REQUEST_TIMEOUT[1]} s; {unchanged}. Try again later."
        ) from None
    except pytrends_errors.TooManyRequestsError:
        raise SourceUnreachable(
            f"Google Trends kept answering HTTP 429 (too many requests) for {policy.deadline:g} s; {unchanged}. "
            "Try again later."
        ) from None
    except pytrends_errors.ResponseError as error:
        answer = error.response
        kind = answer.headers.get("Content-Type", "no content type")
        raise Ai4NeuroError(
            f"Google Trends answered HTTP {answer.status_code} ({kind}) to {answer.url}; {unchanged}."
        ) from None
    except (ValueError, KeyError, TypeError) as error:  # incl. json.JSONDecodeError
        raise Ai4NeuroError(
            f"Google Trends sent an answer pytrends {version('pytrends')} cannot read "
            f"({type(error).__name__}: {error}); "
            f"{unchanged}. Google may have changed its format: check for a newer pytrends."
        ) from None
    if wide.empty:
        raise Ai4NeuroError(
            f"Google Trends has no data for {', '.join(terms)} ({describe_query(timeframe, geo)}); {unchanged}. "
            "Try other terms or a longer timeframe."
        )
    return _tidy(wide, timeline, terms)


def _checked_terms(terms: Sequence[str]) -> list[str]:
    if isinstance(terms, str):
        terms = [terms]
    cleaned = [term.strip() for term in terms]
    if not cleaned or not all(cleaned):
        raise Ai4NeuroError(f"Google Trends: give one to {MAX_TERMS} non-empty search terms (got {list(terms)!r}).")
    if len(cleaned) > MAX_TERMS or len(set(cleaned)) != len(cleaned):
        raise Ai4NeuroError(f"Google Trends compares one to {MAX_TERMS} different terms (got {cleaned!r}).")
    return cleaned


def _tidy(wide: pd.DataFrame, timeline: list[dict], terms: list[str]) -> pd.DataFrame:
    """pytrends' wide frame (one column per term) → one row per date and term."""
    tidy = (
        wide.rename_axis("date")
        .reset_index()
        .rename(columns={"isPartial": "is_partial"})
        .melt(id_vars=["date", "is_partial"], value_vars=terms, var_name="term", value_name="interest")
    )
    shown = pd.DataFrame(
        [dict(zip(terms, point.get("formattedValue", point["value"]), strict=False)) for point in timeline],
        index=pd.to_datetime(pd.Series([float(point["time"]) for point in timeline]), unit="s").rename("date"),
    )
    below_one = (shown == "<1").reset_index().melt(id_vars="date", var_name="term", value_name="below_one")
    tidy = tidy.merge(below_one, on=["date", "term"], how="left", validate="one_to_one")
    tidy = tidy.astype({"interest": "int64", "is_partial": bool, "below_one": bool})
    silent = (tidy["interest"] == 0) & ~tidy["below_one"]
    for term in tidy.loc[silent, "term"].unique():
        if silent[tidy["term"] == term].all():
            logger.warning("Google Trends has too little search volume for %r: its line is 0 throughout.", term)
    return tidy[list(DATASET.columns)].sort_values(["term", "date"], key=_term_order(terms)).reset_index(drop=True)


def _term_order(terms: list[str]):
    """Sort key: terms in the order asked for (the figure's legend order), dates ascending."""
    return lambda column: column.map(terms.index) if column.name == "term" else column


def explore_url(terms: Sequence[str], timeframe: str, geo: str, hl: str) -> str:
    """The Google Trends page that shows the same query."""
    query = {"date": timeframe, "geo": geo, "q": ",".join(terms), "hl": hl}
    return "https://trends.google.com/trends/explore?" + urlencode(
        {k: v for k, v in query.items() if v}, safe=",", quote_via=quote
    )


def describe_query(timeframe: str, geo: str) -> str:
    region = geo or "worldwide"
    period = "all time (since 2004)" if timeframe == "all" else timeframe
    return f"{region}, {period}"


def refresh(
    terms: Sequence[str] = DEFAULT_TERMS,
    timeframe: str = DEFAULT_TIMEFRAME,
    geo: str = DEFAULT_GEO,
    hl: str = DEFAULT_HL,
    *,
    policy: RetryPolicy = RetryPolicy(),
) -> str:
    """Fetch live from Google Trends and replace the snapshot; return a one-line summary."""
    frame = fetch(terms, timeframe, geo, hl, policy=policy)
    terms = _checked_terms(terms)
    provenance = {
        "source": "Google Trends, interest over time",
        "source_url": explore_url(terms, timeframe, geo, hl),
        "terms": terms,
        "timeframe": timeframe,
        "geo": geo,
        "hl": hl,
        "tz": 0,
        "scale": "0-100: search interest relative to the highest point of any term in this region and timeframe",
        "fetched_at": snapshots.utc_now(),
        "tool": "pytrends",
        "tool_version": version("pytrends"),
    }
    snapshot = snapshots.save(DATASET, frame, provenance)
    query = f"{', '.join(terms)} ({describe_query(timeframe, geo)})"
    return f"{snapshot.csv_path}: {len(frame)} rows for {query}, fetched {provenance['fetched_at']}."


def load(refresh_first: bool | None = None) -> snapshots.Snapshot:
    """The snapshot in ``data/``, refreshed from Google first when asked (default: when
    ``AI4NEURO_REFRESH=1``); :class:`~ai4neuro.errors.SnapshotMissing` if there is none."""
    return snapshots.load_after_refresh(DATASET, refresh, lambda: snapshots.load(DATASET), refresh_first)
