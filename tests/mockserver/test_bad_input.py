"""The mock server under bad input: huge or broken bodies, wrong methods, path traversal, many clients,
clients that leave mid-response, slow headers and garbage. It stays up and reads no file outside the
workspace."""

from __future__ import annotations

import asyncio
import selectors
import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.mockserver.helpers import LogQueue, item, running, write_workspace
from workbench.mockserver.server import MAX_BODY_BYTES

SECRET = "TOP-SECRET-OUTSIDE-THE-WORKSPACE"
CONNECTORS = [
    item(
        "Get file",
        "GET",
        "/files/{{name}}",
        {"mode": "dynamic", "rules": [{"response": {"body": {"name": "{{name}}"}}}]},
        inputs=[{"name": "name"}],
    ),
    item(
        "Save",
        "POST",
        "/save",
        {"mode": "dynamic", "rules": [{"response": {"body": {"got": "{{text}}"}}}]},
        inputs=[{"name": "text"}],
    ),
    item("Slow", "GET", "/slow", {"example": {"latency_ms": 400, "body": "late"}}),
]
CONNECTORS[1]["request"]["body"] = {"text": "{{text}}"}


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    (tmp_path / "outside.txt").write_text(SECRET)
    return write_workspace(tmp_path / "desk", *CONNECTORS)


async def raw_exchange(port: int, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        async with asyncio.timeout(10):
            return await reader.read(65536)
    finally:
        writer.close()


async def still_up(client: httpx.AsyncClient) -> None:
    response = await client.post("/save", json={"text": "ok"})
    assert response.status_code == 200 and response.json() == {"got": "ok"}


async def test_bodies_too_large_or_not_json_are_refused(desk: Path) -> None:
    async with running(desk) as server, httpx.AsyncClient(base_url=server.url) as client:
        big = await client.post("/save", content=b'{"text": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}')
        assert big.status_code == 413 and "exceeds" in big.json()["error"]

        async def chunks():  # no Content-Length: the size is only known while reading
            for _ in range(40):
                yield b"x" * 65536

        streamed = await client.post("/save", content=chunks())
        assert streamed.status_code == 413
        bad = await client.post("/save", content=b'{"text": ')
        assert bad.status_code == 400 and "not JSON" in bad.json()["error"]
        assert (await client.post("/save", content=b"")).json() == {}  # no input: the templated key is left out
        await still_up(client)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "GET"])
async def test_wrong_methods_get_405_naming_the_allowed_one(desk: Path, method: str) -> None:
    async with running(desk) as server, httpx.AsyncClient(base_url=server.url) as client:
        response = await client.request(method, "/save")
        assert response.status_code == 405 and response.headers["allow"] == "POST"
        assert response.json()["allowed"] == ["POST"]
        await still_up(client)


async def test_an_unknown_method_is_a_bad_request(desk: Path) -> None:
    async with running(desk) as server, httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.request("BREW", "/save")).status_code in (400, 405)
        await still_up(client)


@pytest.mark.parametrize(
    "target",
    [
        "/../outside.txt",
        "/../../outside.txt",
        "/%2e%2e/outside.txt",
        "/files/..%2F..%2Foutside.txt",
        "/files/../../outside.txt",
        "/connectors/get-file.json",
        "/workbench.json",
        "/files/%00",
    ],
)
async def test_path_traversal_never_reads_a_file(desk: Path, target: str) -> None:
    async with running(desk) as server:
        head = f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        answer = await raw_exchange(server.port, head)
        assert answer.startswith(b"HTTP/1.1 ")
        assert SECRET.encode() not in answer and b'"request"' not in answer
        async with httpx.AsyncClient(base_url=server.url) as client:
            await still_up(client)


async def keep_alive_client(port: int, names: list[str]) -> list[bytes]:
    """Requests on one keep-alive connection, one after the other; the bodies answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    bodies = []
    try:
        for name in names:
            writer.write(f"GET /files/{name} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
            )
            bodies.append(await reader.readexactly(length))
    finally:
        writer.close()
    return bodies


async def test_many_concurrent_clients_are_all_answered(desk: Path) -> None:
    async with running(desk) as server:
        names = [[f"c{client}r{request}" for request in range(3)] for client in range(200)]
        async with asyncio.timeout(60):
            answers = await asyncio.gather(*(keep_alive_client(server.port, batch) for batch in names))
        assert answers == [[b'{"name":"%s"}' % name.encode() for name in batch] for batch in names]


@pytest.mark.skipif(
    not Path("/proc/sys/net/core/somaxconn").exists() or int(Path("/proc/sys/net/core/somaxconn").read_text()) < 200,
    reason="the system caps a listen queue below the burst",
)
async def test_a_burst_of_connections_waits_while_the_server_is_busy(desk: Path) -> None:
    """Connections that arrive while the server's loop is busy (this test holds it: nothing is accepted) wait in
    its listen queue, all of them: none is dropped to be retried a second later (with aiohttp's backlog of 128,
    the 129th and later were, and the many clients above took a second longer)."""
    async with running(desk) as server:
        burst = [socket.socket() for _ in range(200)]
        try:
            with selectors.DefaultSelector() as waiting:
                for sock in burst:
                    sock.setblocking(False)
                    sock.connect_ex(("127.0.0.1", server.port))
                    waiting.register(sock, selectors.EVENT_WRITE)
                connected, deadline = 0, time.monotonic() + 5  # a dropped one is dropped again: the queue stays full
                while connected < len(burst) and time.monotonic() < deadline:
                    for key, _events in waiting.select(0.1):
                        waiting.unregister(key.fileobj)
                        connected += 1
            assert connected == len(burst)
        finally:
            for sock in burst:
                sock.close()


async def test_clients_that_leave_mid_response_are_logged_and_the_rest_goes_on(desk: Path) -> None:
    log = LogQueue()
    async with running(desk, on_log=log) as server, httpx.AsyncClient(base_url=server.url) as client:
        _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        writer.close()
        record = await log.next()
        assert record["connector"] == "Slow" and record["status"] is None and "left" in record["note"]
        # A body announced longer than what is sent before the client goes.
        _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b'POST /save HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"text": ')
        await writer.drain()
        writer.close()
        await log.next()
        await still_up(client)


async def test_slow_headers_do_not_block_other_clients(desk: Path) -> None:
    async with running(desk) as server, httpx.AsyncClient(base_url=server.url) as client:
        slow = []
        for _ in range(100):
            _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /files/a HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(writer)
        await asyncio.gather(*(writer.drain() for writer in slow))
        async with asyncio.timeout(10):
            await still_up(client)
        for writer in slow:
            writer.close()


async def test_a_connection_that_never_finishes_its_headers_is_closed(desk: Path) -> None:
    async with running(desk, idle_timeout=0.3) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /files/a HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        await writer.drain()
        async with asyncio.timeout(10):
            assert await reader.read() == b""
        writer.close()


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02 garbage\r\n\r\n",
        b"GET /files/a HTTP/9.9\r\n\r\n",
        b"GET /files/a HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 20000 + b"\r\n\r\n",
        b"GET /files/a HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % index for index in range(300)) + b"\r\n",
        b"POST /save HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken\r\n",
    ],
    ids=["garbage", "version", "long-header", "many-headers", "bad-chunks"],
)
async def test_malformed_requests_get_an_error_and_the_server_stays_up(desk: Path, data: bytes) -> None:
    async with running(desk) as server:
        answer = await raw_exchange(server.port, data)
        assert answer == b"" or answer.startswith(b"HTTP/1.")
        if answer:
            assert int(answer.split(b" ", 2)[1]) >= 400
        async with httpx.AsyncClient(base_url=server.url) as client:
            await still_up(client)
