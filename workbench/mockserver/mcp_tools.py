"""What the mock server serves over MCP with ``--mcp``, without the MCP SDK: its path and the connectors by tool
name. The server itself (:mod:`workbench.mockserver.mcp`) is imported only when ``--mcp`` starts it."""

from __future__ import annotations

from workbench.model import Connector

MCP_PATH = "/mcp"


def served_tools(connectors: list[Connector]) -> tuple[dict[str, Connector], list[str]]:
    """The MCP connectors by tool name, and a problem for each tool name two connectors share (the first wins)."""
    tools: dict[str, Connector] = {}
    problems = []
    for connector in connectors:
        if connector.mcp is None:
            continue
        tool = connector.mcp.tool
        if tool in tools:
            problems.append(
                f"{connector.name!r} and {tools[tool].name!r} both call the tool {tool!r}: --mcp serves the first"
            )
            continue
        tools[tool] = connector
    return tools, problems
