"""Undo takes back exactly the last action, and text typed or pasted is never lost (issue 22, bugs 3 to 5)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import open_item, running, settle
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.connector_editor import ConnectorEditor


def _app(pilot: Pilot[None]) -> WorkbenchApp:
    return pilot.app  # type: ignore[return-value]


async def _connector(pilot: Pilot[None], name: str = "Get orders") -> ConnectorEditor:
    await open_item(pilot, "connector", name)
    editor = _app(pilot).current_editor
    assert isinstance(editor, ConnectorEditor)
    return editor


async def test_undo_after_adding_an_input_keeps_the_source_typed_before(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        editor = await _connector(pilot)
        model = editor.entry.model
        editor.show_tab("tab-inputs")
        await settle(pilot)
        editor.query_one("#input-source", Input).focus()
        await pilot.press("end", *".home")
        await settle(pilot)
        assert model.inputs[0].source == "User > email.home"
        await pilot.press("ctrl+n")  # add an input (the inputs table's binding)
        await settle(pilot)
        assert [item.name for item in model.inputs] == ["email", "input_1"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [item.name for item in model.inputs] == ["email"]
        assert model.inputs[0].source == "User > email.home", "undo took back the typing too"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert model.inputs[0].source == "User > email"


async def test_undo_after_adding_a_rule_keeps_the_rule_name_typed_before(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        editor = await _connector(pilot)
        model = editor.entry.model
        editor.show_tab("tab-rules")
        await settle(pilot)
        editor.query_one("#add-rule").press()
        await settle(pilot)
        editor.query_one("#rule-name", Input).focus()
        await pilot.press("end", *" x")
        await settle(pilot)
        assert [rule.name for rule in model.response.rules] == ["Rule 1 x"]
        editor.query_one("#add-rule").press()
        await settle(pilot)
        assert len(model.response.rules) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [rule.name for rule in model.response.rules] == ["Rule 1 x"]
