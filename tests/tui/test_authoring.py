"""Authoring you can trust: focus follows the edit, the outline never disagrees with the model, undo and redo."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from tests.tui.conftest import front_editor, open_item, settle, told, workbench_of
from tests.tui.editor_host import hosting, typed
from workbench.model.kinds import STEP_TYPES, StepType
from workbench.store import serialize
from workbench.tui.screens.pickers import StepTypeScreen
from workbench.tui.screens.rename import RenameScreen
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef


async def _open(pilot: Pilot[None], procedure: str = "Order status", step_id: str = "lookup") -> ProcedureEditor:
    """Open a procedure with the outline focused on a step."""
    await open_item(pilot, "procedure", procedure)
    editor = front_editor(workbench_of(pilot), ProcedureEditor)
    editor.outline.focus()
    editor.outline.select_ref(OutlineRef(step_id=step_id))
    await settle(pilot)
    return editor


@asynccontextmanager
async def _hosted(
    desk_copy: Path, procedure: str = "Order status", step_id: str = "lookup"
) -> AsyncIterator[tuple[Pilot[None], ProcedureEditor]]:
    """The procedure's editor alone (no app around it), its outline focused on a step."""
    async with hosting(desk_copy, "procedure", procedure) as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        await _outline_on(pilot, editor, step_id)
        yield pilot, editor


async def _outline_on(pilot: Pilot[None], editor: ProcedureEditor, step_id: str) -> None:
    """The outline focused, its cursor on a step."""
    editor.outline.focus()
    editor.outline.select_ref(OutlineRef(step_id=step_id))
    await settle(pilot)


def _model_ids(editor: ProcedureEditor) -> list[str]:
    return [step.id for step in editor.entry.model.all_steps()]


async def _choose_type(pilot: Pilot[None], step_type: StepType) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, StepTypeScreen)
    screen.query_one(OptionList).highlighted = list(STEP_TYPES).index(step_type)
    await pilot.press("enter")
    await settle(pilot)


async def test_undo_adding_and_renaming_steps_put_the_caret_where_the_author_types_next(desk_copy: Path) -> None:
    """One hosted procedure, what were four tests, each from the outline on "lookup": undo reverts typing in a
    field at once; adding an instruction puts the caret in its text (no letter typed runs an outline command);
    adding a condition puts the caret in its first test, and changing its kind keeps it there; renaming a step id
    keeps the outline and the caret, and the renamed step is moved and removed from the outline."""
    async with _hosted(desk_copy) as (pilot, editor):
        original = serialize(editor.entry.model)
        await pilot.press("enter")
        await settle(pilot)
        await typed(pilot, *"more words")
        await settle(pilot)
        assert editor.entry.model.step("lookup").text.startswith("more words")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert serialize(editor.entry.model) == original
        area = editor.form.query_one(MentionArea)
        assert area.text == editor.entry.model.step("lookup").text and pilot.app.focused is area

        await _outline_on(pilot, editor, "lookup")
        before = len(_model_ids(editor))
        await pilot.press("a")
        await _choose_type(pilot, "instruction")
        area = pilot.app.focused
        assert isinstance(area, MentionArea) and area.id == "text"
        await typed(pilot, *"a text with e and x")
        await settle(pilot)
        added = editor.entry.model.step(editor.form.ref.step_id)
        assert added.type == "instruction" and added.text == "a text with e and x"
        assert len(_model_ids(editor)) == before + 1  # no letter ran an outline command
        assert editor.outline.ids() == _model_ids(editor)

        await _outline_on(pilot, editor, "lookup")
        await pilot.press("a")
        await _choose_type(pilot, "condition")
        assert isinstance(pilot.app.focused, Input) and pilot.app.focused.id == "when-describe"
        condition = editor.form.owner_id
        kind = editor.form.query_one("#when-kind", Select)
        kind.focus()
        await settle(pilot)
        kind.value = "code"
        await settle(pilot)
        assert isinstance(pilot.app.focused, CodeArea)
        await typed(pilot, *"len(x) > 1")
        await settle(pilot)
        assert editor.entry.model.step(condition).branches[0].when.code == "len(x) > 1"

        await _outline_on(pilot, editor, "lookup")
        await pilot.press("enter")
        await settle(pilot)
        field = editor.form.query_one("#step-id", Input)
        field.focus()
        await settle(pilot)
        field.action_end()
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"cate")
        await settle(pilot)
        assert pilot.app.focused is field and field.value == "locate"
        assert editor.outline.ids() == _model_ids(editor) and "locate" in _model_ids(editor)
        assert editor.outline.current == OutlineRef(step_id="locate")
        await pilot.press("shift+tab")  # back to the outline, still on the renamed step
        editor.outline.focus()
        await settle(pilot)
        await pilot.press("ctrl+down")
        await settle(pilot)
        assert _model_ids(editor).index("locate") > 0  # moving reaches it
        await pilot.press("delete")
        await settle(pilot)
        assert "locate" not in _model_ids(editor)
        assert editor.outline.ids() == _model_ids(editor)


KEYS = ["a", "t", "x", "delete", "ctrl+up", "ctrl+down", "b", "e", "up", "down", "enter", "escape", "tab"]
KEYS += ["shift+tab", "ctrl+z", "ctrl+y", "y", "q", "1", "space", "down", "down"]


@pytest.mark.parametrize("seed", [11, 12, 13])
async def test_random_keys_keep_the_outline_equal_to_the_model_and_focus_somewhere(desk_copy: Path, seed: int) -> None:
    """Random outline and form keys in the procedure's editor (hosted: what the outline shows is the editor's own
    business) never leave the outline disagreeing with the model, nor the focus on nothing."""
    chooser = random.Random(seed)
    async with _hosted(desk_copy, "Refund request", "verify") as (pilot, editor):
        app = pilot.app
        for _ in range(50):  # three sequences of 50 keys rather than one of 150: they run side by side under -n
            key = chooser.choice(KEYS)
            await typed(pilot, key)  # handled, then drawn once
            assert app.focused is not None, f"focus on nothing after {key}"
            if app.screen is app.screen_stack[0]:
                assert editor.outline.ids() == _model_ids(editor), f"outline differs after {key}"


async def test_renaming_a_connector_previews_then_undoes_as_one(desk_copy: Path) -> None:
    """F7 in a connector's editor (hosted: the rename, its preview, its files written as a set and its undo are the
    editor's) previews the references it changes, renames them with it, saved, and Ctrl+Z undoes it all."""
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        app, session = pilot.app, editor.session
        every = [entry.model for entry in session.all_entries()]
        before = [serialize(model) for model in every]
        await pilot.press("tab", "f7")  # from the field before the editor into it
        await settle(pilot)
        assert isinstance(app.screen, RenameScreen)
        field = app.screen.query_one("#rename-name", Input)
        field.value = "Fetch orders"
        await settle(pilot)
        preview = str(app.screen.query_one("#rename-changes").render())
        assert "procedure Order status" in preview and "@call(Get orders) → @call(Fetch orders)" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert session.find("connector", "Fetch orders") is not None
        order_status = session.find("procedure", "Order status")
        assert order_status is not None and "@call(Fetch orders)" in order_status.model.step("lookup").text
        assert not order_status.dirty, "a rename is saved with its files, as a set"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [serialize(model) for model in every] == before
        assert session.find("connector", "Get orders") is not None


async def test_the_last_step_removed_undone_retyped_and_renamed_in_its_form(desk_copy: Path) -> None:
    """One hosted procedure on its step "done", what were four tests: removing a step says so, Ctrl+Z brings it
    back selected and Ctrl+Y removes it again; retyping it to collect puts the caret in its attribute; renamed in
    its form it is renamed in the scenarios too (Ctrl+Z undoes both); its id refuses a character it cannot hold
    and says so (found by the monkey, seed 3009: "}" typed into a step id was shown in the field, never in the
    model, and the item stayed saved)."""
    async with _hosted(desk_copy, "Order status", "done") as (pilot, editor):
        original = serialize(editor.entry.model)
        await pilot.press("x")
        await settle(pilot)
        assert "done" not in _model_ids(editor)
        assert "Removed step done — Ctrl+Z undoes" in told(pilot.app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert serialize(editor.entry.model) == original
        assert editor.outline.ids() == _model_ids(editor)
        assert editor.outline.current == OutlineRef(step_id="done")  # the step brought back is selected
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "done" not in editor.outline.ids()
        await pilot.press("ctrl+z")  # back, for the rest
        await _outline_on(pilot, editor, "done")

        await pilot.press("t")
        await _choose_type(pilot, "collect")
        assert editor.entry.model.step("done").type == "collect"
        assert isinstance(pilot.app.focused, Input) and pilot.app.focused.id == "collect-attribute"

        field = editor.form.query_one("#step-id", Input)
        field.focus()
        await settle(pilot)
        await pilot.press("end", "2")
        await settle(pilot)
        scenario = editor.session.find("scenario", "Big order ships in parts")
        assert scenario.model.expect.path[-1] == "done2" and scenario.dirty
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert scenario.model.expect.path[-1] == "done" and "done" in editor.outline.ids()

        await _outline_on(pilot, editor, "done")
        field = editor.form.query_one("#step-id", Input)
        field.focus()
        await settle(pilot)
        await pilot.press("end", "}", "x")
        await settle(pilot)
        assert field.value == "donex" and "donex" in editor.outline.ids() and editor.entry.dirty
        assert "a step id holds only" in told(pilot.app)
