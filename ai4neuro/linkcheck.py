"""What the weekly link check reports: Sphinx linkcheck's results, sorted into what needs fixing.

``jupyter-book build . --builder linkcheck`` writes ``_build/linkcheck/output.json`` (one JSON
object per line: ``filename``, ``lineno``, ``status``, ``code``, ``uri``, ``info``). A link is
*broken* when Sphinx says so for a reason that is the link's: a 404, a vanished host. Answers
that say "not now" or "not for robots" (HTTP 429 after Sphinx's own back-off, 403 from a site that
blocks crawlers, timeouts, 5xx) are listed as *unverified*: reported, never a failure, so a
rate-limited site does not fail the job week after week.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ai4neuro.errors import Ai4NeuroError

NOT_NOW = (429, 403, 500, 502, 503, 504)
NOT_NOW_WORDS = ("too many requests", "timed out", "timeout", "rate limit", "forbidden")


@dataclass(frozen=True)
class Link:
    filename: str
    lineno: int
    status: str
    code: int
    uri: str
    info: str

    @property
    def where(self) -> str:
        return f"{self.filename}:{self.lineno}"


def read_results(path: Path) -> list[Link]:
    """The links in Sphinx's ``output.json``; one clear error if it is missing or not JSON lines."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise Ai4NeuroError(
            f"{path}: cannot read the link check results ({error.strerror}). Run the linkcheck builder first."
        ) from None
    links = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            links.append(
                Link(
                    item["filename"],
                    int(item.get("lineno") or 0),
                    item["status"],
                    int(item.get("code") or 0),
                    item["uri"],
                    str(item.get("info", "")),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise Ai4NeuroError(
                f"{path}, line {number}: not a linkcheck result. Give the output.json of Sphinx's linkcheck builder."
            ) from None
    return links


def is_unverified(link: Link) -> bool:
    """A failure that says nothing about the link itself (rate limits, robots turned away, timeouts)."""
    info = link.info.lower()
    return link.status == "timeout" or link.code in NOT_NOW or any(word in info for word in NOT_NOW_WORDS)


def broken(links: list[Link]) -> list[Link]:
    return [link for link in links if link.status == "broken" and not is_unverified(link)]


def unverified(links: list[Link]) -> list[Link]:
    return [link for link in links if link.status in {"broken", "timeout"} and is_unverified(link)]


def report(links: list[Link]) -> str:
    """A Markdown summary (for the job's summary page): broken links first, then unverified ones."""
    lines = [f"# Link check: {len(links)} links, {len(broken(links))} broken, {len(unverified(links))} unverified", ""]
    for title, group in (
        ("Broken (fix these)", broken(links)),
        ("Unverified (rate-limited, blocked or slow; not a failure)", unverified(links)),
    ):
        if group:
            lines += (
                [f"## {title}", ""]
                + [f"- {link.uri} ({link.where}): {link.info or link.code}" for link in group]
                + [""]
            )
    return "\n".join(lines)
