"""Two results files compared: rates before and after, changes beyond noise, paths appeared or disappeared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from workbench.agent.comparison import compare_results, render
from workbench.agent.results import FORMAT, load_results, read_results


def results(*scenarios: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "scenarios": list(scenarios)}


def scenario(name: str, outcomes: list[bool], paths: list[str], criterion: str = "c") -> dict[str, Any]:
    runs = [
        {"index": index, "passed": ok, "path": path, "criteria": [{"criterion": criterion, "passed": ok}]}
        for index, (ok, path) in enumerate(zip(outcomes, paths, strict=True), 1)
    ]
    return {"name": name, "runs": runs}


def test_overlapping_intervals_are_noise_and_paths_are_compared() -> None:
    old = read_results(results(scenario("A", [True] * 4 + [False] * 2, ["a → b"] * 6)), "old")
    new = read_results(results(scenario("A", [True] * 3 + [False] * 3, ["a → b"] * 5 + ["a → c"])), "new")
    comparison = compare_results(old, new)
    assert [row.direction for row in comparison.rows] == ["worse", "worse"]
    assert comparison.beyond_noise == [] and not comparison.regressed
    assert comparison.paths_appeared == {"A": ["a → c"]} and comparison.paths_disappeared == {}
    assert "+ path appeared in A: a → c" in render(comparison, "text")


def test_scenarios_that_appear_or_disappear_and_markdown_cells_are_escaped() -> None:
    old = read_results(results(scenario("A|x", [True] * 8, ["p"] * 8)), "old")
    new = read_results(results(scenario("B", [False] * 8, ["q"] * 8)), "new")
    comparison = compare_results(old, new)
    assert [(row.label, row.direction) for row in comparison.rows] == [
        ("A|x", "gone"),
        ("A|x > c", "gone"),
        ("B", "new"),
        ("B > c", "new"),
    ]
    assert comparison.beyond_noise == [] and comparison.paths_appeared == {}
    markdown = render(comparison, "markdown")
    assert "| A\\|x | (whole scenario) | 100% (8/8, 68%-100%) | — | gone |" in markdown
    assert orjson.loads(render(comparison, "json"))["rows"][2]["before"] is None


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("[1]", "not a workbench simulation results file"),
        ('{"format": "workbench-simulation-results"}', '"scenarios" must be a list'),
        ('{"format": "workbench-simulation-results", "scenarios": [{"name": "A", "runs": [{"index": 1}]}]}', "runs"),
        ("{oops", "not JSON"),
    ],
)
def test_a_bad_results_file_names_itself_and_the_problem(tmp_path: Path, data: str, problem: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(data)
    with pytest.raises(ValueError, match=problem) as raised:
        load_results(path)
    assert str(path) in str(raised.value)
