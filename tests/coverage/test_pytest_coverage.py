"""``pytest --workbench-coverage``: the same report as ``workbench test --coverage``, with pytest-xdist workers'
counts merged by the controller."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.coverage.routes import routes_workspace
from tests.scenarios.test_pytest_plugin import pytest_here
from workbench import pytest_plugin
from workbench.coverage.output import FORMATS


@pytest.fixture
def routes(tmp_path: Path) -> Path:
    return routes_workspace(tmp_path / "routes")


def test_the_report_follows_the_tests(routes: Path, pytester: pytest.Pytester) -> None:
    result = pytest_here(pytester, routes.parent, "routes", "--workbench-coverage")
    assert result.returncode == 0, result.stdout
    assert "workbench coverage" in result.stdout and "Procedure coverage over 2 scenario runs" in result.stdout
    assert "  Route      4/6 66.7%  2/4 50.0%  1/6 16.7%" in result.stdout
    assert "step `late` (instruction) never reached" in result.stdout


@pytest.mark.parametrize("workers", ["0", "2"])
def test_workers_counts_are_merged_and_fail_under_fails_the_session(
    routes: Path, workers: str, pytester: pytest.Pytester
) -> None:
    """Two workers run a scenario each: only the merged counts reach 2 arms (each scenario takes one), below a
    ``--workbench-fail-under`` of 60; without workers, 50 is enough (the bound is inclusive: checked once, since the
    counts it compares were checked under both)."""
    output = routes.parent / "coverage.json"
    result = pytest_here(
        pytester,
        routes.parent,
        "routes",
        "-n",
        workers,
        "--workbench-coverage",
        "--workbench-coverage-format",
        "json",
        "--workbench-coverage-output",
        str(output),
        "--workbench-fail-under",
        "60",
    )
    assert result.returncode == 1, result.stdout
    assert "2 passed" in result.stdout
    assert "branch arms taken: 50.0%, below the 60% required (--workbench-fail-under)" in result.stdout
    data = json.loads(output.read_text())
    assert data["runs"] == 2 and data["totals"]["arms"] == {"covered": 2, "total": 4, "percent": 50.0}
    if workers == "0":
        passing = pytest_here(pytester, routes.parent, "routes", "--workbench-coverage", "--workbench-fail-under", "50")
        assert passing.returncode == 0, passing.stdout


def test_without_the_option_nothing_is_reported(routes: Path, pytester: pytest.Pytester) -> None:
    result = pytest_here(pytester, routes.parent, "routes")
    assert result.returncode == 0 and "workbench coverage" not in result.stdout


def test_fail_under_is_a_percentage(routes: Path, pytester: pytest.Pytester) -> None:
    result = pytest_here(pytester, routes.parent, "routes", "--workbench-coverage", "--workbench-fail-under", "101")
    assert result.returncode == 4 and "expected a percentage from 0 to 100, got 101" in result.stderr


def test_the_plugin_offers_every_format() -> None:
    assert tuple(FORMATS) == pytest_plugin._FORMATS
