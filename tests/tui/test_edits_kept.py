"""Undo takes back exactly the last action, and text typed or pasted is never lost (issue 22, bugs 3 to 5)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input

from tests.tui.conftest import open_item, running, settle, told, workbench_of
from tests.tui.editor_host import hosting
from tests.waiting import wait_until
from workbench.store import serialize
from workbench.tui.screens.pickers import ChoiceScreen
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.scenario_editor import ScenarioEditor


async def _connector(pilot: Pilot[None], tab: str | None = None) -> ConnectorEditor:
    """Open the connector Get orders (on ``tab``)."""
    await open_item(pilot, "connector", "Get orders")
    editor = workbench_of(pilot).current_editor
    assert isinstance(editor, ConnectorEditor)
    if tab is not None:
        editor.show_tab(tab)
        await settle(pilot)
    return editor


@asynccontextmanager
async def _hosted(desk_copy: Path, tab: str | None = None) -> AsyncIterator[tuple[Pilot[None], ConnectorEditor]]:
    """The connector Get orders' editor alone, no app around it (on ``tab``): undo and drafts are the editor's."""
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        if tab is not None:
            editor.show_tab(tab)
            await settle(pilot)
        yield pilot, editor


async def test_undo_after_adding_an_input_keeps_the_source_typed_before(desk_copy: Path) -> None:
    async with _hosted(desk_copy, "tab-inputs") as (pilot, editor):
        model = editor.entry.model
        editor.query_one("#input-source", Input).focus()
        await pilot.press("end", *".h")
        await settle(pilot)
        assert model.inputs[0].source == "User > email.h"
        editor.query_one("#inputs-table").focus()
        await pilot.press("a")  # add an input (the inputs table's binding)
        await settle(pilot)
        assert [item.name for item in model.inputs] == ["email", "input_1"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [item.name for item in model.inputs] == ["email"]
        assert model.inputs[0].source == "User > email.h", "undo took back the typing too"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert model.inputs[0].source == "User > email"


async def test_undo_after_adding_a_rule_keeps_the_rule_name_typed_before(desk_copy: Path) -> None:
    async with _hosted(desk_copy, "tab-rules") as (pilot, editor):
        model = editor.entry.model
        editor.query_one("#add-rule", Button).press()
        await settle(pilot)
        editor.query_one("#rule-name", Input).focus()
        await pilot.press("end", *" x")
        await settle(pilot)
        assert [rule.name for rule in model.response.rules] == ["Rule 1 x"]
        editor.query_one("#add-rule", Button).press()
        await settle(pilot)
        assert len(model.response.rules) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [rule.name for rule in model.response.rules] == ["Rule 1 x"]


def _headers_object(lines: int) -> str:
    """A pretty JSON object of ``lines`` lines, as a server's response headers are pasted (some values numbers)."""
    pairs = [
        f'  "X-Header-{index}": {index if index % 3 == 0 else json.dumps(f"value {index}")}'
        for index in range(lines - 2)
    ]
    return "{\n" + ",\n".join(pairs) + "\n}"


async def test_undo_after_pasting_into_a_json_field_takes_the_paste_back(desk_copy: Path) -> None:
    async with _hosted(desk_copy, "tab-response") as (pilot, editor):
        entry = editor.entry
        original = serialize(entry.model)
        area = editor.query_one("#example-headers", JsonField).area
        area.focus()
        await settle(pilot)
        await pilot.press("ctrl+a")
        assert area.selected_text == area.text
        pasted = _headers_object(159)
        pilot.app.post_message(events.Paste(pasted))  # as the terminal sends it
        await settle(pilot)
        assert editor.query_one("#example-headers", JsonField).area.text == pasted
        assert entry.dirty and entry.history.undo_stack, "the paste is an operation of the item"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert serialize(entry.model) == original and not entry.drafts.texts
        headers = editor.query_one("#example-headers", JsonField)
        assert json.loads(headers.area.text) == entry.model.response.example.headers
        await pilot.press("ctrl+z")  # nothing left: the item says so, the text area's own undo is never used
        await settle(pilot)
        assert json.loads(editor.query_one("#example-headers", JsonField).area.text) == {
            "content-type": "application/json"
        }


async def test_invalid_json_is_a_draft_kept_named_by_save_and_asked_about_on_quit(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        editor = await _connector(pilot)
        entry = editor.entry
        path = desk_copy / "connectors" / "get-orders.json"
        before = path.read_bytes()
        headers = editor.query_one("#headers", JsonField)
        headers.area.focus()
        headers.area.move_cursor((1, 0))
        await pilot.press(*'"X": ')
        await settle(pilot)
        typed = headers.area.text
        assert headers.problem is not None
        assert entry.dirty and "● unsaved" in editor._title()
        assert entry.drafts.text("headers") == typed
        await open_item(pilot, "procedure", "Order status")  # another item, then back
        await open_item(pilot, "connector", "Get orders")
        assert app.current_editor.query_one("#headers", JsonField).area.text == typed
        await app.editors.reopen(entry)  # composed afresh (an edit from elsewhere does this): the draft is shown
        await settle(pilot)
        shown = app.current_editor.query_one("#headers", JsonField)
        assert shown.area.text == typed and shown.problem is not None
        shown.area.focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert path.read_bytes() == before
        assert re.search(r"^headers: not valid JSON at 2:.*not saved", told(app), re.MULTILINE | re.DOTALL)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen), "quitting asks"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+z")  # the draft is undone like any edit
        await settle(pilot)
        assert not entry.drafts.texts
        await wait_until(lambda: not entry.dirty, pilot, what="the item to be clean again")


TUI = Path(__file__).parents[2] / "workbench" / "tui"


def _calls(path: Path) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)]


def test_no_text_area_undoes_on_its_own() -> None:
    """Undo is the item's history's: nothing calls a text area's own undo or redo."""
    offenders = [
        f"{path.name}:{call.lineno}"
        for path in TUI.rglob("*.py")
        for call in _calls(path)
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in ("action_undo", "action_redo")
        and not (isinstance(call.func.value, ast.Name) and call.func.value.id == "self")
    ]
    assert offenders == []


def test_every_json_field_of_an_item_shows_its_draft() -> None:
    """A JSON field composed again (an undo, a reopen) shows the item's draft of it; only the rules' body field,
    one rule's at a time, keeps none (it stops its drafts, and saving waits for it)."""
    offenders = [
        f"{path.name}:{call.lineno}"
        for path in TUI.rglob("*.py")
        if path.name != "rules_editor.py"
        for call in _calls(path)
        if getattr(call.func, "id", None) == "JsonField" and "draft" not in {keyword.arg for keyword in call.keywords}
    ]
    assert offenders == []


async def test_a_big_example_loading_is_no_draft(desk_copy: Path) -> None:
    """The example shown as ``loading…`` while rendered off the UI thread is no text the author typed."""
    path = desk_copy / "connectors" / "get-orders.json"
    data = json.loads(path.read_text())
    data["response"]["example"]["body"] = {"items": [{"n": index} for index in range(11_000)]}
    path.write_text(json.dumps(data, indent=2))
    async with _hosted(desk_copy, "tab-response") as (pilot, editor):
        field = editor.query_one("#example-body", JsonField)
        await wait_until(lambda: field.area.text != "loading…", pilot, what="the example rendered")
        await settle(pilot)
        assert not editor.entry.drafts.texts and not editor.entry.dirty and field.problem is None


async def test_a_scenario_file_half_typed_is_a_draft_undone_at_once(desk_copy: Path) -> None:
    async with hosting(desk_copy, "scenario", "Big order ships in parts") as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        await editor.show_tab("tab-json")
        entry, field = editor.entry, editor.query_one("#document", JsonField)
        original = field.area.text
        field.area.focus()
        field.area.move_cursor((1, 0))
        await pilot.press(*'"note": ')
        await settle(pilot)
        assert entry.drafts.text("document") == field.area.text and entry.dirty
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not entry.drafts.texts and field.area.text == original
