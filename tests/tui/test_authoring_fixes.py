"""Authoring bugs of issue 11, each pinned by a Pilot test that failed before its fix."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from rich.console import Console
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static
from textual.widgets._footer import FooterKey

from tests.conftest import LINT_EXAMPLES
from tests.events import json_event
from tests.quick_pilot import quick_test
from tests.tui.conftest import click_button, open_item, running, settle, workbench_of
from tests.tui.debug.harness import DebugApp, answer, finished
from tests.tui.editor_host import hosting, typed
from tests.waiting import wait_until
from workbench.engine.describe import describe
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug.event_detail import render_event
from workbench.tui.layout import MIN_EDITOR_FLOOR, MIN_EDITOR_HEIGHT
from workbench.tui.screens.pickers import StepTypeScreen
from workbench.tui.widgets.completing_input import CompletingInput
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.grouped_values import GroupedValues
from workbench.tui.widgets.rules_editor import RulesEditor
from workbench.tui.widgets.settings_editor import SettingsEditor
from workbench.tui.widgets.template_field import TemplateField


def _line(widget: Widget, y: int = 0) -> str:
    """The text of one row of a widget as drawn."""
    return widget.render_line(y).text


async def test_the_connector_s_fields_show_select_and_save_what_is_typed(desk_copy: Path) -> None:
    """One hosted connector editor (four tests once, each mounting it):
    - the URL field shows its text while focused, on one row wide enough;
    - a long input source typed shows whole in the inputs table, and the other inputs are left alone;
    - setting the fault back to none leaves no fault key in the file;
    - Ctrl+A selects all the text of the focused field (a URL, a one-line input), and a key types over it."""
    source = "Conversation > order_reference_number"
    async with hosting(desk_copy, "connector", "Get orders") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        field = editor.query_one("#url", TemplateField)
        field.focus()
        await settle(pilot)
        assert field.has_focus
        region = field.content_region
        assert region.height == 1 and region.width > 20
        assert "{{env.base_url}}/customers" in _line(field)

        await editor.show_tab("tab-inputs")
        await settle(pilot)
        await pilot.click("#add-input")
        await settle(pilot)
        source_field = editor.query_one("#input-source", Input)
        source_field.focus()
        source_field.insert_text_at_cursor(source[:-1])  # the length is the point, not the keys: the last one is typed
        await typed(pilot, source[-1])
        table = editor.query_one("#inputs-table", DataTable)
        first, added = editor.entry.model.inputs
        assert (first.name, first.source) == ("email", "User > email")
        assert (added.name, added.source) == ("input_1", source)
        # The table widens its column when it is next idle, which on a loaded machine can be after settle().
        await wait_until(lambda: source in _line(table, 2), pilot, what="the source drawn whole")
        assert "User > email" in _line(table, 1)

        await editor.show_tab("tab-response")
        await settle(pilot)
        fault = editor.query_one("#fault", Select)
        file = desk_copy / "connectors" / "get-orders.json"
        for value in ("timeout", fault.value):
            fault.value = value
            await settle(pilot)
            assert editor.entry.dirty
            await typed(pilot, "ctrl+s")
            assert json.loads(file.read_text())["response"]["example"].get("fault") == (
                "timeout" if value == "timeout" else None
            )
        assert "fault" not in json.loads(file.read_text())["response"]["example"]

        await editor.show_tab("tab-request")
        await settle(pilot)
        for selected in (editor.query_one("#url", TemplateField), editor.query_one("#description", Input)):
            selected.focus()
            await pilot.press("end", "ctrl+a")
            text = selected.text if isinstance(selected, TemplateField) else selected.value
            assert selected.selected_text == text and text
            await pilot.press("x")
            assert (selected.text if isinstance(selected, TemplateField) else selected.value) == "x"


async def test_an_input_source_completes_from_the_attributes_like_the_at_menu(desk_copy: Path) -> None:
    """A connector input's source completes from the attributes as the @ menu does, another connector's response
    attributes among them (flattened from that connector's example, which needs no lint cycle: the hosted editor's
    session offers them as the app's does; the whole app once)."""
    async with hosting(desk_copy, "connector", "Issue refund") as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        await editor.show_tab("tab-inputs")
        await settle(pilot)
        await pilot.click("#add-input")
        await settle(pilot)
        field = editor.query_one("#input-source", CompletingInput)
        field.focus()
        await typed(pilot, *"email user")
        await wait_until(lambda: field.menu_open, pilot, what="the completion list")
        chosen = field.menu.selected()
        assert chosen is not None and chosen.label == "User > email" and "Source attribute" in str(field.menu.render())
        await pilot.press("enter")
        await settle(pilot)
        assert field.value == "User > email" and not field.menu_open
        assert editor.entry.model.inputs[-1].source == "User > email"
        await typed(pilot, "ctrl+a", *"orders stat")  # another connector's response attribute
        await wait_until(lambda: field.menu_open, pilot, what="the completion list again")
        assert field.menu.selected().label == "Get orders > status"
        await pilot.press("escape")
        assert not field.menu_open and field.value == "orders stat"


async def test_panes_give_way_on_a_narrower_terminal_and_fit_again(desk_copy: Path) -> None:
    """One app at 160 columns, resized (two tests once, each starting it):
    - a pane hidden by a narrower terminal gives the focus to the editor: the run panel, not asked for, gives way,
      the focus lands in the editor (every ancestor shown), and an outline key reaches the outline, not the hidden
      Scenarios tab ("run all");
    - panels fit again when the terminal shrinks: the run panel widened (asked for) stays and the tree gives way,
      the editor keeps its floor, every pane fits, and at full size again both are back as the author left them."""
    async with running(desk_copy, size=(160, 48)) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        app.main.debugger.scenarios.table.focus()
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert not app.main.debug_panel.display  # it was not asked for: it gives way on a narrow terminal
        focused = app.focused
        assert focused is not None and app.current_editor in focused.ancestors
        assert all(node.display for node in focused.ancestors_with_self if isinstance(node, Widget))
        await pilot.press("a")  # an outline key reaches the outline, not the hidden Scenarios tab ("run all")
        await wait_until(lambda: isinstance(app.screen, StepTypeScreen), pilot, what="the Add step picker")
        assert all(row.status == "not run" for row in app.main.debugger.scenarios.board.rows.values())
        await pilot.press("escape")
        await pilot.resize_terminal(160, 48)
        await settle(pilot)

        assert app.main.debug_panel.display
        await pilot.press("alt+shift+left")  # widen the run panel (the key), then as far as it goes
        app.main.action_resize("debug", 200)
        await settle(pilot)
        assert app.main.debug_panel.size.width >= 90
        for width, height in ((100, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            editors = app.editors.region
            assert editors.width >= MIN_EDITOR_FLOOR, (width, editors)
            assert editors.height >= MIN_EDITOR_HEIGHT
            for pane in (app.tree, app.main.debug_panel, app.problems, app.editors):
                if pane.display:
                    assert pane.region.right <= width and pane.region.bottom <= height - 1, (pane, width)
        assert app.main.debug_panel.display and not app.tree.display  # the panel asked for stays, the tree gives way
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert app.tree.display and app.main.debug_panel.size.width >= 90  # back as the author left them


async def test_problems_show_every_message_whole_in_a_narrow_panel(tmp_path: Path) -> None:
    shutil.copytree(LINT_EXAMPLES, tmp_path / "desk")
    async with running(tmp_path / "desk", size=(100, 120)) as pilot:
        app = workbench_of(pilot)
        app.main.action_resize("problems", 200)  # as tall as it goes, so every row is on screen
        await settle(pilot)
        problems = app.problems
        assert problems.findings and problems.size.width < 80
        shown = " ".join(_line(problems, y) for y in range(problems.size.height)).split()
        for finding in problems.findings:
            words = finding.message.split()
            assert all(word in shown for word in words), finding.message


async def test_the_transcript_shows_a_reply_as_the_customer_typed_it(desk_copy: Path) -> None:
    confirm = {
        "name": "Confirm",
        "description": "",
        "steps": [
            {
                "id": "ask",
                "type": "collect",
                "attribute": "Conversation > go_ahead",
                "prompt": "Go ahead?",
                "value_type": "boolean",
            },
            {"id": "done", "type": "end", "outcome": "resolved"},
        ],
    }
    (desk_copy / "procedures" / "confirm.json").write_text(json.dumps(confirm))
    app = DebugApp(desk_copy, "Confirm")
    async with quick_test(app, size=(100, 40)) as pilot:
        await pilot.press("f5")
        await answer(pilot, app.view, "Conversation > go_ahead", "yes")
        await finished(pilot, app.view)
        said = [str(line.render()) for line in app.view.conversation.transcript.query(Static)]
        assert app.view.debug_run.run.context.attributes["Conversation"]["go_ahead"] is True
    assert "Customer\nyes" in said


def test_the_event_detail_keeps_the_summary_apart_from_the_fields() -> None:
    long = "Your order ORD-1001 is processing and will ship in several parcels over the coming days. " * 2
    events = [
        json_event(3, 0.5, "message", {"procedure": "P", "step": "say", "text": long, "reads": {}}),
        json_event(4, 0.6, "paused", {"procedure": "P", "step": "say", "reason": "start"}),
    ]
    for event in events:
        console = Console(width=60, record=True, file=io.StringIO())
        console.print(render_event(event))
        lines = console.export_text().splitlines()
        fields = lines.index("fields")
        assert lines[fields + 1] == "{" and all("{" not in line for line in lines[1:fields])
        summary = " ".join(" ".join(lines[1:fields]).split())
        assert summary == " ".join(describe(event).split())


async def test_dynamic_rules_are_edited_in_a_form_and_tried_against_an_input(desk_copy: Path) -> None:
    async with hosting(desk_copy, "connector", "Get subscription", size=(140, 60)) as (pilot, editor):
        assert isinstance(editor, ConnectorEditor)
        await editor.show_tab("tab-rules")
        await settle(pilot)
        rules = editor.query_one(RulesEditor)
        await pilot.click("#add-rule")
        await settle(pilot)
        await typed(pilot, "ctrl+a", *"Gone away")
        await pilot.click("#add-test")
        await settle(pilot)
        await typed(pilot, *"gone@")
        editor.query_one("#test-op", Select).value = "contains"
        editor.query_one("#rule-status", Input).value = "410"
        editor.query_one("#rule-latency", Input).value = "250"
        await settle(pilot)
        for _ in range(3):  # before the rules that would answer first
            await click_button(pilot, "#rule-up")
            await settle(pilot)
        editor.query_one("#try-0", Input).value = "gone@example.com"
        await settle(pilot)
        result = str(editor.query_one("#try-result", Static).render())
        assert "rule 1 (Gone away) answers: status 410, 250 ms" in result
        editor.query_one("#try-0", Input).value = "timeout@example.com"
        await settle(pilot)
        result = str(editor.query_one("#try-result", Static).render())
        assert "rule 1 (Gone away) does not match: email contains 'gone@'" in result
        assert "rule 2 (Billing system times out) answers: status 504, 1500 ms, fault timeout" in result
        assert len(rules.rules) == 4
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = json.loads((desk_copy / "connectors" / "get-subscription.json").read_text())["response"]["rules"]
    assert saved[0] == {
        "name": "Gone away",
        "when": [{"input": "email", "op": "contains", "value": "gone@"}],
        "response": {"status": 410, "latency_ms": 250},
    }
    assert [rule["name"] for rule in saved[1:]] == [
        "Billing system times out",
        "Already cancelled",
        "Active subscription",
    ]


async def test_workspace_attributes_and_environments_are_edited_in_forms(desk_copy: Path) -> None:
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        attributes = editor.query_one("#attributes", GroupedValues)
        attributes.query_one(".add", Button).press()
        await settle(pilot)
        await typed(pilot, "ctrl+a", *"loyalty_points")
        attributes.query_one(".value", Input).value = "120"
        await settle(pilot)
        environments = editor.query_one("#environments", GroupedValues)
        environments.add_row()
        await settle(pilot)
        environments.query_one(".group", Input).value = "staging"
        await settle(pilot)
        environments.query_one(".name", Input).value = "base_url"
        environments.query_one(".value", Input).value = "https://staging.example.com"
        await settle(pilot)
        editor.query_one("#default-environment", Select).value = "staging"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = json.loads((desk_copy / "workbench.json").read_text())
    assert saved["attributes"]["User"]["loyalty_points"] == 120
    assert saved["attributes"]["User"]["user_id"] == "u_1001"  # untouched values keep their type
    assert saved["environments"]["staging"] == {"base_url": "https://staging.example.com"}
    assert saved["default_environment"] == "staging"


def _footer_actions(app: WorkbenchApp) -> list[str]:
    return [key.action for key in app.query(FooterKey)]


async def test_an_undeclared_attribute_is_declared_from_the_problems_list(desk_copy: Path) -> None:
    procedure = desk_copy / "procedures" / "order-status.json"
    procedure.write_text(
        procedure.read_text().replace("tell them it is", "tell them, a @read(User > tier) member, it is")
    )
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        [finding] = [finding for finding in app.problems.findings if finding.declare]
        assert finding.declare == "User > tier" and "workbench.json" in finding.message
        await pilot.press("f4")
        app.problems.move_cursor(row=app.problems.findings.index(finding))
        await wait_until(lambda: "fix" in _footer_actions(app), pilot, what="f in the footer on a fixable finding")
        await pilot.press("f")
        await settle(pilot)
        assert not [finding for finding in app.problems.findings if finding.declare]
        assert app.session.settings.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert json.loads((desk_copy / "workbench.json").read_text())["attributes"]["User"]["tier"] == ""
