"""Deriving the scenario that takes an uncovered arm: each derived run, played by the engine, takes its arm."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.coverage.routes import CONNECTOR, load, routes_workspace, write_files
from workbench.coverage import Hits, measure
from workbench.coverage.reach import CannotReach, reach
from workbench.events import ConditionEvaluated
from workbench.scenarios import ScenarioRunner
from workbench.store import Workspace

TRIAGE: dict[str, Any] = {
    "name": "Triage",
    "steps": [
        {"id": "lookup", "type": "instruction", "text": "@call(Get order)"},
        {
            "id": "sort",
            "type": "condition",
            "branches": [
                {"when": {"attribute": "Get order > status", "op": "equals", "value": "shipped"}},
                {"when": {"describe": "the customer is angry"}},
                {"when": {"attribute": "Conversation > vip", "op": "is_set"}},
                {"when": {"attribute": "Get order > total", "op": "greater_than", "value": 100}},
            ],
        },
    ],
}


def arm(workspace: Workspace, procedure: str, step: str, which: str) -> Any:
    [part] = [part for part in measure(workspace, Hits()).procedures if part.name == procedure]
    return next(measured.item for measured in part.items if measured.item.key == (step, which))


def taken(workspace: Workspace, scenario: Any) -> int | str | None:
    result = asyncio.run(ScenarioRunner(workspace).play(scenario))
    evaluated = [event.payload for event in result.events if isinstance(event.payload, ConditionEvaluated)]
    return evaluated[0].branch if evaluated else "no condition"


@pytest.mark.parametrize("which", ["0", "1", "2", "3", "else"])
def test_each_derived_run_takes_its_arm(tmp_path: Path, which: str) -> None:
    workspace = load(
        write_files(tmp_path / "ws", {"connectors/get-order.json": CONNECTOR, "procedures/triage.json": TRIAGE})
    )
    derived = reach(workspace, arm(workspace, "Triage", "sort", which))
    assert derived.pause_at == ("Triage", "sort") and derived.notes == []
    assert taken(workspace, derived.scenario) == (None if which == "else" else int(which))


def test_an_error_path_is_reached_by_a_failing_call_and_a_code_test_is_not_derived(tmp_path: Path) -> None:
    workspace = load(routes_workspace(tmp_path / "routes"))
    derived = reach(workspace, arm(workspace, "Route", "lookup", "on_error"))
    result = asyncio.run(ScenarioRunner(workspace).play(derived.scenario))
    assert result.path == ["lookup", "failed"]
    with pytest.raises(CannotReach, match="branch 1 of `route` is a code test"):
        reach(workspace, arm(workspace, "Route", "route", "1"))
    # the else follows a code test that must fail: derived, with a note to check it while paused
    derived = reach(workspace, arm(workspace, "Route", "route", "else"))
    assert derived.notes == ["branch 1 of `route` (code) must not hold: check it while paused"]
    assert taken(workspace, derived.scenario) is None


def test_the_derived_run_keeps_the_base_scenario(tmp_path: Path) -> None:
    workspace = load(routes_workspace(tmp_path / "routes"))
    base = workspace.scenarios["Processing"].model
    derived = reach(workspace, arm(workspace, "Route", "lookup", "on_error"), base)
    assert derived.scenario.procedure == "Route" and derived.scenario.expect.path is None
    assert derived.scenario.name == "Reach on_error path of `lookup`"
    assert derived.scenario.mocks["Get order"].status == 500 and base.mocks["Get order"].status == 200
