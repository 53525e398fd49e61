"""Where the keys go (issue 22): focus only on live widgets, a dead end repaired, keys acting where the focus is."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Select

import workbench.tui
from tests.quick_pilot import quick_test
from tests.tui.conftest import running, settle, workbench_of
from tests.tui.editor_host import hosting, typed
from tests.tui.test_authoring import _choose_type, _open
from tests.waiting import wait_until
from workbench.editing.step_ops import Slot
from workbench.model import CodeWhen, DescribeWhen
from workbench.state_files import log_path
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.pickers import StepTypeScreen
from workbench.tui.widgets import fields
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef


async def test_keys_work_after_adding_a_condition_and_after_a_key_sent_to_a_detached_widget(
    desk_copy: Path, focus_dead_ends: list[str]
) -> None:
    """One app, what were two tests. After a top-level instruction and one inside a branch (one after the other):
    the new condition's first test has the focus, empty, takes what is typed, and an App binding answers next.
    Then a key sent to a detached widget is noticed (the fixture's list and the app's log) and the focus repaired:
    the key is dropped, not run by the outline, and the next keys work."""
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        editor = await _open(pilot)
        for after in ("lookup", "tracking"):
            await pilot.press("f3")
            await settle(pilot)
            editor.outline.focus()
            editor.outline.select_ref(OutlineRef(step_id=after))
            await settle(pilot)
            await pilot.press("a")
            await _choose_type(pilot, "condition")
            field = app.focused
            assert isinstance(field, Input) and field.id == "when-describe"
            assert field.is_attached and field.parent is not None and field.value == ""  # not another branch's text
            await pilot.press(*"lost")  # a letter that is an outline key, "t", among them
            await settle(pilot)
            condition = editor.entry.model.step(editor.form.owner_id or "")
            assert isinstance(condition.branches[0].when, DescribeWhen)
            assert condition.branches[0].when.describe == "lost"
            await pilot.press("f1")  # an App binding answers
            await wait_until(lambda: isinstance(app.screen, HelpScreen), pilot, what="the help screen")
            await pilot.press("escape")
            await wait_until(lambda: not isinstance(app.screen, HelpScreen), pilot, what="the help screen gone")

        assert await _open(pilot) is editor  # the outline on the instruction "lookup" again
        text = editor.form.query_one("#text")
        await text.remove()
        app.screen.set_focus(text)  # what a late Widget.focus() did: focus on a widget no longer in the DOM
        assert app.focused is text and not text.is_attached
        await pilot.press("a")  # typed for the gone field: dropped, not run as the outline's "Add a step"
        await settle(pilot)
        assert app.focused is editor.outline
        assert not isinstance(app.screen, StepTypeScreen)
        assert len(focus_dead_ends) == 1 and "detached" in focus_dead_ends[0]
        assert "a key reached a focus dead end" in log_path().read_text()  # the app's log has it too
        await pilot.press("f1")  # and the next keys work
        await wait_until(lambda: isinstance(app.screen, HelpScreen), pilot, what="the help screen")
        focus_dead_ends.clear()  # seen: the fixture fails any other test that hits one


def test_focus_changes_in_the_app_go_through_give_focus() -> None:
    """``Widget.focus()`` and ``Screen.set_focus`` are deferred or unchecked: only :mod:`workbench.tui.focus`
    calls them, after checking the widget is still mounted."""
    root = Path(workbench.tui.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "focus.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("focus", "set_focus")
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, f"focus moved without give_focus at {offenders}"


async def test_a_branch_turned_into_code_from_the_keyboard_takes_the_code_typed_next(desk_copy: Path) -> None:
    async with hosting(desk_copy, "procedure", "Order status") as (pilot, hosted):
        app = pilot.app
        assert isinstance(hosted, ProcedureEditor)
        editor = hosted
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(slot=Slot("big-order", "branch", 1)))  # an attribute test
        await settle(pilot)
        await pilot.press("enter")  # into the branch's test
        await settle(pilot)
        await pilot.press("shift+tab")  # back to the Test select
        assert isinstance(app.focused, Select) and app.focused.id == "when-kind"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("up", "enter")  # "code", above "attribute comparison"
        await settle(pilot)
        assert isinstance(app.focused, CodeArea)
        await typed(pilot, *"len(inputs) > 1")
        await settle(pilot)
        assert not isinstance(app.screen, StepTypeScreen)  # no letter reached the outline
        when = editor.entry.model.step("big-order").branches[1].when
        assert isinstance(when, CodeWhen) and when.code == "len(inputs) > 1"


async def test_the_app_s_text_fields_select_nothing_on_focus() -> None:
    """Textual's ``Input`` selects all when focused: a key right after the focus moved is undone and typing
    replaces the value. Every field of the app is :class:`workbench.tui.widgets.fields.Input` (a rule in
    test_content_is_never_markup.py), which does not."""

    class Form(App[None]):
        def compose(self) -> ComposeResult:
            yield Button("before")
            yield fields.Input("a value", id="plain")
            yield fields.Input("old name", id="replaced", select_on_focus=True)  # as the Rename dialog asks

    app = Form()
    async with quick_test(app) as pilot:
        await pilot.press("tab", "x")
        assert app.query_one("#plain", fields.Input).value == "a valuex"
        await pilot.press("tab", "y")
        assert app.query_one("#replaced", fields.Input).value == "y"
