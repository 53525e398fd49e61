"""Calling a connector during a run: inputs, transport (live, example, dynamic, scenario mock), transform,
reuse of an earlier identical call, and the events that tell it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from workbench import fields, jsoncodec
from workbench.attributes import flatten_values, value_type
from workbench.connectors import (
    MASK,
    ConnectorError,
    ConnectorResponse,
    LiveTransport,
    MockChoice,
    MockState,
    Source,
    TemplateScope,
    choose_mock,
    offload,
    render_request,
    serve,
)
from workbench.connectors.auth import IssuedToken, Tokens, hops, send_authorized
from workbench.connectors.mcp import (
    McpSessions,
    RenderedServer,
    batch_sessions,
    server_of,
    tool_request,
    with_token,
)
from workbench.connectors.templates import RenderedRequest
from workbench.engine.agent import InputRequest
from workbench.engine.context import ProcedureContext, StoredCall, call_key
from workbench.engine.failure import StepFailure
from workbench.engine.options import RunOptions
from workbench.engine.recorder import Recorder
from workbench.engine.values import coerce, display
from workbench.events import (
    AttributesAvailable,
    CallSite,
    ConnectorCalled,
    ConnectorResponded,
    RunWarning,
)
from workbench.mentions import join_path, normalize_path, split_path, suggest
from workbench.model import BUILTIN_NAMESPACES, AnyToken, Connector, Limits, McpServer, MockResponse
from workbench.sandbox import SandboxError, SandboxLimits, transform_async

Ask = Callable[[InputRequest], Awaitable[Any]]


class ConnectorCaller:
    """Calls connectors for one run and keeps their responses in the run's context. Close with :meth:`aclose`."""

    def __init__(
        self,
        connectors: Mapping[str, Connector],
        *,
        options: RunOptions,
        environment: Mapping[str, str],
        environment_name: str | None,
        limits: Limits,
        context: ProcedureContext,
        recorder: Recorder,
        ask: Ask,
        secrets: Mapping[str, str],
        tokens: Mapping[str, AnyToken] | None = None,
        mcp_servers: Mapping[str, McpServer] | None = None,
    ) -> None:
        self.connectors = connectors
        self.options = options
        self.environment = environment
        self.environment_name = environment_name
        self.limits = limits
        self.context = context
        self.recorder = recorder
        self.ask = ask
        self.secrets = secrets
        self.live = LiveTransport(limits.max_response_bytes, masker=recorder.masker)
        self.mcp_servers = mcp_servers or {}
        shared = batch_sessions()
        self.mcp = shared if shared is not None else McpSessions(limits.max_response_bytes, masker=recorder.masker)
        self._own_mcp = shared is None
        self.mock_state = MockState()
        self.tokens = Tokens(
            tokens or {},
            environment=environment,
            environment_name=environment_name,
            secrets=secrets,
            masker=recorder.masker,
            transport=self.live,
            emit=recorder.emit,
            stale=options.stale_tokens,
        )
        self.sandbox_limits = SandboxLimits.of(limits)

    async def aclose(self) -> None:
        """Close the live HTTP client and end the run's MCP sessions (stdio servers stop); a batch's sessions are
        the batch's to end."""
        try:
            await self.live.aclose()
        finally:
            if self._own_mcp:
                await self.mcp.aclose()

    async def call(self, procedure: str, step_id: str, name: str) -> None:
        """Call connector ``name`` for a step; raises :class:`StepFailure` when it cannot be called or fails."""
        connector = self.connectors.get(name)
        if connector is None:
            hint = suggest(name, self.connectors)
            raise StepFailure(
                "procedure", f"unknown connector {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
            )
        if name in self.options.blocked:
            # no ``connector``: an ``on_error`` branch must not absorb it, the run fails
            raise StepFailure("blocked", f"{name} is blocked in this simulation (simulation.connectors): not called")
        inputs = await self._inputs(procedure, step_id, connector)
        try:
            source, choice, scope = self._plan(connector, inputs)
            request = (
                tool_request(connector, self._mcp_server(connector, live=choice is None), inputs)
                if connector.is_mcp
                else render_request(connector, scope)
            )
            if connector.auth:
                self.tokens.token(connector.auth)
        except ConnectorError as error:
            raise self._failure(connector, error) from None
        self.recorder.masker.add(request.secrets)
        where = CallSite(procedure, step_id, name)
        self.recorder.emit(
            ConnectorCalled(
                procedure=procedure,
                step=step_id,
                connector=name,
                method=request.method,
                url=request.display_url,
                inputs=inputs,
                mode=source,
                rule=None if choice is None else choice.rule,
            )
        )
        key = call_key(inputs)
        stored = self.context.recall(name, key)
        if stored is not None:
            self.recorder.emit(
                RunWarning(
                    procedure=procedure,
                    step=step_id,
                    code="connector_reused",
                    message=f"{name} was already called with these inputs in this run: reusing its response",
                )
            )
            self.context.store(name, key, stored)
            await self._announce(connector, where, stored.response, stored.value, "cache", elapsed_ms=0.0)
            return
        try:
            mock = None if choice is None else self.mock_state.take(choice, scope)
            response = await self._send(connector, request, mock, source, where)
            value = await self._transform(connector, response)
        except ConnectorError as error:
            raise self._failure(connector, error) from None
        self._declared_fields(connector, value, where)
        self.context.store(name, key, StoredCall(response, value))
        await self._announce(connector, where, response, value, source, elapsed_ms=response.elapsed_ms)
        self._map(connector, value, where)

    def _declared_fields(self, connector: Connector, value: Any, where: CallSite) -> None:
        """Warn about values that do not fit their declared type; remember which attributes are redacted (their
        text joins the run's masker, so it never shows, wherever it is repeated)."""
        self.context.redacted.update(fields.redacted_paths(connector))
        self.recorder.masker.add(fields.redacted_texts(connector, value))
        for field, found in fields.mismatches(connector, value):
            shown = MASK if field.redacted else display(found)
            self.recorder.emit(
                RunWarning(
                    procedure=where.procedure,
                    step=where.step,
                    code="response_mapping",
                    connector=connector.name,
                    field=field.path,
                    message=f"{connector.name} > {field.path}: declared {field.type}, "
                    f"the response has {value_type(found)} {shown}",
                )
            )

    def _map(self, connector: Connector, value: Any, where: CallSite) -> None:
        """Write the mapped response values into their User / Conversation attributes."""
        written: dict[str, Any] = {}
        for mapping in connector.response.mappings:
            found, mapped = fields.lookup(value, mapping.from_)
            target = normalize_path(mapping.to)
            if not found:
                self.recorder.emit(
                    RunWarning(
                        procedure=where.procedure,
                        step=where.step,
                        code="response_mapping",
                        connector=connector.name,
                        field=mapping.from_,
                        message=f"{connector.name} > {mapping.from_} is not in the response: {target} is not set",
                    )
                )
                continue
            if self.context.is_redacted(join_path([connector.name, *fields.segments(mapping.from_)])):
                self.context.redacted.add(target)
            self.context.set(target, mapped)
            written[target] = self.context.shown(target, mapped)
        if written:
            self.recorder.emit(
                AttributesAvailable(
                    procedure=where.procedure,
                    step=where.step,
                    connector=where.connector,
                    attributes=written,
                    mapped=True,
                )
            )

    async def _send(
        self,
        connector: Connector,
        request: RenderedRequest,
        mock: MockResponse | None,
        source: Source,
        where: CallSite,
    ) -> ConnectorResponse:
        """The response, with the connector's token in its header; a 401 to a request or OAuth token refreshes the
        token and retries once, and a second 401 is a ``token_refresh`` error. An MCP tool is called through the
        run's session with its server."""
        if connector.mcp is not None and mock is None:
            server = await with_token(self._mcp_server(connector, live=True), self.tokens, where=where)
            return await self.mcp.call(server, connector.mcp.tool, request.body, masker=self.recorder.masker)
        if not connector.auth:
            return await self._transport(request, mock, source, where)
        name = connector.auth

        async def send(authorized: RenderedRequest, issued: IssuedToken) -> ConnectorResponse:
            if mock is not None and self.tokens.rejects(name, issued):
                raise ConnectorError("third_party_status", "HTTP 401 (simulated: the token is stale)", status=401)
            return await self._transport(authorized, mock, source, where)

        def rejected() -> None:
            self.recorder.emit(
                RunWarning(
                    procedure=where.procedure,
                    step=where.step,
                    code="token_rejected",
                    message=f"{connector.name} answered 401: refreshing the token {name!r} and retrying once",
                )
            )

        return await send_authorized(
            self.tokens, name, request, send, live=mock is None, where=where, on_rejected=rejected
        )

    async def _transport(
        self, request: RenderedRequest, mock: MockResponse | None, source: Source, where: CallSite
    ) -> ConnectorResponse:
        if mock is None:
            return await self.live.send(request, hops(self.recorder.emit, where))
        return await serve(mock, source=source, timeout_s=request.timeout_s, limit=self.limits.max_response_bytes)

    def _mcp_server(self, connector: Connector, *, live: bool) -> RenderedServer:
        """The rendered server definition an MCP connector names (secrets read only when ``live``)."""
        secrets = self.secrets if live else None
        return server_of(connector, self.mcp_servers, self.environment, self.environment_name, secrets)

    def _plan(self, connector: Connector, inputs: dict[str, Any]) -> tuple[Source, MockChoice | None, TemplateScope]:
        """Which transport answers, the mock that answers if it is not live, and the template scope to render with."""
        mode = self.options.modes.get(connector.name) or self.options.mode or connector.response.mode
        override = self.options.mocks.get(connector.name)
        live = mode == "live" and override is None
        secrets = self.secrets if live else None
        scope = TemplateScope.resolved(
            connector, inputs, self.environment, self.environment_name, secrets=secrets, strict=live
        )
        if live:
            return "live", None, scope
        choice = choose_mock(
            connector, inputs, dynamic=mode == "dynamic", flags=self.mock_state.flags, override=override
        )
        return choice.source, choice, scope

    async def _inputs(self, procedure: str, step_id: str, connector: Connector) -> dict[str, Any]:
        """The connector's input values: from their source attribute, their default, else asked (required ones)."""
        values: dict[str, Any] = {}
        for spec in connector.inputs:
            value = None
            if spec.source:
                found = self.context.resolve(spec.source)
                value = found.value if found.found else None
            origin = spec.source
            if connector.validate_missing_attributes and spec.required and spec.source and _empty(value):
                raise StepFailure(
                    "input",
                    f"{connector.name} was not called: its required input {spec.name!r} comes from {spec.source}, "
                    "which is empty (validate missing attributes is on)",
                    connector=connector.name,
                )
            if value is None and spec.default is not None:
                value, origin = spec.default, "its default"
            if value is not None:
                try:
                    values[spec.name] = coerce(value, spec.type)
                except ValueError as error:
                    raise StepFailure(
                        "input", f"input {spec.name!r} of {connector.name!r} from {origin}: {error}"
                    ) from None
            elif spec.required:
                values[spec.name] = await self.ask(
                    InputRequest(
                        procedure,
                        step_id,
                        "connector_input",
                        f"{connector.name} > {spec.name}",
                        spec.description or f"What is the {spec.name}?",
                        spec.type,
                    )
                )
                if spec.source and split_path(spec.source)[0] in BUILTIN_NAMESPACES:
                    self.context.set(spec.source, values[spec.name])
        return values

    async def _transform(self, connector: Connector, response: ConnectorResponse) -> Any:
        """What the procedure sees of a response: the transform's result, or the body itself."""
        if not connector.transform:
            return response.body
        try:
            return await transform_async(
                connector.transform, response.body, response.status, response.headers, self.sandbox_limits
            )
        except SandboxError as error:
            raise ConnectorError(
                "transform", f"the transform of {connector.name!r} failed: {error}", status=response.status
            ) from None

    async def _announce(
        self,
        connector: Connector,
        where: CallSite,
        response: ConnectorResponse,
        value: Any,
        source: Source,
        *,
        elapsed_ms: float,
    ) -> None:
        """Emit ``connector_responded`` and ``attributes_available`` (redacted fields as ``***``), masking and
        flattening large data off the loop."""
        masker = self.recorder.masker
        body = fields.redact(connector, response.body)
        attributes = await offload(response.size, flatten_values, where.connector, fields.redact(connector, value))
        if masker and (masker.found_in(response.raw) or masker.found_in(jsoncodec.dumps(response.headers))):
            body = await offload(response.size, masker.mask, body)
            attributes = await offload(response.size, masker.mask, attributes)
        self.recorder.emit(
            ConnectorResponded(
                procedure=where.procedure,
                step=where.step,
                connector=where.connector,
                status=response.status,
                elapsed_ms=round(elapsed_ms, 1),
                bytes=response.size,
                source=source,
                body=body,
            ),
            premasked=True,
        )
        self.recorder.emit(
            AttributesAvailable(
                procedure=where.procedure, step=where.step, connector=where.connector, attributes=attributes
            ),
            premasked=True,
        )

    def _failure(self, connector: Connector, error: ConnectorError) -> StepFailure:
        return StepFailure(
            error.reason, f"{connector.name}: {error.message}", connector=connector.name, status=error.status
        )


def _empty(value: Any) -> bool:
    """Whether an attribute counts as missing: no value, or blank text."""
    return value is None or (isinstance(value, str) and not value.strip())
