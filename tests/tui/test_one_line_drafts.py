"""A one-line field's text that is not a value (a name another item has, outputs that do not parse) is a draft of
the item: marked unsaved, shown again when the field is composed afresh, named by save, undone like any edit
(issue 22: every character typed is in a model or in a draft marked unsaved)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import settle
from tests.tui.editor_host import hosting
from tests.tui.editor_host import typed as typed_keys
from tests.tui.test_code_step_authoring import add_step
from tests.tui.test_keyboard_reach import controls
from workbench.editing.operations import Change
from workbench.editing.step_ops import Slot
from workbench.model.kinds import StepType
from workbench.tui.focus import give_focus
from workbench.tui.widgets.code_try import CodeTry
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.grouped_values import GroupedValues
from workbench.tui.widgets.inputs_editor import InputsEditor
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.rules_editor import RulesEditor
from workbench.tui.widgets.settings_editor import SettingsEditor
from workbench.tui.widgets.step_outline import OutlineRef
from workbench.tui.widgets.tabbed_editor import TabbedEditor


async def _type_over(pilot: Pilot[None], field: Input, text: str) -> None:
    give_focus(field)
    await pilot.pause()
    await typed_keys(pilot, "ctrl+a", *text)
    await settle(pilot)


async def test_a_duplicate_connector_name_typed_is_a_draft_until_it_is_unique(desk_copy: Path) -> None:
    path = desk_copy / "connectors" / "get-orders.json"
    before = path.read_bytes()
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        entry = editor.entry
        await _type_over(pilot, editor.query_one("#name", Input), "Get subscription")
        assert entry.model.name == "Get subscriptio"  # the last text typed that was a value
        assert entry.dirty and entry.drafts.text("name") == "Get subscription"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert path.read_bytes() == before  # not saved while the name is taken
        await editor.recompose()  # composed afresh (as after an undo elsewhere): the text typed is still there
        await settle(pilot)
        name = editor.query_one("#name", Input)
        assert name.value == "Get subscription"
        give_focus(name)
        await pilot.pause()
        await typed_keys(pilot, "end", "s")
        await settle(pilot)
        assert entry.model.name == "Get subscriptions" and entry.drafts.text("name") is None
        give_focus(editor.query_one("#description", Input))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert entry.model.name == "Get orders" and not entry.drafts.texts


async def test_a_duplicate_procedure_name_typed_is_a_draft(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        await _type_over(pilot, editor.query_one("#procedure-name", Input), "Cancel subscription")
        assert editor.entry.model.name == "Cancel subscriptio"
        assert editor.entry.dirty and editor.entry.drafts.text("name") == "Cancel subscription"
        await editor.recompose()
        await settle(pilot)
        assert editor.query_one("#procedure-name", Input).value == "Cancel subscription"


async def test_code_step_outputs_that_do_not_parse_are_a_draft_shown_again(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        await add_step(pilot, editor, "code")
        step_id = editor.form.ref.step_id
        assert step_id is not None
        await _type_over(pilot, editor.form.query_one("#code-outputs", Input), "amount: money")
        assert editor.entry.drafts.text(f"steps.{step_id}.outputs") == "amount: money"
        editor.outline.select_ref(OutlineRef(step_id="lookup"))
        await settle(pilot)
        editor.outline.select_ref(OutlineRef(step_id=step_id))
        await settle(pilot)
        assert editor.form.query_one("#code-outputs", Input).value == "amount: money"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = json.loads((desk_copy / "procedures" / "order-status.json").read_text())
        assert step_id not in json.dumps(saved)  # not saved while the outputs do not parse
        await _type_over(pilot, editor.form.query_one("#code-outputs", Input), "amount: number")
        assert not editor.entry.drafts.texts
        await _type_over(pilot, editor.form.query_one("#code-outputs", Input), "x: y")
        assert editor.entry.drafts.texts
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(step_id=step_id))
        await pilot.press("x", "y")  # the step removed: its draft goes with it (nothing is left to fix it in)
        await settle(pilot)
        assert editor.entry.model.step(step_id) is None and not editor.entry.drafts.texts


# -- the rule: no one-line field of an editor keeps text only on screen --------------------------------------
# (the editor tier: each editor on its own, as the app makes it; nothing here needs the rest of the app)

NOT_COMPOSED_FROM_THE_MODEL = (GroupedValues, InputsEditor, RulesEditor, CodeTry)
"""Fields filled from a table's selected row, or a trial's values (not the item's): outside this rule."""
NORMALIZED = {"when-value": 'shown as the JSON of the value typed (abc shows as "abc")'}
TYPED = "1x:?"
"""Refused by many fields (outputs, variable names, numbers: a number field keeps its digit, 1, out of a status's
range): what a field cannot hold must become a draft. (As short as it can be: each field refuses it as it refused
``q1 x: ?``, each key typed in each field costs.)"""


def _rule_fields(editor: EntryEditor) -> list[str]:
    """The ids of the editor's one-line fields the rule covers: shown now (not on a hidden tab) and composed from
    the item."""
    return [
        field.id
        for field in controls(editor)
        if isinstance(field, Input)
        and field.id
        and field.id not in NORMALIZED
        and not any(isinstance(node, NOT_COMPOSED_FROM_THE_MODEL) for node in field.ancestors)
    ]


async def _kept_through_a_redraw(
    pilot: Pilot[None], editor: EntryEditor, tabs: Sequence[str | None] = (None,)
) -> list[str]:
    """Type into every one-line field of ``editor`` in turn (on each of its ``tabs``, shown one after the other),
    then redraw the editor from its item once (as an undo does) and list the fields whose text did not come back
    (or that typing into a later field changed)."""

    async def show(tab: str | None) -> None:
        if tab is not None:
            assert isinstance(editor, TabbedEditor)
            await editor.show_tab(tab)
            await settle(pilot)

    typed: dict[str | None, dict[str, str]] = {}
    for tab in tabs:
        await show(tab)
        fields = _rule_fields(editor)
        assert fields, f"no field to try on {tab}"
        typed[tab] = {}
        with pilot.app.batch_update():  # drawn once all are typed (drawing per key and field was most of the time)
            for field_id in fields:
                field = editor.query_one(f"#{field_id}", Input)
                give_focus(field, now=True)
                await typed_keys(pilot, "ctrl+a", *TYPED)
                assert pilot.app.focused is field, f"#{field_id} was not typed into"
                typed[tab][field_id] = field.value
    await settle(pilot)  # (once for all: what the typing started, like the example's refresh, is over)
    await editor.redraw_after(Change("redraw", []))
    await settle(pilot)
    lost = []
    for tab, texts in typed.items():
        await show(tab)
        for field_id, text in texts.items():
            again = editor.query(f"#{field_id}")
            if not again or again.first(Input).value.strip() != text.strip():
                lost.append(f"{field_id}: typed {text!r}, shown {again.first(Input).value if again else None!r}")
    return lost


async def test_no_connector_field_keeps_text_only_on_screen(desk_copy: Path) -> None:
    """The fields of three tabs typed into, then the editor redrawn once."""
    async with hosting(desk_copy, "connector", "Get orders", size=(140, 50)) as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        lost = await _kept_through_a_redraw(pilot, editor, ("tab-request", "tab-response", "tab-environment"))
        assert lost == [], "\n".join(lost)


@pytest.mark.parametrize("kind", ["code", "collect", "end"])
async def test_no_step_field_keeps_text_only_on_screen(desk_copy: Path, kind: StepType) -> None:
    async with hosting(desk_copy, "procedure", "Order status", size=(140, 50)) as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        await add_step(pilot, editor, kind)
        step = editor.entry.model.step(editor.form.ref.step_id)
        assert step is not None and step.type == kind
        assert await _kept_through_a_redraw(pilot, editor) == []


async def test_no_procedure_or_branch_field_keeps_text_only_on_screen(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status", size=(140, 50)) as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        editor.outline.select_ref(OutlineRef(slot=Slot("big-order", "branch", 1)))  # an attribute test
        await settle(pilot)
        assert await _kept_through_a_redraw(pilot, editor) == []


async def test_no_settings_field_keeps_text_only_on_screen(desk_copy: Path) -> None:
    async with hosting(desk_copy, "workspace", size=(140, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        assert await _kept_through_a_redraw(pilot, editor) == []
