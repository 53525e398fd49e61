"""Live-mode runs against a real server on 127.0.0.1; secrets never reach events."""

from __future__ import annotations

from typing import Any

import orjson

from tests.connectors.server import LoopbackServer, dead_port, json_reply
from tests.engine.build import procedure, workspace
from tests.events import payloads
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.events import RunWarning

SECRET = "tok-Zq9/+x"


def live_connector(path: str) -> dict[str, Any]:
    return {
        "name": "Get orders",
        "request": {
            "url": "{{env.base_url}}" + path + "/{{email}}",
            "headers": {"Authorization": "Bearer {{secret.SHOP_TOKEN}}"},
            "query": {"token": "{{secret.SHOP_TOKEN}}"},
            "timeout_s": 2,
        },
        "inputs": [{"name": "email", "required": True, "source": "User > email"}],
        "response": {"mode": "live"},
    }


async def run_live(base_url: str, path: str, secrets: dict[str, str]) -> RunResult:
    ws = workspace(
        [live_connector(path)],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders) @read(Get orders > status)"})],
        {"environments": {"local": {"base_url": base_url}}},
    )
    options = RunOptions(attributes={"User": {"email": "ada@example.com"}}, secrets=secrets)
    return await run_procedure(ws, "P", ScriptedAgent(), options)


def all_event_text(result: RunResult) -> str:
    return b"\n".join(orjson.dumps(event.to_json()) for event in result.events).decode()


async def test_live_call_sends_the_secret_but_events_mask_it() -> None:
    async with LoopbackServer({"/orders/ada@example.com": json_reply({"status": "shipped", "echo": SECRET})}) as server:
        result = await run_live(server.url(""), "/orders", {"SHOP_TOKEN": SECRET})
    assert result.outcome == "completed" and result.messages == ["Get orders shipped"]
    assert server.received[0].headers["authorization"] == f"Bearer {SECRET}"
    called = next(event for event in result.events if event.type == "connector_called")
    assert called.payload.url.endswith("/orders/ada@example.com?token=***")
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.source == "live" and responded.payload.body["echo"] == "***"
    assert SECRET not in all_event_text(result)
    assert result.context.temporary["Get orders"]["echo"] == SECRET  # the procedure itself sees the real data


async def test_error_body_echoing_the_secret_is_masked() -> None:
    async with LoopbackServer({"/orders/ada@example.com": json_reply({"error": f"bad token {SECRET}"}, 401)}) as server:
        result = await run_live(server.url(""), "/orders", {"SHOP_TOKEN": SECRET})
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "third_party_status" and "bad token ***" in result.error.message
    assert SECRET not in all_event_text(result) and SECRET not in (result.message or "")


async def test_dead_port_ends_the_run_with_a_network_error() -> None:
    result = await run_live(f"http://127.0.0.1:{dead_port()}", "/orders", {"SHOP_TOKEN": SECRET})
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "network" and result.error.connector == "Get orders"
    assert "refused" in result.error.message


async def test_missing_secret_is_a_configuration_error_naming_the_variable() -> None:
    result = await run_live("http://127.0.0.1:1", "/orders", {})
    assert result.error is not None and result.error.reason == "request_configuration"
    assert "SHOP_TOKEN" in result.error.message
    assert not any(event.type == "connector_called" for event in result.events)


async def test_the_conversation_masks_a_secret_the_customer_repeats() -> None:
    ws = workspace(
        [live_connector("/orders")],
        [
            procedure(
                "P",
                {"id": "ask", "type": "collect", "attribute": "Conversation > note", "prompt": "Anything else?"},
            )
        ],
    )
    options = RunOptions(secrets={"SHOP_TOKEN": SECRET})
    result = await run_procedure(ws, "P", ScriptedAgent({"ask": f"my token is {SECRET}"}), options)
    assert [turn.text for turn in result.conversation] == ["Anything else?", "my token is ***"]


async def test_a_one_letter_secret_is_sent_warned_about_once_and_masks_no_letters() -> None:
    async with LoopbackServer({"/orders/ada@example.com": json_reply({"status": "shipped"})}) as server:
        result = await run_live(server.url(""), "/orders", {"SHOP_TOKEN": "s"})
    assert server.received[0].headers["authorization"] == "Bearer s"
    warnings = payloads(result.events, RunWarning)
    assert [(warning.code, "SHOP_TOKEN" in warning.message) for warning in warnings] == [("short_secret", True)]
    assert result.messages == ["Get orders shipped"]
