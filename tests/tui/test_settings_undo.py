"""Undo and redo in the workspace settings editor: the editor's widgets are the same whatever values the settings
hold, so an undo sets the fields it changed in place (the editor is not composed afresh: that was its costliest
redraw), the focus and the rest of the form left as they are; only the selected token's fields are composed
afresh when the token shown has another type. The editor tier (tests/tui/editor_host.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable

from tests.tui.conftest import settle
from tests.tui.editor_host import hosting, typed
from workbench.tui.focus import give_focus
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.grouped_values import GroupedValues
from workbench.tui.widgets.settings_editor import SettingsEditor


async def _type_over(pilot: Pilot[None], editor: SettingsEditor, field: str, text: str) -> None:
    give_focus(editor.query_one(field, Input))
    await typed(pilot, "ctrl+a", *text)


async def _press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _value(editor: SettingsEditor, field: str) -> str:
    return editor.query_one(f"#{field}", Input).value


async def test_an_undo_of_values_sets_the_fields_in_place_keeps_the_focus_and_records_nothing(
    desk_copy: Path,
) -> None:
    """Undoing a limit, the agent's model, a refused number (a draft), a token's variable and an environment's
    value shows each value back in its field, with the very widgets the editor had (nothing composed afresh), the
    focus in the field typed last, its caret at the end; setting the fields records no edit (every redo is still
    there and gives the values back). Typing an environment's value is one edit (the default environment's choice,
    refilled per key, once reset the default and set it back: two edits per key)."""
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        widgets = list(editor.query("*"))
        await _type_over(pilot, editor, "#limits-sandbox_memory_mb", "512")
        await _type_over(pilot, editor, "#agent-model", "phi")
        await _type_over(pilot, editor, "#agent-temperature", "hot")
        assert editor.entry.drafts.text("agent.temperature") == "hot"  # not a number: a draft
        await _type_over(pilot, editor, "#token-value", "SHOP_KEY")
        typing = len(editor.entry.history.undo_stack)
        await _type_over(pilot, editor, "#environments .value", "http://h")
        assert len(editor.entry.history.undo_stack) == typing + 1  # one edit (no default environment reset per key)
        focused = pilot.app.focused
        environments = editor.query_one("#environments", GroupedValues)
        assert environments.rows == [("local", "base_url", "http://h")]
        done = len(editor.entry.history.undo_stack)

        await _press(pilot, "ctrl+z")
        assert environments.rows == [("local", "base_url", "http://127.0.0.1:8787")]
        assert focused is not None and focused.value == "http://127.0.0.1:8787"  # type: ignore[attr-defined]
        assert focused.cursor_position == len(focused.value)  # type: ignore[attr-defined]
        assert editor.query_one("#default-environment", Select).value == "local"
        await _press(pilot, "ctrl+z")
        assert _value(editor, "token-value") == "SHOP_TOKEN"
        await _press(pilot, "ctrl+z")
        assert _value(editor, "agent-temperature") == "" and not editor.entry.drafts.texts
        await _press(pilot, "ctrl+z", "ctrl+z")
        assert (_value(editor, "agent-model"), _value(editor, "limits-sandbox_memory_mb")) == ("", "")
        assert editor.entry.model.limits.sandbox_memory_mb == 256
        assert list(editor.query("*")) == widgets and all(map(Widget.is_attached.fget, widgets))  # type: ignore[attr-defined]
        assert pilot.app.focused is focused
        assert len(editor.entry.history.undo_stack) == done - 5 and len(editor.entry.history.redo_stack) == 5

        await _press(pilot, "ctrl+y", "ctrl+y", "ctrl+y")
        assert _value(editor, "agent-temperature") == "hot"  # the draft redone, shown as typed
        assert editor.entry.drafts.text("agent.temperature") == "hot"
        await _press(pilot, "ctrl+y", "ctrl+y")
        assert _value(editor, "limits-sandbox_memory_mb") == "512" and _value(editor, "agent-model") == "phi"
        assert _value(editor, "token-value") == "SHOP_KEY"
        assert environments.rows == [("local", "base_url", "http://h")]
        assert list(editor.query("*")) == widgets and pilot.app.focused is focused


async def test_an_undo_that_adds_or_removes_rows_or_retypes_a_token_shows_the_settings_as_they_were(
    desk_copy: Path,
) -> None:
    """An attribute added, then a token added and given another type (its fields composed afresh), each undone:
    the table, the token list and the token's fields show the settings as they were (the form on the row the undo
    changed; the first token selected when the one shown is gone), and redone as they became."""
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        attributes = editor.query_one("#attributes", GroupedValues)
        before = list(attributes.rows)
        give_focus(attributes.query_one(".add", Button))
        await _press(pilot, "enter")
        assert len(attributes.rows) == len(before) + 1
        give_focus(editor.query_one("#token-add", Button))
        await _press(pilot, "enter")
        assert list(editor.entry.model.tokens) == ["shop", "billing", "payments", "token"]
        editor.query_one("#token-type", Select).value = "request"
        await settle(pilot)
        assert editor.query("#token-headers") and _value(editor, "token-name") == "token"

        await _press(pilot, "ctrl+z")
        assert editor.query_one("#token-type", Select).value == "text" and not editor.query("#token-headers")
        assert _value(editor, "token-value") == "API_TOKEN" and _value(editor, "token-name") == "token"
        await _press(pilot, "ctrl+z")
        table = editor.query_one("#tokens-table", DataTable)
        assert table.row_count == 3 and table.cursor_row == 0
        assert _value(editor, "token-name") == "shop" and _value(editor, "token-value") == "SHOP_TOKEN"
        await _press(pilot, "ctrl+z")
        assert attributes.rows == before
        assert attributes.query_one(DataTable).row_count == len(before)
        row = attributes.selected  # the form on the row where the undo changed the table, the cursor on it
        assert attributes.query_one(DataTable).cursor_row == row and before[row - 1][0] == "User"
        assert attributes.query_one(".name", Input).value == before[row][1]

        await _press(pilot, "ctrl+y", "ctrl+y", "ctrl+y")
        assert len(attributes.rows) == len(before) + 1
        assert editor.query_one("#tokens-table", DataTable).row_count == 4
        assert editor.entry.model.tokens["token"].type == "request"
        assert _value(editor, "token-name") == "shop"  # the selection stays where it was


SHOWN_IN_PLACE = ("settings_editor.py", "setting_fields.py", "tokens_form.py", "grouped_values.py")
"""The modules whose fields are set from the model in place (after an undo, a row or token selected)."""


def test_the_settings_forms_set_a_field_only_through_show_value() -> None:
    """A field of the settings forms set by code reports no change (``show_value``: no ``Changed`` posted); a
    ``.value =`` would post one, and its handler would edit the settings again (the default environment's choice
    refilled per key typed reset the default: two edits per key)."""
    widgets = Path(__file__).parents[2] / "workbench" / "tui" / "widgets"
    found = [
        f"{name}:{node.lineno}"
        for name in SHOWN_IN_PLACE
        for node in ast.walk(ast.parse((widgets / name).read_text()))
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        and any(
            isinstance(target, ast.Attribute) and target.attr == "value"
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    assert not found, f"set a field with show_value: {found}"
