"""The run panel builds its debug view when it first shows, or when a key needs it (a terminal too narrow for the
panel starts without it): until the view is there, the editors work without it, and the debugger's keys pressed
meanwhile act, in order, once it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import front_editor, open_item, running, told, workbench_of
from tests.tui.debug.harness import brisk, state
from tests.waiting import mounted, wait_until
from workbench.tui.debug.live_request_screen import LiveRequestScreen
from workbench.tui.debug.messages import CURRENT, TAKEN
from workbench.tui.debug.view import DebugView
from workbench.tui.widgets.debug_panel import DebugPanel
from workbench.tui.widgets.procedure_editor import ProcedureEditor


async def test_a_terminal_too_narrow_for_the_run_panel_starts_without_its_view(desk_copy: Path) -> None:
    async with running(desk_copy, (120, 36)) as pilot:
        app = workbench_of(pilot)
        assert not app.main.debug_panel.display and not app.query(DebugView)
        await open_item(pilot, "procedure", "Refund request")
        await pilot.press("ctrl+o")  # the panel shows: its view is built, and runs the procedure in front
        view = await mounted(lambda: app.main.debugger, pilot, what="the debug view")
        await wait_until(lambda: view.run_bar.procedure == "Refund request", pilot, what="the procedure in front")


async def test_keys_before_the_view_is_there_act_in_order_once_it_is(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load = DebugPanel.load
    monkeypatch.setattr(DebugPanel, "load", lambda self: None)  # the view comes when the test says
    async with running(brisk(desk_copy), (160, 48)) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(app, ProcedureEditor)
        await editor.select_step("big-order")
        editor.outline.focus()
        for key in ("f9", "f5", "shift+f5", "ctrl+r"):
            await pilot.press(key)
        assert "Finish a run first (F5), then record it as a scenario." in told(app)  # Ctrl+R: nothing ran yet
        await open_item(pilot, "connector", "Get orders")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, LiveRequestScreen)  # Ctrl+T: the default environment's request
        assert not app.query(DebugView) and app.is_running
        await pilot.press("escape")
        await open_item(pilot, "procedure", "Order status")
        load(app.main.debug_panel)
        view = await mounted(lambda: app.main.debugger, pilot, what="the debug view")
        await wait_until(
            lambda: state(view) == "paused" and view.current_step is not None,
            pilot,
            what="the run F5 started, paused at F9's breakpoint",
        )
        assert view.current_step == ("Order status", "big-order")
        outline = front_editor(app, ProcedureEditor).outline
        await wait_until(lambda: outline.markers == {"lookup": TAKEN, "big-order": CURRENT}, pilot, what="the marks")
        assert view.breakpoints == {"Order status": frozenset({"big-order"})}
