"""Workspaces for the MCP tests: MCP connectors on the test server, beside an HTTP connector."""

from __future__ import annotations

import sys
from typing import Any

from tests.mcp.server import TOOLS

STDIO = {"command": sys.executable, "args": ["-m", "tests.mcp.server"]}


def stdio_server(**extra: Any) -> dict[str, Any]:
    """The test server as a stdio ``mcp_servers`` entry (run from the repository root, as pytest is)."""
    return {**STDIO, "timeout_s": 20, **extra}


def mcp_connector(name: str, tool: str, *, server: str = "orders", **fields: Any) -> dict[str, Any]:
    """An MCP connector of the test server's ``tool``."""
    data: dict[str, Any] = {"name": name, "mcp": {"server": server, "tool": tool}, "response": {"mode": "live"}}
    data.update(fields)
    return data


LOOKUP = mcp_connector(
    "Lookup order",
    "lookup_order",
    mcp={"server": "orders", "tool": "lookup_order", "input_schema": TOOLS[0].input_schema},
    inputs=[{"name": "order_id", "required": True, "source": "Conversation > order"}],
    response={
        "mode": "live",
        "example": {"body": {"id": "M-1", "status": "mocked", "customer": {"email": "mock@example.com"}}},
        "fields": [{"path": "customer > email", "redacted": True}],
        "mappings": [{"from": "status", "to": "Conversation > order_status"}],
    },
)
