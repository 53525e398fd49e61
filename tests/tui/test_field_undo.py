"""Field edits in the connector and scenario editors undo and redo like procedure edits; renames made in the app
are written as a set and carry breakpoints along; the footer shows the focused field's keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Footer, Input, OptionList, Select

from tests.tui.conftest import front_editor, open_item, running, settle, told, workbench_of
from tests.tui.editor_host import hosting
from tests.waiting import wait_until
from workbench.model.kinds import STEP_TYPES
from workbench.store import serialize
from workbench.tui.focus import give_focus
from workbench.tui.screens.pickers import StepTypeScreen
from workbench.tui.screens.rename import RenameScreen
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.scenario_editor import ScenarioEditor
from workbench.tui.widgets.step_form import StepForm
from workbench.tui.widgets.step_outline import OutlineRef
from workbench.tui.widgets.template_field import TemplateField


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.json"))}


async def test_typing_in_a_connector_field_undoes_at_once_and_redoes(desk_copy: Path) -> None:
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        app = pilot.app
        entry = editor.entry
        original, url = serialize(entry.model), entry.model.request.url
        field = editor.query_one("#url", TemplateField)
        field.focus()
        await pilot.press("end", *"/v2")
        await settle(pilot)
        assert entry.model.request.url == url + "/v2"
        description = editor.query_one("#description", Input)
        description.focus()
        await pilot.press("end", *" now")
        await settle(pilot)
        await pilot.press("ctrl+z")  # the description's typing, at once
        await settle(pilot)
        assert entry.model.request.url == url + "/v2" and not entry.model.description.endswith(" now")
        assert editor.query_one("#description", Input).value == entry.model.description
        assert app.focused is editor.query_one("#description", Input), "the caret stays in the field"
        await pilot.press("ctrl+z")  # the URL's typing, at once
        await settle(pilot)
        assert serialize(entry.model) == original
        assert editor.query_one("#url", TemplateField).text == url
        await pilot.press("ctrl+shift+z")
        await settle(pilot)
        assert entry.model.request.url == url + "/v2"


async def test_a_connector_select_and_json_field_are_undone_too(desk_copy: Path) -> None:
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        entry = editor.entry
        original = serialize(entry.model)
        editor.query_one("#method", Select).value = "POST"
        await settle(pilot)
        headers = editor.query_one("#headers", JsonField)
        headers.set_data({})
        headers.area.focus()
        headers.area.replace('{"X-Trace": "1"}', (0, 0), headers.area.document.end)
        await settle(pilot)
        assert entry.model.request.method == "POST" and entry.model.request.headers == {"X-Trace": "1"}
        for _ in range(2):
            await pilot.press("ctrl+z")
            await settle(pilot)
        assert serialize(entry.model) == original
        assert editor.query_one("#method", Select).value == entry.model.request.method


async def test_typing_in_a_scenario_undoes_at_once_on_the_same_model(desk_copy: Path) -> None:
    async with hosting(desk_copy, "scenario", "Already cancelled subscription") as (pilot, editor):
        app = pilot.app
        assert isinstance(editor, ScenarioEditor)
        model, original = editor.entry.model, serialize(editor.entry.model)
        await editor.show_tab("tab-json")  # the file as JSON, beside the form
        area = editor.query_one("#document", JsonField).area
        area.focus()
        line = area.document.get_line(1)
        assert line.lstrip().startswith('"name"')
        area.cursor_location = (1, len(line) - 2)  # before the name's closing quote
        await pilot.press(*" again")
        await settle(pilot)
        assert editor.entry.model is model and model.name == "Already cancelled subscription again"
        assert editor.session.find("scenario", "Already cancelled subscription again") is editor.entry
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert editor.entry.model is model and serialize(model) == original
        assert '"Already cancelled subscription"' in area.text and app.focused is area
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert model.name.endswith(" again")


async def test_a_rename_writes_its_files_as_a_set_and_undo_writes_them_back(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F7 renames a connector and every reference to it. A rename one of whose files cannot be written changes no
    file and no model, says so, and leaves nothing to undo; the same rename written writes its files as a set
    (nothing left unsaved) and undo writes them back. (Two tests once, each starting the whole app.)"""
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        session = editor.session
        before = _files(desk_copy)
        models = [serialize(entry.model) for entry in session.entries]
        real_replace, calls = os.replace, []

        def failing(source: str, target: str) -> None:
            calls.append(target)
            if len(calls) == 2:
                raise PermissionError(13, "Permission denied", str(target))
            real_replace(source, target)

        async def rename() -> None:
            give_focus(editor.query_one("#description"))
            await pilot.press("f7")
            await settle(pilot)
            assert isinstance(pilot.app.screen, RenameScreen)
            pilot.app.screen.query_one("#rename-name", Input).value = "Fetch orders"
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)

        monkeypatch.setattr(os, "replace", failing)
        await rename()
        assert _files(desk_copy) == before
        assert [serialize(entry.model) for entry in session.entries] == models
        assert session.find("connector", "Get orders") is not None
        assert "no file was changed" in told(pilot.app)
        assert not editor.entry.history.undo_stack
        monkeypatch.setattr(os, "replace", real_replace)
        await rename()
        assert not session.dirty_entries()
        assert (desk_copy / "connectors" / "fetch-orders.json").is_file()
        assert not (desk_copy / "connectors" / "get-orders.json").exists()
        assert "@call(Fetch orders)" in (desk_copy / "procedures" / "order-status.json").read_text()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _files(desk_copy) == before and not session.dirty_entries()


async def test_a_breakpoint_follows_its_step_renamed_in_the_form_and_undo_brings_it_back(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(app, ProcedureEditor)
        editor.outline.focus()
        editor.outline.select_ref(OutlineRef(step_id="lookup"))
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.session.breakpoints.pairs() == {("Order status", "lookup")}
        editor.form.query_one("#step-id", Input).focus()
        await settle(pilot)
        await pilot.press("end", "2")
        await settle(pilot)
        assert app.session.breakpoints.pairs() == {("Order status", "lookup2")}
        assert editor.outline.markers.get("lookup2") == "●" and "lookup" not in editor.outline.markers
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.session.breakpoints.pairs() == {("Order status", "lookup")}
        assert editor.outline.markers.get("lookup") == "●"


async def test_the_footer_shows_the_step_text_keys_not_the_outline_s(desk_copy: Path) -> None:
    """At each terminal size, the outline's keys show while it has focus and leave the footer once Enter moves the
    focus into the step's text (Save stays). One app, resized (three apps once)."""
    async with running(desk_copy, size=(160, 48)) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(app, ProcedureEditor)
        for size in [(160, 48), (100, 30), (80, 24)]:
            await pilot.resize_terminal(*size)
            editor.outline.focus()
            editor.outline.select_ref(OutlineRef(step_id="lookup"))
            await settle(pilot)
            outline_actions = {"add_step", "retype", "remove", "add_branch", "toggle_error_path"}
            shown = {active.binding.action for active in app.screen.active_bindings.values()}
            assert outline_actions & shown, f"the outline's keys show while it has focus, at {size}"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.focused, MentionArea) and app.focused.id == "text"
            active = {active.binding.action for active in app.screen.active_bindings.values()}
            assert not outline_actions & active
            footer = " ".join(str(key.render()) for key in app.query_one(Footer).query("FooterKey"))
            assert "Add step" not in footer and "Change type" not in footer and "Remove" not in footer, size
            assert "Save" in footer, size


async def test_typing_at_once_after_choosing_a_step_type_goes_into_the_new_step(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = "at once a e x"
    pending: list[str] = []
    redraw = StepForm.show

    async def typed_while_redrawing(form: StepForm, ref: OutlineRef | None) -> None:
        """The author types on while the form is being redrawn for the new step (a busy machine)."""
        app = form.app
        if pending and app.screen is app.screen_stack[0]:
            for char in pending.pop():
                app.post_message(events.Key("space" if char == " " else char, char))
            await wait_until(lambda: app._message_queue.empty() and app.screen._message_queue.empty(), what="keys")
            focused = app.focused
            if focused is not None:
                await wait_until(focused._message_queue.empty, what="keys handled")
        await redraw(form, ref)

    monkeypatch.setattr(StepForm, "show", typed_while_redrawing)
    async with hosting(desk_copy, "procedure", "Refund eligibility") as (pilot, editor):
        app = pilot.app
        assert isinstance(editor, ProcedureEditor)
        editor.outline.focus()
        await settle(pilot)
        count = len(list(editor.entry.model.all_steps()))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, StepTypeScreen)
        app.screen.query_one(OptionList).highlighted = list(STEP_TYPES).index("instruction")
        app.screen.query_one(OptionList).focus()
        pending.append(typed)
        await pilot.press("enter")
        await settle(pilot)
        assert not pending and app.screen is app.screen_stack[0]
        added = editor.entry.model.step(editor.form.ref.step_id)
        assert added.type == "instruction" and added.text == typed
        assert len(list(editor.entry.model.all_steps())) == count + 1, "no letter ran an outline command"
        assert isinstance(app.focused, MentionArea)
