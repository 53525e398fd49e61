"""Authentication tokens at run time: a connector's ``auth`` header, from a text token, a token fetched with
an HTTP request, or an OAuth 2.0 client-credentials grant (RFC 6749 §4.4).

:class:`Tokens` holds one run's tokens: each is fetched on first use and cached until it expires (when the
endpoint says ``expires_in``); :meth:`Tokens.refresh` replaces a token an API rejected with 401. One fetch at a
time per token (an asyncio lock), so calls that need the same refresh share it. Every secret the fetch uses
and every token value join the run's :class:`~workbench.connectors.secrets.Masker` before anything is reported.
Failures are :class:`ConnectorError` with reason ``token_refresh`` (``request_configuration`` for a template
that cannot be filled). In mocked runs tokens are simulated, never fetched.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal
from urllib.parse import quote_plus, urlencode

import orjson

from workbench.connectors.errors import ConnectorError
from workbench.connectors.live import Hop, LiveTransport, OnHop
from workbench.connectors.response import ConnectorResponse
from workbench.connectors.secrets import Masker
from workbench.connectors.templates import TEMPLATE, RenderedRequest, TemplateScope, checked_headers, render_http
from workbench.connectors.urls import render_url
from workbench.events import CallSite, ConnectorRedirected, TokenReceived, TokenRequested
from workbench.model import AnyToken, Connector, OAuthClientCredentialsToken, RequestToken, TextToken
from workbench.store import to_data

FetchReason = Literal["first", "expired", "refresh"]
Emit = Callable[[TokenRequested | TokenReceived | ConnectorRedirected], object]
"""How token fetches are reported (the run's recorder): only fetches made for a call (a :class:`CallSite`)."""
PATH_SEPARATOR = ">"
MAX_EXPIRES_IN_S = 366 * 24 * 3600
"""A longer ``expires_in`` (even 400 digits) counts as this: a year, as good as never within a run."""
SHOWN_KEYS = 20
"""How many keys of a token answer an error lists (a 200,000-key answer must not make a 2 MB line)."""


@dataclass(frozen=True)
class IssuedToken:
    """A token value, when it expires (``time.monotonic`` seconds; ``None``: never) and its number in the run."""

    value: str
    expires_at: float | None
    serial: int


def secret_names(connector: Connector, tokens: Mapping[str, AnyToken]) -> list[tuple[str, str | None]]:
    """The ``{{secret.NAME}}`` names a live call of the connector needs, each with the token that needs it (``None``:
    the request itself), in order, once."""
    found: dict[str, str | None] = {}
    sources: list[tuple[Any, str | None]] = [(to_data(connector.request), None)]
    if connector.auth is not None and connector.auth in tokens:
        sources.append((to_data(tokens[connector.auth]), connector.auth))
    for data, token in sources:
        for match in TEMPLATE.findall(orjson.dumps(data).decode()):
            if match.startswith("secret."):
                found.setdefault(match[7:], token)
    return list(found.items())


def hops(emit: Emit, where: CallSite | None, token: str | None = None) -> OnHop | None:
    """How the redirects of a call (or of its token's fetch, ``token``) become ``connector_redirected`` events."""
    if where is None:
        return None

    def hop(redirect: Hop) -> None:
        emit(
            ConnectorRedirected(
                procedure=where.procedure,
                step=where.step,
                connector=where.connector,
                status=redirect.status,
                from_url=redirect.from_url,
                to_url=redirect.to_url,
                cross_origin=redirect.cross_origin,
                dropped=redirect.dropped,
                token=token,
            )
        )

    return hop


def refreshable(token: AnyToken) -> bool:
    """Whether a 401 can be cured by fetching the token again (request and OAuth tokens)."""
    return not isinstance(token, TextToken)


def token_headers(headers: Mapping[str, str], token: AnyToken, value: str) -> dict[str, str]:
    """``headers`` with ``header: prefix + value`` (replacing a header of that name, whatever its case): how a
    token is sent, by a connector's request and by an MCP server's connection alike."""
    sent = {key: item for key, item in headers.items() if key.lower() != token.header.lower()}
    sent[token.header] = token.prefix + value
    return sent


def with_header(request: RenderedRequest, token: AnyToken, value: str) -> RenderedRequest:
    """``request`` carrying the token's header (see :func:`token_headers`)."""
    return replace(request, headers=token_headers(request.headers, token, value), secrets=request.secrets | {value})


Send = Callable[[RenderedRequest, IssuedToken], Awaitable[ConnectorResponse]]
"""Sends a request that carries the given token (the caller's transport: live, or a mock)."""


async def send_authorized(
    tokens: Tokens,
    name: str,
    request: RenderedRequest,
    send: Send,
    *,
    live: bool,
    where: CallSite | None = None,
    on_rejected: Callable[[], None] | None = None,
) -> ConnectorResponse:
    """``request`` sent with token ``name``; a 401 to a request or OAuth token refreshes it (``on_rejected`` is told)
    and retries once, and a second 401 is a ``token_refresh`` error."""
    token = tokens.token(name)
    issued = await tokens.current(name, live=live, where=where)
    try:
        return await send(with_header(request, token, issued.value), issued)
    except ConnectorError as error:
        if error.status != 401 or not refreshable(token):
            raise
    if on_rejected is not None:
        on_rejected()
    fresh = await tokens.refresh(name, issued, live=live, where=where)
    try:
        return await send(with_header(request, token, fresh.value), fresh)
    except ConnectorError as error:
        if error.status == 401:
            raise ConnectorError(
                "token_refresh", f"still answered 401 after the token {name!r} was refreshed", status=401
            ) from None
        raise


class Tokens:
    """The tokens of one run (see the module docstring). ``secrets`` ``None``: a mocked run, tokens simulated."""

    def __init__(
        self,
        tokens: Mapping[str, AnyToken],
        *,
        environment: Mapping[str, str],
        environment_name: str | None,
        secrets: Mapping[str, str],
        masker: Masker,
        transport: LiveTransport,
        emit: Emit,
        stale: frozenset[str] = frozenset(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tokens = tokens
        self.environment = environment
        self.environment_name = environment_name
        self.secrets = secrets
        self.masker = masker
        self.transport = transport
        self.emit = emit
        self.stale = stale
        self.clock = clock
        self._cache: dict[tuple[str, bool], IssuedToken] = {}
        self._locks: dict[tuple[str, bool], asyncio.Lock] = {}
        self._serials: dict[tuple[str, bool], int] = {}

    def token(self, name: str) -> AnyToken:
        """The token called ``name``; an unknown name is a ``request_configuration`` error."""
        token = self.tokens.get(name)
        if token is None:
            known = ", ".join(sorted(self.tokens)) or "none in workbench.json"
            raise ConnectorError(
                "request_configuration", f"auth names the token {name!r}, which does not exist (known: {known})"
            )
        return token

    async def current(self, name: str, *, live: bool, where: CallSite | None = None) -> IssuedToken:
        """The token's value for a call: cached, or fetched now (the first time, or once it expired)."""
        key = (name, live)
        async with self._lock(key):
            cached = self._cache.get(key)
            if cached is not None and not self._expired(cached):
                return cached
            return await self._issue(name, live, "first" if cached is None else "expired", where)

    async def refresh(
        self, name: str, rejected: IssuedToken, *, live: bool, where: CallSite | None = None
    ) -> IssuedToken:
        """A new value for a token an API rejected (401); when another call already refreshed it, that value."""
        key = (name, live)
        async with self._lock(key):
            cached = self._cache.get(key)
            if cached is not None and cached.serial != rejected.serial and not self._expired(cached):
                return cached
            return await self._issue(name, live, "refresh", where)

    def rejects(self, name: str, issued: IssuedToken) -> bool:
        """Whether a mocked API rejects this value: the first value of a token the run marks stale."""
        return name in self.stale and issued.serial == 1

    def _lock(self, key: tuple[str, bool]) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    def _expired(self, issued: IssuedToken) -> bool:
        return issued.expires_at is not None and self.clock() >= issued.expires_at

    async def _issue(self, name: str, live: bool, reason: FetchReason, where: CallSite | None) -> IssuedToken:
        token = self.token(name)
        key = (name, live)
        serial = self._serials.get(key, 0) + 1
        self._serials[key] = serial
        if isinstance(token, TextToken):
            value, expires_in = self._scope(name, live).text(token.value), None
            if live:
                self.masker.add([value])
        elif live:
            value, expires_in = await self._fetch(name, token, reason, where)
        else:
            value, expires_in = self._simulate(name, token, reason, serial, where)
        checked_headers(f"token {name}", {token.header: token.prefix + value})
        expires_at = None if expires_in is None else self.clock() + expires_in
        issued = IssuedToken(value, expires_at, serial)
        self._cache[key] = issued
        return issued

    def _scope(self, name: str, live: bool) -> TemplateScope:
        secrets = self.secrets if live else None
        return TemplateScope.token(name, self.environment, self.environment_name, secrets=secrets, strict=live)

    def _simulate(
        self,
        name: str,
        token: RequestToken | OAuthClientCredentialsToken,
        reason: FetchReason,
        serial: int,
        where: CallSite | None,
    ) -> tuple[str, None]:
        """A mocked run's token: no network, but the same events as a fetch."""
        value = f"simulated-{name}-{serial}"
        self.masker.add([value])
        self._requested(where, name, token, reason, "POST", "(simulated)", "mock")
        if where is not None:
            self.emit(
                TokenReceived(
                    procedure=where.procedure,
                    step=where.step,
                    connector=where.connector,
                    token=name,
                    status=200,
                    elapsed_ms=0.0,
                    expires_in=None,
                    source="mock",
                )
            )
        return value, None

    async def _fetch(
        self,
        name: str,
        token: RequestToken | OAuthClientCredentialsToken,
        reason: FetchReason,
        where: CallSite | None,
    ) -> tuple[str, float | None]:
        try:
            request = (
                _oauth_request(token, self._scope(name, True))
                if isinstance(token, OAuthClientCredentialsToken)
                else render_http(token.request, self._scope(name, True))
            )
        except ConnectorError as error:
            raise ConnectorError(error.reason, f"token {name!r}: {error.message}") from None
        self.masker.add(request.secrets)
        self._requested(where, name, token, reason, request.method, request.display_url, "live")
        try:
            response = await self.transport.send(request, hops(self.emit, where, name), form=True)
        except ConnectorError as error:
            raise ConnectorError(
                "token_refresh",
                f"token {name!r}: the token endpoint failed: [{error.reason}] {error.message}",
                status=error.status,
            ) from None
        token_path = token.token_path if isinstance(token, RequestToken) else "access_token"
        expires_path = token.expires_in_path if isinstance(token, RequestToken) else "expires_in"
        value = _token_value(name, response.body, token_path)
        self.masker.add([value])
        expires_in = _expires_in(response.body, expires_path)
        if where is not None:
            self.emit(
                TokenReceived(
                    procedure=where.procedure,
                    step=where.step,
                    connector=where.connector,
                    token=name,
                    status=response.status,
                    elapsed_ms=round(response.elapsed_ms, 1),
                    expires_in=expires_in,
                    source="live",
                )
            )
        return value, expires_in

    def _requested(
        self,
        where: CallSite | None,
        name: str,
        token: RequestToken | OAuthClientCredentialsToken,
        reason: FetchReason,
        method: str,
        url: str,
        source: Literal["live", "mock"],
    ) -> None:
        if where is not None:
            self.emit(
                TokenRequested(
                    procedure=where.procedure,
                    step=where.step,
                    connector=where.connector,
                    token=name,
                    kind=token.type,
                    reason=reason,
                    method=method,
                    url=url,
                    source=source,
                )
            )


def _oauth_request(token: OAuthClientCredentialsToken, scope: TemplateScope) -> RenderedRequest:
    """The client-credentials token request of RFC 6749 §4.4.2, with the client authenticated per §2.3.1."""
    client_id, client_secret = scope.text(token.client_id), scope.text(token.client_secret)
    fields = {"grant_type": "client_credentials"}
    if token.scope:
        fields["scope"] = scope.text(token.scope)
    if token.audience:
        fields["audience"] = scope.text(token.audience)
    headers = {"Accept": "application/json"}
    secrets = set(scope.used_secrets)
    if token.client_auth == "basic":
        pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
        credentials = base64.b64encode(pair.encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
        secrets.add(credentials)
    else:
        fields |= {"client_id": client_id, "client_secret": client_secret}
    body: Any
    if token.request_format == "json":
        body = fields
    else:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(fields).encode()
    url = render_url(token.token_url, scope)
    return RenderedRequest("POST", url, {}, headers, body, token.timeout_s, frozenset(secrets | {client_secret}))


def _at(body: Any, path: str) -> Any:
    current = body
    for segment in (part.strip() for part in path.split(PATH_SEPARATOR)):
        if not isinstance(current, dict) or segment not in current:
            return None
        current = current[segment]
    return current


def _token_value(name: str, body: Any, path: str) -> str:
    if not isinstance(body, dict):
        raise ConnectorError("token_refresh", f"token {name!r}: the token endpoint answered JSON that is not an object")
    value = _at(body, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        keys = sorted(map(str, body))
        shown = ", ".join(key if len(key) <= 40 else key[:40] + "…" for key in keys[:SHOWN_KEYS]) or "none"
        more = f" and {len(keys) - SHOWN_KEYS:,} more" if len(keys) > SHOWN_KEYS else ""
        raise ConnectorError(
            "token_refresh",
            f"token {name!r}: no token at {path!r} in the token endpoint's response (its keys: {shown}{more})",
        )
    return value


def _expires_in(body: Any, path: str | None) -> float | None:
    """The token's lifetime in seconds, at most :data:`MAX_EXPIRES_IN_S` (``None``: not given or not a number)."""
    value = _at(body, path) if path else None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
        return None
    return float(min(max(value, 0), MAX_EXPIRES_IN_S))
