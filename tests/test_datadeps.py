"""A chapter re-executes exactly when its cells, its declared snapshots or the package code it uses change
(ai4neuro.bookext.datadeps), and a rebuild with nothing changed is a no-op.

Each build runs in a copy of the repository made into the figure test bed (two fixture chapters),
with ``PYTHONPATH`` pointing at the copy, so that the copy's ``ai4neuro`` package is the one the
build and the kernels import (and a test may edit it).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from figures_testbed.testbed import add_testbed

from ai4neuro import snapshots
from ai4neuro.bookext import datadeps
from ai4neuro.testing import copy_repository, executed_chapters, run_build

pytestmark = pytest.mark.book

FIGURES, NUMBERS = "chapters/testbed-figures", "chapters/testbed-numbers"


@pytest.fixture
def testbed(tmp_path):
    book = copy_repository(tmp_path / "book")
    data = add_testbed(book)

    def build() -> set[str]:
        run_build(book, data_dir=data, env={"PYTHONPATH": str(book)})
        return executed_chapters(book)

    assert build() == {FIGURES, NUMBERS}
    return book, data, build


def test_a_rebuild_with_nothing_changed_executes_and_rereads_nothing(testbed):
    book, _, build = testbed
    assert build() == set()
    assert "0 added, 0 changed, 0 removed" in (book / "_build" / "build.log").read_text()


def test_changing_one_snapshot_reexecutes_only_its_chapter(testbed, monkeypatch):
    book, data, build = testbed
    monkeypatch.setenv("AI4NEURO_DATA", str(data))  # a test copy of the fixture data, never data/
    schema = pa.DataFrameSchema({"label": pa.Column(str), "value": pa.Column(int)})
    snapshots.save(
        snapshots.Dataset("fixture_total", ("label", "value"), lambda: schema, "test"),
        pd.DataFrame({"label": ["total"], "value": [5678]}),
        {"source": "hand-made test fixture, changed by the test"},
    )
    assert build() == {NUMBERS}
    numbers = book / "_build" / "html" / "chapters" / "testbed-numbers.html"
    assert 'The fixture total is <span class="pasted-text">5678</span>' in numbers.read_text(encoding="utf-8")


def test_editing_package_code_reexecutes_the_chapters_that_import_it(testbed):
    book, _, build = testbed
    figures = book / "ai4neuro" / "figures.py"  # imported by the figures chapter only
    figures.write_text(figures.read_text(encoding="utf-8") + "\n# edited by a test\n", encoding="utf-8")
    assert build() == {FIGURES}
    errors = book / "ai4neuro" / "errors.py"  # imported (through snapshots) by both
    errors.write_text(errors.read_text(encoding="utf-8") + "\n# edited by a test\n", encoding="utf-8")
    assert build() == {FIGURES, NUMBERS}
    posts = book / "ai4neuro" / "cli.py"  # imported by neither
    posts.write_text(posts.read_text(encoding="utf-8") + "\n# edited by a test\n", encoding="utf-8")
    assert build() == set()


def test_editing_a_cell_reexecutes_its_chapter_only(testbed):
    book, _, build = testbed
    chapter = book / f"{NUMBERS}.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("from myst_nb import glue", "from myst_nb import glue  # x")
    )
    assert build() == {NUMBERS}


def test_a_declared_snapshot_that_does_not_exist_is_a_stable_state(testbed):
    book, _, build = testbed
    chapter = book / f"{NUMBERS}.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("reads: [fixture_total]", "reads: [fixture_total, not_fetched_yet]"))
    assert build() == {NUMBERS}
    assert build() == set()
    assert "0 added, 0 changed, 0 removed" in (book / "_build" / "build.log").read_text()


def test_the_code_a_chapter_uses_follows_imports_and_names_its_tables():
    used = {
        path.relative_to(datadeps.PACKAGE).as_posix()
        for path in datadeps.used_files("from ai4neuro.views import papers")
    }
    assert {"views/papers.py", "sources/papers.py", "sources/classify.py", "figures.py", "snapshots.py"} <= used
    assert {"sources/classification_rules.csv", "sources/paper_status.csv", "sources/paperlists_registry.csv"} <= used
    assert not {"cli.py", "posts.py", "bookext/charts.py"} & used
    trends = {path.name for path in datadeps.used_files("from ai4neuro.views import trends")}
    assert "classification_rules.csv" not in trends


def test_fingerprint_changes_with_the_data_and_the_code(tmp_path, monkeypatch):
    monkeypatch.setenv("AI4NEURO_DATA", str(tmp_path))
    (tmp_path / "one.csv").write_text("a\n1\n")
    (tmp_path / "one.provenance.json").write_text("{}")
    before = datadeps.fingerprint_cell(["one"], "from ai4neuro import snapshots")
    (tmp_path / "one.csv").write_text("a\n2\n")
    assert datadeps.fingerprint_cell(["one"], "from ai4neuro import snapshots") != before
    assert datadeps.fingerprint_cell(["one"], "from ai4neuro import figures") != datadeps.fingerprint_cell(
        ["one"], "from ai4neuro import snapshots"
    )
    assert "check_reads(['one'])" in before


def test_what_a_module_imports_is_read_again_when_it_changes_and_kept_between_builds(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("from ai4neuro import figures\n", encoding="utf-8")
    assert datadeps._file_facts(module)[0] == {"ai4neuro", "ai4neuro.figures"}
    module.write_text("from ai4neuro import snapshots\nTABLE = 'rules.csv'\n", encoding="utf-8")
    assert datadeps._file_facts(module) == ({"ai4neuro", "ai4neuro.snapshots"}, {"rules.csv"})

    class Environment:
        pass

    built, rebuilt = Environment(), Environment()
    datadeps.store_module_facts(None, built)
    assert getattr(built, datadeps.FACTS_ATTRIBUTE)[str(module)][1][1] == {"rules.csv"}
    datadeps._FILE_FACTS.clear()  # a new build's process
    setattr(rebuilt, datadeps.FACTS_ATTRIBUTE, getattr(built, datadeps.FACTS_ATTRIBUTE))
    datadeps.restore_module_facts(None, rebuilt, [])
    assert str(module) in datadeps._FILE_FACTS
