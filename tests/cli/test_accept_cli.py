"""``workbench test --accept``: a failing scenario's expectations rewritten to what its run showed, after the
diff and a yes, as the app's Scenarios tab does."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import run_workbench
from workbench.cli import main
from workbench.cli.accept import accept_failures
from workbench.scenarios import ScenarioRunner, collect_cases
from workbench.store import load_workspace

SCENARIO = "scenarios/already-cancelled-subscription.json"


def _break(desk: Path) -> bytes:
    """Make the scenario expect a call its run does not make; the file's original bytes."""
    path = desk / SCENARIO
    original = path.read_bytes()
    data = json.loads(original)
    data["expect"]["calls"] = ["Get subscription", "Cancel subscription"]
    path.write_text(json.dumps(data, indent=2))
    return original


def test_accept_with_yes_rewrites_only_what_the_scenario_checks(
    desk_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _break(desk_copy)
    assert main(["test", str(desk_copy), "-k", "already cancelled", "--accept", "--yes"]) == 0
    out = capsys.readouterr().out
    assert '-    "Cancel subscription"' in out and "Updated 1 scenario file." in out
    assert (desk_copy / SCENARIO).read_bytes() == original  # the run's calls are what the file said before
    assert main(["test", str(desk_copy), "-k", "already cancelled"]) == 0


def test_accept_asks_first_and_needs_yes_without_a_terminal(desk_copy: Path) -> None:
    _break(desk_copy)
    broken = (desk_copy / SCENARIO).read_bytes()
    result = run_workbench("test", desk_copy, "-k", "already cancelled", "--accept")
    assert result.returncode == 2 and "pass --yes to write them without asking" in result.stderr
    assert (desk_copy / SCENARIO).read_bytes() == broken
    assert run_workbench("test", desk_copy, "--yes").returncode == 2  # --yes alone is bad usage


async def test_declining_writes_nothing(desk_copy: Path) -> None:
    _break(desk_copy)
    broken = (desk_copy / SCENARIO).read_bytes()
    workspace = load_workspace(desk_copy)
    cases = collect_cases(workspace, "already cancelled")
    reports = await ScenarioRunner(workspace).run_all(cases)
    assert [report.status for report in reports] == ["failed"]
    asked: list[str] = []

    def no(prompt: str) -> str:
        asked.append(prompt)
        return "n"

    assert accept_failures(reports, Console(file=io.StringIO()), desk_copy, ask=True, answer=no) == 1
    assert asked and "Update 1 scenario file?" in asked[0]
    assert (desk_copy / SCENARIO).read_bytes() == broken


def test_nothing_to_accept_when_everything_passes(desk_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(desk_copy), "-k", "already cancelled", "--accept", "--yes"]) == 0
    assert "Nothing to accept" in capsys.readouterr().out


def test_an_unknown_environment_is_bad_usage(desk_copy: Path) -> None:
    result = run_workbench("test", desk_copy, "--env", "locl")
    assert result.returncode == 2 and "unknown environment 'locl' (did you mean 'local'?)" in result.stderr
