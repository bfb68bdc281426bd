"""The first route to the Google Trends snapshot: a thin adapter around pytrends.

pytrends (archived upstream; used here at 4.9.2) builds the requests and parses Google's
answers; this module owns the rest. It is imported only by :func:`ai4neuro.sources.trends.refresh`,
so chapters that read the snapshot never pay pytrends' import.

- **One request for all terms**, so they share one 0–100 scale.
- **Retry policy**: HTTP 429 and 5xx are retried with exponential backoff within a bounded
  total time (:class:`RetryPolicy`), each retry logged. pytrends' own ``retries=`` is not
  used: it passes ``method_whitelist`` to urllib3's ``Retry``, which urllib3 2.x rejects.
  ``TrendReq()`` already fetches a cookie in its constructor, so it is built inside the
  retried region.
- **Errors**: each becomes one :class:`~ai4neuro.errors.Ai4NeuroError` line naming the snapshot,
  which stays unchanged. Since 2024 Google mostly refuses scripts (HTTP 429, or a page where
  JSON was expected), so every refusal names the other route in the same line: open the
  query's Explore page, press download, run ``import-trends`` on the file.
- **"<1"**: pytrends' parsing drops it, so the raw timeline is kept beside its frame. A term
  with too little search volume in a non-empty timeline is kept with interest 0 (logged); an
  entirely empty timeline is an error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version

import pandas as pd
import requests
import tenacity
from pytrends import exceptions as pytrends_errors
from pytrends.request import TrendReq

from ai4neuro import snapshots
from ai4neuro.errors import Ai4NeuroError, SourceUnreachable
from ai4neuro.sources import trends_query, trends_series
from ai4neuro.sources.trends_query import BOOK, Query
from ai4neuro.sources.trends_series import DATASET

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT = (10, 30)  # seconds: connect, read


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep asking when Google answers 429 (too many requests) or 5xx.

    ``deadline``: seconds for all attempts together (no retry starts that would end later);
    two minutes, because a 429 that lasts that long rarely lifts within the hour, and the
    export route is quicker; ``wait``: a tenacity wait strategy; ``sleep``: how to wait
    (tests pass a no-op).
    """

    deadline: float = 120.0
    wait: tenacity.wait.wait_base = field(
        default_factory=lambda: tenacity.wait_exponential(multiplier=5, max=60) + tenacity.wait_random(0, 5)
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


def _request(query: Query) -> tuple[pd.DataFrame, list[dict]]:
    """One Google Trends query: pytrends' wide frame and Google's raw timeline points."""
    client = _TrendReq(hl=query.hl, tz=0, timeout=REQUEST_TIMEOUT)  # goes to the network (cookie)
    client.build_payload(list(query.terms), timeframe=query.timeframe, geo=query.geo)
    wide = client.interest_over_time()
    answer = client.last_response or {}  # set by interest_over_time; empty only if pytrends changed
    return wide, answer.get("default", {}).get("timelineData", [])


def fetch(query: Query = BOOK, *, policy: RetryPolicy = RetryPolicy()) -> pd.DataFrame:
    """Interest over time for ``query`` from Google Trends, as the tidy frame of :data:`trends_series.DATASET`."""
    terms = trends_series.checked_terms(query.terms)
    unchanged = f"{snapshots.csv_path(trends_query.NAME)} unchanged"
    by_hand = trends_query.export_route(query)
    try:
        wide, timeline = policy.retrying()(_request, query)
    except requests.exceptions.ConnectionError as error:
        raise SourceUnreachable(
            f"Google Trends: network unreachable ({type(error).__name__}); {unchanged}. "
            "Try again on a machine with internet."
        ) from None
    except requests.exceptions.Timeout:
        raise SourceUnreachable(
            f"Google Trends: no answer within {REQUEST_TIMEOUT[1]} s; {unchanged}. Try again later. {by_hand}"
        ) from None
    except pytrends_errors.TooManyRequestsError:
        raise SourceUnreachable(
            f"Google Trends kept answering HTTP 429 (too many requests) for {policy.deadline:g} s; {unchanged}. "
            f"{by_hand}"
        ) from None
    except pytrends_errors.ResponseError as error:
        answer = error.response
        kind = answer.headers.get("Content-Type", "no content type")
        refused = "refused the request" if answer.status_code < 500 else "failed"
        raise SourceUnreachable(
            f"Google Trends {refused}: HTTP {answer.status_code} ({kind}) to {answer.url}; {unchanged}. {by_hand}"
        ) from None
    except (ValueError, KeyError, TypeError) as error:  # incl. json.JSONDecodeError
        raise Ai4NeuroError(
            f"Google Trends sent an answer pytrends {version('pytrends')} cannot read "
            f"({type(error).__name__}: {error}); {unchanged}. Google may have changed its format. {by_hand}"
        ) from None
    if wide.empty:
        raise Ai4NeuroError(
            f"Google Trends has no data for {', '.join(terms)} ({query.describe()}); {unchanged}. "
            "Try other terms or a longer timeframe."
        )
    return _tidy(wide, timeline, terms)


def _tidy(wide: pd.DataFrame, timeline: list[dict], terms: tuple[str, ...]) -> pd.DataFrame:
    """pytrends' wide frame (one column per term) → one row per date and term."""
    tidy = (
        wide.rename_axis("date")
        .reset_index()
        .rename(columns={"isPartial": "is_partial"})
        .melt(id_vars=["date", "is_partial"], value_vars=list(terms), var_name="term", value_name="interest")
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
    return trends_series.order_rows(tidy, terms)


def refresh(query: Query = BOOK, *, policy: RetryPolicy = RetryPolicy()) -> str:
    """Fetch live from Google Trends and replace the snapshot; return a one-line summary."""
    frame = fetch(query, policy=policy)
    terms = list(trends_series.checked_terms(query.terms))
    provenance = {
        "source": "Google Trends, interest over time",
        "source_url": trends_query.explore_url(terms, query.timeframe, query.geo, query.hl),
        "terms": terms,
        "timeframe": query.timeframe,
        "geo": query.geo,
        "hl": query.hl,
        "tz": 0,
        "granularity": trends_series.granularity(frame["date"]),
        "scale": trends_series.SCALE,
        "fetched_at": snapshots.utc_now(),
        "tool": "pytrends",
        "tool_version": version("pytrends"),
    }
    snapshot = snapshots.save(DATASET, frame, provenance)
    described = f"{', '.join(terms)} ({query.describe()})"
    return f"{snapshot.csv_path}: {len(frame)} rows for {described}, fetched {provenance['fetched_at']}."
