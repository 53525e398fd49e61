"""Tokens against real loopback servers: fetch once, expiry, 401 → refresh and retry once, OAuth client
credentials, concurrency, every token-endpoint failure, and secrets and tokens absent from every event."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from tests.auth.shown import shows
from tests.auth.token_server import API_KEY, CLIENT_ID, CLIENT_SECRET, AuthServer
from tests.connectors.server import LoopbackServer, json_reply, reply, silent
from tests.engine.build import procedure, workspace
from tests.events import first_payload
from workbench.connectors import ConnectorError, LiveTransport, Masker
from workbench.connectors.auth import Tokens
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.events import CallSite, ConnectorRedirected, RunWarning, TokenReceived, TokenRequested
from workbench.model import WorkspaceSettings

SECRETS = {"CRM_KEY": API_KEY, "BILLING_ID": CLIENT_ID, "BILLING_SECRET": CLIENT_SECRET, "SHOP_TOKEN": "shop-Tk99"}
REQUEST_TOKEN: dict[str, Any] = {
    "type": "request",
    "request": {
        "method": "POST",
        "url": "{{env.base_url}}/auth",
        "body": {"key": "{{secret.CRM_KEY}}"},
        "timeout_s": 2,
    },
    "token_path": "access_token",
    "expires_in_path": "expires_in",
}


def oauth_token(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "oauth_client_credentials",
        "token_url": "{{env.base_url}}/oauth/token",
        "client_id": "{{secret.BILLING_ID}}",
        "client_secret": "{{secret.BILLING_SECRET}}",
        "scope": "read",
        "timeout_s": 2,
        **overrides,
    }


def api_connector(name: str, path: str, auth: str) -> dict[str, Any]:
    return {
        "name": name,
        "request": {"url": "{{env.base_url}}" + path, "timeout_s": 2},
        "auth": auth,
        "response": {"mode": "live", "example": {"status": 200, "body": {"status": "x", "tier": "y"}}},
    }


async def run_with(base_url: str, token: dict[str, Any], *, calls: int = 2, **options: Any) -> RunResult:
    text = " then ".join(["@call(Get orders)", "@call(Get profile)"][:calls])
    steps = [
        {"id": f"s{index}", "type": "instruction", "text": part} for index, part in enumerate(text.split(" then "))
    ]
    ws = workspace(
        [api_connector("Get orders", "/api/orders", "crm"), api_connector("Get profile", "/api/profile", "crm")],
        [procedure("P", *steps)],
        {"environments": {"local": {"base_url": base_url}}, "tokens": {"crm": token}},
    )
    return await run_procedure(ws, "P", ScriptedAgent(), RunOptions(secrets=SECRETS, **options))


def output(result: RunResult) -> str:
    return b"\n".join(orjson.dumps(event.to_json()) for event in result.events).decode() + str(result.message)


def assert_hidden(result: RunResult, server: AuthServer) -> None:
    text = output(result)
    for value in [*SECRETS.values(), *server.issued]:
        assert not shows(value, text), value


def types(result: RunResult) -> list[str]:
    return [event.type for event in result.events if event.type.startswith(("token", "connector", "warning", "error"))]


async def test_request_token_is_fetched_once_and_masked() -> None:
    auth = AuthServer()
    async with LoopbackServer(auth.routes()) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "completed", result.message
    assert len(auth.issued) == 1 and auth.used == {auth.issued[0]: 2}
    requested = next(event for event in result.events if event.type == "token_requested")
    assert requested.payload.to_json() | {"url": "-"} == {
        "procedure": "P",
        "step": "s0",
        "connector": "Get orders",
        "token": "crm",
        "kind": "request",
        "reason": "first",
        "method": "POST",
        "url": "-",
        "source": "live",
    }
    received = next(event for event in result.events if event.type == "token_received")
    assert received.payload.expires_in == 3600 and "value" not in received.payload.to_json()
    assert result.context.temporary["Get orders"]["echo"] == auth.issued[0]  # the procedure sees real data
    assert_hidden(result, auth)


async def test_a_401_refreshes_the_token_and_retries_the_call_once() -> None:
    auth = AuthServer(uses=1)
    async with LoopbackServer(auth.routes()) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "completed", result.message
    assert len(auth.issued) == 2
    assert types(result) == [
        "connector_called",
        "token_requested",
        "token_received",
        "connector_responded",
        "connector_called",
        "warning",
        "token_requested",
        "token_received",
        "connector_responded",
    ]
    assert [e.payload.reason for e in result.events if e.type == "token_requested"] == ["first", "refresh"]
    assert_hidden(result, auth)


async def test_an_expired_token_is_fetched_again_before_the_call() -> None:
    auth = AuthServer(expires_in=0)
    async with LoopbackServer(auth.routes()) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "completed", result.message
    assert [e.payload.reason for e in result.events if e.type == "token_requested"] == ["first", "expired"]
    assert "warning" not in types(result)


async def test_an_api_that_keeps_answering_401_is_a_token_refresh_error() -> None:
    auth = AuthServer(uses=0)
    async with LoopbackServer(auth.routes()) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN, calls=1)
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "token_refresh" and result.error.status == 401
    assert "still answered 401" in result.error.message
    assert len(auth.issued) == 2  # one refresh, never a loop
    assert_hidden(result, auth)


@pytest.mark.parametrize(
    ("route", "timeout_s", "message"),
    [
        (silent(), 0.1, "[timeout] no complete response"),  # a timeout that must pass: short
        (reply(b"<html><body>Sign in</body></html>", 200, {"Content-Type": "text/html"}), 5, "not JSON"),
        (json_reply({"token": "t"}), 5, "no token at 'access_token'"),
        (json_reply(["not", "an", "object"]), 5, "not an object"),
        (json_reply({"error": f"bad key {API_KEY}"}, 401), 5, "HTTP 401"),
        (json_reply({"error": f"key {API_KEY} rejected"}, 500), 5, "HTTP 500"),
    ],
)
async def test_token_endpoint_failures_are_typed_and_hide_the_secret(
    route: Any, timeout_s: float, message: str
) -> None:
    token = {**REQUEST_TOKEN, "request": {**REQUEST_TOKEN["request"], "timeout_s": timeout_s}}
    async with LoopbackServer({"/auth": route}) as server:
        result = await run_with(server.url(""), token, calls=1)
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "token_refresh" and result.error.connector == "Get orders"
    assert message in result.error.message and "token 'crm'" in result.error.message
    assert API_KEY not in output(result) and "Traceback" not in output(result)


async def test_a_token_endpoint_echoing_secrets_and_the_token_is_masked() -> None:
    echo = {"access_token": "tok-echo-1", "key_was": API_KEY}
    async with LoopbackServer({"/auth": json_reply(echo), "/api/orders": json_reply({"seen": "tok-echo-1"})}) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN, calls=1)
    assert result.outcome == "completed", result.message
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.body == {"seen": "***"}
    assert API_KEY not in output(result) and "tok-echo-1" not in output(result)


@pytest.mark.parametrize(
    ("request_format", "client_auth"), [("form", "basic"), ("form", "body"), ("json", "body"), ("json", "basic")]
)
async def test_oauth_client_credentials(request_format: str, client_auth: str) -> None:
    auth = AuthServer()
    token = oauth_token(request_format=request_format, client_auth=client_auth, audience="https://api")
    async with LoopbackServer(auth.routes()) as server:
        result = await run_with(server.url(""), token)
    assert result.outcome == "completed", result.message
    sent = auth.oauth_requests[0]
    assert sent.method == "POST" and len(auth.oauth_requests) == 1
    if request_format == "form":
        assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
        assert b"grant_type=client_credentials" in sent.body and b"scope=read" in sent.body
    else:
        assert orjson.loads(sent.body)["grant_type"] == "client_credentials"
    assert b"audience=" in sent.body or b'"audience"' in sent.body
    assert ("authorization" in sent.headers) == (client_auth == "basic")
    assert (b"client_secret" in sent.body) == (client_auth == "body")
    assert_hidden(result, auth)
    text = output(result)
    assert "Basic" not in text


async def test_oauth_refused_client_is_a_token_refresh_error_without_the_secret() -> None:
    auth = AuthServer()
    async with LoopbackServer(auth.routes()) as server:
        result = await run_with(server.url(""), oauth_token(client_secret="{{secret.SHOP_TOKEN}}"), calls=1)
    assert result.error is not None and result.error.reason == "token_refresh"
    assert "invalid_client" in result.error.message
    assert_hidden(result, auth)


async def test_a_missing_secret_of_a_token_is_a_configuration_error() -> None:
    async with LoopbackServer(AuthServer().routes()) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN, calls=1, stale_tokens=frozenset())
        ws_result = await run_procedure(
            workspace(
                [api_connector("Get orders", "/api/orders", "crm")],
                [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders)"})],
                {"environments": {"local": {"base_url": server.url("")}}, "tokens": {"crm": REQUEST_TOKEN}},
            ),
            "P",
            ScriptedAgent(),
            RunOptions(secrets={}),
        )
    assert result.ok
    assert ws_result.error is not None and ws_result.error.reason == "request_configuration"
    assert "token 'crm'" in ws_result.error.message and "CRM_KEY" in ws_result.error.message


async def test_an_unknown_token_name_is_a_configuration_error() -> None:
    result = await run_with("http://127.0.0.1:9", REQUEST_TOKEN, calls=1, mode="live")
    assert result.error is not None and result.error.reason == "token_refresh"  # token endpoint unreachable
    assert "[network] connection refused" in result.error.message
    ws = workspace(
        [api_connector("Get orders", "/api/orders", "nope")],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders)"})],
        {"environments": {"local": {"base_url": "http://127.0.0.1:9"}}},
    )
    failed = await run_procedure(ws, "P", ScriptedAgent(), RunOptions(secrets={}))
    assert failed.error is not None and failed.error.reason == "request_configuration"
    assert "'nope'" in failed.error.message


async def test_text_token_goes_in_its_header_and_is_masked() -> None:
    text_token = {"type": "text", "value": "{{secret.SHOP_TOKEN}}", "header": "X-Api-Key", "prefix": ""}
    async with LoopbackServer({"/api/orders": json_reply({"echo": SECRETS["SHOP_TOKEN"]})}) as server:
        result = await run_with(server.url(""), text_token, calls=1)
        sent = server.received[0]
    assert result.ok and sent.headers["x-api-key"] == SECRETS["SHOP_TOKEN"]
    assert SECRETS["SHOP_TOKEN"] not in output(result)
    assert not any(event.type.startswith("token") for event in result.events)


async def test_two_calls_needing_a_refresh_fetch_the_token_once() -> None:
    auth = AuthServer()
    events: list[TokenRequested | TokenReceived | ConnectorRedirected] = []
    where = CallSite("P", "s", "Get orders")
    async with LoopbackServer(auth.routes()) as server:
        settings = WorkspaceSettings.model_validate({"tokens": {"crm": REQUEST_TOKEN}})
        transport = LiveTransport(1_000_000)
        tokens = Tokens(
            settings.tokens,
            environment={"base_url": server.url("")},
            environment_name="local",
            secrets=SECRETS,
            masker=Masker(),
            transport=transport,
            emit=events.append,
        )
        try:
            first, second = await asyncio.gather(
                tokens.current("crm", live=True, where=where), tokens.current("crm", live=True, where=where)
            )
            assert first == second and len(auth.issued) == 1
            fresh = await asyncio.gather(*(tokens.refresh("crm", first, live=True, where=where) for _ in range(3)))
            assert len(set(fresh)) == 1 and fresh[0].serial == 2 and len(auth.issued) == 2
            assert await tokens.current("crm", live=True) == fresh[0]
        finally:
            await transport.aclose()
    assert [event.reason for event in events if isinstance(event, TokenRequested)] == ["first", "refresh"]


def test_an_unknown_token_is_an_error_of_tokens() -> None:
    tokens = Tokens(
        {},
        environment={},
        environment_name=None,
        secrets={},
        masker=Masker(),
        transport=LiveTransport(1),
        emit=lambda event: None,
    )
    with pytest.raises(ConnectorError, match="does not exist"):
        tokens.token("crm")


def mocked_workspace(body: Any = None, status: int = 200):
    connector = api_connector("Get orders", "/api/orders", "crm")
    connector["response"] = {"mode": "example", "example": {"status": status, "body": body or {"status": "shipped"}}}
    return workspace(
        [connector],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders) @read(Get orders > status)"})],
        {"tokens": {"crm": REQUEST_TOKEN}},
    )


async def test_a_mocked_run_simulates_the_token_and_a_stale_token_rehearses_the_refresh() -> None:
    plain = await run_procedure(mocked_workspace(), "P", ScriptedAgent(), RunOptions(secrets={}))
    assert plain.ok and [e.payload.source for e in plain.events if e.type == "token_requested"] == ["mock"]
    stale = await run_procedure(
        mocked_workspace(), "P", ScriptedAgent(), RunOptions(secrets={}, stale_tokens=frozenset({"crm"}))
    )
    assert stale.ok and stale.messages == ["Get orders shipped"]
    assert [e.payload.reason for e in stale.events if e.type == "token_requested"] == ["first", "refresh"]
    warning = first_payload(stale.events, RunWarning)
    assert warning.code == "token_rejected" and "retrying once" in warning.message
    assert "simulated-crm" not in output(stale)


async def test_a_mock_answering_401_every_time_ends_in_token_refresh() -> None:
    result = await run_procedure(mocked_workspace(status=401), "P", ScriptedAgent(), RunOptions(secrets={}))
    assert result.error is not None and result.error.reason == "token_refresh"
    assert [e.payload.reason for e in result.events if e.type == "token_requested"] == ["first", "refresh"]


async def test_the_apps_test_request_sends_the_token_and_masks_it() -> None:
    from workbench.editing.live_request import send_test_request
    from workbench.model import Connector

    auth = AuthServer()
    async with LoopbackServer(auth.routes()) as server:
        settings = WorkspaceSettings.model_validate(
            {"environments": {"local": {"base_url": server.url("")}}, "tokens": {"crm": REQUEST_TOKEN}}
        )
        connector = Connector.model_validate(api_connector("Get orders", "/api/orders", "crm"))
        first = await send_test_request(connector, {}, settings, "local", SECRETS)
        second = await send_test_request(connector, {}, settings, "local", SECRETS)
    assert first.ok and second.ok and len(auth.issued) == 2  # each test request fetches its own token
    assert first.body["echo"] == "***" and second.body["echo"] == "***"
