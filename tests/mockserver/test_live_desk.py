"""The live path end to end: the sample desk served by the mock server, and its procedures and scenarios run
in live mode against it (templates, headers, secrets, timeouts and the size cap of real HTTP calls)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from tests.mockserver.helpers import LogQueue, running
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.store import load_workspace

TOKEN = "tok-live-5f2a9c"
KEY = "key-live-81c3d0e7"


def point_at(desk: Path, url: str) -> None:
    """Make the desk's ``local`` environment call ``url``."""
    settings = json.loads((desk / "workbench.json").read_text())
    settings["environments"]["local"]["base_url"] = url
    (desk / "workbench.json").write_text(json.dumps(settings))


async def workbench(*args: str | Path) -> tuple[int, str, str]:
    """``python -m workbench ARGS`` in a child process, while this test's event loop keeps serving."""
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR")}
    env["SHOP_TOKEN"] = TOKEN
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "workbench",
        *map(str, args),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(240):
        out, err = await child.communicate()
    assert child.returncode is not None
    return child.returncode, out.decode(), err.decode()


async def test_a_procedure_runs_live_against_the_served_desk(desk_copy: Path) -> None:
    log = LogQueue()
    async with running(desk_copy, on_log=log) as server:
        point_at(desk_copy, server.url)
        workspace = load_workspace(desk_copy)
        result = await run_procedure(
            workspace, "Order status", ScriptedAgent(), RunOptions(mode="live", secrets={"SHOP_TOKEN": TOKEN})
        )
        assert result.ok, result.error
        [responded] = [event for event in result.events if event.type == "connector_responded"]
        assert responded.payload.source == "live"
        assert responded.payload.body == workspace.connectors["Get orders"].model.response.example.body
        record = await log.next()
        assert record["connector"] == "Get orders" and record["inputs"] == {"email": "grace@example.com"}
        assert record["path"].startswith("/customers/grace@example.com/orders/latest?expand=")


async def test_workbench_run_and_test_pass_in_live_mode(desk_copy: Path) -> None:
    # the request and OAuth tokens' secrets, from the workspace's .env; their endpoints are served too
    (desk_copy / ".env").write_text(
        f"BILLING_API_KEY={KEY}\nPAYMENTS_CLIENT_ID=payments\nPAYMENTS_CLIENT_SECRET={KEY}\n"
    )
    async with running(desk_copy) as server:
        point_at(desk_copy, server.url)
        status, out, err = await workbench("run", desk_copy, "Order status", "--mode", "live", "--json")
        events = [json.loads(line) for line in out.splitlines()]
        assert status == 0, err
        assert [event["source"] for event in events if event["type"] == "connector_responded"] == ["live"]
        assert TOKEN not in out
        status, out, err = await workbench("test", desk_copy, "--mode", "live")
        assert status == 0, out + err
        assert f"{len(list((desk_copy / 'scenarios').glob('*.json')))} passed" in out
        assert KEY not in out + err
