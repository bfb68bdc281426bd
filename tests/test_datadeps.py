"""A changed snapshot re-executes exactly the chapters that read it (ai4neuro.bookext.datadeps)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from figures_testbed.testbed import add_testbed

from ai4neuro import snapshots
from ai4neuro.testing import copy_repository, run_build

pytestmark = pytest.mark.book


def test_changing_one_snapshot_reexecutes_only_its_chapter(tmp_path, monkeypatch):
    book = copy_repository(tmp_path / "book")
    data = add_testbed(book)
    html = run_build(book, data_dir=data)
    numbers = html / "chapters" / "testbed-numbers.html"
    assert 'The fixture total is <span class="pasted-text">1234</span>' in numbers.read_text(encoding="utf-8")
    figure_files = sorted((book / "figures").glob("testbed-*"))
    stamps = {path.name: path.stat().st_mtime_ns for path in figure_files}

    monkeypatch.setenv("AI4NEURO_DATA", str(data))  # a test copy of the fixture data, never data/
    schema = pa.DataFrameSchema({"label": pa.Column(str), "value": pa.Column(int)})
    snapshots.save(
        snapshots.Dataset("fixture_total", ("label", "value"), lambda: schema, "test"),
        pd.DataFrame({"label": ["total"], "value": [5678]}),
        {"source": "hand-made test fixture, changed by the test"},
    )
    run_build(book, data_dir=data)

    assert 'The fixture total is <span class="pasted-text">5678</span>' in numbers.read_text(encoding="utf-8")
    # The figures chapter, which does not read fixture_total, was not executed again.
    assert {path.name: path.stat().st_mtime_ns for path in figure_files} == stamps
