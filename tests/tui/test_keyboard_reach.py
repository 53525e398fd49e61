"""Keyboard reachability (issue 22): in every editor, Tab from the first control visits every focusable control
once and comes back to it, and Shift+Tab goes round the other way, never leaving the editor (the editor tier:
each editor in a small app, between two fields a key leaving it would reach)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from tests.tui.conftest import settle
from tests.tui.editor_host import hosting
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


async def walk_round(pilot: Pilot[None], editor: EntryEditor) -> None:
    """Tab from the editor's first control, then Shift+Tab: each visits every control and comes back."""
    app = pilot.app
    expected = controls(editor)
    assert expected, "no control to walk"
    for key in ("tab", "shift+tab"):
        start = expected[0]
        give_focus(start)
        await pilot.pause()
        assert app.focused is start
        visited = []
        for _ in expected:
            await pilot.press(key)
            focused = app.focused
            assert focused is not None and editor in focused.ancestors, f"{key} left the editor for {focused!r}"
            visited.append(focused)
        assert visited[-1] is start, f"{key} did not come back to {start!r} after {len(expected)} presses"
        missed = [widget for widget in expected if widget not in visited]
        assert not missed, f"{key} never reached {missed}"


PROCEDURE_PLACES = [
    ("Order status", OutlineRef(step_id="lookup")),  # instruction
    ("Order status", OutlineRef(step_id="big-order")),  # condition
    ("Order status", OutlineRef(step_id="done")),  # end
    ("Cancel subscription", OutlineRef(step_id="reason")),  # collect
    ("Refund request", OutlineRef(step_id="eligibility")),  # subprocedure
    ("Order status", OutlineRef(slot=Slot("big-order", "branch", 0))),  # code test
    ("Order status", OutlineRef(slot=Slot("big-order", "branch", 1))),  # attribute test
    ("Cancel subscription", OutlineRef(slot=Slot("state", "branch", 1))),  # described test
    ("Order status", OutlineRef(slot=Slot("big-order", "else"))),
]


@pytest.mark.parametrize(("procedure", "ref"), PROCEDURE_PLACES, ids=lambda value: str(value))
async def test_tab_goes_round_the_procedure_editor(desk_copy: Path, procedure: str, ref: OutlineRef) -> None:
    async with hosting(desk_copy, "procedure", procedure) as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        editor.outline.select_ref(ref)
        await settle(pilot)
        assert editor.form.ref == ref
        await walk_round(pilot, editor)


@pytest.mark.parametrize(
    "tab", ["tab-request", "tab-inputs", "tab-response", "tab-rules", "tab-transform", "tab-environment"]
)
async def test_tab_goes_round_each_connector_tab(desk_copy: Path, tab: str) -> None:
    async with hosting(desk_copy, "connector", "Get subscription") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        editor.show_tab(tab)
        await settle(pilot)
        await walk_round(pilot, editor)


async def test_tab_goes_round_the_settings_editor(desk_copy: Path) -> None:
    async with hosting(desk_copy, "workspace") as (pilot, editor):
        await walk_round(pilot, editor)


@pytest.mark.parametrize("tab", ["tab-scenario", "tab-mocks", "tab-expect", "tab-simulation", "tab-json"])
@pytest.mark.parametrize("simulated", [False, True])
async def test_tab_goes_round_each_scenario_tab(desk_copy: Path, tab: str, simulated: bool) -> None:
    async with hosting(desk_copy, "scenario", "Big order ships in parts") as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        if simulated:  # the simulation's own fields (the sample's scenarios have none)
            editor.show_tab("tab-simulation")
            give_focus(editor.query_one("#simulation-add"))
            await pilot.press("enter")
            await settle(pilot)
            assert editor.scenario.simulation is not None
        editor.show_tab(tab)
        await settle(pilot)
        await walk_round(pilot, editor)
