"""Keyboard reachability (issue 22): in every editor, Tab from the first control visits every focusable control
once and comes back to it, and Shift+Tab goes round the other way, never leaving the editor (the editor tier:
each editor in a small app, between two fields a key leaving it would reach)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widget import Widget

from tests.quick_pilot import QuickPilot
from tests.tui.conftest import settle
from tests.tui.editor_host import hosting
from tests.waiting import wait_until
from workbench.editing.step_ops import Slot
from workbench.tui.focus import give_focus
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.scenario_editor import ScenarioEditor
from workbench.tui.widgets.step_outline import OutlineRef


def controls(editor: EntryEditor) -> list[Widget]:
    """Every control of the editor a user can see and focus, found from the DOM (not from Textual's focus chain)."""

    def shown(widget: Widget) -> bool:
        for node in widget.ancestors_with_self:
            if not node.display or node.styles.visibility == "hidden":
                return False
            if node is editor:
                return True
            if node is not widget and isinstance(node, Widget) and not node.allow_focus_children():
                return False
        return False

    return [widget for widget in editor.query("*") if widget.focusable and shown(widget)]


async def walk_round(pilot: QuickPilot[None], editor: EntryEditor, where: str = "") -> None:
    """Tab from the editor's first control, then Shift+Tab: each visits every control and comes back.

    Each key is a real key event, handled as a typed one (bindings, the editor's focus trap), one at a time: the
    next is sent once the focus has moved and the controls it moved between, and their containers, have handled
    what was queued to them. The screen is not drawn during the walk (drawing the whole screen per key was most of
    the walk's time, and focus does not depend on it): it is drawn once both ways are walked."""
    app = pilot.app
    expected = controls(editor)
    assert expected, f"no control to walk{where}"
    with app.batch_update():
        for key in ("tab", "shift+tab"):
            start = expected[0]
            give_focus(start)
            await pilot.pause()
            assert app.focused is start
            visited = []
            for _ in expected:
                focused = await press_for_focus(pilot, key)
                assert focused is not None and editor in focused.ancestors, (
                    f"{key} left the editor{where} for {focused!r}"
                )
                visited.append(focused)
            assert visited[-1] is start, f"{key} did not come back to {start!r}{where} after {len(expected)} presses"
            missed = [widget for widget in expected if widget not in visited]
            assert not missed, f"{key} never reached {missed}{where}"
    await pilot.pause()


KEY_CHARACTERS = {"tab": "\t", "shift+tab": None}
"""The character a terminal sends with each key the walk presses (as Textual's pilot makes the event)."""


async def press_for_focus(pilot: QuickPilot[None], key: str) -> Widget | None:
    """Press ``key`` and return the control it moved the focus to, once that control, the one it left and their
    containers have handled what was queued to them (their Focus, Blur and DescendantFocus: a focus trap or a tab
    moving the focus on: ``QuickPilot.handled`` given those nodes). ``pilot.press`` waits instead for every widget
    on the screen, and draws it."""
    app = pilot.app
    before = app.focused
    event = events.Key(key, KEY_CHARACTERS[key])
    event.set_sender(app)
    app.post_message(event)
    await wait_until(lambda: app.focused is not before, what=f"{key} to move the focus from {before!r}")
    focused = app.focused
    await pilot.handled(nodes={node for widget in (before, focused) if widget for node in widget.ancestors_with_self})
    return focused


PROCEDURE_PLACES = {
    "Order status": [
        OutlineRef(step_id="lookup"),  # instruction
        OutlineRef(step_id="big-order"),  # condition
        OutlineRef(step_id="done"),  # end
        OutlineRef(slot=Slot("big-order", "branch", 0)),  # code test
        OutlineRef(slot=Slot("big-order", "branch", 1)),  # attribute test
        OutlineRef(slot=Slot("big-order", "else")),
    ],
    "Cancel subscription": [
        OutlineRef(step_id="reason"),  # collect
        OutlineRef(slot=Slot("state", "branch", 1)),  # described test
    ],
    "Refund request": [OutlineRef(step_id="eligibility")],  # subprocedure
}
"""A place of each kind in the procedure editor, by procedure: one editor serves its procedure's places."""


@pytest.mark.parametrize("procedure", list(PROCEDURE_PLACES))
async def test_tab_goes_round_the_procedure_editor(desk_copy: Path, procedure: str) -> None:
    """At each place of the procedure (a step of each kind, a test of each kind, an else), both ways round."""
    async with hosting(desk_copy, "procedure", procedure) as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        for ref in PROCEDURE_PLACES[procedure]:
            editor.outline.select_ref(ref)
            await settle(pilot)
            assert editor.form.ref == ref
            await walk_round(pilot, editor, f" at {ref}")


CONNECTOR_TABS = ["tab-request", "tab-inputs", "tab-response", "tab-rules", "tab-transform", "tab-environment"]


async def test_tab_goes_round_each_connector_tab(desk_copy: Path) -> None:
    """On each tab of a connector's editor, one after the other in one editor, both ways round."""
    async with hosting(desk_copy, "connector", "Get subscription") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        for tab in CONNECTOR_TABS:
            await editor.show_tab(tab)
            await settle(pilot)
            await walk_round(pilot, editor, f" on {tab}")


async def test_tab_goes_round_the_settings_editor(desk_copy: Path) -> None:
    async with hosting(desk_copy, "workspace") as (pilot, editor):
        await walk_round(pilot, editor)


SCENARIO_TABS = ["tab-scenario", "tab-mocks", "tab-expect", "tab-simulation", "tab-json"]


async def test_tab_goes_round_each_scenario_tab(desk_copy: Path) -> None:
    """On each tab of a scenario's editor, then on its Simulation tab with a simulation (its own fields: the
    sample's scenarios have none), in one editor, both ways round."""
    async with hosting(desk_copy, "scenario", "Big order ships in parts") as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        for tab in SCENARIO_TABS:
            await editor.show_tab(tab)
            await settle(pilot)
            await walk_round(pilot, editor, f" on {tab}")
        await editor.show_tab("tab-simulation")
        give_focus(editor.query_one("#simulation-add"))
        await pilot.press("enter")
        await settle(pilot)
        assert editor.scenario.simulation is not None
        await walk_round(pilot, editor, " on tab-simulation with a simulation")
