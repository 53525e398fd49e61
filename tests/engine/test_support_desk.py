"""The engine over the sample support desk: every scenario's expectations hold, in example and dynamic mode."""

from __future__ import annotations

import pytest

from tests.conftest import SUPPORT_DESK
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.model import Scenario
from workbench.store import load_workspace

DESK = load_workspace(SUPPORT_DESK)


async def play(scenario: Scenario) -> RunResult:
    options = RunOptions(environment=scenario.environment, mode=scenario.mode, attributes=dict(scenario.attributes),
                         mocks=dict(scenario.mocks))
    return await run_procedure(DESK, scenario.procedure, ScriptedAgent(scenario.answers, scenario.decisions), options)


def test_the_sample_loads_cleanly() -> None:
    assert DESK.problems == [] and len(DESK.scenarios) >= 5


@pytest.mark.parametrize("name", sorted(DESK.scenarios))
async def test_scenario_expectations_hold(name: str) -> None:
    scenario = DESK.scenarios[name].model
    result = await play(scenario)
    expect = scenario.expect
    if expect.outcome is not None:
        assert result.outcome == expect.outcome, result.error
    if expect.path is not None:
        assert result.path == expect.path
    if expect.calls is not None:
        assert result.calls == expect.calls
    said = "\n".join(result.messages)
    assert all(text in said for text in expect.messages_contain)
    values = result.context.values()
    for path, value in expect.attributes.items():
        assert values.get(path) == value, path


async def test_dynamic_rules_pick_the_subscription_by_email() -> None:
    async def subscription(email: str) -> dict[str, object]:
        options = RunOptions(mode="dynamic", attributes={"User": {"email": email}})
        result = await run_procedure(DESK, "Cancel subscription", ScriptedAgent(decisions={"state": False}), options)
        available = next(event for event in result.events if event.type == "attributes_available")
        return available.data["attributes"]

    active = await subscription("ada@example.com")
    assert active["Get subscription > status"] == "active"
    cancelled = await subscription("cancelled@example.com")
    assert cancelled["Get subscription > status"] == "cancelled"
    assert cancelled["Get subscription > customer_email"] == "cancelled@example.com"
