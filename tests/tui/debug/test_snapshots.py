"""Snapshots of the debug view paused in a real run (timings come from a fake clock, so they do not vary)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.conftest import SUPPORT_DESK
from tests.tui.debug.harness import DebugApp, FakeClock, wait_until


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workbench.engine.recorder.time", FakeClock())
    monkeypatch.setattr("workbench.connectors.mock.time", FakeClock())


def test_paused_at_a_breakpoint_with_a_response_selected(snap_compare, fake_clock: None) -> None:  # type: ignore[no-untyped-def]
    app = DebugApp(SUPPORT_DESK, "Order status")

    async def pause_and_select(pilot: Pilot[None]) -> None:
        app.selected = "big-order"
        await pilot.press("f9", "f5")
        await wait_until(pilot, lambda: app.reached and app.reached[-1][1] == "big-order")
        app.view.run_log.focus()
        await pilot.press("home", "down", "down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 40), run_before=pause_and_select)
