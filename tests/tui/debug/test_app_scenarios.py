"""The Scenarios tab in the app: a save that breaks a scenario shows it failing, explained, and the author can
go to the step where the run turned, debug it paused there, or accept the new behaviour (and undo that)."""

from __future__ import annotations

import threading
from pathlib import Path

import orjson
import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent, TextArea

from tests.quick_pilot import quick_test
from tests.tui.conftest import front_editor, open_item, running, workbench_of
from tests.tui.debug.harness import brisk, state
from tests.waiting import mounted, wait_until
from workbench.editing.edit_session import EditSession
from workbench.scenarios.board import Verdict
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug.scenarios_pane import Reported, ScenariosPane
from workbench.tui.focus import give_focus
from workbench.tui.screens.pickers import ConfirmScreen
from workbench.tui.widgets.procedure_editor import ProcedureEditor

WIDE = (160, 48)
BROKEN = "order-in-transit-shows-tracking.json"


def pane_of(app: WorkbenchApp) -> ScenariosPane:
    return app.main.debugger.scenarios


def badge_of(app: WorkbenchApp, procedure: str) -> str:
    entry = app.session.find("procedure", procedure)
    assert entry is not None, procedure
    return app.tree.test_badges.get(entry, "")


def _line_of(app: WorkbenchApp, procedure: str) -> int:
    entry = app.session.find("procedure", procedure)
    return next(line for line in range(app.tree.last_line + 1) if app.tree.get_node_at_line(line).data is entry)


async def break_order_status(pilot: Pilot[None]) -> WorkbenchApp:
    """Make Order status hand off orders that are still processing (its form's edit, then Ctrl+S): the in-transit
    and the cancelled-order scenarios no longer take their paths."""
    app = workbench_of(pilot)
    await open_item(pilot, "procedure", "Order status")
    editor = app.current_editor
    step = editor.entry.model.step("big-order")
    step.branches[1].when.value = "processing"
    editor.edited()
    await pilot.press("ctrl+s")
    await wait_until(lambda: badge_of(app, "Order status") == "✗2", pilot=pilot)
    return app


async def select_failure(pilot: Pilot[None], app: WorkbenchApp) -> ScenariosPane:
    """The Scenarios tab in front, its list focused, on the broken scenario's row (F6 going round the run panel's
    tabs is tests/tui/debug/test_mock_server.py's)."""
    app.main.debugger.query_one(TabbedContent).active = "scenarios"
    pane = pane_of(app)
    give_focus(pane.table)
    await wait_until(lambda: pane.table.has_focus, pilot=pilot, what="the scenario list focused")
    pane.table.move_cursor(row=pane.table.get_row_index(BROKEN))
    await pilot.pause()
    return pane


async def test_a_broken_scenario_is_shown_explained_gone_to_accepted_undone_and_debugged(desk_copy: Path) -> None:
    """After a save that breaks two scenarios (one app, four tests once, each starting it and breaking them):

    - the broken scenario shows failing and explained, the badge in the tree and the editor's title, only
      scenarios that can reach the procedure run, the list's rows kept and their cells redrawn;
    - ``g`` selects the step where the run turned, in the outline;
    - ``u`` asks first (Escape writes nothing), then writes the new behaviour into the file, and undo restores it;
    - ``d`` debugs the failure, paused where the run turned, with the scenario's own attributes."""
    path = desk_copy / "scenarios" / BROKEN
    before = path.read_bytes().replace(b'"grace@example.com"', b'"ada@example.com"')
    path.write_bytes(before)  # not the workspace's default customer; the file as the app writes it
    async with running(brisk(desk_copy), WIDE) as pilot:
        table = pane_of(workbench_of(pilot)).table
        drawn = dict(table.rows)
        app = await break_order_status(pilot)
        assert drawn and all(table.rows[key] is row for key, row in drawn.items())  # cells redrawn, rows kept
        assert "▶✗2 Order status" in str(app.tree.get_node_at_line(_line_of(app, "Order status")).label)
        pane = await select_failure(pilot, app)
        row = pane.board.row(BROKEN)
        assert row is not None and row.status == "failed"
        others = [other for other in pane.board.rows.values() if other.procedure == "Order status"]
        assert sorted(other.status for other in others).count("failed") == 2
        assert all(other.status in ("passed", "failed") for other in others)
        # scenarios of procedures that cannot reach Order status did not run
        assert all(
            row.status == "not run" for row in pane.board.rows.values() if row.procedure == "Cancel subscription"
        )
        explanation = pane.query_one("#scenario-explanation", TextArea).text
        assert "the paths diverge at step 3: expected 'tracking', the run went to 'cancelled-handoff'" in explanation
        assert "scenarios ✗2" in front_editor(app, ProcedureEditor)._title()

        await pilot.press("g")  # go to the failure
        outline = front_editor(app, ProcedureEditor).outline
        await wait_until(lambda: outline.current is not None and outline.current.step_id == "big-order", pilot=pilot)
        assert outline.has_focus

        pane.table.focus()  # accept the new behaviour
        await pilot.pause()
        await pilot.press("u")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen), pilot=pilot)
        assert isinstance(app.screen, ConfirmScreen) and '+    "cancelled-handoff"' in app.screen.question
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(app.screen, ConfirmScreen), pilot=pilot)
        assert path.read_bytes() == before

        await pilot.press("u")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen), pilot=pilot)
        await pilot.press("y")
        await wait_until(
            lambda: orjson.loads(path.read_bytes())["expect"]["path"] == ["lookup", "big-order", "cancelled-handoff"],
            pilot=pilot,
        )
        await wait_until(lambda: badge_of(app, "Order status") == "✗1", pilot=pilot)  # the cancelled order still fails
        assert pane.board.row(BROKEN).status == "passed"

        pane.table.focus()
        await pilot.press("ctrl+z")
        await wait_until(lambda: path.read_bytes() == before, pilot=pilot)
        await wait_until(lambda: badge_of(app, "Order status") == "✗2", pilot=pilot)

        pane.table.move_cursor(row=pane.table.get_row_index(BROKEN))  # debug the failure
        await pilot.pause()
        await pilot.press("d")
        await wait_until(lambda: state(app.main.debugger) == "paused", pilot=pilot)
        assert app.main.debugger.current_step == ("Order status", "big-order")
        debug_run = app.main.debugger.debug_run
        assert debug_run is not None and debug_run.procedure == "Order status"
        assert debug_run.run.context.resolve("User > email").value == "ada@example.com"
        called = next(event for event in debug_run.events if event.type == "connector_called")
        assert called.payload.inputs == {"email": "ada@example.com"}


async def test_a_workspace_that_loads_after_the_run_panel_fills_its_lists(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine the run panel can mount before the workspace has loaded: it still lists everything."""
    view_mounted = threading.Event()
    load = EditSession.load

    def load_after_the_view(root: Path | str) -> EditSession:
        assert view_mounted.wait(timeout=120), "the run panel never mounted"
        return load(root)

    monkeypatch.setattr(EditSession, "load", staticmethod(load_after_the_view))
    app = WorkbenchApp(desk_copy, lint_delay=0.01, watch_interval=3600)
    async with quick_test(app, size=WIDE) as pilot:
        table = await mounted(lambda: pane_of(app).table, pilot, what="the run panel's scenario list")
        assert app.session is None and table.row_count == 0
        view_mounted.set()
        await wait_until(lambda: app.session is not None, pilot=pilot, what="the workspace")
        await wait_until(lambda: pane_of(app).table.row_count == len(app.session.scenarios()), pilot=pilot)
        assert app.main.debugger.run_bar.procedure is not None


async def test_verdicts_pouring_in_are_shown_a_redraw_at_a_time_and_none_is_lost(desk_copy: Path) -> None:
    async with running(desk_copy, WIDE) as pilot:
        app = workbench_of(pilot)
        pane = pane_of(app)
        await wait_until(lambda: pane.table.row_count > 3, pilot=pilot)
        pane.redraw_s = 3600.0  # the next redraw waits for the test, not for a clock
        first, *later = [row.case.path for row in list(pane.board.rows.values())[:4]]
        generation, _ = pane.board.queue([pane.board.rows[path.name] for path in (first, *later)])

        def status(path: Path) -> str:  # rows are looked up each time: a resync replaces them
            row = pane.board.row(path.name)
            return row.status if row is not None else "gone"

        def drawn(path: Path) -> str:
            return str(pane.table.get_cell(path.name, "status"))

        assert not pane.showing  # the Run log tab is in front: the list is drawn when it is shown
        pane.post_message(Reported([Verdict(first, "passed", 0.01)], generation))
        await wait_until(lambda: status(first) == "passed", pilot=pilot)
        assert drawn(first) != "✓"
        app.main.debugger.query_one(TabbedContent).active = "scenarios"
        await wait_until(lambda: drawn(first) == "✓", pilot=pilot, what="the row drawn once the tab shows")
        for path in later:
            pane.post_message(Reported([Verdict(path, "failed", 0.01, "expected more")], generation))
        await wait_until(lambda: all(status(path) == "failed" for path in later), pilot=pilot)
        assert "✗" not in [drawn(path) for path in later]  # taken in, not drawn yet

        pane._show_finished()  # the redraw tick
        assert [drawn(path) for path in later] == ["✗"] * len(later)
        assert "3 FAIL" in str(pane.query_one("#scenario-summary", Static).render())
