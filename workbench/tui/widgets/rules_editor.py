"""A connector's dynamic mock rules as a form: the rules in order, the tests and response of the selected one,
and "try an input" to see which rule answers (with :func:`workbench.connectors.explain_trial`)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable, Label, Static

from workbench.connectors import describe_test, explain_trial
from workbench.model import Connector, DynamicRule, MockResponse, RuleMatch
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.tui.widgets.json_field import JsonField
from workbench.visible import literal

OPS = ("equals", "contains", "regex", "exists")
FAULTS = ("timeout", "malformed_json", "empty_body", "disconnect")
NO_FAULT = "none"


class RulesEditor(Vertical):
    """Edit the rules of ``connector``; reports the new list with :class:`RulesEditor.Changed`."""

    DEFAULT_CSS = """
    RulesEditor { height: auto; }
    RulesEditor DataTable { height: auto; max-height: 8; }
    RulesEditor .form-row { height: 1; margin-top: 1; }
    RulesEditor .form-row > Label { width: 12; }
    RulesEditor .form-row > Input { width: 1fr; }
    RulesEditor .form-row > Select { width: 16; }
    RulesEditor .form-row > Button { width: auto; min-width: 0; margin-right: 1; }
    RulesEditor .form-row > .narrow { width: 10; }
    RulesEditor #rule-body { height: 8; }
    RulesEditor .heading { text-style: bold; margin-top: 1; }
    RulesEditor #try-result { height: auto; color: $text-muted; }
    """

    HELP: ClassVar[str] = (
        "Dynamic rules are tried in order when the mode is dynamic: the first whose tests all hold answers "
        "(a rule without tests answers anything); none matching, the example answers. Strings in a response "
        "body may use {{input}} templates."
    )

    class Changed(Message):
        """The rules were edited."""

        def __init__(self, rules: list[DynamicRule], typing: Hashable | None = None) -> None:
            """``typing`` names the rule (or test) whose form was typed in (edits with the same name undo
            together); ``None`` for a rule or test added, removed or moved (an operation of its own)."""
            super().__init__()
            self.rules = rules
            self.typing = typing

    def __init__(self, connector: Connector, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.connector = connector
        self.rules = list(connector.response.rules)
        self._rule = 0
        self._test = 0
        self._input_names: list[str] | None = None
        """The connector's input names the form was built for."""
        self._tried = ""

    # -- layout --------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(literal(self.HELP), classes="hint", markup=False)
        yield FittingTable(cursor_type="row", zebra_stripes=True, id="rules-table")
        with Horizontal(classes="form-row"):
            yield Button("Add rule", id="add-rule", compact=True)
            yield Button("Remove rule", id="remove-rule", compact=True, variant="error")
            yield Button("Move up", id="rule-up", compact=True)
            yield Button("Move down", id="rule-down", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Name")
            yield Input(id="rule-name", compact=True, placeholder="what this rule rehearses")
        yield Label("Tests (all must hold)", classes="heading")
        yield FittingTable(cursor_type="row", id="tests-table")
        with Horizontal(classes="form-row"):
            yield Select([], prompt="input", id="test-input", compact=True)
            yield Select([(op, op) for op in OPS], allow_blank=False, id="test-op", compact=True)
            yield Input(id="test-value", compact=True, placeholder="value")
        with Horizontal(classes="form-row"):
            yield Button("Add test", id="add-test", compact=True)
            yield Button("Remove test", id="remove-test", compact=True, variant="error")
        yield Label("Response", classes="heading")
        with Horizontal(classes="form-row"):
            yield Label("Status")
            yield Input(id="rule-status", type="integer", compact=True, classes="narrow")
            yield Label(" Latency ms")
            yield Input(id="rule-latency", type="integer", compact=True, classes="narrow")
            yield Label(" Fault", classes="narrow")
            yield Select(
                [(NO_FAULT, NO_FAULT)] + [(f, f) for f in FAULTS], allow_blank=False, id="rule-fault", compact=True
            )
        yield JsonField(None, text="", allow_empty=True, id="rule-body")
        yield ErrorLine(id="rule-status-line")
        yield Label("Try an input against the rules", classes="heading")
        yield Vertical(id="try-inputs")
        yield Static("", id="try-result", markup=False)

    def on_mount(self) -> None:
        self.query_one("#rules-table", DataTable).add_columns("#", "Name", "Tests", "Status", "Latency", "Fault")
        self.query_one("#tests-table", DataTable).add_columns("Input", "Test", "Value")
        self.set_connector(self.connector)

    def set_connector(self, connector: Connector) -> None:
        """Follow the connector's inputs and example (the rules shown stay this editor's)."""
        self.connector = connector
        names = [item.name for item in connector.inputs]
        if names == self._input_names:  # e.g. an input's source typed: only the trial can change
            self._try()
            return
        self._input_names = names
        self.query_one("#test-input", Select).set_options([(literal(name), name) for name in names])
        box = self.query_one("#try-inputs", Vertical)
        if [row.name for row in box.children] != names:
            box.remove_children()
            box.mount_all(
                Horizontal(
                    Label(literal(name)),
                    Input(id=f"try-{index}", name=name, compact=True),
                    classes="form-row",
                    name=name,
                )
                for index, name in enumerate(names)
            )
        self._refill_rules()
        self._fill_rule()

    # -- showing -------------------------------------------------------------------------------------

    def _refill_rules(self) -> None:
        table = self.query_one("#rules-table", DataTable)
        table.clear()
        for index, rule in enumerate(self.rules):
            response = rule.response
            tests = "; ".join(describe_test(match) for match in rule.when) or "always"
            table.add_row(
                literal(str(index + 1)),
                literal(rule.name),
                literal(tests),
                literal(str(response.status)),
                literal(str(response.latency_ms)),
                literal(response.fault or ""),
            )
        if self.rules:
            table.move_cursor(row=min(self._rule, len(self.rules) - 1))
        self._try()

    def _current(self) -> DynamicRule | None:
        return self.rules[self._rule] if 0 <= self._rule < len(self.rules) else None

    def _fill_rule(self) -> None:
        rule = self._current()
        self.query_one("#rule-name", Input).value = rule.name if rule else ""
        response = rule.response if rule else MockResponse()
        self.query_one("#rule-status", Input).value = str(response.status)
        self.query_one("#rule-latency", Input).value = str(response.latency_ms)
        self.query_one("#rule-fault", Select).value = response.fault or NO_FAULT
        self.query_one("#rule-body", JsonField).set_data(response.body)
        for widget in self.query("#rule-name, #rule-status, #rule-latency, #rule-fault, #add-test"):
            widget.disabled = rule is None
        self._test = 0
        self._refill_tests()

    def _refill_tests(self) -> None:
        rule = self._current()
        table = self.query_one("#tests-table", DataTable)
        table.clear()
        for match in rule.when if rule else []:
            table.add_row(
                literal(match.input), literal(match.op), literal("" if match.value is None else repr(match.value))
            )
        tests = rule.when if rule else []
        if tests:
            table.move_cursor(row=min(self._test, len(tests) - 1))
        self._fill_test()

    def _fill_test(self) -> None:
        rule = self._current()
        match = rule.when[self._test] if rule and 0 <= self._test < len(rule.when) else None
        select = self.query_one("#test-input", Select)
        if match is not None and match.input in {item.name for item in self.connector.inputs}:
            select.value = match.input
        self.query_one("#test-op", Select).value = match.op if match else "equals"
        self.query_one("#test-value", Input).value = "" if match is None or match.value is None else str(match.value)
        for widget in self.query("#test-input, #test-op, #test-value, #remove-test"):
            widget.disabled = match is None

    # -- editing -------------------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != event.data_table.cursor_row:
            return  # stale: the cursor moved on (a refill passes through row 0)
        if event.data_table.id == "rules-table" and event.cursor_row != self._rule:
            self._rule = event.cursor_row
            self._fill_rule()
        elif event.data_table.id == "tests-table" and event.cursor_row != self._test:
            self._test = event.cursor_row
            self._fill_test()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if (event.input.id or "").startswith("try-"):
            self._try()
        elif event.input.id in ("rule-name", "rule-status", "rule-latency"):
            self._apply_rule()
        elif event.input.id == "test-value":
            self._apply_test()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "rule-fault":
            self._apply_rule()
        elif event.select.id in ("test-input", "test-op"):
            self._apply_test()

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        event.stop()
        self._apply_rule(body=True)

    def on_json_field_drafted(self, event: JsonField.Drafted) -> None:
        event.stop()  # the body shown is one rule's at a time: no draft of the item (saving waits for it to parse)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "add-rule": self.add_rule,
            "remove-rule": self.remove_rule,
            "rule-up": lambda: self.move_rule(-1),
            "rule-down": lambda: self.move_rule(1),
            "add-test": self.add_test,
            "remove-test": self.remove_test,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def _apply_rule(self, body: bool = False) -> None:
        rule = self._current()
        if rule is None:
            return
        status = self.query_one("#rule-status-line", ErrorLine)
        fault = self.query_one("#rule-fault", Select).value
        response = rule.response.model_dump(exclude_unset=True)
        form: dict[str, Any] = {
            "status": self.query_one("#rule-status", Input).value.strip() or "200",
            "latency_ms": self.query_one("#rule-latency", Input).value.strip() or "0",
            "fault": None if fault in (NO_FAULT, Select.NULL) else fault,
        }
        if body:
            form["body"] = self.query_one("#rule-body", JsonField).data
        for key, value in form.items():
            if value in (None, MockResponse.model_fields[key].default) and key not in rule.response.model_fields_set:
                response.pop(key, None)  # a default stays out of the file unless it was written there
            elif value is None:
                response.pop(key, None)
            else:
                response[key] = value
        data = rule.model_dump(exclude_unset=True)
        data["response"] = response
        name = self.query_one("#rule-name", Input).value.strip()
        if name or "name" in rule.model_fields_set:
            data["name"] = name
        try:
            new = DynamicRule.model_validate(data)
        except ValidationError as error:
            status.show_invalid(error)
            return
        status.update("")
        self._replace(new, typing=("rule", self._rule))

    def _apply_test(self) -> None:
        rule = self._current()
        if rule is None or not 0 <= self._test < len(rule.when):
            return
        name = self.query_one("#test-input", Select).value
        op = self.query_one("#test-op", Select).value
        text = self.query_one("#test-value", Input).value
        old = rule.when[self._test]
        value = (None if not text.strip() else parse_default(text)) if op == "exists" else parse_default(text)
        match = RuleMatch(
            input=old.input if name is Select.NULL else str(name),
            op=old.op if op is Select.NULL else op,  # type: ignore[arg-type]
            value="" if value is None and op != "exists" else value,
        )
        if match == old:
            return
        tests = [match if index == self._test else other for index, other in enumerate(rule.when)]
        self._replace(rule.model_copy(update={"when": tests}), typing=("test", self._rule, self._test))
        table = self.query_one("#tests-table", DataTable)
        for column, value in enumerate((match.input, match.op, "" if match.value is None else repr(match.value))):
            table.update_cell_at(Coordinate(self._test, column), value, update_width=True)

    def _replace(self, rule: DynamicRule, typing: Hashable | None = None) -> None:
        if rule == self._current():
            return
        self.rules = [rule if index == self._rule else other for index, other in enumerate(self.rules)]
        table = self.query_one("#rules-table", DataTable)
        response = rule.response
        cells = (
            rule.name,
            "; ".join(describe_test(match) for match in rule.when) or "always",
            str(response.status),
            str(response.latency_ms),
            response.fault or "",
        )
        for column, value in enumerate(cells, 1):
            table.update_cell_at(Coordinate(self._rule, column), value, update_width=True)
        self._changed(typing)

    def _changed(self, typing: Hashable | None = None) -> None:
        self._try()
        self.post_message(self.Changed(list(self.rules), typing))

    def add_rule(self) -> None:
        """Add a rule answering 200 with no tests, after the others, and select it."""
        self.rules.append(DynamicRule(name=f"Rule {len(self.rules) + 1}", response=MockResponse(status=200)))
        self._rule = len(self.rules) - 1
        self._refill_rules()
        self._fill_rule()
        give_focus(self.query_one("#rule-name", Input))
        self._changed()

    def remove_rule(self) -> None:
        """Remove the selected rule."""
        if self._current() is None:
            return
        del self.rules[self._rule]
        self._rule = max(0, min(self._rule, len(self.rules) - 1))
        self._refill_rules()
        self._fill_rule()
        self._changed()

    def move_rule(self, delta: int) -> None:
        """Move the selected rule up or down (the order decides which rule answers)."""
        target = self._rule + delta
        if self._current() is None or not 0 <= target < len(self.rules):
            return
        self.rules[self._rule], self.rules[target] = self.rules[target], self.rules[self._rule]
        self._rule = target
        self._refill_rules()
        self._changed()

    def add_test(self) -> None:
        """Add a test on the first input to the selected rule."""
        rule = self._current()
        if rule is None:
            return
        first = self.connector.inputs[0].name if self.connector.inputs else "input"
        self._replace(rule.model_copy(update={"when": [*rule.when, RuleMatch(input=first, value="")]}))
        self._test = len(self.rules[self._rule].when) - 1
        self._refill_tests()
        give_focus(self.query_one("#test-value", Input))

    def remove_test(self) -> None:
        """Remove the selected test of the selected rule."""
        rule = self._current()
        if rule is None or not 0 <= self._test < len(rule.when):
            return
        self._replace(rule.model_copy(update={"when": [m for i, m in enumerate(rule.when) if i != self._test]}))
        self._test = max(0, self._test - 1)
        self._refill_tests()

    # -- trying --------------------------------------------------------------------------------------

    def _try(self) -> None:
        inputs = {
            field.name: parse_default(field.value)
            for field in self.query("#try-inputs Input").results(Input)
            if field.name and field.value.strip()
        }
        connector = self.connector.model_copy(
            update={"response": self.connector.response.model_copy(update={"rules": self.rules})}
        )
        tried = explain_trial(connector, inputs)
        if tried != self._tried:  # each update lays the form out again
            self._tried = tried
            self.query_one("#try-result", Static).update(literal(tried))
