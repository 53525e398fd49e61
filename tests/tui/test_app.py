"""The app's main flows, driven with the keyboard through Textual's pilot."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import orjson
from textual.pilot import Pilot
from textual.widgets import Button, Input

from tests.conftest import LINT_EXAMPLES
from tests.quick_pilot import quick_test
from tests.tui.conftest import open_item, record_notices, running, settle, told, workbench_of
from tests.tui.editor_host import hosting, typed
from tests.waiting import wait_until
from workbench.editing.edit_session import Entry
from workbench.editing.step_ops import Slot
from workbench.model.kinds import STEP_TYPES
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.pickers import (
    ChoiceScreen,
    ConfirmScreen,
    NewItemScreen,
    StepTypeScreen,
)
from workbench.tui.widgets.attribute_table import AttributeTable
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef
from workbench.tui.widgets.tabbed_editor import TabbedEditor


async def _type(pilot, area, text: str) -> None:
    """Type ``text`` into a text area: all but the last character at once, the last one as a key press."""
    area.insert(text[:-1])
    await pilot.press(text[-1])


async def _enter_step_text(pilot: Pilot[None], editor: ProcedureEditor, step_id: str) -> MentionArea:
    """Put the outline cursor on a step, press Enter, move to the end of its text."""
    editor.outline.select_ref(OutlineRef(step_id=step_id))
    await pilot.press("enter")
    await settle(pilot)
    area = editor.query_one(MentionArea)
    assert area.has_focus
    area.move_cursor(area.document.end)
    return area


async def _edit_step_text(pilot, procedure: str, step_id: str) -> MentionArea:
    """Open a procedure in the app and enter a step's text, the caret at its end."""
    await open_item(pilot, "procedure", procedure)
    editor = workbench_of(pilot).current_editor
    assert isinstance(editor, ProcedureEditor)
    return await _enter_step_text(pilot, editor, step_id)


@asynccontextmanager
async def _hosted_step_text(
    desk_copy: Path, procedure: str = "Order status", step_id: str = "lookup"
) -> AsyncIterator[tuple[Pilot[None], ProcedureEditor, MentionArea]]:
    """A procedure's editor alone (no app around it), a step's text entered, the caret at its end."""
    async with hosting(desk_copy, "procedure", procedure) as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        editor.outline.focus()
        yield pilot, editor, await _enter_step_text(pilot, editor, step_id)


@asynccontextmanager
async def _hosted(
    desk_copy: Path, kind: str, name: str, tab: str = ""
) -> AsyncIterator[tuple[Pilot[None], TabbedEditor]]:
    """The tabbed editor of one item alone (no app around it), on ``tab`` if given."""
    async with hosting(desk_copy, kind, name) as (pilot, editor):
        assert isinstance(editor, TabbedEditor)
        if tab:
            await editor.show_tab(tab)
            await settle(pilot)
        yield pilot, editor


async def test_opens_the_sample_showing_the_tree_items_open_saved_and_the_palette_and_f1_know_the_pane(
    desk_copy: Path,
) -> None:
    """One app: the workspace tree at start; opening a connector, a scenario and a procedure leaves each saved; the
    palette lists the app's actions, the focused pane's keys and the items; F1 shows the focused pane's keys."""
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        groups = [str(node.label) for node in app.tree.root.children]
        assert groups[:3] == ["Connectors (6)", "Procedures (5)", "Scenarios (23)"]
        assert app.findings == []
        assert app.problems.border_title == "Problems: none"
        assert app.tree.has_focus
        for kind, name in (
            ("connector", "Get subscription"),
            ("scenario", "Big order ships in parts"),
            ("procedure", "Order status"),
        ):
            await open_item(pilot, kind, name)
            assert not app.current_editor.entry.dirty, f"opening {name} marked it unsaved"
        app.current_editor.outline.focus()
        titles = [command.title for command in app.main.palette_commands(app.screen)]
        for expected in (
            "Add step",
            "Save",
            "Quit",
            "Save all",
            "New connector",
            "Toggle run panel",
            "Open procedure Order status",
            "Open connector Get orders",
            "Open settings (workbench.json)",
        ):
            assert expected in titles
        await pilot.press("f1")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, HelpScreen)
        titles = [section.title for section in screen.sections]
        assert titles[0] == "Step outline" and "Everywhere" in titles
        assert ("a", "Add step") in screen.sections[0].keys
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_at_opens_the_menu_read_an_attribute_inserts_it_and_marks_those_not_available_here(
    desk_copy: Path,
) -> None:
    """One hosted step text, what were three tests: @ opens the menu and "Read an attribute" inserts the chosen one
    into the step; an attribute not available at the step is shown apart and marked (Escape keeps what was typed);
    an @ typed in an email address opens no menu."""
    async with _hosted_step_text(desk_copy) as (pilot, editor, area):
        await pilot.press("space", "@")
        assert area.menu_open and area.menu.title == "Insert"
        assert [c.label for c in area.menu.index.candidates] == ["Call data connector", "Read an attribute"]
        await pilot.press("down", "enter")
        assert area.menu.title == "Read an attribute"
        await _type(pilot, area, "tracking")
        assert area.menu.selected().label == "Get orders > shipping > tracking_number"
        await pilot.press("enter")
        assert not area.menu_open
        assert area.text.endswith(" @read(Get orders > shipping > tracking_number)")
        await settle(pilot)
        procedure = editor.entry
        assert procedure.model.step("lookup").text == area.text
        assert procedure.dirty

        await pilot.press("space", "@", "down", "enter")
        await _type(pilot, area, "subscription > plan > name")
        menu = area.menu
        chosen = menu.selected()
        assert chosen.label == "Get subscription > plan > name" and not chosen.available
        assert chosen.reason == "not called before this step"
        drawn = str(menu.render())
        assert "⊘ Get subscription > plan > name" in drawn and "not available here" in drawn
        await pilot.press("escape")
        assert not area.menu_open and area.text.endswith(" @subscription > plan > name")

        await pilot.press("space", *"ada@")
        assert not area.menu_open and area.text.endswith(" ada@")


async def test_an_array_offers_its_connector_transform_and_ctrl_e_opens_it(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        area = await _edit_step_text(pilot, "Order status", "lookup")
        end = area.cursor_location
        await pilot.press("home", "ctrl+e")  # with no menu, the key keeps its text-area meaning
        assert area.cursor_location == end
        await pilot.press("space", "@", "down", "enter")
        await _type(pilot, area, "get orders > items")
        chosen = area.menu.selected()
        assert chosen.label == "Get orders > items" and chosen.detail == "array"
        assert "arrays are read whole: add a transform to pick items · Ctrl+E opens the transform" in str(
            area.menu.render()
        )
        await pilot.press("ctrl+e")
        app = workbench_of(pilot)
        await wait_until(lambda: isinstance(app.focused, CodeArea) and app.focused.id == "transform")
        editor = app.current_editor
        assert editor is not None and editor.entry.name == "Get orders"
        procedure = app.session.find("procedure", "Order status")
        assert procedure.model.step("lookup").text.endswith(" @get orders > items")  # what was typed, not inserted


async def test_code_conditions_complete_temporary_keys_and_attributes_follow_the_transform(desk_copy: Path) -> None:
    """The whole app computes each connector's transform output and lints its code (one app, what were two tests):
    a code condition completes the keys under a connector's name from that output; the attributes beside a
    connector's example follow its transform as it is edited, and a compile error is marked at its line."""
    async with running(desk_copy) as pilot:
        await open_item(pilot, "procedure", "Loyalty perks")
        editor = workbench_of(pilot).current_editor
        editor.outline.select_ref(OutlineRef(slot=Slot("tier", "branch", 0)))
        await pilot.press("enter")
        await settle(pilot)
        area = editor.query_one(CodeArea)
        assert area.has_focus
        area.move_cursor(area.document.end)
        await _type(pilot, area, ' and inputs["temporary"]["')
        assert area.menu_open
        candidates = {c.label: c for c in area.menu.index.candidates}
        assert candidates["Get order history"].available
        assert not candidates["Get orders"].available
        await _type(pilot, area, "order h")
        await pilot.press("enter")
        assert area.text.endswith('inputs["temporary"]["Get order history"]')
        await _type(pilot, area, '["')
        assert "order_count" in [c.label for c in area.menu.index.candidates]

        await pilot.press("escape")
        await open_item(pilot, "connector", "Get order history")
        editor = workbench_of(pilot).current_editor
        await editor.show_tab("tab-response")
        await settle(pilot)
        table = editor.query_one(AttributeTable)
        assert "Get order history > order_count" in table.rows and "after the transform" in str(table.border_subtitle)
        await editor.show_tab("tab-transform")
        transform = editor.query_one("#transform", CodeArea)
        transform.text = "return {'count': len(response['orders'])}"
        await wait_until(lambda: [key.value for key in table.rows] == ["Get order history > count"], pilot)
        transform.text = "return response["
        await wait_until(lambda: "the transform failed" in str(table.border_subtitle), pilot)
        await settle(pilot)
        assert str(editor.query_one("#transform-problems").render()).startswith("✗ line 1, column")
        assert list(transform.marks) == [0]  # the compile error is marked at its line


async def test_a_connector_s_environment_values_json_fields_and_mock_body_edit_it(desk_copy: Path) -> None:
    """One hosted editor of Get orders, the checks of four tests, one after the other: environment values edit the
    workspace settings (Ctrl+S saves them); Ctrl+F reindents a JSON field; broken JSON shows its line and column
    and blocks saving, and saves once fixed; editing the mock body updates the attributes beside it."""
    async with _hosted(desk_copy, "connector", "Get orders", "tab-environment") as (pilot, editor):
        value = editor.query_one("#env-base_url", Input)
        assert value.value == "http://127.0.0.1:8787"
        value.value = "http://127.0.0.1:9999"
        await settle(pilot)
        assert "GET http://127.0.0.1:9999/customers/{{email}}/orders/latest" in str(
            editor.query_one("#env-preview").render()
        )
        assert editor.session.settings.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = orjson.loads((desk_copy / "workbench.json").read_bytes())
        assert saved["environments"]["local"]["base_url"] == "http://127.0.0.1:9999"

        await editor.show_tab("tab-request")
        await settle(pilot)
        query = editor.query_one("#query", JsonField)
        query.area.focus()
        query.area.text = '{"expand":"items"}'
        await pilot.press("ctrl+f")
        assert query.area.text == '{\n  "expand": "items"\n}'

        await editor.show_tab("tab-response")
        await settle(pilot)
        table = editor.query_one(AttributeTable)
        assert "Get orders > shipping > tracking_number" in table.rows
        field = editor.query_one("#example-body", JsonField)
        field.area.focus()
        field.area.text = '{\n  "a": 1,\n  "b" 2\n}'
        await settle(pilot)
        assert field.problem is not None and (field.problem.line, field.problem.column) == (3, 7)
        assert "line 3, column 7" in str(field.query_one(".json-status").render())
        path = desk_copy / "connectors" / "get-orders.json"
        before = path.read_bytes()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert path.read_bytes() == before
        field.area.text = '{"a": 1, "b": 2}'
        await settle(pilot)
        assert field.problem is None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert orjson.loads(path.read_bytes())["response"]["example"]["body"] == {"a": 1, "b": 2}

        field.area.text = ""
        await _type(pilot, field.area, '{"order_id": "A-1", "eta": {"days": 3}}')
        await settle(pilot)
        assert sorted(str(key.value) for key in table.rows) == ["Get orders > eta > days", "Get orders > order_id"]
        assert editor.entry.model.response.example.body == {"order_id": "A-1", "eta": {"days": 3}}


def _tree_labels(pilot: Pilot[None]) -> dict[object, str]:
    tree = workbench_of(pilot).tree
    nodes = (tree.get_node_at_line(line) for line in range(tree.last_line + 1))
    return {node.data: str(node.label) for node in nodes if node is not None}


async def test_save_writes_only_the_changed_file_atomically_and_quit_with_unsaved_changes_asks_first(
    desk_copy: Path,
) -> None:
    """One app, what were two tests: Ctrl+S writes only the edited file, atomically, and clears the unsaved marks
    of the editor and the tree; an edit made next makes Ctrl+Q ask first (Escape stays, Discard quits without
    writing it)."""
    originals = {path: path.read_bytes() for path in desk_copy.rglob("*.json")}
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        area = await _edit_step_text(pilot, "Order status", "lookup")
        await _type(pilot, area, " Thanks!")
        await settle(pilot)
        entry = app.session.find("procedure", "Order status")
        assert entry.dirty and "● unsaved" in str(app.current_editor.query_one(".editor-title").render())
        assert _tree_labels(pilot)[entry] == "● Order status"  # the tree marks it too, and only it
        assert sum(label.startswith("● ") for label in _tree_labels(pilot).values()) == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not entry.dirty
        assert _tree_labels(pilot)[entry].endswith("Order status") and "●" not in _tree_labels(pilot)[entry]
        assert not list(desk_copy.rglob("*.tmp"))
        changed = [path for path, raw in originals.items() if path.read_bytes() != raw]
        assert changed == [desk_copy / "procedures" / "order-status.json"]
        saved = changed[0].read_bytes()
        assert orjson.loads(saved)["steps"][0]["text"] == area.text

        await pilot.press("x")
        await wait_until(lambda: entry.dirty, pilot, what="the edit to mark the procedure unsaved")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ChoiceScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert not app.is_running
    assert changed[0].read_bytes() == saved


async def test_outline_adds_moves_and_removes_steps(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        outline = editor.outline
        outline.focus()
        outline.select_ref(OutlineRef(step_id="lookup"))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StepTypeScreen)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        procedure = editor.entry.model
        assert [step.id for step in procedure.steps] == ["lookup", "collect-1", "big-order", "done"]
        outline.focus()
        await pilot.press("ctrl+up")
        assert [step.id for step in procedure.steps] == ["collect-1", "lookup", "big-order", "done"]
        await pilot.press("t", "home", *["down"] * STEP_TYPES.index("end"), "enter")
        await settle(pilot)
        assert procedure.steps[0].type == "end"
        outline.focus()
        await pilot.press("delete")
        await settle(pilot)
        assert [step.id for step in procedure.steps] == ["lookup", "big-order", "done"]
        outline.select_ref(OutlineRef(step_id="big-order"))
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert procedure.step("big-order") is not None


async def test_problems_are_listed_and_enter_jumps_to_the_place(tmp_path: Path) -> None:
    root = Path(shutil.copytree(LINT_EXAMPLES, tmp_path / "lint-examples"))
    async with running(root) as pilot:
        app = workbench_of(pilot)
        assert app.findings and app.problems.row_count == len(app.findings)
        index, finding = next(
            (i, f) for i, f in enumerate(app.findings) if f.rule == "attribute-before-call" and f.line is not None
        )
        app.problems.focus()
        app.problems.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.current_editor
        assert isinstance(editor, ProcedureEditor) and editor.entry.path == finding.path
        area = editor.query_one(MentionArea)
        assert finding.line is not None and finding.column is not None
        assert area.has_focus and area.cursor_location == (finding.line - 1, finding.column - 1)
        assert editor.outline.current == OutlineRef(step_id=finding.step)
        assert any("✗" in str(node.label) for node in app.tree.root.children[1].children)


def _shows_anew(app: WorkbenchApp, entry: Entry, before: EntryEditor | None) -> bool:
    """Whether a new editor of ``entry`` (not ``before``) is in front."""
    editor = app.current_editor
    return editor is not None and editor is not before and editor.entry is entry and editor.is_mounted


async def test_a_file_changed_on_disk_while_edited_asks(desk_copy: Path) -> None:
    async with running(desk_copy, watch_interval=0.25) as pilot:  # a scan a quarter second: each is a worker
        app = workbench_of(pilot)
        await _edit_step_text(pilot, "Order status", "lookup")
        await pilot.press("x")
        entry = app.session.find("procedure", "Order status")
        assert entry is not None
        await wait_until(lambda: entry.dirty, pilot, what="the edit to mark the procedure unsaved")
        editor = app.current_editor
        path = desk_copy / "procedures" / "order-status.json"
        path.write_bytes(path.read_bytes().replace(b"The customer asks", b"The client asks"))
        await wait_until(lambda: bool(app.screen.query("#reload")), pilot, what="the question whether to reload")
        assert isinstance(app.screen, ChoiceScreen)
        await settle(pilot)
        app.screen.query_one("#reload", Button).press()  # as a click or Enter on it does
        # The lasting state, not the notification saying so: under load that can expire before it is looked at.
        await wait_until(
            lambda: _shows_anew(app, entry, before=editor) and not entry.dirty, pilot, what="the reloaded editor"
        )
        assert entry.model.description.startswith("The client asks")


async def test_new_item_is_created_and_saved_then_quitting_asks_nothing(desk_copy: Path) -> None:
    """Ctrl+N makes a procedure, Ctrl+S saves it; with nothing unsaved, Ctrl+Q then just quits."""
    async with running(desk_copy) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewItemScreen)
        await typed(pilot, *"Check", "enter")
        await settle(pilot)
        entry = workbench_of(pilot).session.find("procedure", "Check")
        assert entry is not None and entry.dirty and workbench_of(pilot).current_editor.entry is entry
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not pilot.app.is_running
    saved = orjson.loads((desk_copy / "procedures" / "check.json").read_bytes())
    assert saved["name"] == "Check" and saved["steps"][0]["id"] == "start"


async def test_panes_hide_and_resize(desk_copy: Path) -> None:
    async with running(desk_copy, size=(119, 30)) as pilot:
        app = workbench_of(pilot)
        assert not app.main.debug_panel.display  # narrow terminal: the run panel starts hidden
        await pilot.press("ctrl+o")
        assert app.main.debug_panel.display
        await pilot.press("ctrl+b")
        assert not app.tree.display
        await settle(pilot)  # the tree had the focus: with no editor open, the problems list takes it
        assert app.focused is app.main.query_one("#problems")
        await pilot.press("alt+right")
        assert app.tree.display and app.tree.styles.width.value == 28
        await pilot.mouse_down("#tree-splitter")
        await pilot.hover("#tree-splitter", offset=(5, 3))  # drag the handle 5 columns right
        await pilot.mouse_up("#tree-splitter", offset=(0, 3))
        assert app.tree.styles.width.value == 33


async def test_a_huge_example_opens_as_a_preview_with_its_attributes(desk_copy: Path) -> None:
    path = desk_copy / "connectors" / "get-orders.json"
    data = orjson.loads(path.read_bytes())
    data["response"]["example"]["body"] = {f"key{i}": {"a": i, "b": str(i)} for i in range(3200)}
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    async with _hosted(desk_copy, "connector", "Get orders", "tab-response") as (_, editor):
        field = editor.query_one("#example-body", JsonField)
        assert field.is_preview and field.area.read_only
        table = editor.query_one(AttributeTable)
        assert table.border_subtitle == "6,400 attributes"


async def test_a_failing_background_job_is_reported_not_fatal(desk_copy: Path, monkeypatch) -> None:
    import workbench.editing.lint_cycle

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("linter exploded")

    monkeypatch.setattr(workbench.editing.lint_cycle, "lint_workspace", broken)
    app = WorkbenchApp(desk_copy, lint_delay=0.01, watch_interval=3600)
    record_notices(app)
    async with quick_test(app, size=(120, 36)) as pilot:
        await wait_until(lambda: "linter exploded" in told(app), pilot, what="the report")
        assert app.is_running and app.session is not None


async def test_a_scenario_is_edited_as_json_checked_against_its_schema(desk_copy: Path) -> None:
    async with _hosted(desk_copy, "scenario", "Big order ships in parts") as (pilot, editor):
        await editor.show_tab("tab-json")
        field = editor.query_one("#document", JsonField)
        data = orjson.loads(field.area.text)
        data["expect"]["outcome"] = "handoff"
        data["decisions"] = {"big-order": [1]}
        field.area.text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
        await settle(pilot)
        assert field.problem is not None and field.problem.message.startswith("decisions.big-order")
        data["decisions"] = {}
        field.area.text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
        await settle(pilot)
        assert field.problem is None and editor.entry.model.expect.outcome == "handoff" and editor.entry.dirty


async def test_rules_are_editable(desk_copy: Path) -> None:
    async with _hosted(desk_copy, "connector", "Get subscription", "tab-rules") as (pilot, editor):
        status = editor.query_one("#rule-status", Input)
        status.value = "503"
        await settle(pilot)
        assert editor.entry.model.response.rules[0].response.status == 503 and editor.entry.dirty
        status.value = "99"
        await settle(pilot)
        assert "status" in str(editor.query_one("#rule-status-line").render())
        assert editor.entry.model.response.rules[0].response.status == 503
