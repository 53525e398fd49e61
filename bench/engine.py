"""Engine benchmark: runs per second against a hand-written baseline, and live-call overhead against raw httpx.

1. The sample "Order status" procedure with example mocks (no latency), as runs per second, against a
   hand-written asyncio function doing the same work on the same data: render the request (percent-encoded
   input, query string), copy the example body, flatten it,
   test the same conditions (the code condition through the same sandbox), fill the messages and produce
   the same event stream as plain dicts (the engine's output), without any generality. Printed twice:
   as the sample is (a code condition: sandbox-bound), and with attribute conditions only (pure engine
   overhead). Aim: engine at most 3x the baseline.
2. A live call through the connector layer against a raw ``httpx.AsyncClient.get(...).json()`` to the same
   loopback server, both reusing one client. Aim: at most 1.2x.

    python bench/engine.py [--seconds S]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import orjson

from workbench.attributes import flatten_values
from workbench.connectors import LiveTransport, RenderedRequest
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.model import Procedure
from workbench.sandbox import SandboxLimits, evaluate_async, shutdown
from workbench.store import Document, Workspace, load_workspace

DESK = Path(__file__).resolve().parent.parent / "sample_data" / "support-desk"
PROCEDURE = "Order status"
CODE = (
    'len(inputs["temporary"]["Get orders"]["items"]) >= 4 and '
    'inputs["temporary"]["Get orders"]["items"][3]["quantity"] > 3'
)


def without_code(workspace: Workspace) -> Workspace:
    """The same workspace whose big-order test is an attribute test instead of code."""
    procedure = workspace.procedure(PROCEDURE)
    assert procedure is not None
    data = procedure.model_dump(mode="json", by_alias=True)
    condition = next(step for step in data["steps"] if step["type"] == "condition")
    condition["branches"][0]["when"] = {"attribute": "Get orders > order_id", "op": "equals", "value": "ORD-9"}
    copy = Workspace(workspace.root, workspace.settings, dict(workspace.connectors), dict(workspace.procedures))
    document = workspace.procedures[PROCEDURE]
    copy.procedures[PROCEDURE] = Document("procedure", document.path, Procedure.model_validate(data))
    return copy


async def rates(
    first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]], seconds: float, rounds: int = 5
) -> tuple[float, float]:
    """Calls per second of each, the best of ``rounds`` interleaved rounds (steadier on a busy machine)."""
    best = [0.0, 0.0]
    for _ in range(rounds):
        for index, work in enumerate((first, second)):
            for _ in range(10):
                await work()
            count, started = 0, time.perf_counter()
            while (elapsed := time.perf_counter() - started) < seconds / rounds:
                await work()
                count += 1
            best[index] = max(best[index], count / elapsed)
    return best[0], best[1]


def baseline(workspace: Workspace, use_code: bool) -> Callable[[], Awaitable[list[dict[str, Any]]]]:
    """The hand-written equivalent of one run: the same messages and the same event stream, as plain dicts."""
    connector = workspace.connector("Get orders")
    assert connector is not None and connector.response.example is not None
    example = connector.response.example.body
    email = workspace.settings.model.attributes["User"]["email"]
    base_url = workspace.settings.model.environments["local"]["base_url"]
    query = dict(connector.request.query)
    limits = SandboxLimits()

    async def by_hand() -> list[dict[str, Any]]:
        started = time.perf_counter()
        events: list[dict[str, Any]] = []

        def emit(kind: str, **data: Any) -> None:
            events.append({"seq": len(events) + 1, "t": time.perf_counter() - started, "type": kind, **data})

        where = {"procedure": PROCEDURE}
        emit("run_started", procedure=PROCEDURE, mode=None, environment="local")
        emit("step_started", **where, step="lookup", step_type="instruction")
        url = f"{base_url}/customers/{quote(email, safe='@')}/orders/latest"
        headers = {"Accept": "application/json", "Authorization": "Bearer ***"}
        emit(
            "connector_called",
            **where,
            step="lookup",
            connector="Get orders",
            method="GET",
            url=f"{url}?{urlencode(query)}",
            inputs={"email": email},
            headers=len(headers),
        )
        raw = orjson.dumps(example)
        body = orjson.loads(raw)
        emit(
            "connector_responded",
            **where,
            step="lookup",
            connector="Get orders",
            status=200,
            elapsed_ms=0.0,
            bytes=len(raw),
            source="example",
            body=body,
        )
        emit(
            "attributes_available",
            **where,
            step="lookup",
            connector="Get orders",
            attributes=flatten_values("Get orders", body),
        )
        emit(
            "message",
            **where,
            step="lookup",
            text=f"Look up ... Get orders ... it is {body['status']}, placed on {body['created_at']}.",
        )
        emit("step_started", **where, step="big-order", step_type="condition")
        if use_code:
            big = await evaluate_async(
                CODE,
                {"temporary": {"Get orders": body}, "user": {"email": email}, "company": {}, "conversation": {}},
                limits,
            )
        else:
            big = body["order_id"] == "ORD-9"
        cancelled = not big and body["status"] == "cancelled"
        emit(
            "condition_evaluated",
            **where,
            step="big-order",
            branch=None,
            tests=[{"branch": 0, "result": big}, {"branch": 1, "result": cancelled}],
        )
        shipping = body["shipping"]
        emit("step_started", **where, step="tracking", step_type="instruction")
        emit(
            "message",
            **where,
            step="tracking",
            text=f"Share {shipping['tracking_number']} with {shipping['carrier']}, {shipping['estimated_delivery']}.",
        )
        emit("step_started", **where, step="done", step_type="end")
        emit("run_finished", outcome="resolved", message=None, path=["lookup", "big-order", "tracking", "done"])
        return events

    return by_hand


def engine(workspace: Workspace) -> Callable[[], Awaitable[str]]:
    """One engine run with the example mocked without latency."""
    connector = workspace.connector("Get orders")
    assert connector is not None and connector.response.example is not None
    options = RunOptions(mocks={"Get orders": connector.response.example.model_copy(update={"latency_ms": 0})})

    async def run() -> str:
        result = await run_procedure(workspace, PROCEDURE, ScriptedAgent(), options)
        assert result.outcome == "resolved", result.error
        return result.outcome

    return run


async def runs_per_second(seconds: float) -> None:
    desk = load_workspace(DESK)
    for label, workspace, use_code in (
        ("sample (code condition)", desk, True),
        ("attribute conditions only", without_code(desk), False),
    ):
        ours, hand = await rates(engine(workspace), baseline(workspace, use_code), seconds)
        print(
            f"{label:28} engine {ours:9.0f} runs/s   hand-written {hand:9.0f} runs/s   "
            f"ratio {hand / ours:5.2f}x (aim <= 3x)"
        )


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A keep-alive loopback server answering every request with the same JSON."""
    body = orjson.dumps({"order_id": "ORD-1001", "status": "processing", "items": [{"quantity": 1}] * 20})
    response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    try:
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(response)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
        pass  # the client hung up, or the benchmark is over and the loop is closing
    finally:
        writer.close()


async def live_overhead(seconds: float) -> None:
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/orders"
    transport = LiveTransport(10 * 1024 * 1024)
    request = RenderedRequest("GET", url, {}, {"Authorization": "Bearer x"}, None, 10.0)
    async with httpx.AsyncClient() as client:

        async def raw() -> Any:
            response = await client.get(url, headers={"Authorization": "Bearer x"}, timeout=10.0)
            return response.json()

        async def ours() -> Any:
            return (await transport.send(request)).body

        our_rate, raw_rate = await rates(ours, raw, seconds)
    await transport.aclose()
    server.close()
    await server.wait_closed()
    print(
        f"{'live call':28} engine {our_rate:9.0f} calls/s  raw httpx    {raw_rate:9.0f} calls/s  "
        f"ratio {raw_rate / our_rate:5.2f}x (aim <= 1.2x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per figure")
    seconds = parser.parse_args().seconds
    try:
        asyncio.run(runs_per_second(seconds))
        asyncio.run(live_overhead(seconds))
    finally:
        shutdown()


if __name__ == "__main__":
    main()
