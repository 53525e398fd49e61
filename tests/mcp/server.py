"""A small MCP server for the tests, written with the SDK's low-level ``Server``.

Tools: ``lookup_order`` (an object, as structured content), ``list_items`` (an array, as JSON text),
``greet`` (plain text), ``fail`` (a tool error), ``slow`` (answers after ``seconds``), ``env_token`` (the
``ORDERS_TOKEN`` of its environment, to check masking), ``crash`` (the process exits). ``tools/list`` answers two tools a page.

``python -m tests.mcp.server`` serves it over stdio (appending its pid to ``$MCP_PID_FILE`` when set); :func:`http_server` over streamable HTTP on a free port.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import mcp_types as types
import uvicorn
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp.server.stdio import stdio_server

PAGE = 2
TOOLS = [
    types.Tool(
        name="lookup_order",
        description="Look an order up by its id.",
        input_schema={
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number"},
                "verbose": {"type": "boolean"},
            },
            "required": ["order_id"],
        },
    ),
    types.Tool(
        name="list_items",
        description="The items of a basket.",
        input_schema={"type": "object", "properties": {"limit": {"type": "integer"}}},
    ),
    types.Tool(name="greet", description="Say hello.", input_schema={"type": "object", "properties": {}}),
    types.Tool(name="fail", description="Always fails.", input_schema={"type": "object", "properties": {}}),
    types.Tool(
        name="slow",
        description="Answers after a while.",
        input_schema={"type": "object", "properties": {"seconds": {"type": "number"}}},
    ),
    types.Tool(name="env_token", description="Its token.", input_schema={"type": "object", "properties": {}}),
    types.Tool(name="crash", description="Ends the server.", input_schema={"type": "object", "properties": {}}),
]


async def list_tools(
    ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
) -> types.ListToolsResult:
    start = int(params.cursor) if params is not None and params.cursor else 0
    end = start + PAGE
    return types.ListToolsResult(tools=TOOLS[start:end], next_cursor=str(end) if end < len(TOOLS) else None)


def _text(value: Any) -> list[types.ContentBlock]:
    return [types.TextContent(text=value if isinstance(value, str) else json.dumps(value))]


async def call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> types.CallToolResult:
    arguments = params.arguments or {}
    if params.name == "lookup_order":
        order = {"id": arguments.get("order_id"), "status": "shipped", "customer": {"email": "ada@example.com"}}
        return types.CallToolResult(content=_text(order), structured_content=order)
    if params.name == "list_items":
        items = [{"sku": f"SKU-{number}"} for number in range(int(arguments.get("limit", 2)))]
        return types.CallToolResult(content=_text(items))
    if params.name == "greet":
        return types.CallToolResult(content=_text("hello there"))
    if params.name == "fail":
        return types.CallToolResult(content=_text("the order service is down"), is_error=True)
    if params.name == "slow":
        await anyio.sleep(float(arguments.get("seconds", 30)))
        return types.CallToolResult(content=_text({"done": True}))
    if params.name == "env_token":
        return types.CallToolResult(content=_text({"token": os.environ.get("ORDERS_TOKEN", "")}))
    if params.name == "crash":
        sys.stderr.write("the orders server crashed\n")
        sys.stderr.flush()
        os._exit(1)
    raise ValueError(f"unknown tool {params.name!r}")


def make_server() -> Server[Any]:
    """The test server."""
    return Server("test-orders", version="1.0", on_list_tools=list_tools, on_call_tool=call_tool)


def guarded(app: Any, header: str, value: str, seen: list[str]) -> Any:
    """``app`` answering 401 to a request whose ``header`` is not ``value``; ``seen`` gets each value sent."""
    wanted = header.lower().encode()

    async def guard(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            sent = dict(scope["headers"]).get(wanted, b"").decode("latin-1")
            seen.append(sent)
            if sent != value:
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b"unauthorized"})
                return
        await app(scope, receive, send)

    return guard


@contextmanager
def http_server(require: tuple[str, str] | None = None, seen: list[str] | None = None) -> Iterator[str]:
    """The test server over streamable HTTP on 127.0.0.1 (a free port), on a thread; yields its URL. With
    ``require`` (a header and its value) it answers 401 to requests without it, ``seen`` getting each value."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    app = make_server().streamable_http_app()
    if require is not None:
        app = guarded(app, *require, seen if seen is not None else [])
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="on"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


async def _stdio() -> None:
    pid_file = os.environ.get("MCP_PID_FILE")
    if pid_file:
        with open(pid_file, "a") as handle:
            handle.write(f"{os.getpid()}\n")
    server = make_server()
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


if __name__ == "__main__":
    anyio.run(_stdio)
