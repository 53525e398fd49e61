"""A connector's dynamic mock rules as a form: the rules in order, the tests and response of the selected one,
and "try an input" to see which rule answers (with :func:`workbench.connectors.explain_trial`)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Button, DataTable, Label, Static

from workbench.connectors import describe_test, explain_trial
from workbench.model import Connector, DynamicRule, MockResponse, RuleMatch
from workbench.store import to_data
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import ErrorLine, show_text
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.tui.widgets.json_field import JsonField, check_json
from workbench.tui.widgets.row_form import RowForm, RowProblem
from workbench.visible import literal

OPS = ("equals", "contains", "regex", "exists")
FAULTS = ("timeout", "malformed_json", "empty_body", "disconnect")
NO_FAULT = "none"


class RulesEditor(RowForm):
    """Edit the rules of ``connector``, kept as typed: each row a rule's data as the file holds it and its body's
    text while it does not parse (a status out of range, a body that does not parse is refused: see
    :class:`~workbench.tui.widgets.row_form.RowForm`)."""

    STATUS = "#rule-status-line"

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

    def __init__(self, connector: Connector, *, draft: str | None = None, id: str | None = None) -> None:
        super().__init__([[to_data(rule), None] for rule in connector.response.rules], draft=draft, id=id)
        self.connector = connector
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
        self.part("#rules-table", DataTable).add_columns("#", "Name", "Tests", "Status", "Latency", "Fault")
        self.part("#tests-table", DataTable).add_columns("Input", "Test", "Value")
        self.set_connector(self.connector)

    def set_connector(self, connector: Connector) -> None:
        """Follow the connector's inputs and example (the rules shown stay this editor's)."""
        self.connector = connector
        names = [item.name for item in connector.inputs]
        if names == self._input_names:  # e.g. an input's source typed: only the trial can change
            self._try()
            return
        self._input_names = names
        self.part("#test-input", Select).set_options([(literal(name), name) for name in names])
        box = self.part("#try-inputs", Vertical)
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

    @property
    def rules(self) -> list[DynamicRule]:
        """The rules (while :meth:`problem` is ``None``: every row is one)."""
        return [DynamicRule.model_validate(data) for data, _ in self.rows]

    def rows_of(self, data: list[Any]) -> list[Any]:
        return [[dict(rule), None if body is None else str(body)] for rule, body in data]

    def problem(self) -> RowProblem | None:
        """A rule's body that does not parse, or a rule no rule can be (a status out of 200-599)."""
        for index, (data, body) in enumerate(self.rows):
            problem = check_json(body, None, True)[2] if body is not None else None
            if problem is not None:
                message = problem.message if problem.parses else "not valid JSON"
                return RowProblem(index, 1, f"body: {message} at {problem.line}:{problem.column}")
            try:
                DynamicRule.model_validate(data)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(map(str, first["loc"]))
                return RowProblem(index, _COLUMNS.get(where, 1), f"{where}: {first['msg']}")
        return None

    def _refill_rules(self) -> None:
        table = self.part("#rules-table", DataTable)
        table.clear()
        for index, (data, _) in enumerate(self.rows):
            table.add_row(*(literal(cell) for cell in _rule_cells(index, data)))
        if self.rows:
            table.move_cursor(row=min(self._row, len(self.rows) - 1))
        self._try()

    def _current(self) -> dict[str, Any] | None:
        return self.rows[self._row][0] if 0 <= self._row < len(self.rows) else None

    def _fill_rule(self) -> None:
        rule = self._current()
        response = rule.get("response", {}) if rule else {}
        self.part("#rule-name", Input).value = str(rule.get("name", "")) if rule else ""
        self.part("#rule-status", Input).value = str(response.get("status", 200))
        self.part("#rule-latency", Input).value = str(response.get("latency_ms", 0))
        fault = response.get("fault")
        self.part("#rule-fault", Select).value = fault if fault in FAULTS else NO_FAULT
        body = self.rows[self._row][1] if rule else None
        self.part("#rule-body", JsonField).set_data(response.get("body"), draft=body)
        for selector in ("#rule-name", "#rule-status", "#rule-latency", "#rule-fault", "#add-test"):
            self.part(selector, Widget).disabled = rule is None
        self._test = 0
        self._refill_tests()

    def _tests(self) -> list[RuleMatch]:
        rule = self._current()
        return [RuleMatch.model_validate(match) for match in rule.get("when", [])] if rule else []

    def _refill_tests(self) -> None:
        table = self.part("#tests-table", DataTable)
        table.clear()
        tests = self._tests()
        for match in tests:
            table.add_row(
                literal(match.input), literal(match.op), literal("" if match.value is None else repr(match.value))
            )
        if tests:
            table.move_cursor(row=min(self._test, len(tests) - 1))
        self._fill_test()

    def _fill_test(self) -> None:
        tests = self._tests()
        match = tests[self._test] if 0 <= self._test < len(tests) else None
        select = self.part("#test-input", Select)
        if match is not None and match.input in {item.name for item in self.connector.inputs}:
            select.value = match.input
        self.part("#test-op", Select).value = match.op if match else "equals"
        self.part("#test-value", Input).value = "" if match is None or match.value is None else str(match.value)
        for selector in ("#test-input", "#test-op", "#test-value", "#remove-test"):
            self.part(selector, Widget).disabled = match is None

    # -- editing -------------------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != event.data_table.cursor_row:
            return  # stale: the cursor moved on (a refill passes through row 0)
        if event.data_table.id == "rules-table" and event.cursor_row != self._row:
            self._row = event.cursor_row
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
        """The body's text while it does not parse is the rule's (the table as typed a draft of the item)."""
        event.stop()
        if 0 <= self._row < len(self.rows):
            body = event.text if event.problem is not None else None
            if body != self.rows[self._row][1]:
                self.rows[self._row][1] = body
                self.typed_edit(("rule", self._row))

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
        fault = self.part("#rule-fault", Select).value
        old = rule.get("response", {})
        response = dict(old)
        form: dict[str, Any] = {
            "status": _number(self.part("#rule-status", Input).value, 200),
            "latency_ms": _number(self.part("#rule-latency", Input).value, 0),
            "fault": None if fault in (NO_FAULT, Select.NULL) else fault,
        }
        if body:
            form["body"] = self.part("#rule-body", JsonField).data  # (its draft goes with the Drafted after)
        for key, value in form.items():
            if value in (None, MockResponse.model_fields[key].default) and key not in old:
                response.pop(key, None)  # a default stays out of the file unless it was written there
            elif value is None:
                response.pop(key, None)
            else:
                response[key] = value
        data = {**rule, "response": response}
        name = self.part("#rule-name", Input).value.strip()
        if name or "name" in rule:
            data["name"] = name
        self._replace(data, typing=("rule", self._row))

    def _apply_test(self) -> None:
        rule = self._current()
        tests = self._tests()
        if rule is None or not 0 <= self._test < len(tests):
            return
        name = self.part("#test-input", Select).value
        op = self.part("#test-op", Select).value
        text = self.part("#test-value", Input).value
        old = tests[self._test]
        value = (None if not text.strip() else parse_default(text)) if op == "exists" else parse_default(text)
        match = RuleMatch(
            input=old.input if name is Select.NULL else str(name),
            op=old.op if op is Select.NULL else op,  # type: ignore[arg-type]
            value="" if value is None and op != "exists" else value,
        )
        if match == old:
            return
        when = [to_data(match) if index == self._test else other for index, other in enumerate(rule["when"])]
        self._replace({**rule, "when": when}, typing=("test", self._row, self._test))
        table = self.part("#tests-table", DataTable)
        for column, value in enumerate((match.input, match.op, "" if match.value is None else repr(match.value))):
            table.update_cell_at(Coordinate(self._test, column), literal(value), update_width=True)

    def _replace(self, rule: dict[str, Any], typing: Hashable | None = None) -> None:
        """Make ``rule`` the selected rule's data as typed (an edit of the table, see :meth:`typed_edit`)."""
        if rule == self._current():
            return
        self.rows[self._row][0] = rule
        table = self.part("#rules-table", DataTable)
        for column, value in enumerate(_rule_cells(self._row, rule)[1:], 1):
            table.update_cell_at(Coordinate(self._row, column), literal(value), update_width=True)
        self._changed(typing)

    def _changed(self, typing: Hashable | None = None) -> None:
        self._try()
        self.typed_edit(typing)

    def add_rule(self) -> None:
        """Add a rule answering 200 with no tests, after the others, and select it."""
        rule = DynamicRule(name=f"Rule {len(self.rows) + 1}", response=MockResponse(status=200))
        self.rows.append([to_data(rule), None])
        self._row = len(self.rows) - 1
        self._refill_rules()
        self._fill_rule()
        give_focus(self.part("#rule-name", Input))
        self._changed()

    def remove_rule(self) -> None:
        """Remove the selected rule."""
        if self._current() is None:
            return
        del self.rows[self._row]
        self._row = max(0, min(self._row, len(self.rows) - 1))
        self._refill_rules()
        self._fill_rule()
        self._changed()

    def move_rule(self, delta: int) -> None:
        """Move the selected rule up or down (the order decides which rule answers)."""
        target = self._row + delta
        if self._current() is None or not 0 <= target < len(self.rows):
            return
        self.rows[self._row], self.rows[target] = self.rows[target], self.rows[self._row]
        self._row = target
        self._refill_rules()
        self._changed()

    def add_test(self) -> None:
        """Add a test on the first input to the selected rule."""
        rule = self._current()
        if rule is None:
            return
        first = self.connector.inputs[0].name if self.connector.inputs else "input"
        when = [*rule.get("when", []), to_data(RuleMatch(input=first, value=""))]
        self._replace({**rule, "when": when})
        self._test = len(when) - 1
        self._refill_tests()
        give_focus(self.part("#test-value", Input))

    def remove_test(self) -> None:
        """Remove the selected test of the selected rule."""
        rule = self._current()
        if rule is None or not 0 <= self._test < len(rule.get("when", [])):
            return
        self._replace({**rule, "when": [m for i, m in enumerate(rule["when"]) if i != self._test]})
        self._test = max(0, self._test - 1)
        self._refill_tests()

    # -- trying --------------------------------------------------------------------------------------

    def _try(self) -> None:
        inputs = {
            field.name: parse_default(field.value)
            for row in self.part("#try-inputs", Vertical).children
            for field in row.children
            if isinstance(field, Input) and field.name and field.value.strip()
        }
        rules = self.rules if self.problem() is None else self.connector.response.rules  # (the last valid)
        connector = self.connector.model_copy(
            update={"response": self.connector.response.model_copy(update={"rules": rules})}
        )
        tried = explain_trial(connector, inputs)
        if tried != self._tried:  # each update lays the form out again
            self._tried = tried
            show_text(self.part("#try-result", Static), literal(tried))


_COLUMNS = {"name": 2, "when": 3, "response.status": 4, "response.latency_ms": 5, "response.fault": 6}
"""The column of the rules' table showing a key of a rule (where a draft locates a rule refused)."""


def _rule_cells(index: int, rule: dict[str, Any]) -> tuple[str, ...]:
    """A rule's row in the table (``#``, name, tests, status, latency, fault) from its data as typed."""
    response = rule.get("response", {})
    tests = "; ".join(describe_test(RuleMatch.model_validate(match)) for match in rule.get("when", []))
    return (
        str(index + 1),
        str(rule.get("name", "")),
        tests or "always",
        str(response.get("status", 200)),
        str(response.get("latency_ms", 0)),
        str(response.get("fault") or ""),
    )


def _number(text: str, empty: int) -> int | str:
    """A whole number typed (``empty`` for no text); text that is none as typed (the rule refuses it)."""
    try:
        return int(text.strip() or empty)
    except ValueError:
        return text
