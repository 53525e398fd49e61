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

from tests.tui.conftest import settle
from tests.tui.editor_host import EditorHost, hosting, typed
from tests.waiting import wait_until
from workbench.store import serialize
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.json_field import JsonField


@asynccontextmanager
async def _hosted(desk_copy: Path, tab: str | None = None) -> AsyncIterator[tuple[Pilot[None], ConnectorEditor]]:
    """The connector Get orders' editor alone, no app around it (on ``tab``): undo and drafts are the editor's."""
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        if tab is not None:
            await editor.show_tab(tab)
            await settle(pilot)
        yield pilot, editor


def _headers_object(lines: int) -> str:
    """A pretty JSON object of ``lines`` lines, as a server's response headers are pasted (some values numbers)."""
    pairs = [
        f'  "X-Header-{index}": {index if index % 3 == 0 else json.dumps(f"value {index}")}'
        for index in range(lines - 2)
    ]
    return "{\n" + ",\n".join(pairs) + "\n}"


async def test_undo_takes_back_the_last_action_only_in_the_connector_s_fields(desk_copy: Path) -> None:
    """Typed or pasted text is never lost and undo takes back exactly the last action, in one hosted connector editor
    (four tests once: three mounted it, one started the whole app):
    - invalid JSON is a draft: kept, the item unsaved, named by a refused save, shown by the editor composed afresh
      (an edit from elsewhere, a reload do that), undone like any edit (that a draft is asked about on quit and kept
      while another item is in front is shown with the scenario form's draft, in test_scenario_editor.py);
    - a paste into a JSON field is taken back at once (and then there is nothing left: the item says so, the text
      area's own undo is never used);
    - an input added after typing in a source undoes without the typing;
    - a rule added after typing its name undoes without the name."""
    async with _hosted(desk_copy) as (pilot, editor):
        entry = editor.entry
        model = entry.model
        original = serialize(model)
        path = desk_copy / "connectors" / "get-orders.json"
        before = path.read_bytes()
        field = editor.query_one("#headers", JsonField)
        field.area.focus()
        field.area.move_cursor((1, 0))
        await typed(pilot, *'"X": ')
        text = field.area.text
        assert field.problem is not None
        assert entry.dirty and "● unsaved" in editor._title()
        assert entry.drafts.text("headers") == text
        await editor.recompose()  # composed afresh: the draft is shown
        await settle(pilot)
        shown = editor.query_one("#headers", JsonField)
        assert shown.area.text == text and shown.problem is not None
        shown.area.focus()
        await typed(pilot, "ctrl+s")
        assert path.read_bytes() == before
        assert isinstance(pilot.app, EditorHost)
        report = pilot.app.saved
        assert report is not None and not report.saved
        assert re.search(r"^headers: not valid JSON at 2:.*not saved", "\n".join(report.refused[0].reasons), re.M)
        await typed(pilot, "ctrl+z")  # the draft is undone like any edit
        assert not entry.drafts.texts
        assert not entry.refresh_dirty(), "clean again (the app's lint cycle settles the mark so)"

        await editor.show_tab("tab-response")
        await settle(pilot)
        area = editor.query_one("#example-headers", JsonField).area
        area.focus()
        await typed(pilot, "ctrl+a")
        assert area.selected_text == area.text
        pasted = _headers_object(159)
        pilot.app.post_message(events.Paste(pasted))  # as the terminal sends it
        await settle(pilot)
        assert editor.query_one("#example-headers", JsonField).area.text == pasted
        assert entry.dirty and entry.history.undo_stack, "the paste is an operation of the item"
        await typed(pilot, "ctrl+z")
        assert serialize(model) == original and not entry.drafts.texts
        headers = editor.query_one("#example-headers", JsonField)
        assert json.loads(headers.area.text) == model.response.example.headers
        await typed(pilot, "ctrl+z")  # nothing left: the item says so, the text area's own undo is never used
        assert json.loads(editor.query_one("#example-headers", JsonField).area.text) == {
            "content-type": "application/json"
        }

        await editor.show_tab("tab-inputs")
        await settle(pilot)
        editor.query_one("#input-source", Input).focus()
        await typed(pilot, "end", *".h")
        assert model.inputs[0].source == "User > email.h"
        editor.query_one("#inputs-table").focus()
        await typed(pilot, "a")  # add an input (the inputs table's binding)
        assert [item.name for item in model.inputs] == ["email", "input_1"]
        await typed(pilot, "ctrl+z")
        assert [item.name for item in model.inputs] == ["email"]
        assert model.inputs[0].source == "User > email.h", "undo took back the typing too"
        await typed(pilot, "ctrl+z")
        assert model.inputs[0].source == "User > email"

        await editor.show_tab("tab-rules")
        await settle(pilot)
        editor.query_one("#add-rule", Button).press()
        await settle(pilot)
        editor.query_one("#rule-name", Input).focus()
        await typed(pilot, "end", *" x")
        assert [rule.name for rule in model.response.rules] == ["Rule 1 x"]
        editor.query_one("#add-rule", Button).press()
        await settle(pilot)
        assert len(model.response.rules) == 2
        await typed(pilot, "ctrl+z")
        assert [rule.name for rule in model.response.rules] == ["Rule 1 x"]


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
