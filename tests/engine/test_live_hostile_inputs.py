"""Upstream data steering a live call: a value sourced from one API's answer never redirects the next call's
credentials to another host, nor crashes the run (real loopback servers)."""

from __future__ import annotations

from typing import Any

from tests.connectors.server import LoopbackServer, json_reply
from tests.engine.build import procedure, workspace
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure

TOKEN = "tok-Upstream-9f3a"


def chained(lookup_url: str, orders_url: str) -> list[dict[str, Any]]:
    """``Lookup`` answers a shop name; ``Orders`` puts it into its URL and sends a Bearer token."""
    return [
        {"name": "Lookup", "request": {"url": lookup_url}, "response": {"mode": "live"}},
        {
            "name": "Orders",
            "request": {"url": orders_url, "headers": {"Authorization": "Bearer {{secret.SHOP_TOKEN}}"}},
            "inputs": [{"name": "shop", "required": True, "source": "Lookup > shop"}],
            "response": {"mode": "live"},
        },
    ]


async def run(connectors: list[dict[str, Any]]) -> RunResult:
    ws = workspace(
        connectors,
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Lookup) then @call(Orders)"})],
    )
    return await run_procedure(ws, "P", ScriptedAgent(), RunOptions(secrets={"SHOP_TOKEN": TOKEN}))


async def test_a_sourced_value_cannot_move_the_next_call_to_another_host() -> None:
    async with LoopbackServer() as attacker:
        steal = f"127.0.0.1:{attacker.port}/steal?x={{{{"
        async with LoopbackServer({"/lookup": json_reply({"shop": steal})}) as upstream:
            result = await run(chained(upstream.url("/lookup"), f"http://{{{{shop}}}}.localhost:{upstream.port}/o"))
    assert attacker.received == []
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "request_configuration" and "input 'shop'" in result.error.message


async def test_a_sourced_value_after_the_port_is_a_clear_error() -> None:
    async with LoopbackServer({"/lookup": json_reply({"shop": "0"})}) as upstream:
        result = await run(chained(upstream.url("/lookup"), f"http://127.0.0.1:{upstream.port}{{{{shop}}}}/o"))
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "request_configuration" and "port" in result.error.message
    assert [request.target for request in upstream.received] == ["/lookup"]
