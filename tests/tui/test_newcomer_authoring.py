"""What a newcomer hit authoring a procedure from the keyboard in tmux (issue 22's trial at 160x48, 100x30 and
80x24), each pinned in one hosted procedure editor: the form follows edits made in it (a renamed step, code being
typed), and the caret goes where the author types next after a structural edit, ready to replace a default."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets._select import SelectOverlay

from tests.tui.conftest import front_editor, open_item, running, settle, workbench_of
from tests.tui.editor_host import hosting, typed
from tests.waiting import wait_until
from workbench.editing.step_ops import Slot
from workbench.model import CollectStep, ConditionStep, DescribeWhen
from workbench.model.kinds import STEP_TYPES, WHEN_KINDS, StepType
from workbench.tui.screens.pickers import StepTypeScreen
from workbench.tui.widgets import step_form
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef


def _procedure_editor(editor: EntryEditor) -> ProcedureEditor:
    assert isinstance(editor, ProcedureEditor)
    return editor


async def _add_step(pilot: Pilot[None], editor: ProcedureEditor, after: str, kind: StepType) -> None:
    """The outline's cursor onto ``after``, a, the kind chosen in the picker, Enter."""
    editor.outline.focus()
    editor.outline.select_ref(OutlineRef(step_id=after))
    await settle(pilot)
    await pilot.press("a")
    await wait_until(lambda: isinstance(pilot.app.screen, StepTypeScreen), pilot, what="the step type picker")
    pilot.app.screen.query_one(OptionList).highlighted = list(STEP_TYPES).index(kind)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_at_menu_of_a_step_renamed_in_its_id_field_offers_what_is_available_there(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, hosted):
        editor = _procedure_editor(hosted)
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(step_id="tracking"))  # in the else arm: Get orders was called before
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await typed(pilot, "shift+tab", "end", "shift+home", *"share-tracking", "tab")
        await settle(pilot)
        assert editor.entry.model.step("share-tracking") is not None
        area = editor.form.query_one(MentionArea)
        assert area.has_focus
        area.move_cursor(area.document.end)
        await typed(pilot, "space", "@", "down", "enter", *"get orders status")
        await settle(pilot)
        chosen = area.menu.selected()
        assert chosen is not None and chosen.label == "Get orders > status"
        assert chosen.available, chosen.reason


async def test_the_try_panel_follows_the_code_as_it_is_typed(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status", size=(100, 30)) as (pilot, hosted):
        editor = _procedure_editor(hosted)
        await _add_step(pilot, editor, "lookup", "code")
        area = pilot.app.focused
        assert isinstance(area, CodeArea) and area.id == "code"
        area.insert('return {"paid": inputs["temporary"]["Get orders"]["total"]["amount"]')
        await pilot.press("}")
        await settle(pilot)
        await wait_until(lambda: editor.form.query("#try-0"), pilot, what="a Try field for the attribute read")
        assert "Get orders > total > amount" in str(editor.form.query_one("#code-try .row Label", Static).render())
        editor.form.query_one("#try-0", Input).value = "12.5"
        await typed(pilot, "shift+tab", "end", "shift+home", *"Totals")
        await settle(pilot)
        assert "@read(Totals > key)" in str(editor.form.query_one("#code-hint", Static).render())
        editor.form.query_one("#try-run").focus()
        await pilot.press("enter")
        result = editor.form.query_one("#try-result", Static)
        await wait_until(lambda: "Totals > paid = 12.5" in str(result.render()), pilot, what="the trial's result")


async def test_b_puts_the_caret_in_the_new_branch_test_and_what_is_typed_goes_there(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, hosted):
        editor = _procedure_editor(hosted)
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(step_id="big-order"))
        await settle(pilot)
        await typed(pilot, "b", *"the parcel is late")  # typed at once: none of it may run the outline's commands
        await settle(pilot)
        step = editor.entry.model.step("big-order")
        assert isinstance(step, ConditionStep) and len(step.branches) == 3
        when = step.branches[2].when
        assert isinstance(when, DescribeWhen) and when.describe == "the parcel is late"
        focused = pilot.app.focused
        assert isinstance(focused, Input) and focused.id == "when-describe"
        assert [s.id for s in editor.entry.model.steps] == ["lookup", "big-order", "done"]


async def test_a_new_collect_step_s_default_attribute_is_replaced_by_what_is_typed(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, hosted):
        editor = _procedure_editor(hosted)
        await _add_step(pilot, editor, "lookup", "collect")
        focused = pilot.app.focused
        assert isinstance(focused, Input) and focused.id == "collect-attribute"
        await typed(pilot, *"Conversation > photo")
        await settle(pilot)
        step = editor.entry.model.step(editor.form.ref.step_id if editor.form.ref else "")
        assert isinstance(step, CollectStep) and step.attribute == "Conversation > photo"


def test_callbacks_the_step_form_hands_its_widgets_never_hold_the_step_it_was_drawn_from() -> None:
    """Edits made in the form do not redraw it (the caret stays), and they replace the step (copy-on-write) or rename
    it: a callback closing over the step drawn (``lambda: indexes(step.id)``) answers for a step that is gone. The
    form's widgets ask the form for the step shown now instead."""
    source = Path(step_form.__file__).read_text(encoding="utf-8")
    stale: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_compose_"):
            drawn = {arg.arg for arg in node.args.args} - {"self"}
            for inner in ast.walk(node):
                if isinstance(inner, ast.Lambda):
                    used = {name.id for name in ast.walk(inner.body) if isinstance(name, ast.Name)}
                    stale.extend(f"{node.name}: a lambda uses {name!r}" for name in sorted(used & drawn))
    assert not stale, stale


async def test_a_choice_list_is_wide_enough_for_its_options_in_a_narrow_form(desk_copy: Path) -> None:
    """At 80x24 the step form is about 29 columns wide and a select about 12: its list of choices, as narrow, broke
    "described (the agent decides)" over two rows and procedure names inside a word."""
    async with hosting(desk_copy, "procedure", "Order status", size=(50, 24)) as (pilot, hosted):
        editor = _procedure_editor(hosted)
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(slot=Slot("big-order", "branch", 0)))
        await settle(pilot)
        await pilot.press("enter", "shift+tab")
        await settle(pilot)
        select = pilot.app.focused
        assert isinstance(select, Select) and select.id == "when-kind"
        await pilot.press("enter")
        await settle(pilot)
        overlay = select.query_one(SelectOverlay)
        assert overlay.display
        longest = max(len(kind.label) for kind in WHEN_KINDS.values())
        assert overlay.region.width >= longest
        assert overlay.region.height == len(WHEN_KINDS)  # one row each: no choice broken over rows
        assert overlay.region.right <= pilot.app.screen.size.width


async def test_typing_in_a_field_below_the_fold_of_a_short_form_scrolls_it_into_view(desk_copy: Path) -> None:
    """At 80x24 the step form has 11 rows: a branch's test changed to code put the caret in the code field under
    the form's last row, and what was typed there could not be seen. (The whole app: in the hosted editor the form's
    layout settles in another order and Textual's own scroll on focus is enough.)"""
    async with running(desk_copy, size=(80, 24)) as pilot:
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(workbench_of(pilot), ProcedureEditor)
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(slot=Slot("big-order", "branch", 1)))  # an attribute comparison
        await settle(pilot)
        await pilot.press("enter", "shift+tab", "enter", "up", "enter")  # Test: code
        await settle(pilot)
        area = pilot.app.focused
        assert isinstance(area, CodeArea) and area.id == "when-code"
        await pilot.press("x")
        await settle(pilot)
        form = editor.form.region
        assert form.y <= area.cursor_screen_offset.y < form.bottom, (area.cursor_screen_offset, form)
