"""``refresh papers --update-lists`` against a fake GitHub on 127.0.0.1: the REST API's two endpoints (the head
commit of ``main``, its recursive tree) and the raw file host, with GitHub's JSON shapes and failure answers
(see tests/fixtures/papers/README.md for where the shapes come from). The lists it serves are hand-made."""

from __future__ import annotations

import errno
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_papers import COMMIT, FIXTURES, LISTS, _use_registry
from typer.testing import CliRunner

from ai4neuro import cli, evidence, paths
from ai4neuro.errors import Ai4NeuroError, SourceUnreachable
from ai4neuro.sources import paperlists_github, papers

UPSTREAM = FIXTURES / "upstream"
HEAD = "89abcdef0123456789abcdef0123456789abcdef"
REPO = "papercopilot/paperlists"


class FakeGitHub:
    """Paper Copilot's repository as GitHub serves it: ``files`` at commit ``commit``; ``answers`` replaces the
    answer to one request path (status, headers, body); ``served`` replaces the bytes of one raw file."""

    def __init__(self) -> None:
        self.commit = HEAD
        self.date = "2026-12-01T09:30:00Z"
        self.files: dict[str, bytes] = {}
        self.answers: dict[str, tuple[int, dict, bytes]] = {}
        self.served: dict[str, bytes] = {}
        self.truncated = False
        self.requests: list[tuple[str, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def raw_requests(self) -> list[str]:
        prefix = f"/raw/{REPO}/{self.commit}/"
        return [path.removeprefix(prefix) for path, _ in self.requests if path.startswith(prefix)]

    def commit_json(self) -> dict:
        api = f"{self.url}/repos/{REPO}"
        person = {"name": "A. Maintainer", "email": "maintainer@example.org", "date": self.date}
        return {
            "sha": self.commit,
            "node_id": "C_kwDOAAAAAA",
            "commit": {
                "author": person,
                "committer": person,
                "message": "update lists",
                "tree": {"sha": "f" * 40, "url": f"{api}/git/trees/{'f' * 40}"},
                "url": f"{api}/git/commits/{self.commit}",
                "comment_count": 0,
                "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None},
            },
            "url": f"{api}/commits/{self.commit}",
            "html_url": f"https://github.com/{REPO}/commit/{self.commit}",
            "parents": [{"sha": "e" * 40, "url": f"{api}/commits/{'e' * 40}"}],
            "stats": {"total": 2, "additions": 1, "deletions": 1},
            "files": [],
        }

    def tree_json(self) -> dict:
        api = f"{self.url}/repos/{REPO}"
        folders = sorted({path.split("/")[0] for path in self.files if "/" in path})
        entries = [
            {"path": name, "mode": "040000", "type": "tree", "sha": "d" * 40, "url": f"{api}/git/trees/{'d' * 40}"}
            for name in folders
        ]
        for path, payload in sorted(self.files.items()):
            blob = paperlists_github.git_blob_id(payload)
            entries.append(
                {
                    **{"path": path, "mode": "100644", "type": "blob", "sha": blob, "size": len(payload)},
                    "url": f"{api}/git/blobs/{blob}",
                }
            )
        return {"sha": "f" * 40, "url": f"{api}/git/trees/{'f' * 40}", "tree": entries, "truncated": self.truncated}

    def _answer(self, path: str) -> tuple[int, dict, bytes]:
        if path in self.answers:
            return self.answers[path]
        json_type = {"Content-Type": "application/json; charset=utf-8", "x-ratelimit-remaining": "59"}
        if path == f"/repos/{REPO}/commits/main":
            return 200, json_type, json.dumps(self.commit_json()).encode()
        if path == f"/repos/{REPO}/git/trees/{self.commit}?recursive=1":
            return 200, json_type, json.dumps(self.tree_json()).encode()
        raw = f"/raw/{REPO}/{self.commit}/"
        if path.startswith(raw) and path.removeprefix(raw) in self.files:
            name = path.removeprefix(raw)
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, self.served.get(name, self.files[name])
        return 404, {"Content-Type": "application/json; charset=utf-8"}, b'{"message": "Not Found", "status": "404"}'

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                fake.requests.append((self.path, dict(self.headers)))
                status, headers, body = fake._answer(self.path)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def github(monkeypatch):
    fake = FakeGitHub()
    fake.thread.start()
    monkeypatch.setenv("AI4NEURO_GITHUB_API", fake.url)
    monkeypatch.setenv("AI4NEURO_GITHUB_RAW", f"{fake.url}/raw")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    fake.thread.join()


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    """A cache holding the three pinned fixture lists, a registry pinning them, and snapshots counted from them."""
    cache = tmp_path / "cache"
    for path in LISTS:
        (cache / path).parent.mkdir(parents=True, exist_ok=True)
        (cache / path).write_bytes((FIXTURES / path).read_bytes())
    _use_registry(tmp_path, monkeypatch, {path: (FIXTURES / path).read_bytes() for path in LISTS})
    monkeypatch.setattr(papers, "UPSTREAM_FILE", tmp_path / "paperlists_upstream.json")
    monkeypatch.setenv("AI4NEURO_CACHE", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path / "data"))
    evidence.refresh_papers(progressbar=False)
    return cache


def _today(github: FakeGitHub, **changed: bytes) -> None:
    """Upstream holds the pinned lists as pinned, a new ICLR 2024, a corrected NeurIPS 2023 and a CVPR list."""
    github.files = {path: (FIXTURES / path).read_bytes() for path in LISTS}
    github.files["README.md"] = b"# lists\n"
    for path in ("iclr/iclr2024.json", "nips/nips2023.json", "cvpr/cvpr2024.json"):
        github.files[path] = (UPSTREAM / path).read_bytes()
    github.files.update(changed)


def _state() -> dict[str, bytes | None]:
    """The bytes of the registry, the upstream record and every file in data/."""
    files = [papers.REGISTRY_FILE, papers.UPSTREAM_FILE, *sorted(paths.data_dir().iterdir())]
    return {str(file): file.read_bytes() if file.exists() else None for file in files}


def _update() -> str:
    return evidence.refresh_papers(update_lists=True, progressbar=False)


# --- pinning, recounting, doing nothing the second time ----------------------------------


def test_update_pins_new_years_and_corrections_recounts_and_then_does_nothing(book, github):
    _today(github)
    result = CliRunner().invoke(cli.app, ["refresh", "papers", "--update-lists"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Pinned 2 lists from {REPO} at {HEAD[:7]} (2026-12-01T09:30:00Z):" in out
    fields = r"neuroscience-related [\d →]+, NeuroAI [\d →]+, AI4Neuro [\d →]+, both [\d →]+, unclear [\d →]+\n"
    assert re.search(r"  ICLR 2024: new list: published 4, " + fields, out), out
    # NeurIPS 2023 corrected: a paper added, a rejected one accepted
    assert re.search(r"  NeurIPS 2023: corrected list: published 5 → 7, " + fields, out), out
    assert sorted(github.raw_requests()) == ["iclr/iclr2024.json", "nips/nips2023.json"]  # not CVPR, not the same

    table = papers.registry().set_index("path")
    assert list(table.index) == ["iclr/iclr2023.json", "iclr/iclr2024.json", "nips/nips1990.json", "nips/nips2023.json"]
    for path in ("iclr/iclr2024.json", "nips/nips2023.json"):
        payload = (UPSTREAM / path).read_bytes()
        assert table.loc[path, "commit"] == HEAD
        assert table.loc[path, "git_blob"] == paperlists_github.git_blob_id(payload)
        assert table.loc[path, "sha256"] == papers.snapshots.sha256_file(UPSTREAM / path)
    assert table.loc["nips/nips1990.json", "commit"] == COMMIT  # unchanged upstream: pinned as it was

    assert (book / "iclr" / "iclr2024.json").read_bytes() == (UPSTREAM / "iclr/iclr2024.json").read_bytes()
    assert (book / HEAD / "nips" / "nips2023.json").read_bytes() == (UPSTREAM / "nips/nips2023.json").read_bytes()
    assert (book / "nips" / "nips2023.json").read_bytes() == (FIXTURES / "nips/nips2023.json").read_bytes()

    counts = evidence.load(refresh_first=False).counts
    titles = counts.frame[counts.frame["basis"] == "title"].set_index(["conference", "year"])
    new, corrected = titles.loc[("ICLR", 2024)], titles.loc[("NeurIPS", 2023)]
    assert f"ICLR 2024: new list: published 4, neuroscience-related {new['neuro']}, NeuroAI {new['neuroai']}," in out
    assert f"published 5 → 7, neuroscience-related 2 → {corrected['neuro']}" in out
    assert {(c, y) for c, y in zip(counts.frame["conference"], counts.frame["year"], strict=True)} == {
        ("ICLR", 2023),
        ("ICLR", 2024),
        ("NeurIPS", 1990),
        ("NeurIPS", 2023),
    }
    assert [f["path"] for f in counts.provenance["files"]] == list(table.index)
    record = papers.upstream_record()
    assert record["commit"] == HEAD and record["commit_date"] == "2026-12-01T09:30:00Z"
    assert sorted(record["lists"]) == sorted(set(github.files) - {"README.md", "cvpr/cvpr2024.json"})

    before, served = _state(), len(github.requests)
    again = CliRunner().invoke(cli.app, ["refresh", "papers", "--update-lists"])
    assert again.exit_code == 0 and "Up to date with" in again.stdout and "4 lists pinned" in again.stdout
    assert _state() == before and github.raw_requests().count("iclr/iclr2024.json") == 1
    assert len(github.requests) == served + 2  # the commit and the tree, nothing downloaded

    evidence.refresh_papers(progressbar=False)  # plain refresh: the pinned files, no request at all, the same counts
    assert len(github.requests) == served + 2
    tables = {name: payload for name, payload in _state().items() if name.endswith(".csv")}
    assert tables == {name: payload for name, payload in before.items() if name.endswith(".csv")}


def test_a_list_already_in_the_cache_is_checked_not_downloaded_again(book, github):
    _today(github)
    (book / "iclr" / "iclr2024.json").write_bytes((UPSTREAM / "iclr/iclr2024.json").read_bytes())
    _update()
    assert github.raw_requests() == ["nips/nips2023.json"]


def test_the_token_goes_to_the_api_only(book, github, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    _today(github)
    _update()
    for path, headers in github.requests:
        expected = None if path.startswith("/raw/") else "Bearer test-token"
        assert headers.get("Authorization") == expected, path
        if not path.startswith("/raw/"):
            assert headers["Accept"] == "application/vnd.github+json"


def test_a_read_only_mirror_is_never_written_corrections_go_to_the_per_user_cache(book, github, tmp_path):
    _today(github)
    folders = [book, *(p for p in book.iterdir() if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        _update()
    finally:
        for folder in folders:
            folder.chmod(0o755)
    side = tmp_path / "user-cache" / "ai4neuro" / "paperlists" / HEAD
    cached = sorted(str(p.relative_to(side)) for p in side.rglob("*.json"))
    assert cached == ["iclr/iclr2024.json", "nips/nips2023.json"]
    assert not (book / "iclr" / "iclr2024.json").exists() and not (book / HEAD).exists()


# --- failures: one line, nothing changed ---------------------------------------------------


def _refused(error: type[Exception], match: str) -> str:
    before = _state()
    with pytest.raises(error, match=match) as caught:
        _update()
    message = str(caught.value)
    assert "\n" not in message
    after = _state()
    for name in before:
        if not name.endswith("paperlists_upstream.json"):  # what the source holds may be recorded
            assert after[name] == before[name], name
    return message


def test_a_download_whose_bytes_are_not_the_trees_blob_is_refused(book, github):
    _today(github)
    github.served["iclr/iclr2024.json"] = (UPSTREAM / "iclr/iclr2024.json").read_bytes().replace(b"d1", b"d7")
    message = _refused(Ai4NeuroError, "are not the file the source's tree lists")
    assert "iclr/iclr2024.json" in message and "nothing was cached" in message
    assert not (book / "iclr" / "iclr2024.json").exists()
    assert not [p for p in book.rglob("*") if p.name.endswith(".part")]


def test_a_new_status_is_one_error_with_the_line_to_add(book, github):
    conditional = b'[{"title": "A Paper", "author": "A. Author", "status": "Conditional Poster"}]'
    both = (
        b'[{"title": "B Paper", "author": "B. Author", "status": "Conditional Poster"},'
        b' {"title": "C Paper", "author": "C. Author", "status": "Findings"}]'
    )
    _today(github, **{"iclr/iclr2025.json": conditional, "iclr/iclr2026.json": both})
    message = _refused(Ai4NeuroError, "unknown status")
    assert message.startswith("iclr/iclr2025.json, iclr/iclr2026.json: unknown status 'Conditional Poster', 'Findings'")
    assert '"Conditional Poster,yes,<what it means>" and "Findings,yes,<what it means>"' in message
    assert "to ai4neuro/sources/paper_status.csv" in message


def test_an_unreachable_api_is_one_line(book, github, monkeypatch):
    monkeypatch.setenv("AI4NEURO_GITHUB_API", "http://127.0.0.1:9")  # the discard port: nothing answers
    message = _refused(SourceUnreachable, "GitHub's API could not be reached")
    assert "/repos/papercopilot/paperlists/commits/main" in message and not papers.UPSTREAM_FILE.exists()


@pytest.mark.parametrize("status", [403, 429])
def test_a_rate_limit_is_one_line_with_when_and_the_token(book, github, status):
    reset = int(time.time()) + 1800
    github.answers[f"/repos/{REPO}/commits/main"] = (
        status,
        {
            "Content-Type": "application/json; charset=utf-8",
            **{"x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
            **{"x-ratelimit-used": "60", "x-ratelimit-resource": "core"},
        },
        b'{"message": "API rate limit exceeded for 127.0.0.1.", '
        b'"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}',
    )
    message = _refused(SourceUnreachable, "rate limit is reached")
    assert "API rate limit exceeded for 127.0.0.1." in message and "set GITHUB_TOKEN" in message
    assert time.strftime("%H:%M", time.gmtime(reset)) + " UTC" in message


def test_a_truncated_tree_is_one_line(book, github):
    _today(github)
    github.truncated = True
    _refused(Ai4NeuroError, "GitHub truncated the tree")
    assert not github.raw_requests()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ((500, {"Content-Type": "application/json"}, b'{"message": "Server Error"}'), "HTTP 500 \\(Server Error\\)"),
        ((200, {"Content-Type": "text/html"}, b"<html>captive portal</html>"), "not JSON"),
        ((200, {"Content-Type": "application/json"}, b'{"sha": "main"}'), "not a commit"),
    ],
)
def test_other_bad_api_answers_are_one_line(book, github, answer, expected):
    github.answers[f"/repos/{REPO}/commits/main"] = answer
    _refused(Ai4NeuroError, expected)


def test_a_list_missing_from_the_raw_host_is_one_line(book, github):
    _today(github)
    github.answers[f"/raw/{REPO}/{HEAD}/iclr/iclr2024.json"] = (404, {}, b"404: Not Found")
    message = _refused(SourceUnreachable, "the download failed")
    assert "iclr/iclr2024.json" in message and "404" in message


def test_a_failure_while_writing_puts_everything_back(book, github, monkeypatch):
    _today(github)

    from ai4neuro import files

    written, write = [], files._write_checked

    def fail_third(entry, payload):  # the counts and their provenance are written, then the disk is full
        written.append(entry.target)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(entry.new))
        write(entry, payload)

    monkeypatch.setattr(files, "_write_checked", fail_third)
    _refused(Ai4NeuroError, "No space left on device .*nothing was changed")


# --- what the book says about it ----------------------------------------------------------


def test_about_the_data_says_what_the_source_held_only_once_seen(book, github):
    from ai4neuro.views import papers as paper_views

    def said() -> str:
        return paper_views.upstream_text(evidence.load(refresh_first=False).counts.provenance)

    assert said().startswith("Not checked yet: no run of the update")
    _today(github, **{"iclr/iclr2025.json": b'[{"title": "A Paper", "author": "A. Author", "status": "Maybe"}]'})
    with pytest.raises(Ai4NeuroError, match="unknown status 'Maybe'"):
        _update()
    assert said() == (
        f"When the update last looked, Paper Copilot's commit {HEAD[:7]} (of 1 December 2026) held "
        "NeurIPS (1990, 2023) and ICLR (2023–2025); not in these counts: ICLR (2024, 2025); "
        "changed there since pinned here: NeurIPS (2023)."
    )
    del github.files["iclr/iclr2025.json"]
    _update()
    assert said().endswith("held NeurIPS (1990, 2023) and ICLR (2023, 2024); these counts read all of them.")


def test_the_figures_take_a_new_year_with_no_code_change(book, github):
    from ai4neuro.views import papers as paper_views

    _today(github)
    _update()
    counts = evidence.load(refresh_first=False).counts.frame
    tidy = paper_views.labels_per_year(counts)
    iclr = tidy[tidy["conference"] == "ICLR"]
    assert sorted(iclr["year"].unique()) == [2023, 2024] and not iclr["missing"].any()
    table = paper_views.labels_table(tidy)
    assert ("ICLR", 2024) in set(zip(table["Conference"], table["Year"], strict=True))
    assert "conference-years, 2023–2024" in paper_views.labels_finding(table)  # the caption says so
    assert paper_views.lists_text(["nips/nips1990.json", "iclr/iclr2024.json", "icml/icml2025.json"]) == (
        "NeurIPS (1990), ICLR (2024) and ICML (2025)"
    )
    assert paper_views.year_spans([2013, 2014, 2017, 2018, 2019]) == "2013, 2014, 2017–2019"
