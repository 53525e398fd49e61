"""The debugger inside the whole app, on a copy of the support desk: keys, outline markers, context edits,
a live test request saved as the example, recording the run, and a snapshot of a paused run."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from textual.pilot import Pilot

from tests.connectors.server import LoopbackServer, json_reply
from tests.tui.conftest import Snapshot, open_item, running, settle, workbench_of
from tests.tui.debug.harness import FakeClock, brisk, edit, finished, state
from tests.tui.editor_host import typed
from tests.waiting import wait_until
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug.live_request_screen import LiveRequestScreen
from workbench.tui.debug.messages import BREAKPOINT, CURRENT, TAKEN
from workbench.tui.screens.pickers import NewItemScreen

WIDE = (160, 48)


async def pause_at_big_order(pilot: Pilot[None]) -> WorkbenchApp:
    """Open Order status, F9 on big-order, F5 until it pauses there."""
    app = workbench_of(pilot)
    await open_item(pilot, "procedure", "Order status")
    await app.current_editor.select_step("big-order")
    app.current_editor.outline.focus()
    await pilot.press("f9", "f5")
    await wait_until(lambda: state(app.main.debugger) == "paused" and app.main.debugger.current_step is not None, pilot)
    await pilot.pause()
    return app


async def test_a_paused_run_is_marked_in_the_outline_an_edit_changes_the_branch_and_a_run_is_recorded(
    desk_copy: Path,
) -> None:
    """Paused at a breakpoint, the outline marks the steps taken and the current one; a context value edited
    changes the branch taken. A run again to its end is recorded (Ctrl+R) as a scenario expecting its path.
    (Two tests once, each starting the app and pausing it.)"""
    async with running(brisk(desk_copy), WIDE) as pilot:
        app = await pause_at_big_order(pilot)
        outline = app.current_editor.outline
        assert outline.markers == {"lookup": TAKEN, "big-order": CURRENT}
        assert outline.current is not None and outline.current.step_id == "big-order"
        await edit(pilot, app.main.debugger, ("Temporary attributes", "Get orders", "status"), "cancelled")
        await pilot.press("f10")
        await wait_until(lambda: app.main.debugger.current_step == ("Order status", "cancelled-handoff"), pilot)
        await pilot.press("f5")
        await finished(pilot, app.main.debugger)
        assert app.main.debugger.run_log.events[-1].type == "run_finished"
        assert app.main.debugger.run_log.events[-1].payload.outcome == "handoff"
        assert outline.markers == {"lookup": TAKEN, "big-order": BREAKPOINT, "cancelled-handoff": TAKEN}

        outline.focus()
        await pilot.press("f5")  # again, to the breakpoint, then on to the end as the workspace says
        await wait_until(lambda: state(app.main.debugger) == "paused", pilot)
        await pilot.press("f5")
        await finished(pilot, app.main.debugger)
        await pilot.press("ctrl+r")
        await wait_until(lambda: isinstance(app.screen, NewItemScreen), pilot)
        await typed(pilot, *"Order keeps shipping", "enter")
        await settle(pilot)
    saved = orjson.loads((desk_copy / "scenarios" / "order-keeps-shipping.json").read_bytes())
    assert saved["name"] == "Order keeps shipping" and saved["procedure"] == "Order status"
    assert saved["expect"]["path"] == ["lookup", "big-order", "tracking", "done"]


async def test_a_live_test_request_becomes_the_example(desk_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+T on a connector sends its request to the environment's server, the secret from the environment;
    Ctrl+Y makes the reply the example, saved without the secret. (A terminal too narrow for the run panel: the
    request needs none of it.)"""
    monkeypatch.setenv("SHOP_TOKEN", "test-token")
    body = {"order_id": "ORD-LIVE", "status": "shipped", "items": []}
    async with (
        LoopbackServer({"/customers/grace@example.com/orders/latest": json_reply(body)}) as server,
        running(desk_copy) as pilot,
    ):
        app = workbench_of(pilot)
        app.session.workspace_settings.environments["local"]["base_url"] = server.url("").rstrip("/")
        await open_item(pilot, "connector", "Get orders")
        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, LiveRequestScreen), pilot)
        dialog = app.screen
        assert isinstance(dialog, LiveRequestScreen)
        await pilot.press("enter")
        await wait_until(lambda: dialog.reply is not None, pilot)
        reply = dialog.reply
        assert reply is not None and reply.ok and reply.body == body
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.session.find("connector", "Get orders").model.response.example.body == body
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert server.received[0].headers["authorization"] == "Bearer test-token"
    saved = orjson.loads((desk_copy / "connectors" / "get-orders.json").read_bytes())
    assert saved["response"]["example"]["body"] == body
    assert "test-token" not in (desk_copy / "connectors" / "get-orders.json").read_text()


def test_snapshot_of_a_paused_run(snapshot: Snapshot, desk_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workbench.engine.recorder.time", FakeClock())
    monkeypatch.setattr("workbench.connectors.mock.time", FakeClock())
    app = WorkbenchApp(desk_copy, lint_delay=0.01, watch_interval=3600)

    async def paused(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pause_at_big_order(pilot)
        await pilot.pause()  # not settle(): the paused run's worker never completes

    matches, screen = snapshot(app, WIDE, paused)
    assert "paused before big-order (breakpoint)" in screen  # the run panel says where it stopped
    assert "✓ lookup" in screen and "▶ big-order" in screen  # the outline marks the step taken and the current one
    assert matches
