"""Rendering a connector's request: ``{{input}}``, ``{{env.NAME}}`` and ``{{secret.NAME}}`` templates."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from workbench.connectors.errors import ConnectorError
from workbench.connectors.placeholders import OMITTED as OMITTED
from workbench.connectors.placeholders import TEMPLATE as TEMPLATE
from workbench.connectors.placeholders import format_value as format_value
from workbench.connectors.secrets import MASK
from workbench.connectors.urls import render_url
from workbench.model import Connector, Request, WorkspaceSettings
from workbench.model.connector import HEADER_NAME


@dataclass
class TemplateScope:
    """Where template names find their values.

    ``secrets`` ``None`` means the call is mocked: secrets then render as ``***`` without being read.
    Strict scopes (live calls) fail on any missing value; lenient ones (mocks) leave the template as written.
    """

    connector: str
    inputs: Mapping[str, Any]
    declared: Collection[str] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    environment_name: str | None = None
    secrets: Mapping[str, str] | None = None
    strict: bool = True
    used_secrets: set[str] = field(default_factory=set)

    @classmethod
    def of(
        cls,
        connector: Connector,
        inputs: Mapping[str, Any],
        settings: WorkspaceSettings,
        environment: str | None = None,
        *,
        secrets: Mapping[str, str] | None = None,
        strict: bool = True,
    ) -> TemplateScope:
        """The scope of a connector's templates: its inputs and the environment in use (see
        :meth:`WorkspaceSettings.environment_name`). Raises ``ConnectorError`` for an unknown environment."""
        name = settings.environment_name(environment)
        problem = settings.unknown_environment(name)
        if problem is not None:
            raise ConnectorError("request_configuration", problem)
        return cls.resolved(connector, inputs, settings.environment(name), name, secrets=secrets, strict=strict)

    @classmethod
    def resolved(
        cls,
        connector: Connector,
        inputs: Mapping[str, Any],
        environment: Mapping[str, str],
        environment_name: str | None,
        *,
        secrets: Mapping[str, str] | None = None,
        strict: bool = True,
    ) -> TemplateScope:
        """The scope of a connector's templates under an environment already chosen: its inputs (the declared
        ones may be unset), the environment's values and name, the secrets (``None``: masked)."""
        declared = [item.name for item in connector.inputs]
        return cls(connector.name, inputs, declared, environment, environment_name, secrets, strict)

    @classmethod
    def mock(cls, connector: Connector, inputs: Mapping[str, Any]) -> TemplateScope:
        """A mock response's scope: lenient, the call's inputs, no environment, secrets masked."""
        return cls(connector.name, inputs, [item.name for item in connector.inputs], strict=False)

    @classmethod
    def preview(cls, connector: Connector, settings: WorkspaceSettings, environment: str | None) -> TemplateScope:
        """The scope of a request shown before any call: lenient and without inputs (they stay as ``{{name}}``),
        the values of ``environment`` (an unknown or no name: none), secrets masked."""
        values = settings.environments.get(environment or "", {})
        return cls(connector.name, {}, (), values, environment, None, strict=False)

    @classmethod
    def token(
        cls,
        name: str,
        environment: Mapping[str, str],
        environment_name: str | None,
        *,
        secrets: Mapping[str, str] | None = None,
        strict: bool = True,
    ) -> TemplateScope:
        """The scope of token ``name``'s endpoint: no inputs, the environment's values, the secrets (``None``:
        masked)."""
        return cls(f"token {name}", {}, (), environment, environment_name, secrets, strict)

    @classmethod
    def mcp_server(
        cls,
        name: str,
        environment: Mapping[str, str],
        environment_name: str | None,
        secrets: Mapping[str, str] | None,
    ) -> TemplateScope:
        """The scope of MCP server ``name``'s definition: no inputs, the environment's values, the secrets
        (``None``: masked)."""
        return cls(f"MCP server {name}", {}, (), environment, environment_name, secrets, strict=True)

    def unresolved(self, name: str) -> bool:
        """Whether a lenient scope has no value for ``name``: its template then stays as written."""
        if self.strict:
            return False
        if name.startswith("env."):
            return name[4:] not in self.environment
        return not name.startswith("secret.") and name not in self.inputs and name not in self.declared

    def lookup(self, name: str) -> Any:
        """The value of one template name (``OMITTED`` for an optional input without a value)."""
        if self.unresolved(name):
            return "{{" + name + "}}"
        if name.startswith("env."):
            return self._environment(name, name[4:])
        if name.startswith("secret."):
            return self._secret(name[7:])
        if name in self.inputs:
            return self.inputs[name]
        if name in self.declared:
            return OMITTED
        raise ConnectorError("request_configuration", f"{{{{{name}}}}} names no input of connector {self.connector!r}")

    def _environment(self, name: str, key: str) -> str:
        if key in self.environment:
            return self.environment[key]
        if self.environment_name is None:
            message = (
                f"{{{{{name}}}}} needs an environment, and none is selected (see 'environments' in workbench.json)"
            )
        else:
            message = f"environment {self.environment_name!r} has no value {key!r} (needed by {{{{{name}}}}})"
        raise ConnectorError("request_configuration", message)

    def _secret(self, key: str) -> str:
        if self.secrets is None:
            return MASK
        value = self.secrets.get(key)
        if not value:
            raise ConnectorError(
                "request_configuration",
                f"secret {key!r} is not set: define the environment variable {key} (or a {key}= line in the .env file)",
            )
        self.used_secrets.add(value)
        return value

    def text(self, template: str) -> str:
        """``template`` with every name replaced."""
        if "{{" not in template:
            return template
        return TEMPLATE.sub(lambda match: format_value(self.lookup(match.group(1))), template)

    def value(self, data: Any) -> Any:
        """JSON data rendered: a string that is exactly one template takes its value with its type;
        keys whose value is an omitted input are dropped."""
        if isinstance(data, str):
            if "{{" not in data:
                return data
            whole = TEMPLATE.fullmatch(data.strip())
            return self.lookup(whole.group(1)) if whole else self.text(data)
        if isinstance(data, dict):
            rendered = {key: self.value(item) for key, item in data.items()}
            return {key: item for key, item in rendered.items() if item is not OMITTED}
        if isinstance(data, list):
            return [None if item is OMITTED else item for item in map(self.value, data)]
        return data

    def pairs(self, templates: Mapping[str, str]) -> dict[str, str]:
        """Header or query pairs rendered; a pair whose whole value is an omitted input is left out."""
        result: dict[str, str] = {}
        for key, template in templates.items():
            rendered = self.value(template)
            if rendered is not OMITTED:
                result[key] = format_value(rendered)
        return result


@dataclass(frozen=True)
class RenderedRequest:
    """A request ready to send, and the secret values it holds (to be masked wherever it is shown)."""

    method: str
    url: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    timeout_s: float
    secrets: frozenset[str] = frozenset()

    @property
    def display_url(self) -> str:
        """The URL with its query string, as sent (not yet masked)."""
        if not self.query:
            return self.url
        return self.url + ("&" if "?" in self.url else "?") + urlencode(self.query)


_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")


def checked_headers(connector: str, headers: dict[str, str]) -> dict[str, str]:
    """``headers`` if every name is a token and every value printable ASCII; else a ``request_configuration``
    error naming the header (never showing its value, which may hold a secret)."""
    for name, value in headers.items():
        if not HEADER_NAME.fullmatch(name):
            raise ConnectorError("request_configuration", f"header name {name!r} of {connector!r} is not a valid token")
        bad = _FIELD_VALUE.match(value)
        if bad is not None and bad.end() != len(value):
            kind = "a control character" if value[bad.end()] < " " or value[bad.end()] == "\x7f" else "non-ASCII text"
            raise ConnectorError(
                "request_configuration",
                f"header {name!r} of {connector!r} holds {kind} at character {bad.end() + 1}: header values must be "
                "printable ASCII (percent-encode the value, or send it in the query or the body)",
            )
    return headers


def render_request(connector: Connector, scope: TemplateScope) -> RenderedRequest:
    """The connector's request with its templates filled from ``scope``; raises :class:`ConnectorError`."""
    return render_http(connector.request, scope)


def render_http(request: Request, scope: TemplateScope) -> RenderedRequest:
    """A request (a connector's, or a token's) with its templates filled from ``scope``."""
    return RenderedRequest(
        method=request.method,
        url=render_url(request.url, scope),
        query=scope.pairs(request.query),
        headers=checked_headers(scope.connector, scope.pairs(request.headers)),
        body=scope.value(request.body),
        timeout_s=request.timeout_s,
        secrets=frozenset(scope.used_secrets),
    )
