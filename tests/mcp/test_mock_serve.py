"""``workbench mock serve --mcp``: a real SDK client lists the MCP connectors' tools and calls them, answered
from their mocks (examples, dynamic rules, sequences, state, tool errors, faults), beside the HTTP routes."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import httpx
import pytest
from mcp import Client, MCPError

from tests.conftest import interruptible
from tests.mcp.build import LOOKUP, mcp_connector
from tests.mockserver.helpers import LogQueue, item, running, write_workspace

CANCEL = mcp_connector(
    "Cancel order",
    "cancel_order",
    response={"mode": "example", "example": {"body": {"ok": True}, "set_state": {"cancelled": True}}},
)
STATUS = mcp_connector(
    "Order status",
    "order_status",
    inputs=[{"name": "order_id", "required": True}],
    response={
        "mode": "dynamic",
        "example": {"body": {"status": "open"}, "then": [{"body": {"status": "packed"}}]},
        "rules": [
            {"when_state": {"cancelled": True}, "response": {"body": {"status": "cancelled"}}},
            {
                "when": [{"input": "order_id", "op": "equals", "value": "BAD"}],
                "response": {"status": 404, "body": {"error": "no such order"}},
            },
        ],
    },
)
BROKEN = mcp_connector("Broken", "broken", response={"mode": "example", "example": {"fault": "disconnect"}})
BASKET = item("Basket", "GET", "/basket", {"mode": "example", "example": {"body": {"total": 3}}})


def desk(root: Path) -> Path:
    settings = {
        "mcp_servers": {"orders": {"url": "http://127.0.0.1:1/mcp"}},
        "environments": {"local": {"base_url": ""}},
    }
    return write_workspace(root, LOOKUP, CANCEL, STATUS, BROKEN, BASKET, settings=settings)


async def test_a_real_client_lists_and_calls_the_mocked_tools(tmp_path: Path) -> None:
    log = LogQueue()
    async with running(desk(tmp_path), mcp=True, on_log=log) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            assert (await http.get("/basket")).json() == {"total": 3}  # the HTTP routes still answer
        async with Client(server.mcp_url, mode="legacy", cache=None) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            assert sorted(tools) == ["broken", "cancel_order", "lookup_order", "order_status"]
            assert tools["order_status"].input_schema["required"] == ["order_id"]
            lookup = await client.call_tool("lookup_order", {"order_id": "A-1"})
            assert lookup.structured_content == {
                "id": "M-1",
                "status": "mocked",
                "customer": {"email": "mock@example.com"},
            }
            first = await client.call_tool("order_status", {"order_id": "A-1"})
            second = await client.call_tool("order_status", {"order_id": "A-1"})
            assert [first.structured_content, second.structured_content] == [{"status": "open"}, {"status": "packed"}]
            missing = await client.call_tool("order_status", {"order_id": "BAD"})
            assert missing.is_error and "no such order" in missing.content[0].text
            await client.call_tool("cancel_order", {})
            after = await client.call_tool("order_status", {"order_id": "A-1"})
            assert after.structured_content == {"status": "cancelled"}
            with pytest.raises(MCPError, match="disconnect, simulated"):
                await client.call_tool("broken", {})
        calls = [record for record in log.requests() if record["method"] == "MCP"]
        assert calls[0]["connector"] == "Lookup order" and calls[0]["status"] == 200


async def test_mock_serve_mcp_from_the_command_line(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR")}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "mock", "serve", str(desk(tmp_path)), "--mcp", "--port", "0",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, preexec_fn=interruptible,
    )  # fmt: skip
    assert child.stdout is not None
    lines = []
    async with asyncio.timeout(60):
        while True:
            line = (await child.stdout.readline()).decode()
            assert line, "the server ended before serving"
            lines.append(line)
            found = re.search(r"MCP server on (http://127\.0\.0\.1:\d+/mcp)", line)
            if found:
                url = found.group(1)
                break
    async with Client(url, mode="legacy", cache=None) as client:
        result = await client.call_tool("lookup_order", {"order_id": "A-1"})
    assert result.structured_content is not None and result.structured_content["status"] == "mocked"
    child.send_signal(signal.SIGINT)
    async with asyncio.timeout(30):
        out, err = await child.communicate()
    text = "".join(lines) + out.decode()
    assert child.returncode == 0, err
    assert "GET    /basket  -> Basket" in text and "tool   lookup_order  -> Lookup order" in text
    assert "mcp://" not in text  # MCP connectors are no HTTP routes
