"""``workbench mock serve``: a real HTTP server (aiohttp) answering each connector's route from its example or
dynamic rules through the engine's own mock logic (:func:`~workbench.connectors.choose_mock`,
:class:`~workbench.connectors.MockState`): status, headers, latency, sequences, state and faults.

It reads no file per request: routes and answers come from the workspace loaded in memory, reloaded when its
``workbench.json`` or ``connectors/*.json`` change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson
from aiohttp import web

from workbench.connectors import ConnectorError, MockState, body_bytes, response_headers
from workbench.mockserver.answer import take_mock
from workbench.mockserver.log import BatchedWriter, timestamp
from workbench.mockserver.mcp_tools import MCP_PATH, served_tools
from workbench.mockserver.records import ErrorRecord, LogRecord, MockMode, RequestRecord
from workbench.mockserver.routes import Route, RouteTable
from workbench.mockserver.tokens import token_connectors
from workbench.model import Connector
from workbench.outputs import open_output
from workbench.store import FOLDERS, SETTINGS_FILE, Workspace, load_workspace

if TYPE_CHECKING:
    from workbench.mockserver.mcp import McpEndpoint

MAX_BODY_BYTES = 1024 * 1024
"""Request bodies above this size are refused with HTTP 413."""
HOLD_S = 300.0
"""How long a ``timeout`` fault holds a connection (unless the client leaves first)."""
IDLE_TIMEOUT_S = 15.0
"""A connection that sends no complete request for this long is closed: idle keep-alives and slow headers."""
BACKLOG = 1024
"""How many new connections wait to be accepted while the server is busy. With aiohttp's 128, the rest of a burst
of clients (a load test's) is dropped and retried a second later, by the system (capped at its ``somaxconn``)."""
RELOAD_INTERVAL_S = 0.5
ERROR_INTERVAL_S = 1.0
"""At most one line a second reports the server's own errors (malformed requests, no descriptors left)."""
_ERROR_LOGGERS = ("aiohttp.server", "aiohttp.web", "aiohttp.access", "asyncio")
SHUTDOWN_TIMEOUT_S = 1.0
_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"})


class ServeError(Exception):
    """The server cannot start (unknown connector, address in use, ...): reported in one line."""


@dataclass
class Served:
    """What the server answers from: the workspace's routes, its MCP connectors by tool name, the mock state, the
    load problems and the environment whose URLs place the routes (``None``: none is in use, the routes have an
    empty base URL)."""

    table: RouteTable
    state: MockState = field(default_factory=MockState)
    problems: list[str] = field(default_factory=list)
    tools: dict[str, Connector] = field(default_factory=dict)
    environment: str | None = None


def serve_workspace(workspace: Workspace, names: Sequence[str] = (), environment: str | None = None) -> Served:
    """The routes of the workspace's connectors (only ``names`` when given) and of its token endpoints, under
    ``environment`` (default: the environment in use, :meth:`WorkspaceSettings.environment_name`; when none is
    in use the routes have an empty base URL: their paths are the connectors' URLs without ``{{env.*}}`` values).

    Raises :class:`ServeError` for a name that is not a loaded connector or an unknown environment."""
    connectors = workspace.connector_models()
    unknown = [name for name in names if name not in connectors]
    if unknown:
        known = ", ".join(sorted(connectors)) or "none"
        raise ServeError(f"unknown connector {', '.join(map(repr, unknown))} (known: {known})")
    settings = workspace.settings.model
    problem = settings.unknown_environment(environment)
    if problem is not None:
        raise ServeError(problem)
    name = settings.environment_name(environment)
    chosen = [connectors[name] for name in names] if names else list(connectors.values())
    chosen += token_connectors(settings.tokens)
    tools, clashes = served_tools(chosen)
    values = settings.environments[name] if name is not None else {}
    table = RouteTable([item for item in chosen if not item.is_mcp], values)
    return Served(table, problems=[*map(str, workspace.problems), *clashes], tools=tools, environment=name)


def served_mode(connector: Connector, override: MockMode | None) -> MockMode:
    """How the server answers a connector: the mode asked for the whole server, else the connector's own
    (``live`` connectors answer from their example)."""
    if override is not None:
        return override
    return "dynamic" if connector.response.mode == "dynamic" else "example"


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """The (name, mtime, size) of every file the server answers from: cheap to compare for reloading."""
    files = [root / SETTINGS_FILE, *sorted((root / FOLDERS["connector"]).glob("*.json"))]
    result = []
    for path in files:
        with contextlib.suppress(OSError):
            stat = path.stat()
            result.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(result)


class MockServer:
    """Serves a workspace's connectors over HTTP until :meth:`stop`. ``on_log`` hears every log record (a
    request, a reload); ``log_file`` gets them as JSON lines. ``mode`` answers every connector from its example
    or from its dynamic rules (default: each connector's own mode); ``environment`` places the routes under that
    environment's URLs (default: the workspace's environment in use); ``mcp`` also serves the MCP connectors as
    an MCP server at ``/mcp`` (see :mod:`workbench.mockserver.mcp`)."""

    def __init__(
        self,
        root: Path | str,
        *,
        connectors: Sequence[str] = (),
        on_log: Callable[[LogRecord], None] | None = None,
        log_file: Path | str | None = None,
        mode: MockMode | None = None,
        environment: str | None = None,
        reload_interval: float = RELOAD_INTERVAL_S,
        hold_s: float = HOLD_S,
        idle_timeout: float = IDLE_TIMEOUT_S,
        mcp: bool = False,
    ) -> None:
        self.root = Path(root)
        self.mcp = mcp
        self._endpoint: McpEndpoint | None = None
        self.names = list(connectors)
        self.on_log = on_log
        self.log_path = Path(log_file) if log_file else None
        self.mode = mode
        self.environment = environment
        self.reload_interval = reload_interval
        self.hold_s = hold_s
        self.idle_timeout = idle_timeout
        self.served = serve_workspace(load_workspace(self.root), self.names, environment)
        self.port = 0
        self.host = ""
        self._log_handle: BinaryIO | None = None
        self._log_writer: BatchedWriter | None = None
        self._runner: web.ServerRunner | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._fingerprint = _fingerprint(self.root)
        self._errors = ErrorLines(self._log)

    @property
    def url(self) -> str:
        """The base URL the server listens on."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 8787) -> None:
        """Listen on ``host:port`` (port 0: a free one, then in :attr:`port`); raises :class:`ServeError`."""
        if self.log_path is not None:
            try:
                self._log_handle = open_output(self.log_path)
                self._log_writer = BatchedWriter(self._log_handle)
            except OSError as error:
                raise ServeError(f"--log {self.log_path}: cannot write it: {error.strerror or error}") from None
        for name in _ERROR_LOGGERS:
            logging.getLogger(name).addHandler(self._errors)
        server = web.Server(
            self._handle, handler_cancellation=True, access_log=None, keepalive_timeout=self.idle_timeout
        )
        runner = web.ServerRunner(server, shutdown_timeout=SHUTDOWN_TIMEOUT_S)
        await runner.setup()
        site = web.TCPSite(runner, host, port, reuse_address=True, backlog=BACKLOG)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            self._quiet_errors_off()
            raise ServeError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        self._runner = runner
        self.host, self.port = host, runner.addresses[0][1]
        if self.mcp:
            from workbench.mockserver.mcp import McpEndpoint  # the MCP SDK (a second to import) only for --mcp

            self._endpoint = McpEndpoint(
                lambda: self.served.tools,
                lambda: self.served.state,
                mode=lambda connector: served_mode(connector, self.mode),
                log=self._log,
                hold_s=self.hold_s,
                host=host,
            )
            await self._endpoint.start()
        self._watcher = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        """Stop listening, end held connections and close the log file."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        if self._endpoint is not None:
            endpoint, self._endpoint = self._endpoint, None
            await endpoint.stop()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        self._quiet_errors_off()
        if self._log_writer is not None:
            self._log_writer.flush()
            self._log_writer = None
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def _quiet_errors_off(self) -> None:
        for name in _ERROR_LOGGERS:
            logging.getLogger(name).removeHandler(self._errors)

    def reset(self) -> None:
        """Start every sequence over and clear the state flags."""
        self.served.state = MockState()

    async def reload(self) -> None:
        """Load the workspace again and serve it (fresh sequences and state); keeps the old routes if it fails."""
        try:
            workspace = await asyncio.to_thread(load_workspace, self.root)
            self.served = serve_workspace(workspace, self.names, self.environment)
        except Exception as error:  # a vanished folder or a connector no longer there: keep serving the old
            self._log({"time": "", "event": "reload_failed", "error": str(error)})
            return
        routes = len(self.served.table.routes)
        self._log({"time": "", "event": "reloaded", "routes": routes, "problems": self.served.problems})

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.reload_interval)
            current = await asyncio.to_thread(_fingerprint, self.root)
            if current != self._fingerprint:
                self._fingerprint = current
                await self.reload()

    def _log(self, record: LogRecord) -> None:
        """Stamp ``record``'s time (its first key) and give it to ``on_log`` and the ``--log`` file."""
        if self.on_log is None and self._log_writer is None:
            return
        record["time"] = timestamp()
        if self.on_log is not None:
            self.on_log(record)
        if self._log_writer is not None:
            self._log_writer.write(_json_line(record))

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        started = time.perf_counter()
        entry: RequestRecord = {"time": "", "event": "request", "method": request.method, "path": request.raw_path}
        try:
            response = await self._answer(request, entry)
            entry["status"] = response.status
            return response
        except asyncio.CancelledError:
            entry.setdefault("note", "the client left before the response")
            entry["status"] = None
            raise
        finally:
            entry["ms"] = round((time.perf_counter() - started) * 1000, 1)
            self._log(entry)

    @property
    def mcp_url(self) -> str:
        """Where the MCP connectors are served (with ``mcp``)."""
        return self.url + MCP_PATH

    async def _answer(self, request: web.BaseRequest, entry: RequestRecord) -> web.StreamResponse:
        if self._endpoint is not None and request.rel_url.path == MCP_PATH:
            entry["connector"] = "MCP"
            return await self._endpoint.handle(request)
        served = self.served
        route, path_values, allowed = served.table.find(request.method, request.rel_url.raw_path)
        if route is None:
            if allowed:
                return _json_error(
                    405, f"{request.method} is not served on this path", {"allowed": allowed}, allow=allowed
                )
            return _json_error(
                404, f"no connector answers {request.method} {request.rel_url.path}", {"routes": served.table.listing()}
            )
        entry["connector"] = route.connector.name
        body = None
        if route.reads_body and request.body_exists:
            body, problem = await _json_body(request)
            if problem is not None:
                return problem
        inputs = route.inputs(path_values, request.query if route.query else {}, request.headers, body)
        entry["inputs"] = inputs
        return await self._mock(route, inputs, served.state, request, entry)

    async def _mock(
        self, route: Route, inputs: dict[str, Any], state: MockState, request: web.BaseRequest, entry: RequestRecord
    ) -> web.StreamResponse:
        connector = route.connector
        mode = served_mode(connector, self.mode)
        entry["mode"] = mode
        try:
            mock = await take_mock(connector, inputs, state, dynamic=mode == "dynamic", entry=entry, hold_s=self.hold_s)
        except ConnectorError as error:
            return _json_error(500, error.message)
        if mock.fault in ("timeout", "disconnect"):
            entry["note"] = "closed the connection without a response"
            _drop(request)
            raise asyncio.CancelledError
        headers = {key: value for key, value in response_headers(mock).items() if key.lower() not in _HOP_BY_HOP}
        try:
            return web.Response(status=mock.status, body=body_bytes(mock), headers=headers)
        except ValueError as error:  # a header value with a line break, a status aiohttp refuses
            return _json_error(500, f"the mock of {connector.name!r} cannot be sent: {error}")


def _json_line(record: LogRecord) -> bytes:
    """A log record as one JSON line; inputs too deep (or odd) for JSON are replaced by a note saying so."""
    option = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
    try:
        return orjson.dumps(record, option=option)
    except (orjson.JSONEncodeError, TypeError) as error:
        kept = {key: value for key, value in record.items() if key != "inputs"}
        return orjson.dumps({**kept, "inputs": f"not logged: {error}"}, option=option, default=str)


class ErrorLines(logging.Handler):
    """Reports what the server's libraries log (a malformed request, ``accept()`` out of descriptors) as one
    ``error`` record without traceback, at most one per :data:`ERROR_INTERVAL_S`, counting those left out."""

    def __init__(self, log: Callable[[LogRecord], None], interval: float = ERROR_INTERVAL_S) -> None:
        super().__init__(logging.WARNING)
        self._log = log
        self._interval = interval
        self._last = -interval
        self._left_out = 0

    def emit(self, record: logging.LogRecord) -> None:
        """Log one line for ``record``, unless one was logged within the interval."""
        now = time.monotonic()
        if now - self._last < self._interval:
            self._left_out += 1
            return
        self._last = now
        text = record.getMessage().splitlines()[0] if record.getMessage() else record.name
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            detail = " ".join(str(error).split())
            text += f": {type(error).__name__}" + (f": {detail}" if detail else "")
        entry: ErrorRecord = {"time": "", "event": "error", "error": _printable(text)[:300]}
        if self._left_out:
            entry["left_out"], self._left_out = self._left_out, 0
        self._log(entry)


def _printable(text: str) -> str:
    """``text`` with control characters spelled as escapes."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _drop(request: web.BaseRequest) -> None:
    """Close the connection without a response (the ``disconnect`` fault, or a held ``timeout``)."""
    transport = request.transport
    if transport is not None:
        transport.abort()


async def _json_body(request: web.BaseRequest) -> tuple[Any, web.Response | None]:
    """The request's JSON body, or the error response saying why it cannot be read."""
    too_large = _json_error(413, f"the request body exceeds {MAX_BODY_BYTES:,} bytes")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return None, too_large
    try:
        raw = await request.read()  # refuses bodies over the request's client_max_size (1 MiB) while reading
    except web.HTTPRequestEntityTooLarge:
        return None, too_large
    if not raw.strip():
        return None, None
    try:
        return orjson.loads(raw), None
    except orjson.JSONDecodeError as error:
        return None, _json_error(400, f"the request body is not JSON: {error.msg} at char {error.pos}")


def _json_error(
    status: int, message: str, extra: dict[str, Any] | None = None, *, allow: list[str] | None = None
) -> web.Response:
    headers = {"Allow": ", ".join(allow)} if allow else None
    return web.Response(
        status=status,
        body=orjson.dumps({"error": message, **(extra or {})}),
        content_type="application/json",
        headers=headers,
    )
