"""Simulations treat MCP connectors like HTTP ones: the per-connector ``mock`` / ``live`` / ``block`` choice of
``simulation.connectors`` decides whether the tool is called live, mocked or refused."""

from __future__ import annotations

from typing import Any

from tests.engine.build import connector, procedure, workspace
from tests.mcp.build import LOOKUP
from workbench.agent.connector_modes import apply_modes, connector_modes
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.model import Scenario

STEP = {"id": "a", "type": "instruction", "text": "@call(Lookup order) @call(Basket) @read(Lookup order > status)"}
ACTION = {**LOOKUP, "kind": "action"}


def scenario(**modes: str) -> Scenario:
    data = {"name": "S", "procedure": "P", "simulation": {"goal": "status", "connectors": modes}}
    return Scenario.model_validate(data)


async def run(options: RunOptions, server: dict[str, Any]) -> tuple[str, list[str | None], str | None]:
    made = workspace(
        [ACTION, connector("Basket", {"total": 1})], [procedure("P", STEP)], {"mcp_servers": {"orders": server}}
    )
    options.attributes = {"Conversation": {"order": "A-7"}}
    result = await run_procedure(made, "P", ScriptedAgent(), options)
    modes = [event.payload.mode for event in result.events if event.type == "connector_called"]
    return result.outcome, modes, result.error.reason if result.error else None


async def test_an_mcp_action_is_mocked_by_default_called_live_when_said_and_blocked_when_said(
    shared_server: dict[str, Any],
) -> None:
    made = workspace([ACTION], [])
    connectors = made.connector_models()
    assert connector_modes(connectors, scenario()) == {"Lookup order": ("mock", True)}
    mocked = await run(apply_modes(RunOptions(mode="live"), connectors, scenario()), shared_server)
    assert mocked[1][0] == "example"
    live_modes = apply_modes(RunOptions(mode="example"), connectors, scenario(**{"Lookup order": "live"}), {})
    live = await run(live_modes, shared_server)
    assert live[:2] == ("completed", ["live", "example"])
    blocked = await run(apply_modes(RunOptions(), connectors, scenario(**{"Lookup order": "block"})), shared_server)
    assert (blocked[0], blocked[2]) == ("failed", "blocked")
