"""Sequences and state in scenarios: a scenario's mocks answer successive calls in turn, and dynamic rules
that depend on state set by another call behave as in a plain run."""

from __future__ import annotations

from pathlib import Path

from tests.engine.build import connector, procedure, workspace
from tests.scenarios.desk import run_file, sample, write
from workbench.model import Scenario
from workbench.scenarios import ScenarioRunner
from workbench.scenarios.expectations import compare

ID_INPUT = {"name": "id", "source": "Conversation > id"}
STEPS = [
    {"id": "first", "type": "instruction", "text": "@call(Get item)"},
    {"id": "ask", "type": "collect", "attribute": "Conversation > id"},
    {"id": "second", "type": "instruction", "text": "@call(Get item) says @read(Get item > n)"},
]


async def test_a_scenario_mock_sequence_answers_calls_in_turn() -> None:
    desk = workspace([connector("Get item", {"n": 0}, inputs=[ID_INPUT])], [procedure("P", *STEPS)])
    scenario = Scenario.model_validate(
        {
            "name": "two answers",
            "procedure": "P",
            "attributes": {"Conversation": {"id": "a"}},
            "answers": {"ask": "b"},
            "mocks": {
                "Get item": {"body": {"n": 1}, "latency_ms": 5000, "then": [{"body": {"n": 2}, "latency_ms": 5000}]}
            },
            "expect": {"messages_contain": ["says 2"], "attributes": {"Get item > n": 2}, "outcome": "completed"},
        }
    )
    result = await ScenarioRunner(desk).play(scenario)
    assert compare(scenario.expect, result) == []
    elapsed = [event.payload.elapsed_ms for event in result.events if event.type == "connector_responded"]
    assert len(elapsed) == 2 and max(elapsed) < 1000  # simulated latency is skipped in every answer


async def test_rules_on_state_work_in_scenarios() -> None:
    getter = connector(
        "Get item",
        inputs=[ID_INPUT],
        response={
            "mode": "dynamic",
            "rules": [
                {"when_state": {"touched": "yes"}, "response": {"body": {"n": "after"}}},
                {"response": {"body": {"n": "before"}}},
            ],
        },
    )
    toucher = connector("Touch", {"ok": True}, kind="action")
    toucher["response"]["example"]["set_state"] = {"touched": "yes"}
    steps = [STEPS[0], {"id": "touch", "type": "instruction", "text": "@call(Touch)"}, *STEPS[1:]]
    desk = workspace([getter, toucher], [procedure("P", *steps)])
    scenario = Scenario.model_validate(
        {
            "name": "state",
            "procedure": "P",
            "attributes": {"Conversation": {"id": "a"}},
            "answers": {"ask": "b"},
            "expect": {"messages_contain": ["says after"], "calls": ["Get item", "Touch", "Get item"]},
        }
    )
    result = await ScenarioRunner(desk).play(scenario)
    assert compare(scenario.expect, result) == []


async def test_unknown_keys_inside_a_sequence_are_reported(desk_copy: Path) -> None:
    data = sample("order-in-transit-shows-tracking")
    data["name"] = "typo in a sequence"
    data["mocks"] = {"Get orders": {"body": {}, "then": [{"bodyy": {}}]}}
    report = await run_file(desk_copy, write(desk_copy, "typo", data))
    assert report.status == "error"
    assert any("mocks.Get orders.then.0.bodyy: unknown key" in problem for problem in report.problems), report.problems
