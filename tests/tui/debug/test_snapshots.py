"""Snapshots of the debug view paused in a real run (timings come from a fake clock, so they do not vary)."""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot

from tests.conftest import SUPPORT_DESK
from tests.tui.conftest import Snapshot, screen_text
from tests.tui.debug.harness import DebugApp, FakeClock
from tests.waiting import wait_until


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workbench.engine.recorder.time", FakeClock())
    monkeypatch.setattr("workbench.connectors.mock.time", FakeClock())


def test_paused_at_a_breakpoint_with_a_response_selected(snapshot: Snapshot, fake_clock: None) -> None:
    app = DebugApp(SUPPORT_DESK, "Order status")

    async def pause_and_select(pilot: Pilot[None]) -> None:
        app.selected = "big-order"
        await pilot.press("f9", "f5")
        await wait_until(lambda: app.reached and app.reached[-1][1] == "big-order", pilot)
        app.view.run_log.focus()
        await pilot.press("home", "down", "down", "down")
        await wait_until(lambda: "connector_responded" in screen_text(app), pilot, what="the response's detail")

    matches, screen = snapshot(app, (100, 40), pause_and_select)
    assert "paused before big-order (breakpoint)" in screen
    assert re.search(r"connector_responded +#4 at 0\.004s", screen) and '"order_id": "ORD-1001"' in screen
    assert matches
