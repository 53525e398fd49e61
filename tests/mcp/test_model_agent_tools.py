"""A simulation's model agent is offered an MCP connector as it is an HTTP one: the ``fill_inputs`` tool carries
the inputs its tool's schema declares (type and description), and the simulation's ``mock`` / ``live`` /
``block`` choice decides whether the tool answers from its example, from the server, or fails the run."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agent.chat_server import ChatServer, text, tool
from tests.agent.desk import Roles, says
from tests.engine.build import procedure, workspace
from tests.mcp.server import TOOLS
from workbench.agent.simulation import SimulationRun, Simulator
from workbench.events import ConnectorResponded
from workbench.importing.mcp import tool_connector
from workbench.model import Scenario
from workbench.store import to_data

STEP = {"id": "look", "type": "instruction", "text": "@call(Lookup order) Say it is @read(Lookup order > status)."}


def lookup_connector() -> dict[str, object]:
    """``lookup_order`` as ``workbench import mcp`` writes it, with an example for mocked calls."""
    data = to_data(tool_connector("orders", TOOLS[0], [tool.name for tool in TOOLS], []))
    data["response"]["example"] = {"body": {"id": "A-7", "status": "mocked"}}
    return data


def scenario(mode: str) -> Scenario:
    simulation = {"goal": "know the status of order A-7", "connectors": {"Lookup order": mode}}
    return Scenario.model_validate({"name": "S", "procedure": "P", "simulation": simulation})


async def simulate(mode: str, orders: dict[str, Any]) -> tuple[SimulationRun, Roles]:
    roles = Roles(
        message=[says("Model says")],
        inputs=[tool("fill_inputs", {"order_id": "A-7"})],
        customer=[text("Where is my order A-7?")],
    )
    made = workspace([lookup_connector()], [procedure("P", STEP)], {"mcp_servers": {"orders": orders}})
    async with ChatServer(roles) as server:
        run = await Simulator(made, server.settings(timeout_s=20), secrets={}).run(scenario(mode))
    return run, roles


def answered(run: SimulationRun) -> list[tuple[str, object]]:
    assert run.result is not None, run.problem
    return [
        (event.payload.source, event.payload.body)
        for event in run.result.events
        if isinstance(event.payload, ConnectorResponded)
    ]


@pytest.mark.parametrize(("mode", "source", "status"), [("mock", "example", "mocked"), ("live", "live", "shipped")])
async def test_the_model_fills_an_mcp_tools_schema_inputs_and_the_simulation_mode_picks_who_answers(
    mode: str, source: str, status: str, shared_server: dict[str, Any]
) -> None:
    run, roles = await simulate(mode, shared_server)
    [(answered_by, body)] = answered(run)
    assert answered_by == source and isinstance(body, dict) and body["status"] == status
    [asked] = roles.seen["inputs"]
    [offered] = asked["tools"]
    parameters = offered["function"]["parameters"]["properties"]
    assert parameters["order_id"] == {"type": "string", "description": "The order number"}
    assert "'Lookup order' (Look an order up by its id.)" in asked["messages"][-1]["content"]
    assert run.passed and run.outcome == "completed"


async def test_a_blocked_mcp_tool_fails_the_simulated_run_naming_it_and_is_never_filled(
    shared_server: dict[str, Any],
) -> None:
    run, roles = await simulate("block", shared_server)
    assert run.result is not None and run.result.error is not None
    assert run.result.error.reason == "blocked" and "Lookup order is blocked" in run.result.error.message
    assert answered(run) == [] and "inputs" not in roles.seen and not run.passed
