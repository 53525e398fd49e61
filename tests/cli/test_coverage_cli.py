"""``workbench test --coverage``: the table, what is missing with file:line:col, ``--fail-under``, and the JSON,
Markdown, LCOV (checked by ``genhtml``) and Cobertura (parsed by pycobertura) files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pycobertura import Cobertura

from tests.conftest import SUPPORT_DESK, run_workbench
from tests.coverage.routes import LATE, SCENARIOS, line_of, routes_workspace


@pytest.fixture
def routes(tmp_path: Path) -> Path:
    return routes_workspace(tmp_path / "routes")


def test_the_report_gives_the_table_and_locates_what_is_missing(routes: Path) -> None:
    result = run_workbench("test", routes, "--coverage")
    assert (result.returncode, result.stderr) == (0, "")
    out = result.stdout
    assert "2 passed in " in out
    assert "Procedure coverage over 2 scenario runs" in out
    assert "  Route      4/6 66.7%  2/4 50.0%  1/6 16.7%" in out
    path = routes / "procedures" / "route.json"
    line, column = line_of(path, '"when"', 2)
    assert f"  {path}:{line}:{column}: branch 1 of `route` (code: `{LATE}`) never taken\n" in out
    line, column = line_of(path, '"id": "late"')
    assert f"  {path}:{line}:{column}: step `late` (instruction) never reached\n" in out


@pytest.mark.parametrize(("threshold", "status"), [("50", 0), ("49.9", 0), ("50.1", 1), ("100", 1), ("0", 0)])
def test_fail_under_applies_to_the_arms_taken(routes: Path, threshold: str, status: int) -> None:
    result = run_workbench("test", routes, "--coverage", "--fail-under", threshold)
    assert result.returncode == status
    assert ("required (--fail-under)" in result.stdout) == bool(status)


def test_coverage_options_need_coverage_and_a_percentage(routes: Path) -> None:
    for args in (["--fail-under", "50"], ["-o", "x.info"], ["--coverage-format", "lcov"]):
        result = run_workbench("test", routes, *args)
        assert result.returncode == 2 and "goes with --coverage" in result.stderr
    result = run_workbench("test", routes, "--coverage", "--fail-under", "101")
    assert result.returncode == 2 and "expected a percentage from 0 to 100, got '101'" in result.stderr


def test_json_and_markdown(routes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "coverage.json"
    result = run_workbench("test", routes, "--coverage", "--coverage-format", "json", "-o", out)
    assert result.returncode == 0 and f"wrote the json report to {out}" in result.stdout
    data = json.loads(out.read_text())
    assert data["totals"]["arms"] == {"covered": 2, "total": 4, "percent": 50.0}
    [route] = data["procedures"]
    assert route["steps"] == {"covered": 4, "total": 6, "percent": 66.67}
    assert [item["key"] for item in route["missing"] if item["kind"] != "outcome"] == [
        ["lookup", "on_error"],
        ["failed"],
        ["route", "1"],
        ["late"],
    ]
    printed = run_workbench("test", routes, "--coverage", "--coverage-format", "markdown").stdout
    assert "| Route | 4/6 66.7% | 2/4 50.0% | 1/6 16.7% |" in printed


def test_an_unwritable_output_is_a_usage_error(routes: Path) -> None:
    result = run_workbench("test", routes, "--coverage", "-o", routes / "procedures" / "route.json" / "x")
    assert result.returncode == 2 and "cannot write it" in result.stderr


def test_lcov_carries_line_hits_and_loads_in_genhtml(routes: Path, tmp_path: Path) -> None:
    info = tmp_path / "coverage.info"
    assert run_workbench("test", routes, "--coverage", "--coverage-format", "lcov", "-o", info).returncode == 0
    path = routes / "procedures" / "route.json"
    records = info.read_text().splitlines()
    assert records[:2] == ["TN:", f"SF:{path.resolve()}"]
    hits = {int(line.split(":")[1].split(",")[0]): int(line.split(",")[1]) for line in records if line[:3] == "DA:"}
    assert hits[line_of(path, '"id": "lookup"')[0]] == 2 and hits[line_of(path, '"id": "late"')[0]] == 0
    route, lookup = line_of(path, '"id": "route"')[0], line_of(path, '"id": "lookup"')[0]
    assert [line for line in records if line.startswith("BRDA:")] == [
        f"BRDA:{lookup},0,0,2",  # an error path is a two-way branch here: carried on (twice), or on_error
        f"BRDA:{lookup},0,1,0",
        f"BRDA:{route},1,0,1",
        f"BRDA:{route},1,1,0",
        f"BRDA:{route},1,2,1",
    ]
    assert records[-5:] == ["BRF:5", "BRH:3", "LF:6", "LH:4", "end_of_record"]
    if shutil.which("genhtml") is None:
        pytest.skip("genhtml (apt package lcov) is not installed: the file's records were checked above")
    html = subprocess.run(
        ["genhtml", "--branch-coverage", "-o", str(tmp_path / "html"), str(info)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert html.returncode == 0, html.stderr
    assert "WARNING" not in html.stderr.upper() and "ERROR" not in html.stderr.upper()
    assert "lines......: 66.7% (4 of 6 lines)" in html.stdout
    assert "branches...: 60.0% (3 of 5 branches)" in html.stdout


def test_cobertura_parses_with_line_hits_and_branch_rates(routes: Path, tmp_path: Path) -> None:
    xml = tmp_path / "coverage.xml"
    assert run_workbench("test", routes, "--coverage", "--coverage-format", "cobertura", "-o", xml).returncode == 0
    report = Cobertura(str(xml))
    path = routes / "procedures" / "route.json"
    assert report.files() == ["procedures/route.json"]
    assert (report.total_statements(), report.line_rate(), report.branch_rate()) == (6, 0.6667, 0.6)
    lines = {name: line_of(path, f'"id": "{name}"')[0] for name in ("lookup", "failed", "route", "late")}
    statuses = dict.fromkeys(lines, "") | {
        name: status
        for line, status in report.line_statuses("procedures/route.json")
        for name, step_line in lines.items()
        if line == step_line
    }
    # a line whose branches are not all taken is partly covered
    assert statuses == {"lookup": "partial", "failed": "miss", "route": "partial", "late": "miss"}


def test_the_sample_desk_takes_every_arm() -> None:
    """The figures the README quotes."""
    result = run_workbench("test", SUPPORT_DESK, "--coverage", "--fail-under", "100")
    assert result.returncode == 0
    assert "  total                33/33 100.0%  15/15 100.0%  17/53 32.1%" in result.stdout


def test_a_saved_simulation_counts_like_any_scenario(tmp_path: Path) -> None:
    simulated = {
        "name": "Simulated late order",
        "procedure": "Route",
        "simulation": {"goal": "know where the order is"},
        "mocks": {"Get order": {"body": {"status": "late"}}},
        "messages": {"late": "Sorry, your order is running late."},
        "expect": {"path": ["lookup", "route", "late", "done"]},
    }
    root = routes_workspace(tmp_path / "routes", {**SCENARIOS, "simulated": simulated})
    result = run_workbench("test", root, "--coverage")
    assert result.returncode == 0, result.stdout
    assert "  Route      5/6 83.3%  3/4 75.0%  1/6 16.7%" in result.stdout
