"""MCP connectors mocked exactly as HTTP ones (examples, dynamic rules, sequences, state, faults), recorded into a
scenario from a live run over stdio, which then replays green without the server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.engine.build import connector, procedure, workspace
from tests.mcp.build import LOOKUP, mcp_connector
from workbench.connectors.masking import secret_names
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.jsonfile import dumps_pretty
from workbench.model import MockResponse, WorkspaceSettings
from workbench.scenarios import ScenarioRunner, collect_cases
from workbench.scenarios.recording import save_recording
from workbench.store import load_workspace

STEP = {
    "id": "a",
    "type": "instruction",
    "text": "@call(Lookup order) @call(Basket) @read(Lookup order > status)",
    "on_error": [{"id": "sorry", "type": "instruction", "text": "Sorry, orders are unavailable."}],
}
RULED = {
    **LOOKUP,
    "response": {
        "mode": "dynamic",
        "example": {"body": {"status": "unknown"}},
        "rules": [
            {"when_state": {"cancelled": True}, "response": {"body": {"status": "cancelled"}}},
            {
                "when": [{"input": "order_id", "op": "equals", "value": "A-7"}],
                "response": {"body": {"status": "found {{order_id}}"}, "then": [{"body": {"status": "second"}}]},
            },
        ],
    },
}
CANCEL = mcp_connector(
    "Cancel order",
    "cancel",
    kind="action",
    response={"mode": "example", "example": {"body": {}, "set_state": {"cancelled": True}}},
)


def attributes(order: str) -> RunOptions:
    return RunOptions(attributes={"Conversation": {"order": order}})


async def statuses(text: str, order: str = "A-7", **options: Any) -> list[Any]:
    ws = workspace(
        [RULED, CANCEL, connector("Basket", {"total": 1})],
        [procedure("P", {"id": "a", "type": "instruction", "text": text})],
        {"mcp_servers": {"orders": {"command": "/nonexistent/never-started"}}},
    )
    result = await run_procedure(
        ws, "P", ScriptedAgent(), RunOptions(attributes={"Conversation": {"order": order}}, **options)
    )
    assert result.error is None, result.error
    return [event.payload.body for event in result.events if event.type == "connector_responded"]


async def test_dynamic_rules_sequences_and_state_answer_mcp_calls() -> None:
    assert await statuses("@call(Lookup order)") == [{"status": "found A-7"}]
    assert await statuses("@call(Lookup order)", order="B-1") == [{"status": "unknown"}]
    assert await statuses("@call(Cancel order) @call(Lookup order)") == [{}, {"status": "cancelled"}]


async def test_example_mode_and_a_fault_take_the_same_paths_as_http() -> None:
    ws = workspace(
        [LOOKUP, connector("Basket", {"total": 1})],
        [procedure("P", STEP)],
        {"mcp_servers": {"orders": {"command": "/nonexistent/never-started"}}},
    )
    mocked = await run_procedure(
        ws, "P", ScriptedAgent(), RunOptions(mode="example", attributes={"Conversation": {"order": "A-7"}})
    )
    assert mocked.error is None and mocked.messages == ["Lookup order Basket mocked"]
    faults = {"Lookup order": MockResponse(fault="timeout"), "Basket": MockResponse(body={"total": 1})}
    failed = await run_procedure(
        ws, "P", ScriptedAgent(), RunOptions(mocks=faults, attributes={"Conversation": {"order": "A-7"}})
    )
    assert failed.messages == ["Sorry, orders are unavailable."]
    error = next(event for event in failed.events if event.type == "error")
    assert (error.payload.reason, error.payload.connector) == ("timeout", "Lookup order")


def test_mcp_server_secrets_join_the_run_masker() -> None:
    settings = WorkspaceSettings.model_validate(
        {
            "mcp_servers": {
                "a": {"url": "http://x/mcp", "headers": {"Authorization": "Bearer {{secret.A_KEY}}"}},
                "b": {"command": "srv", "env": {"T": "{{secret.B_KEY}}"}},
            }
        }
    )
    assert secret_names({}, settings) == ["A_KEY", "B_KEY"]


def write_workspace(root: Path, server: dict[str, Any]) -> None:
    (root / "connectors").mkdir(parents=True, exist_ok=True)
    (root / "procedures").mkdir(exist_ok=True)
    (root / "scenarios").mkdir(exist_ok=True)
    (root / "workbench.json").write_bytes(dumps_pretty({"mcp_servers": {"orders": server}}))
    (root / "connectors" / "lookup.json").write_bytes(dumps_pretty(LOOKUP))
    (root / "connectors" / "basket.json").write_bytes(dumps_pretty(connector("Basket", {"total": 1})))
    (root / "procedures" / "p.json").write_bytes(dumps_pretty(procedure("P", STEP)))


async def test_a_live_mcp_run_recorded_as_a_scenario_replays_green_without_the_server(
    tmp_path: Path, shared_server: dict[str, Any]
) -> None:
    write_workspace(tmp_path, shared_server)
    ws = load_workspace(tmp_path)
    options = attributes("A-7")
    result = await run_procedure(ws, "P", ScriptedAgent(), options)
    assert result.error is None and result.messages == ["Lookup order Basket shipped"]
    path, scenario, notes = save_recording("pinned", ws, "P", options, result)
    assert notes == [] and scenario.mocks["Lookup order"].body["status"] == "shipped"
    write_workspace(tmp_path, {"command": "/nonexistent/never-started"})  # the replay must not need the server
    replayed = load_workspace(tmp_path)
    [case] = [case for case in collect_cases(replayed) if case.path == path]
    report = await ScenarioRunner(replayed).run(case)
    assert report.passed, report.explanation()
    assert json.loads(path.read_text())["expect"]["calls"] == ["Lookup order", "Basket"]
