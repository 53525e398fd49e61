"""Issue 23, Low (mock server): what an outside tester broke ``workbench mock serve`` with — each is now a located
load problem (so lint finds it first) or an answer, never a traceback or an empty reply."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli.test_mock_cli import start
from tests.conftest import interruptible
from tests.mockserver.helpers import LogQueue, item, running, write_workspace
from workbench.cli import main
from workbench.mockserver import MockServer
from workbench.store import load_workspace

ENV = {"environments": {"local": {"base_url": ""}}}


def _example(**response: Any) -> dict[str, Any]:
    return {"mode": "example", "example": {"status": 200, "body": {"ok": True}, **response}}


def test_a_token_path_inside_the_expiry_path_is_a_located_problem_and_serving_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = {"type": "request", "request": {"url": "/token"}, "token_path": "data", "expires_in_path": "data > ttl"}
    root = write_workspace(tmp_path / "ws", settings={**ENV, "tokens": {"t": token}})
    assert main(["lint", str(root)]) == 1
    out = capsys.readouterr().out
    assert "workbench.json" in out and "overlap" in out and "[load-error]" in out
    server = MockServer(root)  # used to die with a TypeError building the token's answer
    assert any("overlap" in problem for problem in server.served.problems)


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({"X-Trace": "1\r\nSet-Cookie: stolen=1"}, 200, "control character '\\r'"),
        ({"X-Trace: 1\r\nSet-Cookie": "stolen=1"}, 200, "not a valid HTTP header name"),
        ({"X-Trace: injected": "1"}, 200, "not a valid HTTP header name"),
        ({}, 101, "greater than or equal to 200"),
        ({}, 199, "greater than or equal to 200"),
    ],
)
async def test_unsendable_headers_and_interim_statuses_are_located_problems(
    tmp_path: Path, headers: dict[str, str], status: int, message: str
) -> None:
    root = write_workspace(tmp_path / "ws", item("Get x", "GET", "/x", _example(headers=headers, status=status)))
    problems = load_workspace(root).problems
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].path.name == "get-x.json" and problems[0].column > 1
    async with running(root) as server, httpx.AsyncClient(base_url=server.url) as client:
        response = await client.get("/x")  # not served (it does not load): a clean 404, never an empty reply
    assert response.status_code == 404 and "set-cookie" not in response.headers


async def test_a_mock_header_keeps_the_json_content_type(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", item("Get x", "GET", "/x", _example(headers={"X-Trace": "1"})))
    async with running(root) as server, httpx.AsyncClient(base_url=server.url) as client:
        response = await client.get("/x")
    assert response.headers["content-type"] == "application/json" and response.headers["x-trace"] == "1"
    assert response.json() == {"ok": True}


async def test_a_deep_body_is_answered_and_logged(tmp_path: Path) -> None:
    connector = item(
        "Post x",
        "POST",
        "/x",
        _example(),
        inputs=[{"name": "payload", "type": "string"}],
        **{"request": {"method": "POST", "url": "/x", "body": {"payload": "{{payload}}"}}},
    )
    root = write_workspace(tmp_path / "ws", connector)
    deep: Any = 1
    for _ in range(300):
        deep = [deep]
    log = tmp_path / "log.jsonl"
    async with running(root, log_file=log) as server, httpx.AsyncClient(base_url=server.url) as client:
        response = await client.post("/x", content=json.dumps({"payload": deep}))
    assert response.status_code == 200
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [record["status"] for record in records] == [200]
    assert records[0]["inputs"].startswith("not logged")


async def test_malformed_requests_are_one_line_each_at_most_once_a_second(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", item("Get x", "GET", "/x", _example()))
    queue = LogQueue()
    async with running(root, on_log=queue) as server:
        for _ in range(200):
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
            await reader.read()
            writer.close()
        errors = [record for record in queue.records if record["event"] == "error"]
    assert 1 <= len(errors) <= 5
    assert "Invalid header token" in errors[0]["error"] and "\n" not in errors[0]["error"]


async def first_of(
    one: asyncio.StreamReader,
    one_mark: bytes,
    other: asyncio.StreamReader,
    other_mark: bytes,
    *,
    seen: dict[bytes, bytes],
) -> None:
    """Read lines from ``one`` and ``other`` (into ``seen``, by mark) until either shows its mark (30 s at most)."""

    async def until(stream: asyncio.StreamReader, mark: bytes) -> None:
        while mark not in seen[mark] and (line := await stream.readline()):
            seen[mark] += line

    readers = [asyncio.ensure_future(until(one, one_mark)), asyncio.ensure_future(until(other, other_mark))]
    try:
        await asyncio.wait(readers, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for reader in readers:
            reader.cancel()


def _few_descriptors() -> None:
    interruptible()
    resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))


@pytest.mark.skipif(sys.platform != "linux", reason="descriptor limits as on Linux")
async def test_malformed_requests_and_running_out_of_descriptors_print_no_traceback(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", item("Get x", "GET", "/x", _example()))
    child, url = await start(root, preexec_fn=_few_descriptors)
    port = int(url.rsplit(":", 1)[1])
    sockets = []
    seen = {b"  error  ": b"", b"Traceback": b""}
    try:
        for _ in range(100):
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            sockets.append(writer)  # idle: the server keeps each open, until it has no descriptor left
        assert child.stdout is not None and child.stderr is not None
        # The server fails to accept the rest: its first failure is logged (asyncio retries each 1 s)
        await first_of(child.stdout, b"  error  ", child.stderr, b"Traceback", seen=seen)
    finally:
        for writer in sockets:
            writer.close()
        child.terminate()
        async with asyncio.timeout(30):
            out, err = await child.communicate()
    out, err = seen[b"  error  "] + out, seen[b"Traceback"] + err
    assert b"Traceback" not in err, err.decode()[-2000:]
    lines = [line for line in out.decode().splitlines() if "  error  " in line]
    assert 1 <= len(lines) <= 6, out.decode()[-2000:]
