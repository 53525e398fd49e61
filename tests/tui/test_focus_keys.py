"""Keys of issue 22's bug 8: each acts where the focus is, as its name says."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent
from textual.widgets._footer import FooterKey

from tests.tui.conftest import open_item, running, settle, workbench_of
from tests.tui.editor_host import hosting
from tests.waiting import wait_until
from workbench.tui.debug.live_request_screen import LiveRequestScreen
from workbench.tui.screens.pickers import NewItemScreen
from workbench.tui.screens.rename import RenameScreen
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.inputs_editor import InputsEditor
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef


async def _connector(pilot: Pilot[None], tab: str) -> ConnectorEditor:
    await open_item(pilot, "connector", "Get orders")
    editor = workbench_of(pilot).current_editor
    assert isinstance(editor, ConnectorEditor)
    await editor.show_tab(tab)
    await settle(pilot)
    return editor


async def _instruction_text(pilot: Pilot[None]) -> tuple[ProcedureEditor, MentionArea]:
    """Order status open, its first instruction's text focused."""
    await open_item(pilot, "procedure", "Order status")
    editor = workbench_of(pilot).current_editor
    assert isinstance(editor, ProcedureEditor)
    editor.outline.select_ref(OutlineRef(step_id="lookup"))
    await settle(pilot)
    area = editor.form.query_one("#text", MentionArea)
    area.focus()
    await pilot.pause()
    return editor, area


async def test_in_a_connector_f3_the_test_request_dialog_ctrl_n_a_and_ctrl_pagedown_act_where_the_focus_is(
    desk_copy: Path,
) -> None:
    """One app on Get orders, what were three tests: F3 comes back to the connector tab that was shown; the test
    request dialog never lets typing replace a filled input; in the inputs table Ctrl+N is the app's New item, "a"
    adds an input and Ctrl+PageDown shows the next tab."""
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        editor = await _connector(pilot, "tab-response")
        await pilot.press("f2", "f3")
        await settle(pilot)
        assert editor.query_one(TabbedContent).active == "tab-response"
        pane = editor.query_one("#tab-response")
        assert app.focused is not None and pane in app.focused.ancestors

        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, LiveRequestScreen), pilot, what="the test request dialog")
        await pilot.pause()
        field = app.focused
        assert isinstance(field, Input)
        filled = field.value
        assert filled, "the dialog's first input is filled"
        await pilot.press("x")
        assert field.value == filled + "x"
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(app.screen, LiveRequestScreen), pilot, what="the dialog closed")

        await editor.show_tab("tab-inputs")
        await settle(pilot)
        inputs = editor.query_one(InputsEditor)
        before = len(inputs.inputs)
        inputs.query_one("#inputs-table").focus()
        await pilot.pause()
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewItemScreen), pilot, what="the New item dialog")
        assert len(inputs.inputs) == before
        await pilot.press("escape")
        await settle(pilot)
        assert ("a", "Add input") in [(key.key, key.description) for key in app.query(FooterKey)]
        await pilot.press("a")
        await settle(pilot)
        assert len(inputs.inputs) == before + 1
        table = inputs.query_one("#inputs-table")
        table.focus()
        await pilot.pause()
        assert app.focused is table
        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert editor.query_one(TabbedContent).active == "tab-response"


async def test_f7_from_the_instruction_text_renames_the_procedure_the_bars_follow_and_the_environment_picker_answers(
    desk_copy: Path,
) -> None:
    """F7 and the palette rename the procedure from its instruction text (a text area's own F7 does not win); the
    title bar and the run panel then show the new name. (One app: the run panel's environment picker is checked in
    it too.)"""
    async with running(desk_copy, size=(160, 48)) as pilot:
        app = workbench_of(pilot)
        await _instruction_text(pilot)
        await wait_until(lambda: app.main.debugger.run_bar.procedure == "Order status", pilot, what="the run bar")
        assert "Rename…" in [command.title for command in app.main.palette_commands(app.screen)]
        await pilot.press("f7")
        await wait_until(lambda: isinstance(app.screen, RenameScreen), pilot, what="the Rename dialog")
        await pilot.press("ctrl+a", *"Parcel")
        await wait_until(
            lambda: isinstance(app.screen, RenameScreen) and app.screen.current is not None,
            pilot,
            what="the rename preview",
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.sub_title.endswith("· Parcel")
        assert app.main.debugger.run_bar.procedure == "Parcel"
        # The run panel's environment picker answers Down and Enter and says what it runs with.
        picker = app.main.debugger.run_bar.query_one("#run-environment", Select)
        picker.focus()
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # open, from "local" round to the blank choice, choose it
        await settle(pilot)
        assert picker.value is Select.NULL
        # the blank runs with the workspace's default environment: it says so (it read "no environment")
        assert app.debug_control.environment() == "local"
        assert "default environment" in str(picker.query_one("SelectCurrent Static#label").render())


async def test_a_key_right_after_shift_tab_into_the_step_id_edits_it_where_the_caret_is(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        editor.outline.select_ref(OutlineRef(step_id="lookup"))
        await settle(pilot)
        editor.form.query_one("#text", MentionArea).focus()
        await pilot.pause()
        await pilot.press("shift+tab", "x")  # no select-all on focus (which could also undo an End pressed at once)
        await settle(pilot)
        assert editor.entry.model.step("lookupx") is not None  # not "x": the id was not selected and replaced
        await pilot.press("home", "y")
        await settle(pilot)
        assert editor.entry.model.step("ylookupx") is not None


async def test_tree_marks_stay_visible_on_a_long_name_and_lint_and_scenario_marks_differ(desk_copy: Path) -> None:
    path = desk_copy / "procedures" / "order-status.json"
    path.write_text(path.read_text().replace('"Order status"', '"Where is my parcel, and when will it come at last"'))
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        assert app.session is not None
        entry = app.session.find("procedure", "Where is my parcel, and when will it come at last")
        assert entry is not None
        app.tree.set_badges({entry: "✗1"})
        app.tree.set_test_badges({entry: "✗1"})
        await pilot.pause()
        line = next(node.line for node in app.tree._entry_nodes.values() if node.data is entry)
        drawn = app.tree.render_line(line - app.tree.scroll_offset.y).text
        assert "✗1" in drawn and "▶✗1" in drawn, drawn  # both shown in a 30-column pane, told apart
        assert drawn.count("✗1") == 2
