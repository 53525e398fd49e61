"""A workspace token in an MCP server's ``auth``: sent in the server's headers as an HTTP connector's ``auth``
sends it (its templates filled, fetched once per run by a token request, masked everywhere), to a loopback MCP
server (the SDK's) that refuses connections without it."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from tests.auth.token_server import API_KEY, AuthServer
from tests.connectors.server import LoopbackServer
from tests.engine.build import connector, procedure, workspace
from tests.mcp.build import LOOKUP
from tests.mcp.server import http_server
from workbench.editing.live_request import send_test_request
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.model import Connector, WorkspaceSettings

SECRET = "mcp-key-Pw62"
STEP = {"id": "a", "type": "instruction", "text": "@call(Lookup order) @call(Basket) @read(Lookup order > status)"}
TEXT_TOKEN = {"type": "text", "value": "{{secret.ORDERS_KEY}}", "header": "X-Orders-Key", "prefix": "key "}


def settings(url: str, token: dict[str, Any], **environment: str) -> dict[str, Any]:
    return {
        "environments": {"test": environment},
        "tokens": {"orders": token},
        "mcp_servers": {"orders": {"url": url, "auth": "orders", "timeout_s": 10}},
    }


async def run(settings: dict[str, Any], secrets: dict[str, str]) -> RunResult:
    made = workspace([LOOKUP, connector("Basket", {"total": 1})], [procedure("P", STEP)], settings)
    options = RunOptions(attributes={"Conversation": {"order": "A-7"}}, secrets=secrets)
    return await run_procedure(made, "P", ScriptedAgent(), options)


def text_of(result: RunResult) -> str:
    return b"\n".join(orjson.dumps(event.to_json()) for event in result.events).decode()


async def test_a_text_token_is_sent_in_the_servers_header_and_masked() -> None:
    seen: list[str] = []
    with http_server(require=("X-Orders-Key", f"key {SECRET}"), seen=seen) as url:
        result = await run(settings(url, TEXT_TOKEN), {"ORDERS_KEY": SECRET})
    assert result.error is None, result.error
    assert result.messages == ["Lookup order Basket shipped"]
    assert seen and set(seen) == {f"key {SECRET}"}
    assert SECRET not in text_of(result)


async def test_without_the_token_the_server_refuses_and_the_failure_names_it_masked() -> None:
    with http_server(require=("X-Orders-Key", f"key {SECRET}")) as url:
        result = await run(settings(url, TEXT_TOKEN), {"ORDERS_KEY": "wrong-Kx55"})
    assert result.error is not None and result.error.connector == "Lookup order"
    assert "MCP server 'orders'" in result.error.message
    assert "wrong-Kx55" not in text_of(result)
    missing = await run(settings("http://127.0.0.1:9/mcp", TEXT_TOKEN), {})
    assert missing.error is not None and missing.error.reason == "request_configuration"
    assert "ORDERS_KEY" in missing.error.message


async def test_a_request_token_is_fetched_once_per_run_and_never_shown() -> None:
    auth = AuthServer()
    token = {
        "type": "request",
        "request": {"method": "POST", "url": "{{env.auth_url}}/auth", "body": {"key": "{{secret.CRM_KEY}}"}},
    }
    seen: list[str] = []
    async with LoopbackServer(auth.routes()) as tokens:
        with http_server(require=("Authorization", "Bearer tok-1-Zr7"), seen=seen) as url:
            data = settings(url, token, auth_url=tokens.url(""))
            data["default_environment"] = "test"
            result = await run(data, {"CRM_KEY": API_KEY})
    assert result.error is None, result.error
    assert auth.issued == ["tok-1-Zr7"] and set(seen) == {"Bearer tok-1-Zr7"}
    shown = text_of(result)
    assert "tok-1-Zr7" not in shown and API_KEY not in shown
    assert [event.payload.token for event in result.events if event.type == "token_received"] == ["orders"]


async def test_the_editors_test_call_sends_the_token_too() -> None:
    with http_server(require=("X-Orders-Key", f"key {SECRET}")) as url:
        model = WorkspaceSettings.model_validate(settings(url, TEXT_TOKEN))
        reply = await send_test_request(
            Connector.model_validate(LOOKUP), {"order_id": "A-9"}, model, None, {"ORDERS_KEY": SECRET}
        )
    assert reply.ok and reply.body["id"] == "A-9"


def test_auth_names_a_known_token_of_a_streamable_http_server() -> None:
    with pytest.raises(ValidationError, match=r"mcp_servers > orders > auth names no token of 'tokens' \(did you"):
        WorkspaceSettings.model_validate({**settings("http://x/mcp", TEXT_TOKEN), "tokens": {"order": TEXT_TOKEN}})
    stdio = {"command": "server", "auth": "orders"}
    with pytest.raises(ValidationError, match="'headers' and 'auth' belong to a streamable HTTP server"):
        WorkspaceSettings.model_validate({"tokens": {"orders": TEXT_TOKEN}, "mcp_servers": {"orders": stdio}})
