"""``workbench mock serve`` as a command: it serves, logs each request, writes --log, stops cleanly on Ctrl-C,
and bad usage exits 2."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import SUPPORT_DESK, interruptible, run_workbench
from tests.mockserver.helpers import item, write_workspace


async def start(
    *args: str | Path, preexec_fn: Callable[[], None] = interruptible
) -> tuple[asyncio.subprocess.Process, str]:
    """Start ``workbench mock serve ARGS --port 0`` (``preexec_fn`` run in the child first); the child and the URL
    it serves on."""
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR")}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "mock", "serve", *map(str, args), "--port", "0",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, preexec_fn=preexec_fn,
    )  # fmt: skip
    assert child.stdout is not None
    async with asyncio.timeout(60):
        while True:
            line = (await child.stdout.readline()).decode()
            assert line, "the server ended before serving"
            found = re.search(r"on (http://127\.0\.0\.1:\d+) ", line)
            if found:
                return child, found.group(1)


async def test_it_serves_logs_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    log_file = tmp_path / "log.jsonl"
    child, url = await start(SUPPORT_DESK, "--log", log_file)
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/subscriptions", params={"email": "someone-cancelled@example.com"})
        assert response.json()["status"] == "cancelled"
        assert (await client.get("/nope")).status_code == 404
    child.send_signal(signal.SIGINT)
    async with asyncio.timeout(30):
        out, err = await child.communicate()
    assert child.returncode == 0, err
    text = out.decode()
    assert "example  GET    /customers/{email}/orders/latest  -> Get orders" in text
    assert "dynamic  GET    /subscriptions  -> Get subscription" in text
    assert re.search(
        r"dynamic  \S+  GET    /subscriptions\?email=\S+  Get subscription \[Already cancelled\]  200  ", text
    )
    assert re.search(r"-        \S+  GET    /nope  -  404  ", text)
    assert "mock server stopped" in err.decode() and "Traceback" not in err.decode()
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [record["status"] for record in records] == [200, 404]


async def test_mode_example_serves_the_example_of_a_connector_whose_own_mode_is_dynamic() -> None:
    child, url = await start(SUPPORT_DESK, "--mode", "example")
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/subscriptions", params={"email": "someone-cancelled@example.com"})
            assert response.json()["status"] != "cancelled"  # the example, not the "Already cancelled" rule
    finally:
        child.send_signal(signal.SIGINT)
        async with asyncio.timeout(30):
            out, _ = await child.communicate()
    assert "example  GET    /subscriptions  -> Get subscription" in out.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--connector", "Get ordrs"], "unknown connector 'Get ordrs'"),
        (["--env", "locl"], "unknown environment 'locl' (did you mean 'local'?)"),
        (["--port", "70000"], "expected a port from 0 to 65535"),
        (["--log", "/nonexistent/dir/log.jsonl"], "cannot write it"),
    ],
)
def test_bad_usage_exits_2(args: list[str], message: str) -> None:
    result = run_workbench("mock", "serve", SUPPORT_DESK, *args)
    assert result.returncode == 2 and message in result.stderr


def test_a_missing_workspace_exits_2(tmp_path: Path) -> None:
    result = run_workbench("mock", "serve", tmp_path / "nothing")
    assert result.returncode == 2 and "no such folder" in result.stderr


def test_a_taken_port_exits_2() -> None:
    """A port something already listens on (a plain socket: any listener will do) is a usage error."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        result = run_workbench("mock", "serve", SUPPORT_DESK, "--port", port)
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr


async def test_with_several_environments_and_no_default_it_says_none_is_in_use(tmp_path: Path) -> None:
    environments = {"staging": {"base_url": "https://staging.example.com/api"}, "local": {"base_url": ""}}
    connector = item("Get item", "GET", "{{env.base_url}}/items/{{id}}", {"example": {}}, inputs=[{"name": "id"}])
    root = write_workspace(tmp_path / "desk", connector, settings={"environments": environments})
    child, _ = await start(root)
    child.send_signal(signal.SIGINT)
    async with asyncio.timeout(30):
        out, err = await child.communicate()
    assert "GET    /items/{id}  -> Get item" in out.decode()
    assert "workbench: note: no environment in use (several in workbench.json and no default_environment)" in (
        err.decode()
    )
