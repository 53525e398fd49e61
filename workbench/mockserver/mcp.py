"""``workbench mock serve --mcp``: the workspace's MCP connectors as a real MCP server (the SDK's low-level
``Server`` over streamable HTTP, at ``/mcp`` of the mock server's own port), answering ``initialize``,
``tools/list`` (each connector's tool with its input schema) and ``tools/call`` from the connectors' mocks through
the engine's mock logic (:func:`~workbench.connectors.choose_mock`, the server's one
:class:`~workbench.connectors.MockState`): latency, sequences, state and faults.

A mock's body answers as structured content (an object) and as JSON text; ``body_text`` as text; a status of 400
or more as a tool error (``isError``); ``malformed_json`` and ``empty_body`` as that text; ``disconnect`` as a
JSON-RPC error; ``timeout`` holds the call.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

import mcp_types as types
from aiohttp import web
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError

from workbench.connectors import ConnectorError, MockState, body_bytes
from workbench.mockserver.answer import take_mock
from workbench.mockserver.mcp_tools import MCP_PATH
from workbench.mockserver.records import LogRecord, MockMode, RequestRecord
from workbench.model import Connector, MockResponse


def tool_of(connector: Connector) -> types.Tool:
    """The tool a connector stands for: its name, description and input schema (built from the inputs when the
    connector keeps none)."""
    assert connector.mcp is not None
    schema = connector.mcp.input_schema or {
        "type": "object",
        "properties": {item.name: {"type": item.type, "description": item.description} for item in connector.inputs},
        "required": [item.name for item in connector.inputs if item.required],
    }
    return types.Tool(name=connector.mcp.tool, description=connector.description or None, input_schema=schema)


def tool_result(mock: MockResponse) -> types.CallToolResult:
    """A mock as a tool's result (see the module docstring)."""
    text = body_bytes(mock).decode("utf-8", errors="replace")
    content: list[types.ContentBlock] = [types.TextContent(text=text)] if text else []
    if mock.status >= 400:
        return types.CallToolResult(content=content or [types.TextContent(text=f"status {mock.status}")], is_error=True)
    structured = mock.body if mock.fault is None and mock.body_text is None and isinstance(mock.body, dict) else None
    return types.CallToolResult(content=content, structured_content=structured)


class McpEndpoint:
    """The MCP server of a mock server: ``tools`` gives the connectors served by tool name, ``state`` the mock
    state, ``mode`` the mode asked for, ``log`` hears one record a call. Mount :meth:`handle` at ``/mcp``."""

    def __init__(
        self,
        tools: Callable[[], Mapping[str, Connector]],
        state: Callable[[], MockState],
        *,
        mode: Callable[[Connector], MockMode],
        log: Callable[[LogRecord], None],
        hold_s: float,
        host: str,
    ) -> None:
        self.tools, self.state, self.mode, self.log, self.hold_s = tools, state, mode, log, hold_s
        self.server: Server[Any] = Server(
            "workbench-mock", version="1", on_list_tools=self._list_tools, on_call_tool=self._call_tool
        )
        self.app = self.server.streamable_http_app(streamable_http_path=MCP_PATH, host=host)
        self._stop = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run the SDK's session manager (in a task of its own, which owns its task group)."""
        ready = asyncio.Event()

        async def run() -> None:
            async with self.server.session_manager.run():
                ready.set()
                await self._stop.wait()

        self._runner = asyncio.create_task(run(), name="mcp-mock-sessions")
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait([waiter, self._runner], return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if self._runner.done():
            self._runner.result()

    async def stop(self) -> None:
        """End every MCP session."""
        self._stop.set()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(runner, 5)

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[tool_of(connector) for connector in self.tools().values()])

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        started = time.perf_counter()
        entry: RequestRecord = {"time": "", "event": "request", "method": "MCP", "path": f"tools/call {params.name}"}
        try:
            result = await self._answer(params.name, dict(params.arguments or {}), entry)
            entry["status"] = 500 if result.is_error else 200
            return result
        finally:
            entry["ms"] = round((time.perf_counter() - started) * 1000, 1)
            self.log(entry)

    async def _answer(self, name: str, inputs: dict[str, Any], entry: RequestRecord) -> types.CallToolResult:
        connector = self.tools().get(name)
        if connector is None:
            raise MCPError(types.INVALID_PARAMS, f"no connector serves the tool {name!r}")
        entry["connector"], entry["inputs"] = connector.name, inputs
        mode = self.mode(connector)
        entry["mode"] = mode
        try:
            mock = await take_mock(
                connector, inputs, self.state(), dynamic=mode == "dynamic", entry=entry, hold_s=self.hold_s
            )
        except ConnectorError as error:
            return types.CallToolResult(content=[types.TextContent(text=error.message)], is_error=True)
        if mock.fault in ("timeout", "disconnect"):
            raise MCPError(types.INTERNAL_ERROR, f"the mock of {connector.name!r} failed ({mock.fault}, simulated)")
        return tool_result(mock)

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer one HTTP request to ``/mcp`` through the SDK's ASGI app."""
        return await asgi(self.app, request)


_LEFT_RUNNING: set[asyncio.Task[None]] = set()
"""ASGI calls whose client left: they finish on their own (an MCP session outlives the request that opened it)."""


async def asgi(app: Callable[..., Coroutine[Any, Any, None]], request: web.BaseRequest) -> web.StreamResponse:
    """Run an ASGI application for one aiohttp request, streaming its answer (server-sent events included).

    The application runs in a task of its own: a client that reads its answer and leaves (aiohttp then cancels
    the handler) is told as ``http.disconnect`` instead of cancelling the application mid-way."""
    body = await request.read()
    sent_body = False
    left = asyncio.Event()
    response: web.StreamResponse | None = None

    async def receive() -> dict[str, Any]:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal response
        if left.is_set():
            return
        try:
            if message["type"] == "http.response.start":
                response = web.StreamResponse(status=message["status"])
                for key, value in message.get("headers", []):
                    if key.lower() not in (b"content-length", b"transfer-encoding"):
                        response.headers.add(key.decode("latin-1"), value.decode("latin-1"))
                await response.prepare(request)
            elif message["type"] == "http.response.body" and response is not None:
                chunk = message.get("body", b"")
                if chunk:
                    await response.write(chunk)
                if not message.get("more_body", False):
                    await response.write_eof()
        except (ConnectionError, RuntimeError):  # the client left while the answer was written
            left.set()

    peer = request.transport.get_extra_info("peername") if request.transport is not None else None
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": f"{request.version.major}.{request.version.minor}",
        "method": request.method,
        "scheme": request.scheme,
        "path": request.path,
        "raw_path": request.raw_path.split("?", 1)[0].encode(),
        "root_path": "",
        "query_string": request.query_string.encode(),
        "headers": [(key.lower().encode("latin-1"), value.encode("latin-1")) for key, value in request.headers.items()],
        "client": tuple(peer[:2]) if peer else None,
        "server": (request.url.host or "127.0.0.1", request.url.port or 80),
        "state": {},
    }
    task = asyncio.create_task(app(scope, receive, send))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        left.set()
        if not task.done():
            _LEFT_RUNNING.add(task)
            task.add_done_callback(_LEFT_RUNNING.discard)
        raise
    if response is None:
        return web.Response(status=500, text="the MCP endpoint sent no response")
    return response
