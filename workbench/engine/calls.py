"""Calling a connector during a run: inputs, transport (live, example, dynamic, scenario mock), transform,
reuse of an earlier identical call, and the events that tell it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson

from workbench.attributes import flatten_values
from workbench.connectors import (
    ConnectorError,
    ConnectorResponse,
    LiveTransport,
    Source,
    TemplateScope,
    choose_rule,
    offload,
    render_request,
    serve,
    templated,
)
from workbench.engine.agent import InputRequest
from workbench.engine.context import ProcedureContext, StoredCall, call_key
from workbench.engine.failure import StepFailure
from workbench.engine.options import RunOptions
from workbench.engine.recorder import Recorder
from workbench.engine.values import coerce
from workbench.mentions import split_path, suggest
from workbench.model import BUILTIN_NAMESPACES, Connector, Limits, MockResponse
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
        self.live = LiveTransport(limits.max_response_bytes)
        self.sandbox_limits = SandboxLimits(
            timeout_s=limits.sandbox_timeout_s,
            memory_mb=limits.sandbox_memory_mb,
            max_result_bytes=limits.max_response_bytes,
        )

    async def aclose(self) -> None:
        """Close the live HTTP client."""
        await self.live.aclose()

    async def call(self, procedure: str, step_id: str, name: str) -> None:
        """Call connector ``name`` for a step; raises :class:`StepFailure` when it cannot be called or fails."""
        connector = self.connectors.get(name)
        if connector is None:
            hint = suggest(name, self.connectors)
            raise StepFailure(
                "procedure", f"unknown connector {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
            )
        inputs = await self._inputs(procedure, step_id, connector)
        try:
            source, mock, scope = self._plan(connector, inputs)
            request = render_request(connector, scope)
        except ConnectorError as error:
            raise self._failure(connector, error) from None
        self.recorder.masker.add(request.secrets)
        where: dict[str, Any] = {"procedure": procedure, "step": step_id, "connector": name}
        self.recorder.emit(
            "connector_called", **where, method=request.method, url=request.display_url, inputs=inputs, mode=source
        )
        key = call_key(inputs)
        stored = self.context.recall(name, key)
        if stored is not None:
            self.recorder.emit(
                "warning",
                procedure=procedure,
                step=step_id,
                code="connector_reused",
                message=f"{name} was already called with these inputs in this run: reusing its response",
            )
            self.context.store(name, key, stored)
            await self._announce(where, stored.response, stored.value, "cache", elapsed_ms=0.0)
            return
        try:
            if mock is None:
                response = await self.live.send(request)
            else:
                response = await serve(
                    mock, source=source, timeout_s=request.timeout_s, limit=self.limits.max_response_bytes
                )
            value = await self._transform(connector, response)
        except ConnectorError as error:
            raise self._failure(connector, error) from None
        self.context.store(name, key, StoredCall(response, value))
        await self._announce(where, response, value, source, elapsed_ms=response.elapsed_ms)

    def _plan(self, connector: Connector, inputs: dict[str, Any]) -> tuple[Source, MockResponse | None, TemplateScope]:
        """Which transport answers, the mock response if it is not live, and the template scope to render with."""
        mode = self.options.mode or connector.response.mode
        scope = TemplateScope(
            connector=connector.name,
            inputs=inputs,
            declared=[item.name for item in connector.inputs],
            environment=self.environment,
            environment_name=self.environment_name,
            secrets=self.secrets if mode == "live" and connector.name not in self.options.mocks else None,
            strict=mode == "live" and connector.name not in self.options.mocks,
        )
        if connector.name in self.options.mocks:
            return "example", self.options.mocks[connector.name], scope
        if mode == "live":
            return "live", None, scope
        example = connector.response.example
        if mode == "dynamic":
            rule = choose_rule(connector.response.rules, inputs)
            if rule is not None:
                return "dynamic", templated(rule.response, scope), scope
            if example is None:
                raise ConnectorError(
                    "request_configuration",
                    f"no dynamic rule of {connector.name!r} matches the inputs "
                    f"{inputs} and it has no example response to fall back on",
                )
            return "dynamic", example, scope
        if example is None:
            hint = " (it has dynamic rules: use the dynamic mode)" if connector.response.rules else ""
            raise ConnectorError("request_configuration", f"connector {connector.name!r} has no example response{hint}")
        return "example", example, scope

    async def _inputs(self, procedure: str, step_id: str, connector: Connector) -> dict[str, Any]:
        """The connector's input values: from their source attribute, their default, else asked (required ones)."""
        values: dict[str, Any] = {}
        for spec in connector.inputs:
            value = None
            if spec.source:
                found = self.context.resolve(spec.source)
                value = found.value if found.found else None
            origin = spec.source
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
        self, where: dict[str, str], response: ConnectorResponse, value: Any, source: Source, *, elapsed_ms: float
    ) -> None:
        """Emit ``connector_responded`` and ``attributes_available``, masking and flattening large data off the loop."""
        masker = self.recorder.masker
        body, attributes = response.body, await offload(response.size, flatten_values, where["connector"], value)
        if masker and (masker.found_in(response.raw) or masker.found_in(orjson.dumps(response.headers))):
            body = await offload(response.size, masker.mask, body)
            attributes = await offload(response.size, masker.mask, attributes)
        self.recorder.emit(
            "connector_responded",
            premasked=True,
            **where,
            status=response.status,
            elapsed_ms=round(elapsed_ms, 1),
            bytes=response.size,
            source=source,
            body=body,
        )
        self.recorder.emit("attributes_available", premasked=True, **where, attributes=attributes)

    def _failure(self, connector: Connector, error: ConnectorError) -> StepFailure:
        return StepFailure(
            error.reason, f"{connector.name}: {error.message}", connector=connector.name, status=error.status
        )
