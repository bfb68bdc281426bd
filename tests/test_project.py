"""The project's own habits: CI and Pages workflows, the weekly link check, the citation file, pre-commit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ai4neuro import cli, linkcheck
from ai4neuro.testing import ROOT

LINKCHECK = Path(__file__).parent / "fixtures" / "linkcheck" / "output.json"


def check_jsonschema(schema: str, *files: Path) -> None:
    """Validate ``files`` against a schema that check-jsonschema ships (no network)."""
    tool = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(tool), "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_are_valid_github_actions():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {path.name for path in workflows} >= {"book.yml", "linkcheck.yml"}
    check_jsonschema("vendor.github-workflows", *workflows)
    check_jsonschema("custom.github-workflows-require-timeout", *workflows)


def test_the_book_workflow_runs_the_readme_commands_and_publishes_main():
    text = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "run: ./run test" in text and "run: ./run book" in text
    assert "actions/deploy-pages" in text and "github.ref == 'refs/heads/main'" in text


def test_citation_file_is_valid():
    check_jsonschema("vendor.citation-file-format", ROOT / "CITATION.cff")


def test_pre_commit_config_is_valid_and_pins_the_tested_ruff():
    tool = Path(sys.executable).with_name("pre-commit")
    if not tool.exists():
        pytest.skip("pre-commit is not installed (optional for the author: `.venv/bin/pip install pre-commit`)")
    result = subprocess.run([str(tool), "validate-config", str(ROOT / ".pre-commit-config.yaml")], capture_output=True)
    assert result.returncode == 0
    pinned = next(
        line for line in (ROOT / "requirements-test.txt").read_text().splitlines() if line.startswith("ruff==")
    )
    assert f"rev: v{pinned.removeprefix('ruff==')}" in (ROOT / ".pre-commit-config.yaml").read_text()


def test_link_check_fails_only_for_links_that_are_really_broken():
    links = linkcheck.read_results(LINKCHECK)
    assert [link.uri for link in linkcheck.broken(links)] == [
        "https://example.org/gone",
        "https://no-such-host.example/",
    ]
    assert {link.uri for link in linkcheck.unverified(links)} == {
        "https://example.com/busy",
        "https://example.net/no-robots",
        "https://example.net/slow",
    }


def test_link_check_report_command(tmp_path):
    result = CliRunner().invoke(cli.app, ["linkcheck-report", str(LINKCHECK)])
    assert result.exit_code == 1 and "2 broken, 3 unverified" in result.output
    rate_limited_only = tmp_path / "output.json"
    rate_limited_only.write_text("\n".join(LINKCHECK.read_text().splitlines()[2:4]) + "\n")
    result = CliRunner().invoke(cli.app, ["linkcheck-report", str(rate_limited_only)])
    assert result.exit_code == 0 and "0 broken, 2 unverified" in result.output
    garbled = tmp_path / "garbled.json"
    garbled.write_text("not json\n")
    result = CliRunner().invoke(cli.app, ["linkcheck-report", str(garbled)])
    assert result.exit_code != 0 and "line 1" in str(result.exception or result.output)
