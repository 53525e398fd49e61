"""The live path end to end: the sample desk served by the mock server, and its procedures and scenarios run
in live mode against it (templates, headers, secrets, timeouts and the size cap of real HTTP calls)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.conftest import run_workbench
from tests.mockserver.helpers import LogQueue, running
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.store import load_workspace

TOKEN = "tok-live-5f2a9c"
KEY = "key-live-81c3d0e7"
TIMING_OUT = {"verify-identity", "get-subscription"}
"""The connectors that a sample scenario sees time out (a ``timeout`` fault): the run waits for their timeout."""


def point_at(desk: Path, url: str) -> None:
    """Make the desk's ``local`` environment call ``url``."""
    settings = json.loads((desk / "workbench.json").read_text())
    settings["environments"]["local"]["base_url"] = url
    (desk / "workbench.json").write_text(json.dumps(settings))


def short_timeouts(desk: Path, seconds: float = 1.0) -> None:
    """Give the connectors that time out a short timeout: the runs that see them time out wait ``seconds``, not
    the sample's 10 s (still ten times the 90 ms the slowest of their ordinary answers takes: the whole test uses
    less than 0.4 s of CPU, so a loaded machine does not stretch an answer that far)."""
    for name in TIMING_OUT:
        path = desk / "connectors" / f"{name}.json"
        connector = json.loads(path.read_text())
        assert connector["request"]["timeout_s"] > seconds  # the sample still times out at its own pace
        connector["request"]["timeout_s"] = seconds
        path.write_text(json.dumps(connector))


async def workbench(*args: str | Path) -> tuple[int, str, str]:
    """``workbench ARGS`` in this process (:func:`run_workbench`) on a worker thread, while this test's event loop
    keeps serving; ``SHOP_TOKEN`` set for the call. (Each command's child-process smoke test is in tests/cli.)"""
    done = await asyncio.to_thread(run_workbench, *args, env={"SHOP_TOKEN": TOKEN})
    return done.returncode, done.stdout, done.stderr


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
    short_timeouts(desk_copy)
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
