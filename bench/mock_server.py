"""Mock server benchmark: requests per second and p99 latency of ``workbench mock serve`` answering a simple
example response, against a minimal aiohttp server returning the same fixed body, measured in the same run.

Run: python bench/mock_server.py [--clients 50] [--seconds 4] [--rounds 2]

Each server runs in its own process on 127.0.0.1; the load comes from this process: ``--clients`` keep-alive
connections, each sending its next request as soon as the last one is answered. Servers are measured in
turns (baseline, mock, mock with its request log) for ``--rounds`` rounds; the best round of each counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BODY = {"order_id": "ORD-1001", "status": "shipped", "total": {"amount": 64.98, "currency": "USD"}, "items": 2}
REQUEST = b"GET /orders/ORD-1001 HTTP/1.1\r\nHost: bench\r\n\r\n"


def _workspace() -> Path:
    root = Path(tempfile.mkdtemp(prefix="bench-mock-"))
    (root / "connectors").mkdir()
    (root / "workbench.json").write_text(json.dumps({"environments": {"local": {"base_url": "http://127.0.0.1"}}}))
    connector = {
        "name": "Get order",
        "request": {"url": "{{env.base_url}}/orders/{{order_id}}"},
        "inputs": [{"name": "order_id"}],
        "response": {"mode": "example", "example": {"status": 200, "body": BODY}},
    }
    (root / "connectors" / "get-order.json").write_text(json.dumps(connector))
    return root


def _serve(kind: str, ready: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """The server of ``kind`` in this (child) process, until it is terminated."""
    from aiohttp import web

    async def main() -> None:
        if kind == "baseline":
            body = json.dumps(BODY, separators=(",", ":")).encode()

            async def fixed(request: web.BaseRequest) -> web.Response:
                return web.Response(body=body, content_type="application/json")

            runner = web.ServerRunner(web.Server(fixed, access_log=None))
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            port = runner.addresses[0][1]
        else:
            from workbench.mockserver import MockServer
            from workbench.mockserver.log import LineLog

            log = LineLog(open(os.devnull, "wb"))  # noqa: SIM115 - as the terminal of 'workbench mock serve'
            server = MockServer(_workspace(), on_log=log if kind == "mock+log" else None, reload_interval=3600)
            await server.start("127.0.0.1", 0)
            port = server.port
        ready.put(port)
        await asyncio.Event().wait()

    asyncio.run(main())


async def _client(port: int, until: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(REQUEST)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line[15:]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def _load(port: int, clients: int, seconds: float) -> tuple[float, float]:
    """(requests per second, p99 in ms) over ``seconds`` after a short warm-up."""
    warm: list[float] = []
    await asyncio.gather(*(_client(port, time.perf_counter() + 0.5, warm) for _ in range(clients)))
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, started + seconds, latencies) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    return len(latencies) / elapsed, p99


def measure(kind: str, clients: int, seconds: float) -> tuple[float, float]:
    """Start the server of ``kind`` in a child process, load it, stop it."""
    ready: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    child = multiprocessing.Process(target=_serve, args=(kind, ready), daemon=True)
    child.start()
    try:
        port = ready.get(timeout=60)
        return asyncio.run(_load(port, clients, seconds))
    finally:
        child.terminate()
        child.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    kinds = ("baseline", "mock", "mock+log")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.rounds):
        for kind in kinds:
            rps, p99 = measure(kind, args.clients, args.seconds)
            if kind not in best or rps > best[kind][0]:
                best[kind] = (rps, p99)
    print(f"{args.clients} keep-alive clients on loopback, {args.seconds:g}s per run, best of {args.rounds} rounds")
    base_rps, base_p99 = best["baseline"]
    for kind in kinds:
        rps, p99 = best[kind]
        print(
            f"  {kind:<9} {rps:8.0f} req/s ({rps / base_rps:4.2f}x baseline)  "
            f"p99 {p99:7.2f} ms ({p99 / base_p99:4.2f}x baseline)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
