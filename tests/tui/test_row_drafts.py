"""A table row typed as no row can be (an input named as no input can be, or as another is; an attribute without a
name; a rule's status out of range, its body not JSON) is a draft of the item: the table as typed is marked
unsaved, named by save and by quit's question, shown again when the editor is composed afresh (an undo elsewhere,
the item reopened), undone with the typing in that row (issue 22: every character typed is in a model or in a draft
marked unsaved). Before, the form refused the row and kept the text only on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from tests.tui.conftest import settle
from tests.tui.editor_host import hosting, typed
from workbench.editing.edit_session import SaveRefused
from workbench.editing.save_all import quit_check
from workbench.store import serialize
from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.fields import Input, TextArea
from workbench.tui.widgets.grouped_values import GroupedValues
from workbench.tui.widgets.inputs_editor import InputsEditor
from workbench.tui.widgets.row_form import RowForm
from workbench.tui.widgets.rules_editor import RulesEditor
from workbench.tui.widgets.tabbed_editor import TabbedEditor

ROWS: list[tuple[type[RowForm], str, str, str, str, str]] = [
    # (the row editor, kind, item, the table's id, the field of its form typed in, a text the row cannot hold);
    # every RowForm has a row here (tests/tui/test_row_form_rule.py)
    (InputsEditor, "connector", "Verify identity", "inputs", "#input-name", ""),
    (InputsEditor, "connector", "Verify identity", "inputs", "#input-name", " "),
    (InputsEditor, "connector", "Verify identity", "inputs", "#input-name", "postcode"),  # the second input's
    (InputsEditor, "connector", "Verify identity", "inputs", "#input-name", "2x"),
    (RulesEditor, "connector", "Get subscription", "rules", "#rule-status", "99"),
    (RulesEditor, "connector", "Get subscription", "rules", "#rule-body JsonArea", '{"X-Trace": '),
    (GroupedValues, "workspace", "", "attributes", ".name", ""),
    (GroupedValues, "workspace", "", "attributes", ".name", "email"),  # User has an email in a row after
    (GroupedValues, "workspace", "", "environments", ".name", ""),
    (GroupedValues, "scenario", "Delivered order goes to review", "attributes", ".name", ""),
    (GroupedValues, "scenario", "Delivered order goes to review", "replies", ".name", ""),
]


def _text(field: Widget) -> str:
    return field.value if isinstance(field, Input) else field.text if isinstance(field, TextArea) else ""


TABS = {("connector", "inputs"): "tab-inputs", ("connector", "rules"): "tab-rules"} | {
    ("scenario", table): "tab-scenario" for table in ("attributes", "replies")
}
"""The tab each table of :data:`ROWS` is on (the settings editor has none)."""


async def _show(pilot: Pilot[None], editor: EntryEditor, table: str) -> Widget:
    """The table ``table`` of ``editor``, on screen (its tab shown first, as a user does)."""
    tab = TABS.get((editor.entry.kind, table))
    if tab is not None:
        assert isinstance(editor, TabbedEditor)
        await editor.show_tab(tab)
    form = editor.query_one(f"#{table}")
    form.scroll_visible(animate=False)
    await settle(pilot)
    return form


async def _type_over(pilot: Pilot[None], field: Widget, text: str) -> None:
    """Select the field's text and type ``text`` over it, as a user does."""
    give_focus(field)
    await pilot.pause()
    if isinstance(field, TextArea):
        field.select_all()  # (its key, F7, is the editor's Rename)
    else:
        await pilot.press("ctrl+shift+a")
    await typed(pilot, "backspace", *text)
    await settle(pilot)


ITEMS = sorted({(kind, name) for _, kind, name, *_ in ROWS})
"""The items of :data:`ROWS`: one editor serves each item's rows (each field's case ends where it began: undone)."""


def _tables_of(kind: str, name: str) -> dict[tuple[type[RowForm], str], list[tuple[str, str]]]:
    """The fields :data:`ROWS` types in, and what, in each table of the item, in order, by (row editor, table)."""
    tables: dict[tuple[type[RowForm], str], list[tuple[str, str]]] = {}
    for form_class, row_kind, row_name, table, field, text in ROWS:
        if (row_kind, row_name) == (kind, name):
            tables.setdefault((form_class, table), []).append((field, text))
    return tables


@pytest.mark.parametrize(("kind", "name"), ITEMS)
async def test_a_row_typed_as_no_row_can_be_is_a_draft_of_the_item(desk_copy: Path, kind: str, name: str) -> None:
    """Each row of :data:`ROWS` of the item, in its editor: typed, it is a draft marked unsaved that save refuses.
    The texts of one table are typed one after the other in its first row (each refused for its own reason, one
    over the other in a field); what was typed last in each field is then shown again when the editor is composed
    afresh, and one undo takes the typing in that row and its draft. (A table's draft is composed and undone alike
    whatever made its row refused: once per table, not per text.)"""
    async with hosting(desk_copy, kind, name, size=(140, 60)) as (pilot, editor):
        entry = editor.entry
        before = serialize(entry.model)
        with pilot.app.batch_update():  # (never drawn: what is shown here is the fields' text, not a picture)
            for (form_class, table), typings in _tables_of(kind, name).items():
                form = await _show(pilot, editor, table)
                assert isinstance(form, form_class)
                shown = {field: _text(form.query_one(field)) for field, _ in typings}
                typed = dict(shown)
                for field, text in typings:
                    case = f"{table} {field} typed {text!r}"
                    await _type_over(pilot, form.query_one(field), text)
                    assert _text(form.query_one(field)) != typed[field], case
                    typed[field] = _text(form.query_one(field))
                    assert entry.drafts.text(table) is not None, f"{case}: the row as typed is only on screen"
                    assert entry.dirty and entry in quit_check(editor.session).unsaved, case  # quit asks
                    with pytest.raises(SaveRefused, match=rf"{table}\[\d+\]: .* — not saved"):
                        editor.session.save(entry)

                await editor.recompose()  # composed afresh (an undo elsewhere, the item reopened)
                form = await _show(pilot, editor, table)
                for field, text in typed.items():  # (a name is kept trimmed)
                    assert _text(form.query_one(field)).strip() == text.strip(), f"{table} {field} composed afresh"

                give_focus(form.query_one(typings[-1][0]))
                await pilot.press("ctrl+z")  # the typing in the row and its draft go at once
                await settle(pilot)
                assert not entry.drafts.texts and serialize(entry.model) == before, f"{table} undone"
                form = editor.query_one(f"#{table}")  # (the undo composes the editor afresh, on the same tab)
                assert {field: _text(form.query_one(field)) for field in shown} == shown, f"{table} undone"


async def test_another_row_edited_keeps_the_refused_row_as_typed(desk_copy: Path) -> None:
    async with hosting(desk_copy, "connector", "Verify identity", size=(140, 60)) as (pilot, editor):
        entry = editor.entry
        form = await _show(pilot, editor, "inputs")
        await _type_over(pilot, form.query_one("#input-name"), "2x")
        give_focus(form.query_one("#inputs-table"))
        await pilot.press("down")  # the second input: its form shows, the first row keeps "2x"
        await settle(pilot)
        await _type_over(pilot, form.query_one("#input-description"), "the postcode")
        assert entry.drafts.text("inputs") is not None and "2x" in (entry.drafts.text("inputs") or "")
        assert [item.name for item in entry.model.inputs] == ["email", "postcode"]
        give_focus(form.query_one("#inputs-table"))
        await pilot.press("up")
        await settle(pilot)
        assert _text(form.query_one("#input-name")) == "2x"
        await _type_over(pilot, form.query_one("#input-name"), "mail")  # every row a value: the table is taken
        assert not entry.drafts.texts
        assert [(item.name, item.description) for item in entry.model.inputs] == [
            ("mail", entry.model.inputs[0].description),
            ("postcode", "the postcode"),
        ]
