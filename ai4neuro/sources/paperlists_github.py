"""Which lists Paper Copilot's repository holds now, as GitHub's REST API lists them.

``python -m ai4neuro refresh papers --update-lists`` (:func:`ai4neuro.sources.papers.update_lists`)
asks for the head commit of the default branch and its whole file tree, two requests:

- ``GET {API}/repos/papercopilot/paperlists/commits/main``: the commit (its ``sha`` and date);
- ``GET {API}/repos/papercopilot/paperlists/git/trees/{sha}?recursive=1``: every file with its git blob id
  and size;

and a list is then downloaded from ``{RAW}/papercopilot/paperlists/{sha}/{path}`` and checked against
the tree's blob id (:func:`git_blob_id`), so the bytes pinned are the bytes the commit holds.
``API`` and ``RAW`` are ``https://api.github.com`` and ``https://raw.githubusercontent.com`` unless
``AI4NEURO_GITHUB_API`` / ``AI4NEURO_GITHUB_RAW`` say otherwise (tests, mirrors). ``GITHUB_TOKEN``, when
set, is sent to the API (``Authorization: Bearer``): 5,000 requests an hour instead of 60.

Every way this can fail (no network, a rate limit, an error status, an answer that is not the JSON
GitHub sends, a tree too large to list at once) is one :class:`~ai4neuro.errors.Ai4NeuroError` line.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ai4neuro.errors import Ai4NeuroError, SourceUnreachable

REPOSITORY = "papercopilot/paperlists"
BRANCH = "main"
API = "https://api.github.com"
RAW = "https://raw.githubusercontent.com"
TIMEOUT = 30  # seconds without an answer before a request gives up
# The book's conferences: <folder>/<folder><year>.json (other files in these folders are left alone).
LIST_PATH = re.compile(r"(nips|iclr|icml)/\1(\d{4})\.json")
SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class UpstreamList:
    """One conference-year's list in the tree: its path, git blob id and size in bytes."""

    path: str
    git_blob: str
    size: int


@dataclass(frozen=True)
class Listing:
    """What the head of the default branch holds of the book's conferences."""

    commit: str
    date: str  # the commit's date (committer), as GitHub gives it, e.g. 2026-12-01T09:30:00Z
    lists: dict[str, UpstreamList]


def api_base() -> str:
    return os.environ.get("AI4NEURO_GITHUB_API", "").strip().rstrip("/") or API


def raw_base() -> str:
    return os.environ.get("AI4NEURO_GITHUB_RAW", "").strip().rstrip("/") or RAW


def raw_url(commit: str, path: str) -> str:
    """Where a file of the repository at ``commit`` is downloaded from."""
    return f"{raw_base()}/{REPOSITORY}/{commit}/{path}"


def git_blob_id(payload: bytes) -> str:
    """Git's id of a file's bytes (what a tree lists): SHA-1 of ``blob <size>\\0`` and the bytes."""
    return hashlib.sha1(b"blob %d\0" % len(payload) + payload).hexdigest()


def head() -> Listing:
    """The head commit of Paper Copilot's default branch and the book's conference lists in its tree."""
    base = f"{api_base()}/repos/{REPOSITORY}"
    commit = _get_json(f"{base}/commits/{BRANCH}")
    sha, date = _commit_fields(commit, f"{base}/commits/{BRANCH}")
    url = f"{base}/git/trees/{sha}?recursive=1"
    tree = _get_json(url)
    if not isinstance(tree, dict) or not isinstance(tree.get("tree"), list):
        raise Ai4NeuroError(f"{url}: the answer is not a git tree (no 'tree' list); nothing was changed.")
    if tree.get("truncated"):
        raise Ai4NeuroError(
            f"{url}: GitHub truncated the tree (more files than one answer lists), so which lists the source "
            "holds is not known; nothing was changed. Run the command again later; if it persists, the repository "
            "has outgrown a one-request listing (ai4neuro/sources/paperlists_github.py)."
        )
    return Listing(sha, date, _lists(tree["tree"], url))


def _commit_fields(commit, url: str) -> tuple[str, str]:
    try:
        sha, date = commit["sha"], commit["commit"]["committer"]["date"]
    except (KeyError, TypeError):
        raise Ai4NeuroError(
            f"{url}: the answer is not a commit (no 'sha' and committer date); nothing was changed."
        ) from None
    if not isinstance(sha, str) or not SHA.fullmatch(sha) or not isinstance(date, str):
        raise Ai4NeuroError(f"{url}: the commit's sha {sha!r} is not 40 hex digits; nothing was changed.")
    return sha, date


def _lists(entries: list, url: str) -> dict[str, UpstreamList]:
    found = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "blob" or not LIST_PATH.fullmatch(entry.get("path", "")):
            continue
        blob, size = entry.get("sha"), entry.get("size")
        if not isinstance(blob, str) or not SHA.fullmatch(blob) or not isinstance(size, int):
            raise Ai4NeuroError(f"{url}: {entry['path']} has no git blob id or size in the tree; nothing was changed.")
        found[entry["path"]] = UpstreamList(entry["path"], blob, size)
    return dict(sorted(found.items()))


def _headers() -> dict[str, str]:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _get_json(url: str):
    """One GET of the API, its JSON answer, or one line saying what went wrong and what to do."""
    import requests

    try:
        response = requests.get(url, headers=_headers(), timeout=TIMEOUT)
    except requests.RequestException as error:
        raise SourceUnreachable(
            f"{url}: GitHub's API could not be reached ({one_line(error)}); nothing was "
            "changed. Connect to the internet and run `python -m ai4neuro refresh papers --update-lists` again."
        ) from None
    if response.status_code in (403, 429) and _rate_limited(response):
        raise SourceUnreachable(f"{url}: {_rate_limit_text(response)}; nothing was changed.")
    if not response.ok:
        raise SourceUnreachable(
            f"{url}: GitHub answered HTTP {response.status_code} ({_message(response) or response.reason}); "
            "nothing was changed."
        )
    try:
        return response.json()
    except ValueError:
        raise Ai4NeuroError(
            f"{url}: GitHub's answer is not JSON ({response.text[:80]!r}); nothing was changed. "
            "Check AI4NEURO_GITHUB_API."
        ) from None


def one_line(error: Exception) -> str:
    """An exception as a short line (requests' messages can span lines)."""
    return f"{type(error).__name__}: {' '.join(str(error).split())[:160]}"


def _message(response) -> str:
    try:
        message = response.json().get("message", "")
    except (ValueError, AttributeError):
        return ""
    return " ".join(str(message).split())[:200]


def _rate_limited(response) -> bool:
    """GitHub's two rate limits: ``x-ratelimit-remaining: 0`` (primary) or a message or ``retry-after`` (secondary)."""
    headers = response.headers
    return (
        headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in _message(response).lower()
    )


def _rate_limit_text(response) -> str:
    headers = response.headers
    reset = headers.get("x-ratelimit-reset", "")
    if reset.isdigit():
        when = f"until {datetime.fromtimestamp(int(reset), UTC):%H:%M} UTC"
    elif headers.get("retry-after", "").isdigit():
        when = f"for {headers['retry-after']} s"
    else:
        when = "for a while"
    token = (
        "GITHUB_TOKEN is set but its quota is spent too"
        if os.environ.get("GITHUB_TOKEN", "").strip()
        else "set GITHUB_TOKEN to a GitHub token (any, no scopes needed) for 5,000 requests an hour instead of 60"
    )
    message = _message(response)
    said = f" ({message})" if message else ""
    return f"GitHub's rate limit is reached{said}: it refuses requests {when}; {token}"
