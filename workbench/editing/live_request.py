"""One live test request of a connector, with inputs the author typed: what was sent and what came back, every
secret masked, ready to become the connector's example response."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.attributes import resolve
from workbench.connectors import (
    ConnectorError,
    ConnectorResponse,
    LiveTransport,
    Masker,
    TemplateScope,
    render_request,
)
from workbench.connectors.auth import Tokens, send_authorized
from workbench.connectors.dotenv import secrets_or_environment
from workbench.connectors.masking import run_masker
from workbench.connectors.mcp import call_once, server_of, tool_request, with_token
from workbench.engine.values import coerce
from workbench.events import ConnectorRedirected, TokenReceived, TokenRequested
from workbench.mentions import split_path
from workbench.model import Connector, MockResponse, WorkspaceSettings


@dataclass
class LiveReply:
    """What a test request did. ``error`` is set when it could not be sent or the response was refused."""

    method: str
    url: str
    status: int | None = None
    elapsed_ms: float = 0.0
    size: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    error: ConnectorError | None = None

    @property
    def ok(self) -> bool:
        """Whether a response arrived and was accepted (2xx, JSON, within the size cap)."""
        return self.error is None and self.status is not None

    def as_example(self, previous: MockResponse | None) -> MockResponse:
        """The response as a connector example (keeping the previous example's simulated latency)."""
        content_type = {key: value for key, value in self.headers.items() if key.lower() == "content-type"}
        return MockResponse(
            status=self.status or 200,
            headers=content_type or {"content-type": "application/json"},
            latency_ms=previous.latency_ms if previous is not None else 0,
            body=self.body,
        )


def suggested_inputs(connector: Connector, settings: WorkspaceSettings) -> dict[str, str]:
    """Starting values for the input fields: an input's default, else its ``User``/``Company``/``Conversation``
    source's value in workbench.json."""
    values: dict[str, str] = {}
    for item in connector.inputs:
        value = item.default
        if value is None and item.source:
            root, *rest = split_path(item.source)
            found = resolve(settings.attributes.get(root, {}), root, rest)  # type: ignore[call-overload]
            value = found.value if found.found else None
        if value is not None and not isinstance(value, (dict, list)):
            values[item.name] = str(value)
    return values


def typed_inputs(connector: Connector, texts: Mapping[str, str]) -> dict[str, Any]:
    """The typed-in values converted to each input's type (empty optional ones left out).

    Raises :class:`ConnectorError` (reason ``input``) naming the input that is missing or of the wrong type.
    """
    values: dict[str, Any] = {}
    for item in connector.inputs:
        text = texts.get(item.name, "").strip()
        if not text:
            if item.required:
                raise ConnectorError("input", f"{item.name!r} is required")
            continue
        try:
            values[item.name] = coerce(text, item.type)
        except ValueError as error:
            raise ConnectorError("input", f"{item.name!r}: {error}") from None
    return values


def _quiet(event: TokenRequested | TokenReceived | ConnectorRedirected) -> None:
    """Token fetches and redirects of a test request are not reported one by one (the reply says how it went)."""


def default_secrets(root: Any) -> Mapping[str, str]:
    """The secrets of a test request: the environment over the workspace's ``.env`` (the environment alone when
    that file is bad)."""
    return secrets_or_environment(root)


async def send_test_request(
    connector: Connector,
    texts: Mapping[str, str],
    settings: WorkspaceSettings,
    environment: str | None,
    secrets: Mapping[str, str] | None = None,
) -> LiveReply:
    """Send the connector's request live (call an MCP connector's tool) with the typed inputs; never raises for a
    failed call."""
    method: str = connector.request.method
    url = connector.request.url
    secrets = os.environ if secrets is None else secrets
    masker = run_masker({connector.name: connector}, settings, secrets)
    started = time.perf_counter()
    try:
        inputs = typed_inputs(connector, texts)
        scope = TemplateScope.of(connector, inputs, settings, environment, secrets=secrets)
        transport = LiveTransport(settings.limits.max_response_bytes, masker=masker)
        tokens = Tokens(
            settings.tokens,
            environment=scope.environment,
            environment_name=scope.environment_name,
            secrets=scope.secrets or {},
            masker=masker,
            transport=transport,
            emit=_quiet,
        )
        try:
            if connector.mcp is not None:
                server = server_of(connector, settings.mcp_servers, scope.environment, scope.environment_name, secrets)
                request = tool_request(connector, server, inputs)
                masker.add(request.secrets)
                method, url = request.method, request.url
                response = await call_once(
                    await with_token(server, tokens),
                    connector.mcp.tool,
                    request.body,
                    max_bytes=settings.limits.max_response_bytes,
                    masker=masker,
                )
                return _reply(method, url, response, masker)
            request = render_request(connector, scope)
            masker.add(request.secrets)
            method, url = request.method, masker.text(request.display_url)
            if connector.auth:
                response = await send_authorized(
                    tokens, connector.auth, request, lambda sent, _issued: transport.send(sent), live=True
                )
            else:
                response = await transport.send(request)
        finally:
            await transport.aclose()
    except ConnectorError as error:
        masked = ConnectorError(error.reason, masker.text(error.message), status=error.status)
        return LiveReply(
            method, url, status=error.status, elapsed_ms=(time.perf_counter() - started) * 1000, error=masked
        )
    return _reply(method, url, response, masker)


def _reply(method: str, url: str, response: ConnectorResponse, masker: Masker) -> LiveReply:
    """The reply of a test request that was answered, every secret masked."""
    return LiveReply(
        method,
        url,
        status=response.status,
        elapsed_ms=response.elapsed_ms,
        size=response.size,
        headers=masker.mask(response.headers),
        body=masker.mask(response.body),
    )
