"""The run panel loads after the first frame (its engine import is slow on a busy machine): until it is there, the
app's debugger keys and the editors that mark their outlines work without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import open_item, running, told, workbench_of
from workbench.tui.debug.live_request_screen import LiveRequestScreen
from workbench.tui.debug.view import DebugView
from workbench.tui.widgets.debug_panel import DebugPanel


async def test_keys_and_editors_before_the_run_panel_has_loaded(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DebugPanel, "on_mount", lambda self: None)  # the run panel never comes
    async with running(desk_copy, (160, 48)) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        for key in ("f9", "f5", "f10", "shift+f5", "f6", "ctrl+r"):
            await pilot.press(key)
        said = told(app)
        for key in ("F9", "F5", "F10", "Shift+F5", "F6"):
            assert f"The run panel is still loading: press {key} again in a moment." in said
        assert "Finish a run first (F5), then record it as a scenario." in said  # Ctrl+R: nothing ran yet
        await open_item(pilot, "connector", "Get orders")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, LiveRequestScreen)  # Ctrl+T: the default environment's request
        assert not app.query(DebugView) and app.is_running
