"""The scenario form, used from the keyboard: edits are operations undone one action at a time, a bad value is a
draft located where it is (kept, marked unsaved, named by a refused save), and a file's keys the form does not
show come back byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent, TabPane

from tests.tui.conftest import front_editor, open_item, running, settle, told, workbench_of
from tests.tui.editor_host import EditorHost, hosting, typed
from tests.waiting import wait_until
from workbench.model import Scenario
from workbench.store import serialize
from workbench.tui.focus import give_focus
from workbench.tui.screens.pickers import ChoiceScreen
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Select, TextArea
from workbench.tui.widgets.grouped_values import GroupedValues
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.scenario_editor import ScenarioEditor

BIG_ORDER = "scenarios/big-order-ships-in-parts.json"
BIG_ORDER_NAME = "Big order ships in parts"


async def _open(pilot: Pilot[None], name: str = BIG_ORDER_NAME) -> ScenarioEditor:
    await open_item(pilot, "scenario", name)
    return front_editor(workbench_of(pilot), ScenarioEditor)


async def _focus(pilot: Pilot[None], editor: ScenarioEditor, selector: str) -> None:
    give_focus(editor.query_one(selector))
    await settle(pilot)


def _saved(root: Path, path: str = BIG_ORDER) -> Scenario:
    return Scenario.model_validate(json.loads((root / path).read_text(encoding="utf-8")))


def _notices(pilot: Pilot[None]) -> str:
    return told(pilot.app)


async def test_a_bad_expectation_shows_where_is_kept_and_save_names_it(desk_copy: Path) -> None:
    """A step id that does not exist is shown where it is, kept as a draft (the model untouched), named by the
    app's refused save, still there after opening another item and coming back, asked about on quit (the item is
    unsaved though its model is not changed), and undone with its typing. The whole app: the save's notice, the
    editors kept while another is in front, quitting."""
    before = (desk_copy / BIG_ORDER).read_bytes()
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        editor = await _open(pilot)
        await editor.show_tab("tab-expect")
        await _focus(pilot, editor, "#expect-path")
        area = editor.query_one("#expect-path", TextArea)
        area.move_cursor((1, len("big-order")))
        await pilot.press(*" two")
        await settle(pilot)
        error = str(editor.query_one("#expect-error", ErrorLine).render())
        assert "✗ expect.path[1]: 'big-order two' is not a step id" in error
        assert editor.entry.dirty and "● unsaved" in editor._title()
        assert editor.scenario.expect.path == ["lookup", "big-order", "split", "done"]  # the model is untouched
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "expect.path[1]: 'big-order two' is not a step id" in _notices(pilot)
        assert (desk_copy / BIG_ORDER).read_bytes() == before
        await open_item(pilot, "procedure", "Order status")  # away and back: the text typed is still there
        editor = await _open(pilot)
        assert "big-order two" in editor.query_one("#expect-path", TextArea).text
        assert app.session is not None and editor.entry.drafts.text("expect.path") is not None
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen), "quitting asks"
        await pilot.press("escape")
        await settle(pilot)
        await editor.show_tab("tab-expect")
        await _focus(pilot, editor, "#expect-path")
        await pilot.press("ctrl+z")  # the draft and the typing: one action
        await settle(pilot)
        assert not editor.entry.drafts.texts
        assert editor.query_one("#expect-path", TextArea).text == "lookup\nbig-order\nsplit\ndone"


async def test_keys_the_form_does_not_know_come_back_byte_for_byte(desk_copy: Path) -> None:
    """Keys the form does not show are listed, kept byte for byte when every tab was drawn and nothing edited, and
    kept (as values) when an edit is saved."""
    path = desk_copy / BIG_ORDER
    data = json.loads(path.read_text(encoding="utf-8"))
    data["x_owner"] = {"team": "[bold]care[/]", "since": 2024}
    data["mocks"]["Get orders"]["x-note"] = "kept"
    data["expect"]["x_flaky"] = True
    data["messages"] = {"lookup": "Let me look"}
    path.write_text(json.dumps(data, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")  # not our indent
    before = path.read_bytes()
    async with hosting(desk_copy, "scenario", BIG_ORDER_NAME) as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        shown = str(editor.query_one("#also-in-file").render())
        assert "messages" in shown and "x_owner" in shown
        await _focus(pilot, editor, "#description")  # the tab keys are the editor's: the focus in it
        tabs = editor.query_one(TabbedContent)
        drawn = []
        for _ in range(5):  # every tab, drawn and left: nothing edited
            await pilot.press("ctrl+pagedown")
            await settle(pilot)
            drawn.append(tabs.active)
        assert sorted(drawn) == sorted(pane.id or "" for pane in tabs.query(TabPane))
        assert not editor.entry.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert path.read_bytes() == before
        await editor.show_tab("tab-scenario")
        await _focus(pilot, editor, "#description")
        await pilot.press(*"x")  # an edit, saved: the unknown keys are kept
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["x_owner"] == data["x_owner"] and after["mocks"]["Get orders"]["x-note"] == "kept"
    assert after["expect"]["x_flaky"] is True and after["messages"] == data["messages"] and after["description"] == "x"


async def test_form_edits_undo_one_action_at_a_time_and_a_row_named_twice_is_kept(desk_copy: Path) -> None:
    """One hosted scenario editor, edits undone back to the file (four tests once, each mounting it):
    - an answer row added then typed in: the typing is undone first, then the row (and the answers key with it);
      a quoted value is text, not a number;
    - a mock is added from the list of connectors not mocked yet, the focus lands in its status, and the edit and
      the addition undo one at a time;
    - an edit undone, then saved, writes the file back byte for byte;
    - a row renamed to a name its group already has is kept as typed (the model keeps the last valid name), shown
      where it is, refused by save with that place named, and undone with its draft at once."""
    path = desk_copy / BIG_ORDER
    before = path.read_bytes()
    async with hosting(desk_copy, "scenario", BIG_ORDER_NAME) as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        await _focus(pilot, editor, "#replies .add")
        await pilot.press("enter")  # Add: a new answer row, the focus in its name
        await settle(pilot)
        await typed(pilot, "ctrl+a", *"zip", "tab", *'"22201"')
        assert editor.scenario.answers == {"zip": "22201"}  # quoted: text, not the number
        await typed(pilot, "ctrl+z")  # the typing goes, the row added stays
        assert list(editor.scenario.answers) == ["step"]
        await typed(pilot, "ctrl+z")
        assert editor.scenario.answers == {} and "answers" not in editor.scenario.model_fields_set

        await editor.show_tab("tab-mocks")
        await _focus(pilot, editor, "#mock-add")
        await pilot.press("enter")  # the list of connectors not mocked yet
        await settle(pilot)
        await pilot.press("down", "enter")
        await wait_until(lambda: len(editor.scenario.mocks) == 2, pilot, what="the mock added")
        await settle(pilot)
        added = next(name for name in editor.scenario.mocks if name != "Get orders")
        assert str(editor.query_one("#mock", Select).value) == added
        assert pilot.app.focused is editor.query_one("#mock-status", Input)
        await typed(pilot, "ctrl+a", "backspace", *"503")
        assert editor.scenario.mocks[added].status == 503
        await typed(pilot, "ctrl+z")
        assert editor.scenario.mocks[added].status != 503 and added in editor.scenario.mocks
        await typed(pilot, "ctrl+z")
        assert list(editor.scenario.mocks) == ["Get orders"]

        await editor.show_tab("tab-scenario")
        await _focus(pilot, editor, "#procedure")
        await typed(pilot, "end", *"s", "escape")
        assert editor.scenario.procedure == "Order statuss"
        await typed(pilot, "ctrl+z")
        await typed(pilot, "ctrl+s")
        assert path.read_bytes() == before

        await _focus(pilot, editor, "#attributes .add")
        await pilot.press("enter")  # a new row, named email_2, the focus in its name
        await settle(pilot)
        await typed(pilot, "end", "backspace", "backspace")  # "email": the User namespace has one
        assert editor.scenario.attributes["User"] == {"email": "grace@example.com", "email_": ""}  # last valid
        assert "✗ attributes[1]: User already has 'email'" in str(editor.query_one("#attributes-error").render())
        assert editor.entry.dirty
        await typed(pilot, "ctrl+s")
        assert isinstance(pilot.app, EditorHost)
        report = pilot.app.saved
        assert report is not None and not report.saved
        assert "attributes[1]: User already has 'email' at 2:2 — not saved" in report.refused[0].reasons
        assert path.read_bytes() == before
        await typed(pilot, "ctrl+z")  # the typing in the row (and its draft) goes at once; the row added stays
        assert not editor.entry.drafts.texts and "email_2" in editor.scenario.attributes["User"]
        assert "email_2" in [row[1] for row in editor.query_one("#attributes", GroupedValues).rows]


async def test_form_edits_are_saved_and_the_json_tab_shows_them(desk_copy: Path) -> None:
    """One hosted scenario editor, edits saved and typed in its JSON (five tests once, each mounting it):
    - typing in an attribute's value edits the model at once, marks the item unsaved, undoes as one action, redoes
      and saves;
    - a line added to a text list and a choice made in a select are saved as the file's JSON;
    - in the JSON tab, the file half typed (not valid JSON) is a draft undone at once, and typing in its name edits
      the same model (the session finds it by the new name), undoes at once and redoes (two tests of
      test_field_undo.py and test_edits_kept.py once, each mounting a scenario's editor);
    - typed in the form, the JSON tab shows it; typed in the JSON, the form shows it once its tab is back."""
    async with hosting(desk_copy, "scenario", BIG_ORDER_NAME) as (pilot, editor):
        assert isinstance(editor, ScenarioEditor)
        await _focus(pilot, editor, "#attributes .value")
        await typed(pilot, "end", *".uk")
        assert editor.scenario.attributes["User"]["email"] == "grace@example.com.uk"
        assert editor.entry.dirty and "● unsaved" in editor._title()
        await typed(pilot, "ctrl+z")  # the typing, undone as one action
        assert editor.scenario.attributes["User"]["email"] == "grace@example.com"
        assert editor.query_one("#attributes .value", Input).value == "grace@example.com"
        await typed(pilot, "ctrl+y")
        await typed(pilot, "ctrl+s")
        assert _saved(desk_copy).attributes["User"]["email"] == "grace@example.com.uk"

        await editor.show_tab("tab-expect")
        await _focus(pilot, editor, "#expect-messages")
        await typed(pilot, "end", "enter", *"parts")
        await _focus(pilot, editor, "#expect-outcome")
        await pilot.press("enter", "down", "enter")  # resolved → handoff
        await settle(pilot)
        await typed(pilot, "ctrl+s")
        assert not editor.entry.dirty
        saved = _saved(desk_copy)
        assert saved.expect.messages_contain == ["processing", "parts"] and saved.expect.outcome == "handoff"

        entry = editor.entry
        model, before = entry.model, serialize(entry.model)
        await editor.show_tab("tab-json")
        await settle(pilot)
        area = editor.query_one("#document", JsonField).area
        text = area.text
        area.focus()
        area.move_cursor((1, 0))
        await typed(pilot, *'"note": ')
        assert entry.drafts.text("document") == area.text and entry.dirty
        await typed(pilot, "ctrl+z")
        assert not entry.drafts.texts and area.text == text

        line = area.document.get_line(1)
        assert line.lstrip().startswith('"name"')
        area.cursor_location = (1, len(line) - 2)  # before the name's closing quote
        await typed(pilot, *" again")
        assert editor.entry.model is model and model.name == f"{BIG_ORDER_NAME} again"
        assert editor.session.find("scenario", f"{BIG_ORDER_NAME} again") is editor.entry
        await typed(pilot, "ctrl+z")
        assert editor.entry.model is model and serialize(model) == before
        assert f'"{BIG_ORDER_NAME}"' in area.text and pilot.app.focused is area
        await typed(pilot, "ctrl+y")
        assert model.name.endswith(" again")

        await editor.show_tab("tab-scenario")  # drawn afresh after the JSON edits: wait for it before focusing a field
        await settle(pilot)
        await _focus(pilot, editor, "#description")
        await typed(pilot, *"Four")  # typed in the form: the JSON tab shows it
        await editor.show_tab("tab-json")
        await settle(pilot)
        area = editor.query_one("#document", JsonField).area
        assert '"description": "Four"' in area.text
        line = next(row for row in range(area.document.line_count) if '"description"' in area.document.get_line(row))
        area.move_cursor((line, len(area.document.get_line(line)) - 2))
        await typed(pilot, *" +1")  # typed in the JSON: the form shows it once its tab is back
        await pilot.press("ctrl+pagedown")  # from the last tab round to the first
        await settle(pilot)
        assert editor.query_one("#description", Input).value == "Four +1"
        assert editor.scenario.description == "Four +1"
