"""Authoring a code step from the keyboard: a → code puts the caret in its code, the name field names its outputs,
and e gives it an error path."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tests.tui.conftest import front_editor, open_item, settle, workbench_of
from tests.tui.editor_host import hosting, typed
from tests.waiting import wait_until
from workbench.model import CodeStep
from workbench.model.kinds import STEP_TYPES, StepType
from workbench.tui.screens.pickers import StepTypeScreen
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef


async def _add_code_step(pilot: Pilot[None], kind: StepType = "code") -> ProcedureEditor:
    """Open "Order status" and add a code step (or one of ``kind``) after its first step with a → code, as a user
    does."""
    await open_item(pilot, "procedure", "Order status")
    editor = front_editor(workbench_of(pilot), ProcedureEditor)
    await add_step(pilot, editor, kind)
    return editor


async def add_step(pilot: Pilot[None], editor: ProcedureEditor, kind: StepType) -> None:
    """Add a step of ``kind`` after the first step ("lookup") of the procedure in ``editor``: a → the kind."""
    editor.outline.focus()
    editor.outline.select_ref(OutlineRef(step_id="lookup"))
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StepTypeScreen)
    screen.query_one(OptionList).highlighted = list(STEP_TYPES).index(kind)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_code_step_is_authored_from_the_keyboard_and_tried(desk_copy: Path) -> None:
    """A code step authored from the keyboard: a → code puts the caret in its code, what is typed is its code, the
    name field names it and e gives it an error path. Its try panel then runs the code with the values read (a field
    per read once the form is redrawn) and feeds the @ menu (the session's payloads). One hosted procedure editor
    (two tests once, each starting the whole app)."""
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, editor):
        assert isinstance(editor, ProcedureEditor)
        await add_step(pilot, editor, "code")
        area = pilot.app.focused
        assert isinstance(area, CodeArea) and area.id == "code"
        await typed(pilot, *"return {'n': 1}")
        step = editor.entry.model.step(editor.form.ref.step_id)
        assert isinstance(step, CodeStep) and step.code == "return {'n': 1}"
        name = editor.form.query_one("#code-name", Input)
        name.value = "Totals"
        await settle(pilot)
        step = editor.entry.model.step(step.id)
        assert isinstance(step, CodeStep) and step.name == "Totals"
        editor.outline.focus()
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        step = editor.entry.model.step(step.id)
        assert isinstance(step, CodeStep) and step.on_error == []

        editor.form.query_one("#code", CodeArea).text = 'return {"total": inputs["temporary"]["Get orders"]["total"]}'
        editor.form.query_one("#code-outputs", Input).value = "total > amount: number"
        await settle(pilot)
        step = editor.entry.model.step(step.id)
        assert isinstance(step, CodeStep) and [output.path for output in step.outputs or []] == ["total > amount"]
        editor.outline.select_ref(OutlineRef(step_id="lookup"))
        await settle(pilot)
        editor.outline.select_ref(OutlineRef(step_id=step.id))  # the form is redrawn with a field per read
        await settle(pilot)
        field = editor.form.query_one("#try-0", Input)
        field.value = '{"amount": 12.5, "currency": "EUR"}'
        await settle(pilot)
        await pilot.click("#try-run")
        result = editor.form.query_one("#try-result", Static)
        await wait_until(lambda: "total > amount = 12.5" in str(result.render()), pilot, what="the trial's result")
        assert editor.session.payloads["Totals"] == {"total": {"amount": 12.5, "currency": "EUR"}}
