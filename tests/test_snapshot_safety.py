"""Nothing lost: snapshots change as a set, survive kills, full and read-only disks and Ctrl-C, and a bad
snapshot is refused in one line (issue 20, items 1, 5, 6 and 9).

Faults are real where a test can make them so: ``kill -9`` of a writing process (at a chosen point of the
write), a file size limit the kernel enforces (``RLIMIT_FSIZE``: the write fails half way, as on a full
disk) and SIGINT sent to a running command. A read-only disk is simulated (``EROFS`` from the first write),
since tests may run as root, whom a read-only folder does not stop.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from ai4neuro import files, snapshots
from ai4neuro.errors import Ai4NeuroError
from ai4neuro.sources import trends
from ai4neuro.testing import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "trends"
EXPORT = FIXTURES / "exports" / "realistic_all_time.csv"


def _schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {"n": pa.Column(int, pa.Check.in_range(0, 100)), "word": pa.Column(str)}, name="test", strict=True
    )


# Two snapshots written together, as refresh papers writes paper_counts and neuro_papers.
ALPHA = snapshots.Dataset("alpha", ("n", "word"), _schema, "Run the test's refresh again.")
BETA = snapshots.Dataset("beta", ("n", "word"), _schema, "Run the test's refresh again.")


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"n": [n, n + 1], "word": [f"w{n}", "x"]})


def write_set(n: int) -> None:
    made = [snapshots.prepare(dataset, frame(n), {"source": "test", "run": n}) for dataset in (ALPHA, BETA)]
    snapshots.save_set(made)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("AI4NEURO_DATA", str(folder))
    return folder


@pytest.fixture
def trends_dir(tmp_path, monkeypatch) -> Path:
    """AI4NEURO_DATA → a copy of the fixture Google Trends snapshot."""
    folder = shutil.copytree(FIXTURES / "snapshot", tmp_path / "data")
    monkeypatch.setenv("AI4NEURO_DATA", str(folder))
    return folder


def run_python(script: str, data: Path, preexec=None, **options) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh Python with the tests' folder importable and ``AI4NEURO_DATA`` = ``data``."""
    prelude = f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        cwd=ROOT,
        env={**os.environ, "AI4NEURO_DATA": str(data), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        timeout=120,
        **options,
    )


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# --- the record and the set --------------------------------------------------------------------


def test_a_provenance_record_edited_by_hand_is_refused(trends_dir):
    """Issue 20, item 1: the checksum covered the CSV only, so a record could change unnoticed."""
    record_path = trends_dir / "google_trends.provenance.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["tool_version"] = '4.9.2"><img src=x onerror=alert(1)>'
    record_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    with pytest.raises(Ai4NeuroError, match="record was changed after it was written") as caught:
        trends.load()
    assert str(record_path) in str(caught.value) and "git checkout data/" in str(caught.value)


def test_a_record_carries_its_own_checksum_and_its_set(data_dir):
    write_set(1)
    record = json.loads((data_dir / "alpha.provenance.json").read_text(encoding="utf-8"))
    assert record[snapshots.RECORD_CHECKSUM] == snapshots.record_checksum(record)
    assert record["sha256"] == files.sha256_file(data_dir / "alpha.csv")
    assert record["set"]["members"] == ["alpha", "beta"]
    other = json.loads((data_dir / "beta.provenance.json").read_text(encoding="utf-8"))
    assert other["set"]["id"] == record["set"]["id"]
    assert snapshots.load(ALPHA).frame.equals(frame(1)) and snapshots.load(BETA).frame.equals(frame(1))


def test_snapshots_of_one_set_that_disagree_are_refused(data_dir):
    """Issue 20, item 5: paper_counts new and neuro_papers old built silently, the chart and table disagreeing."""
    write_set(1)
    old_beta = {name: (data_dir / name).read_bytes() for name in ("beta.csv", "beta.provenance.json")}
    write_set(2)
    for name, payload in old_beta.items():  # one member restored alone, as a half-finished refresh left it
        (data_dir / name).write_bytes(payload)
    with pytest.raises(Ai4NeuroError, match="alpha.csv and .*beta.csv are not from the same write") as caught:
        snapshots.load(ALPHA)
    assert "must change together" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("n,word\n-999,w3\n4,x\n", "in_range"),
        ("n,word,extra\n3,w3,1\n4,x,1\n", "this version of the book expects"),
        ("n,word\nthree,w3\n4,x\n", "schema"),
    ],
    ids=["value-outside-the-schema", "extra-column", "unparsable-value"],
)
def test_a_checksummed_snapshot_that_fails_its_schema_is_refused(data_dir, damaged, expected):
    """Issue 20, item 6: a CSV holding -999, with its checksum and record made to match, built silently."""
    write_set(3)
    csv, record_path = data_dir / "alpha.csv", data_dir / "alpha.provenance.json"
    assert csv.read_text(encoding="utf-8") == "n,word\n3,w3\n4,x\n"
    csv.write_text(damaged, encoding="utf-8")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record_path.write_bytes(snapshots.record_bytes({**record, "sha256": files.sha256_file(csv)}))
    for check in (lambda: snapshots.load(ALPHA), snapshots.check_folder):
        with pytest.raises(Ai4NeuroError, match=expected) as caught:
            check()
        assert str(csv) in str(caught.value) and "\n" not in str(caught.value)


def test_a_truncated_snapshot_is_refused_by_the_check(trends_dir):
    csv = trends_dir / "google_trends.csv"
    csv.write_bytes(csv.read_bytes()[:-7])
    with pytest.raises(Ai4NeuroError, match="checksum .* does not match its provenance"):
        snapshots.check_folder()


# --- interrupted writes ---------------------------------------------------------------------------

KILL_AT_SECOND_RENAME = """
    import os, signal
    from test_snapshot_safety import write_set
    replace, renamed = os.replace, []
    def dying_replace(source, target):
        if str(source).endswith(".new"):
            renamed.append(target)
            if len(renamed) == 2:
                os.kill(os.getpid(), signal.SIGKILL)  # kill -9 with one file of the set renamed
        replace(source, target)
    os.replace = dying_replace
    write_set(2)
"""

KILL_WHILE_WRITING = """
    import os, signal
    from ai4neuro import files
    from test_snapshot_safety import write_set
    write, calls = files._write_checked, []
    def dying_write(entry, payload):
        calls.append(entry)
        if len(calls) == 3:
            with open(entry.new, "wb") as out:
                out.write(payload[: len(payload) // 2])
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 half way through the third file
        write(entry, payload)
    files._write_checked = dying_write
    write_set(2)
"""


def test_kill_9_after_the_commit_point_completes_the_set_on_the_next_load(data_dir):
    write_set(1)
    result = run_python(KILL_AT_SECOND_RENAME, data_dir)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert (data_dir / files.JOURNAL).exists()  # the write was cut off: the journal says what to finish
    assert snapshots.load(BETA).frame.equals(frame(2)) and snapshots.load(ALPHA).frame.equals(frame(2))
    assert sorted(path.name for path in data_dir.iterdir()) == [
        "alpha.csv",
        "alpha.provenance.json",
        "beta.csv",
        "beta.provenance.json",
    ]


def test_kill_9_while_writing_leaves_the_previous_set_whole(data_dir):
    write_set(1)
    before = folder_bytes(data_dir)
    result = run_python(KILL_WHILE_WRITING, data_dir)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert any(name.endswith(".new") for name in os.listdir(data_dir))  # half a temporary file is left
    snapshots.check_folder()  # the next load or check rolls it back
    assert folder_bytes(data_dir) == before
    assert snapshots.load(ALPHA).frame.equals(frame(1))


def test_a_write_that_fails_after_the_commit_point_puts_the_set_back(data_dir, monkeypatch):
    write_set(1)
    before = folder_bytes(data_dir)
    replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(target)
        if str(source).endswith(".new") and sum(str(c).endswith(".csv") for c in calls) == 2:
            raise OSError(5, "Input/output error", str(target))
        replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(Ai4NeuroError, match="Input/output error.*nothing was changed"):
        write_set(2)
    monkeypatch.setattr(os, "replace", replace)
    assert folder_bytes(data_dir) == before


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_during_import_trends_is_one_error_line_and_changes_nothing(trends_dir):
    """Issue 20, items 5 and 9: a full disk after the CSV left a snapshot without provenance, and the
    command ended in an OSError traceback. The kernel cuts every file at 4 KB here: the new CSV is larger."""
    before = folder_bytes(trends_dir)
    command = f"from ai4neuro.cli import main; sys.argv = ['ai4neuro', 'import-trends', {str(EXPORT)!r}]; main()"
    result = run_python(command, trends_dir, preexec=_file_size_limit(4096))
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("error: ") and "google_trends.csv" in line and "nothing was changed" in line
    assert folder_bytes(trends_dir) == before


def test_a_read_only_disk_is_one_error_line_and_changes_nothing(trends_dir):
    before = folder_bytes(trends_dir)
    command = f"""
        import errno
        from ai4neuro import files
        def read_only(*arguments, **options):
            raise OSError(errno.EROFS, "Read-only file system", {str(trends_dir / files.JOURNAL)!r})
        files.atomic_write = read_only
        from ai4neuro.cli import main
        sys.argv = ['ai4neuro', 'import-trends', {str(EXPORT)!r}]
        main()
    """
    result = run_python(command, trends_dir)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "Read-only file system" in line and "make the folder writable" in line and "nothing was changed" in line
    assert folder_bytes(trends_dir) == before


def test_refresh_trends_on_a_read_only_disk_is_one_error_line(trends_dir, monkeypatch):
    import responses
    from test_trends import COOKIE_URL, NO_WAIT, serve

    before = folder_bytes(trends_dir)

    def read_only(entry, payload):
        raise OSError(30, "Read-only file system", str(entry.new))

    monkeypatch.setattr(files, "_write_checked", read_only)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as google:
        google.get(COOKIE_URL, headers={"Set-Cookie": "NID=fixture; Path=/"})
        serve(google)
        with pytest.raises(Ai4NeuroError, match="Read-only file system.*nothing was changed") as caught:
            trends.refresh(policy=NO_WAIT)
    assert "\n" not in str(caught.value)
    assert folder_bytes(trends_dir) == before


SLOW_WRITE = """
    import time
    from pathlib import Path
    from ai4neuro import files
    write = files._write_checked
    def slow_write(entry, payload):
        Path({ready!r}).touch()
        time.sleep(30)
        write(entry, payload)
    files._write_checked = slow_write
    from ai4neuro.cli import main
    sys.argv = ['ai4neuro', 'import-trends', {export!r}]
    main()
"""


def test_ctrl_c_during_import_keeps_the_previous_snapshot_and_says_so(trends_dir, tmp_path):
    """Issue 20, item 5: Ctrl-C exited 130 with no message."""
    before, ready = folder_bytes(trends_dir), tmp_path / "ready"
    script = SLOW_WRITE.format(ready=str(ready), export=str(EXPORT))
    prelude = f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
    process = subprocess.Popen(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        cwd=ROOT,
        env={**os.environ, "AI4NEURO_DATA": str(trends_dir), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert one_line(stderr).startswith("interrupted: nothing was written")
    assert folder_bytes(trends_dir) == before


CTRL_C_AT_THE_COMMIT = """
    import os, signal
    replace = os.replace
    def interrupted_replace(source, target):
        if str(source).endswith(".new"):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the set is being renamed into place
        replace(source, target)
    os.replace = interrupted_replace
    from ai4neuro.cli import main
    sys.argv = ['ai4neuro', 'import-trends', {export!r}]
    main()
"""


def test_ctrl_c_at_the_commit_waits_for_the_renames_and_says_what_was_written(trends_dir):
    result = run_python(CTRL_C_AT_THE_COMMIT.format(export=str(EXPORT)), trends_dir)
    assert result.returncode == 130
    line = one_line(result.stderr)
    assert line.startswith("interrupted after writing") and "google_trends.csv" in line
    assert trends.load().provenance["export_file"] == EXPORT.name  # the new snapshot, whole
    assert not (trends_dir / files.JOURNAL).exists()


def test_every_snapshot_write_goes_through_the_set_path(trends_dir, monkeypatch):
    """Trends too (issue 20, item 5): import-trends writes through replace_together, journal and all."""
    seen, replace_together = [], files.replace_together

    def recorded(payloads, **options):
        seen.append(sorted(path.name for path in payloads))
        replace_together(payloads, **options)

    monkeypatch.setattr(files, "replace_together", recorded)
    trends.import_export(EXPORT)
    assert seen == [["google_trends.csv", "google_trends.provenance.json"]]
