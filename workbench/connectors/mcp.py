"""Calling MCP tools live with the official SDK (``mcp``): one client session per server per run, or per batch.

:class:`McpSessions` opens a session the first time a run calls one of a server's tools and keeps it for the
run; :meth:`McpSessions.aclose` ends them all (a stdio server's process is stopped: its stdin closed, then
terminated, then killed). Inside :func:`mcp_batch` (a batch of scenario runs) every run shares the batch's
sessions instead, and the batch ends them when it ends, however it ends. Each session lives in a task of its own, so the SDK's task groups are entered and
left in one task whichever task calls a tool or closes the run, and a cancelled run still stops its servers.
Every failure is a :class:`~workbench.connectors.errors.ConnectorError`: ``timeout``, ``network`` (cannot
connect, the server went away), ``request_configuration`` (cannot start the command), ``third_party_status``
(a JSON-RPC error, or the tool's own ``isError``) and ``response_mapping`` (a result that is not MCP).

The SDK (``mcp``, about a second to import) is imported where a server is first reached, not with this module:
every command and the app import the engine, and most never call an MCP tool.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TextIO, cast

from pydantic import ValidationError

from workbench import jsoncodec
from workbench.connectors.auth import Tokens, token_headers
from workbench.connectors.errors import ConnectorError
from workbench.connectors.response import ConnectorResponse, excerpt, too_large
from workbench.connectors.secrets import Masker
from workbench.connectors.templates import RenderedRequest, TemplateScope, checked_headers
from workbench.connectors.urls import render_url
from workbench.events import CallSite
from workbench.model import Connector, McpServer

if TYPE_CHECKING:
    import mcp_types as types
    from mcp import Client

STDERR_CHARS = 500
"""How much of a stdio server's last error output a failure quotes."""
MAX_PAGES = 1_000
"""``tools/list`` pages read at most (a server that keeps answering a cursor is cut off)."""


@dataclass(frozen=True)
class RenderedServer:
    """A server definition with its templates filled, and the secret values it holds (to be masked)."""

    name: str
    url: str | None
    headers: dict[str, str]
    command: str | None
    args: list[str]
    env: dict[str, str]
    cwd: str | None
    timeout_s: float
    start_timeout_s: float = 30
    secrets: frozenset[str] = frozenset()
    auth: str | None = None

    @property
    def label(self) -> str:
        """Where the server is: its URL or command line (not yet masked)."""
        return self.url if self.url is not None else " ".join([self.command or "", *self.args])


def render_server(name: str, server: McpServer, scope: TemplateScope) -> RenderedServer:
    """``server`` with its ``{{env.NAME}}`` and ``{{secret.NAME}}`` templates filled; raises ``ConnectorError``."""
    return RenderedServer(
        name=name,
        url=render_url(server.url, scope) if server.url is not None else None,
        headers=checked_headers(f"MCP server {name}", scope.pairs(server.headers)),
        command=scope.text(server.command) if server.command is not None else None,
        args=[scope.text(item) for item in server.args],
        env=scope.pairs(server.env),
        cwd=scope.text(server.cwd) if server.cwd is not None else None,
        timeout_s=server.timeout_s,
        start_timeout_s=server.start_timeout_s,
        secrets=frozenset(scope.used_secrets),
        auth=server.auth,
    )


async def with_token(server: RenderedServer, tokens: Tokens, *, where: CallSite | None = None) -> RenderedServer:
    """``server`` carrying its ``auth`` token in its headers, as an HTTP connector's request carries its own: the
    run's ``tokens`` fetch it (or give the cached value) and mask it. A server without ``auth`` is as it is.
    Raises :class:`ConnectorError` (``token_refresh``, ``request_configuration``)."""
    if server.auth is None:
        return server
    token = tokens.token(server.auth)
    issued = await tokens.current(server.auth, live=True, where=where)
    headers = checked_headers(f"MCP server {server.name}", token_headers(server.headers, token, issued.value))
    return replace(server, headers=headers, secrets=server.secrets | {issued.value})


def server_scope(
    name: str,
    environment: Mapping[str, str],
    environment_name: str | None,
    secrets: Mapping[str, str] | None,
) -> TemplateScope:
    """The template scope of an MCP server's definition (no inputs: only the environment and secrets)."""
    return TemplateScope.mcp_server(name, environment, environment_name, secrets)


def server_of(
    connector: Connector,
    servers: Mapping[str, McpServer],
    environment: Mapping[str, str],
    environment_name: str | None,
    secrets: Mapping[str, str] | None,
) -> RenderedServer:
    """The rendered server an MCP connector names. ``secrets`` ``None``: a mock answers, so secrets render as
    ``***`` and an undefined server is a stand-in; live, it is a ``request_configuration`` error."""
    assert connector.mcp is not None
    name = connector.mcp.server
    server = servers.get(name)
    if server is None and secrets is None:
        return RenderedServer(name, None, {}, None, [], {}, None, McpServer.model_fields["timeout_s"].default)
    if server is None:
        known = ", ".join(sorted(servers)) or "none in workbench.json"
        raise ConnectorError(
            "request_configuration",
            f"{connector.name} names the MCP server {name!r}, which is not defined (known: {known})",
        )
    return render_server(name, server, server_scope(name, environment, environment_name, secrets))


def tool_request(connector: Connector, server: RenderedServer, inputs: Mapping[str, Any]) -> RenderedRequest:
    """An MCP call as a request (``TOOL mcp://server/tool``, the arguments as its body), for the run log and the
    transports. An input the tool's schema says is an object or an array, given as JSON text, is sent parsed."""
    assert connector.mcp is not None
    properties = connector.mcp.input_schema.get("properties")
    arguments = {name: _structured(value, properties, name) for name, value in inputs.items()}
    url = f"mcp://{server.name}/{connector.mcp.tool}"
    return RenderedRequest("TOOL", url, {}, {}, arguments, server.timeout_s, server.secrets)


def _structured(value: Any, properties: Any, name: str) -> Any:
    """``value``, parsed from JSON text when the tool's schema says the argument is an object or an array."""
    schema = properties.get(name) if isinstance(properties, dict) else None
    wanted = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(value, str) and wanted in ("object", "array"):
        try:
            return jsoncodec.loads(value.encode())
        except jsoncodec.JsonValueError:
            return value
    return value


def tool_summary(connector: Connector, servers: Mapping[str, McpServer]) -> list[str]:
    """What the connector editor shows of an MCP connector: the tool, its server (where it is, or that it is not
    defined) and each argument its input schema declares (type, required, description)."""
    assert connector.mcp is not None
    mcp = connector.mcp
    server = servers.get(mcp.server)
    where = server.label if server is not None else "not defined in workbench.json's mcp_servers"
    lines = [f"MCP tool {mcp.tool} of server {mcp.server} ({where})"]
    properties = mcp.input_schema.get("properties")
    required = set(mcp.input_schema.get("required") or [])
    for name, spec in properties.items() if isinstance(properties, dict) else ():
        spec = spec if isinstance(spec, dict) else {}
        kind = spec.get("type", "any")
        description = f" — {spec['description']}" if spec.get("description") else ""
        lines.append(f"  {name}: {kind}{', required' if name in required else ''}{description}")
    if len(lines) == 1:
        lines.append("  (its input schema declares no arguments)")
    return lines


def tool_body(result: types.CallToolResult) -> Any:
    """What a tool answered: its structured content when given, else its text parsed as JSON when it parses,
    else the text."""
    if result.structured_content is not None:
        return result.structured_content
    text = tool_text(result)
    try:
        return jsoncodec.loads(text.encode())
    except jsoncodec.JsonValueError:
        return text


def tool_text(result: types.CallToolResult) -> str:
    """The text blocks of a result, joined (other blocks are named by their type)."""
    import mcp_types as types

    parts = [block.text if isinstance(block, types.TextContent) else f"[{block.type}]" for block in result.content]
    return "\n".join(parts)


def tool_response(
    tool: str, result: types.CallToolResult, *, elapsed_ms: float, limit: int, masker: Masker | None = None
) -> ConnectorResponse:
    """A successful tool result as a connector response (status 200); ``isError`` is a ``third_party_status``
    error quoting the tool's text, a result over ``limit`` bytes ``response_too_large``."""
    if result.is_error:
        shown = excerpt(tool_text(result).encode(), masker)
        raise ConnectorError("third_party_status", f"the tool {tool!r} answered an error (isError): {shown}")
    body = tool_body(result)
    raw = jsoncodec.dumps(body)
    if len(raw) > limit:
        raise too_large(limit, declared=len(raw))
    return ConnectorResponse(200, {}, body, len(raw), elapsed_ms, "live", raw)


def classify(error: BaseException, server: RenderedServer, stderr: str = "") -> ConnectorError:
    """The typed error for a failure talking to ``server`` (an exception group: its first leaf)."""
    import mcp_types as types
    from mcp import MCPError

    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    where = f"MCP server {server.name!r}"
    tail = f" (its error output ends: {stderr})" if stderr else ""
    if isinstance(error, ConnectorError):
        return error
    if isinstance(error, TimeoutError):
        return ConnectorError("timeout", f"{where} did not answer within {server.timeout_s:g}s")
    if isinstance(error, MCPError):
        if error.code == types.REQUEST_TIMEOUT:
            return ConnectorError("timeout", f"{where} did not answer within {server.timeout_s:g}s")
        if error.code == types.CONNECTION_CLOSED:
            return ConnectorError("network", f"{where} closed the connection{tail}")
        return ConnectorError("third_party_status", f"{where} answered error {error.code}: {error.message}")
    if isinstance(error, ValidationError):
        return ConnectorError(
            "response_mapping", f"{where} answered something that is not MCP: {error.error_count()} problems"
        )
    if isinstance(error, OSError) and server.command is not None and not server.url:
        return ConnectorError(
            "request_configuration", f"cannot start {where} ({server.command}): {error.strerror or error}"
        )
    detail = str(error) or type(error).__name__
    return ConnectorError("network", f"cannot reach {where} at {server.label}: {detail}{tail}")


def log_tail(log: TextIO) -> str:
    """The end of what a stdio server wrote to its error output, on one line."""
    with contextlib.suppress(OSError, ValueError):
        log.flush()
        log.seek(0)
        return " ".join(log.read().split())[-STDERR_CHARS:]
    return ""


def temporary_log() -> TextIO:
    """A temporary file for a stdio server's error output (kept off the terminal, quoted in failures)."""
    return cast(TextIO, tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace"))


@asynccontextmanager
async def connect(server: RenderedServer, errlog: TextIO | None = None) -> AsyncIterator[Client]:
    """An initialized SDK client of ``server`` (``errlog`` gets a stdio server's error output)."""
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    async with AsyncExitStack() as stack:
        if server.url is not None:
            http = await stack.enter_async_context(create_mcp_http_client(headers=server.headers))
            transport: Any = streamable_http_client(server.url, http_client=http)
        else:
            parameters = StdioServerParameters(
                command=server.command or "", args=server.args, env=server.env or None, cwd=server.cwd
            )
            log = errlog if errlog is not None else stack.enter_context(temporary_log())
            transport = stdio_client(parameters, errlog=log)
        client = Client(transport, mode="legacy", cache=None, read_timeout_seconds=server.timeout_s)
        yield await stack.enter_async_context(client)


async def list_tools(client: Client) -> list[types.Tool]:
    """Every tool the server lists, page after page."""
    tools: list[types.Tool] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = await client.list_tools(cursor=cursor)
        tools.extend(page.tools)
        cursor = page.next_cursor
        if not cursor:
            break
    return tools


@dataclass
class _Session:
    """One server's session, held open by its own task until :meth:`close`."""

    server: RenderedServer
    ready: asyncio.Future[Client] = field(init=False)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    errlog: TextIO = field(default_factory=lambda: temporary_log())
    failure: BaseException | None = None

    def __post_init__(self) -> None:
        self.ready = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._hold(), name=f"mcp-session-{self.server.name}")

    async def _hold(self) -> None:
        try:
            async with connect(self.server, self.errlog) as client:
                self.ready.set_result(client)
                await self.stop.wait()
        except BaseException as error:
            if not self.ready.done():
                self.ready.set_exception(error)
            self.failure = error
            if isinstance(error, (asyncio.CancelledError, KeyboardInterrupt, SystemExit)):
                raise

    @property
    def gone(self) -> bool:
        """Whether the server was up and has since gone away (crashed, closed): a later call starts it anew."""
        started = self.ready.done() and not self.ready.cancelled() and self.ready.exception() is None
        return started and self.task is not None and self.task.done()

    def stderr(self) -> str:
        """The end of a stdio server's error output, on one line."""
        return log_tail(self.errlog)

    async def client(self) -> Client:
        """The initialized client; raises :class:`ConnectorError` if the server cannot be reached in time."""
        limit = self.server.start_timeout_s
        try:
            async with asyncio.timeout(limit):
                return await asyncio.shield(self.ready)
        except TimeoutError:
            raise ConnectorError(
                "timeout", f"MCP server {self.server.name!r} did not finish starting within {limit:g}s"
            ) from None
        except asyncio.CancelledError:
            raise
        except BaseException as error:
            raise classify(error, self.server, self.stderr()) from None

    async def close(self) -> None:
        """End the session (and a stdio server's process), however it is going."""
        self.stop.set()
        task = self.task
        if task is not None and not task.done():
            if not self.ready.done():
                task.cancel()
            try:
                await asyncio.wait([task])  # the task's own failure was reported to its caller already
            except asyncio.CancelledError:  # this close is cancelled: still stop the server (bounded by the SDK)
                task.cancel()
                await asyncio.wait([task], timeout=10)
                raise
        if not self.ready.done():
            self.ready.cancel()
        elif not self.ready.cancelled():
            self.ready.exception()  # retrieved: no "never retrieved" warning
        self.errlog.close()


class McpSessions:
    """MCP sessions, one per server (as rendered: a batch's runs may render it differently), opened on first use:
    a run's, or a batch's (:func:`mcp_batch`). A session whose server went away after it had started is opened
    anew on the next call. Close with :meth:`aclose` (also when the run or the batch is cancelled)."""

    def __init__(self, max_bytes: int, *, masker: Masker | None = None) -> None:
        self.max_bytes = max_bytes
        self.masker = masker
        self._sessions: dict[tuple[Any, ...], _Session] = {}

    async def call(
        self, server: RenderedServer, tool: str, arguments: dict[str, Any], *, masker: Masker | None = None
    ) -> ConnectorResponse:
        """Call ``tool`` with ``arguments`` on ``server``; the call (and, the first time, connecting) must end
        within the server's ``timeout_s``. ``masker`` (default: the sessions' own) learns the server's secrets and
        masks what a failure quotes. Raises :class:`ConnectorError`."""
        masker = masker if masker is not None else self.masker
        if masker is not None:
            masker.add(server.secrets)
        key = _session_key(server)
        session = self._sessions.get(key)
        if session is not None and session.gone:
            await self._discard(key, session)
            session = None
        if session is None:
            session = self._sessions[key] = _Session(server)
        started = time.perf_counter()
        client = await session.client()
        try:
            async with asyncio.timeout(server.timeout_s):
                result = await client.call_tool(tool, arguments, read_timeout_seconds=server.timeout_s)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            failure = classify(error, server, session.stderr())
            if failure.reason == "network":  # the server went away: the next call starts it anew
                await self._discard(key, session)
            raise failure from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        return tool_response(tool, result, elapsed_ms=elapsed_ms, limit=self.max_bytes, masker=masker)

    async def _discard(self, key: tuple[Any, ...], session: _Session) -> None:
        """Forget a session whose server went away, and end it (once, whichever call noticed first)."""
        if self._sessions.get(key) is session:
            del self._sessions[key]
            await session.close()

    async def aclose(self) -> None:
        """End every session (stdio servers stop)."""
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            await session.close()


def _session_key(server: RenderedServer) -> tuple[Any, ...]:
    """What makes two renderings of a server the same server: its name and everything that reaches it."""
    return (
        server.name,
        server.url,
        tuple(sorted(server.headers.items())),
        server.command,
        tuple(server.args),
        tuple(sorted(server.env.items())),
        server.cwd,
    )


_batch: contextvars.ContextVar[McpSessions | None] = contextvars.ContextVar("mcp_batch", default=None)


def batch_sessions() -> McpSessions | None:
    """The sessions of the batch this task runs in (see :func:`mcp_batch`), if any."""
    return _batch.get()


@contextlib.asynccontextmanager
async def mcp_batch(max_bytes: int) -> AsyncIterator[McpSessions]:
    """A batch of runs (a scenario suite): the runs started inside share one session per server — a stdio server
    is started once for the batch — and every session ends when the batch does, however it ends."""
    sessions = McpSessions(max_bytes)
    token = _batch.set(sessions)
    try:
        yield sessions
    finally:
        _batch.reset(token)
        await sessions.aclose()


async def call_once(
    server: RenderedServer, tool: str, arguments: dict[str, Any], *, max_bytes: int, masker: Masker
) -> ConnectorResponse:
    """One tool call in a session of its own (a test call from the editor): the server is stopped after it."""
    sessions = McpSessions(max_bytes, masker=masker)
    try:
        return await sessions.call(server, tool, arguments)
    finally:
        await sessions.aclose()
