"""The engine over the sample support desk in dynamic mode (its scenarios are checked in tests/scenarios)."""

from __future__ import annotations

from tests.conftest import SUPPORT_DESK
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.store import load_workspace

DESK = load_workspace(SUPPORT_DESK)


def test_the_sample_loads_cleanly() -> None:
    assert DESK.problems == [] and len(DESK.scenarios) >= 5


async def test_dynamic_rules_pick_the_subscription_by_email() -> None:
    async def subscription(email: str) -> dict[str, object]:
        options = RunOptions(mode="dynamic", attributes={"User": {"email": email}})
        result = await run_procedure(DESK, "Cancel subscription", ScriptedAgent(decisions={"state": False}), options)
        available = next(event for event in result.events if event.type == "attributes_available")
        return available.payload.attributes

    active = await subscription("ada@example.com")
    assert active["Get subscription > status"] == "active"
    cancelled = await subscription("cancelled@example.com")
    assert cancelled["Get subscription > status"] == "cancelled"
    assert cancelled["Get subscription > customer_email"] == "cancelled@example.com"
