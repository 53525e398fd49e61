"""MCP connectors in runs: live over stdio and streamable HTTP, typed failures and ``on_error``, masking, one
session per server per run, and the stdio server stopped on every exit path (cancellation included)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.engine.build import Watcher, connector, procedure, workspace
from tests.events import first_payload
from tests.mcp.build import LOOKUP, mcp_connector, stdio_server
from tests.mcp.server import http_server
from tests.waiting import wait_until
from workbench.engine import Run, RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.events import RunError
from workbench.store import Workspace

SECRET = "mcp-secret-Qx81"
CALL_BOTH = {
    "id": "a",
    "type": "instruction",
    "text": "@call(Lookup order) @call(Basket) @read(Lookup order > status) @read(Basket > total)",
}


def mixed(server: dict[str, Any], *steps: dict[str, Any], tools: list[dict[str, Any]] | None = None) -> Workspace:
    return workspace(
        [*(tools or [LOOKUP]), connector("Basket", {"total": 12})],
        [procedure("P", *(steps or (CALL_BOTH,)))],
        {"mcp_servers": {"orders": server}},
    )


def options(**extra: Any) -> RunOptions:
    return RunOptions(attributes={"Conversation": {"order": "A-7"}}, **extra)


def text_of(result: RunResult) -> str:
    return b"\n".join(orjson.dumps(event.to_json()) for event in result.events).decode()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


async def test_a_tool_over_stdio_and_an_http_mock_in_one_run(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    ws = mixed(stdio_server(env={"MCP_PID_FILE": str(pid_file)}))
    result = await run_procedure(ws, "P", ScriptedAgent(), options())
    assert result.error is None, result.error
    assert result.messages == ["Lookup order Basket shipped 12"]
    called = next(event for event in result.events if event.type == "connector_called")
    assert (called.payload.method, called.payload.url, called.payload.mode) == (
        "TOOL",
        "mcp://orders/lookup_order",
        "live",
    )
    assert result.context.attributes["Conversation"]["order_status"] == "shipped"  # the mapping ran
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.body["customer"]["email"] == "***"  # the redacted field
    assert "ada@example.com" not in text_of(result)
    [pid] = pids(pid_file)
    assert not alive(pid)


async def test_array_and_text_results_and_one_session_per_server(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    tools = [
        mcp_connector("Items", "list_items", inputs=[{"name": "limit", "type": "integer", "default": 3}]),
        mcp_connector("Greet", "greet"),
    ]
    step = {"id": "a", "type": "instruction", "text": "@call(Items) @call(Greet) @read(Items) @read(Greet)"}
    ws = mixed(stdio_server(env={"MCP_PID_FILE": str(pid_file)}), step, tools=tools)
    result = await run_procedure(ws, "P", ScriptedAgent(), options())
    assert result.error is None, result.error
    bodies = [event.payload.body for event in result.events if event.type == "connector_responded"]
    assert bodies == [[{"sku": "SKU-0"}, {"sku": "SKU-1"}, {"sku": "SKU-2"}], "hello there"]
    assert len(pids(pid_file)) == 1  # both tools through one session


async def test_streamable_http_with_a_secret_header_masked() -> None:
    with http_server() as url:
        server = {"url": url, "headers": {"Authorization": "Bearer {{secret.ORDERS_KEY}}"}, "timeout_s": 10}
        result = await run_procedure(mixed(server), "P", ScriptedAgent(), options(secrets={"ORDERS_KEY": SECRET}))
    assert result.error is None, result.error
    assert result.messages == ["Lookup order Basket shipped 12"]


async def test_a_secret_in_the_stdio_environment_is_masked_in_the_response() -> None:
    tools = [mcp_connector("Token", "env_token")]
    step = {"id": "a", "type": "instruction", "text": "@call(Token) @read(Token > token)"}
    server = stdio_server(env={"ORDERS_TOKEN": "{{secret.ORDERS_KEY}}"})
    result = await run_procedure(
        mixed(server, step, tools=tools), "P", ScriptedAgent(), options(secrets={"ORDERS_KEY": SECRET})
    )
    assert result.error is None, result.error
    assert SECRET not in text_of(result)
    assert result.context.temporary["Token"]["token"] == SECRET


@pytest.mark.parametrize(
    ("tool", "timeout_s", "reason", "words"),
    [
        ("fail", None, "third_party_status", "isError): the order service is down"),
        ("missing_tool", None, "third_party_status", "unknown tool"),
        ("slow", 0.5, "timeout", "did not answer within 0.5s"),
        ("crash", 20, "network", "closed the connection (its error output ends: the orders server crashed)"),
    ],
)
async def test_failures_are_typed_and_take_on_error(
    tool: str, timeout_s: float | None, reason: str, words: str, shared_server: dict[str, Any]
) -> None:
    """A tool's error, an unknown tool (both from the shared server), a timeout and a server that crashes (each a
    stdio server of its own: one sleeps on, one exits) fail the call with their own reason, and ``on_error`` runs."""
    step = {
        "id": "a",
        "type": "instruction",
        "text": "@call(Broken)",
        "on_error": [{"id": "sorry", "type": "instruction", "text": "Sorry, orders are unavailable."}],
    }
    server = shared_server if timeout_s is None else stdio_server(timeout_s=timeout_s)
    ws = mixed(server, step, tools=[mcp_connector("Broken", tool)])
    result = await run_procedure(ws, "P", ScriptedAgent(), options())
    assert result.messages == ["Sorry, orders are unavailable."]
    error = first_payload(result.events, RunError)
    assert (error.reason, error.connector) == (reason, "Broken")
    assert words in error.message


async def test_a_server_that_cannot_start_or_be_reached_is_a_typed_failure() -> None:
    ws = mixed({"command": "/nonexistent/mcp-server"})
    result = await run_procedure(ws, "P", ScriptedAgent(), options())
    assert result.error is not None and result.error.reason == "request_configuration"
    assert "cannot start MCP server 'orders'" in result.error.message
    ws = mixed({"url": "http://127.0.0.1:9/mcp", "timeout_s": 5})
    result = await run_procedure(ws, "P", ScriptedAgent(), options())
    assert result.error is not None and result.error.reason == "network"


async def test_an_undefined_server_fails_live_but_mocks_still_answer() -> None:
    ws = workspace([LOOKUP], [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Lookup order)"})])
    result = await run_procedure(ws, "P", ScriptedAgent(), options())
    assert result.error is not None and result.error.reason == "request_configuration"
    assert "MCP server 'orders', which is not defined" in result.error.message
    result = await run_procedure(ws, "P", ScriptedAgent(), options(mode="example"))
    assert result.error is None and result.context.temporary["Lookup order"]["status"] == "mocked"


async def test_cancelling_a_run_stops_its_stdio_server(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    step = {"id": "a", "type": "instruction", "text": "@call(Slow)"}
    tools = [mcp_connector("Slow", "slow", inputs=[{"name": "seconds", "type": "number", "default": 60}])]
    ws = mixed(stdio_server(env={"MCP_PID_FILE": str(pid_file)}), step, tools=tools)
    watcher = Watcher()
    run = Run(ws, "P", ScriptedAgent(), options(), on_event=watcher)
    task = asyncio.create_task(run.run())
    await watcher.next("connector_called")
    await wait_until(lambda: pids(pid_file), timeout=20, what="the stdio server to write its pid")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [pid] = pids(pid_file)
    assert not alive(pid)
