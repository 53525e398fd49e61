"""Redirects of live calls: each hop is an event, and a hop to another origin carries none of the connector's
credentials (two real loopback servers on different ports)."""

from __future__ import annotations

from typing import Any

from tests.connectors.server import LoopbackServer, json_reply, reply
from tests.engine.build import procedure, workspace
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.engine.describe import describe

SECRET = "key-Redirect-7c1e"


def moved(location: str, status: int = 302) -> Any:
    return reply(b"", status, {"Location": location, "Set-Cookie": f"session={SECRET}; Path=/"})


async def run(url: str, method: str = "GET") -> RunResult:
    connector = {
        "name": "Orders",
        "request": {
            "method": method,
            "url": url,
            "headers": {
                "Authorization": "Bearer {{secret.API_KEY}}",
                "X-Api-Key": "{{secret.API_KEY}}",
                "X-Tenant": "acme",
                "Cookie": "sid={{secret.API_KEY}}",
                "Accept": "application/json",
            },
            **({"body": {"note": "plain"}} if method == "POST" else {}),
        },
        "response": {"mode": "live"},
    }
    ws = workspace([connector], [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Orders)"})])
    return await run_procedure(ws, "P", ScriptedAgent(), RunOptions(secrets={"API_KEY": SECRET}))


def hops(result: RunResult) -> list[dict[str, Any]]:
    return [event.to_json() for event in result.events if event.type == "connector_redirected"]


async def test_a_redirect_to_another_origin_drops_every_credential_and_is_an_event() -> None:
    async with (
        LoopbackServer({"/land": json_reply({"ok": True})}) as other,
        LoopbackServer({"/start": moved(other.url("/land"))}) as first,
    ):
        result = await run(first.url("/start"))
    assert result.outcome == "completed", result.error
    assert first.received[0].headers["x-api-key"] == SECRET
    landed = other.received[0].headers
    assert SECRET not in str(landed) and "acme" not in str(landed)
    assert landed["accept"] == "application/json"
    [hop] = hops(result)
    assert hop["from_url"] == first.url("/start") and hop["to_url"] == other.url("/land")
    assert hop["status"] == 302 and hop["cross_origin"] is True
    assert hop["dropped"] == ["authorization", "cookie", "x-api-key", "x-tenant"]
    line = describe(next(event for event in result.events if event.type == "connector_redirected"))
    assert line == (
        f"Orders redirected (302) to {other.url('/land')} "
        "(another origin, without authorization, cookie, x-api-key, x-tenant)"
    )


async def test_a_redirect_within_the_origin_keeps_the_credentials() -> None:
    async with LoopbackServer({"/start": moved("/land", 307), "/land": json_reply({"ok": True})}) as server:
        result = await run(server.url("/start"), "POST")
    assert result.outcome == "completed", result.error
    assert [request.headers["x-api-key"] for request in server.received] == [SECRET, SECRET]
    assert server.received[1].body == b'{"note":"plain"}'
    assert [(hop["cross_origin"], hop["dropped"]) for hop in hops(result)] == [(False, [])]


async def test_a_redirect_carrying_a_secret_to_another_origin_is_not_followed() -> None:
    async with (
        LoopbackServer({"/land": json_reply({"ok": True})}) as other,
        LoopbackServer({"/start": moved(other.url(f"/land?key={SECRET}"))}) as first,
    ):
        result = await run(first.url("/start"))
    assert other.received == []
    assert result.outcome == "failed" and result.error is not None and result.error.reason == "network"
    assert "another origin" in result.error.message and SECRET not in result.error.message


async def test_a_redirect_to_a_port_out_of_range_is_a_clear_error() -> None:
    async with LoopbackServer({"/start": moved("http://127.0.0.1:465890/land")}) as server:
        result = await run(server.url("/start"))
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "request_configuration" and "port out of range" in result.error.message
