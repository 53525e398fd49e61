"""A scenario as a form: what it runs with (procedure, attributes, answers, decisions), its mocks, what it expects,
its simulated customer; and the whole file as JSON for what the form does not show.

Every field edits the model through the item's history (one operation per action, typing in a field undoes at
once). A text that is no value (a step id with a space, a status of 99) is a draft of the item named where it is
(``expect.path[2]: …``): shown again when the form is drawn again, marked unsaved, and named by a refused save.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, ClassVar

from pydantic import TypeAdapter, ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from workbench.editing import operations as ops
from workbench.editing.completion import Candidate, CandidateIndex
from workbench.editing.drafts import Draft, set_draft
from workbench.editing.operations import Change
from workbench.lint import Finding
from workbench.model import MockResponse, Scenario
from workbench.model.scenario import ConnectorMode, Simulation
from workbench.scenarios.form_values import (
    FieldProblem,
    calls_text,
    lines_of,
    parse_calls,
    parse_lines,
    parse_whole,
    shown,
    typed,
)
from workbench.store import MODELS, to_data
from workbench.tui.focus import give_focus
from workbench.tui.keys import KeyText
from workbench.tui.widgets.completing_input import CompletingInput
from workbench.tui.widgets.error_line import ErrorLine, show_text
from workbench.tui.widgets.fields import Input, Select, TextArea
from workbench.tui.widgets.grouped_values import GroupedValues, Row
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.row_form import RowForm
from workbench.tui.widgets.tabbed_editor import TabbedEditor
from workbench.visible import literal

_NAMESPACES = ["User", "Company", "Conversation"]
_REPLIES = ["answer", "decision"]
_OUTCOMES = ["resolved", "handoff", "escalated", "completed", "failed"]
_FAULTS = ["timeout", "malformed_json", "empty_body", "disconnect"]
_NOT_CHECKED = "(not checked)"
_NO_FAULT = "(none)"
_FORM_KEYS = frozenset(
    {"name", "description", "procedure", "attributes", "answers", "decisions", "mocks", "expect", "simulation"}
)
_SEQUENCE = TypeAdapter(list[MockResponse])
_STRINGS = TypeAdapter(list[str])
_VALUES = TypeAdapter(dict[str, Any])
_MODES = TypeAdapter(dict[str, ConnectorMode])
_FACTS = TypeAdapter(dict[str, Any] | list[str])

Parse = Callable[[str], Any]
"""A field's text to its value (raises :class:`FieldProblem`)."""


class ScenarioEditor(TabbedEditor):
    """Edit a scenario through forms on tabs (Ctrl+PgUp/PgDn), its file as JSON on the last one."""

    HELP: ClassVar[str] = (
        "A scenario pins one run of a procedure. Scenario: the procedure, the customer's attributes, their answers "
        "(by collect step, attribute or input) and the decisions of described conditions. Mocks: per connector, "
        "the response the run gets. Expect: the path of step ids, the calls, the outcome, texts the messages "
        "contain. Simulation: the customer a model plays. JSON: the whole file (keys the form does not show)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+pagedown", "switch_tab(1)", "Next tab", priority=True, id="scenario.next_tab"),
        Binding("ctrl+pageup", "switch_tab(-1)", "Previous tab", priority=True, id="scenario.previous_tab"),
    ]

    DEFAULT_CSS = """
    ScenarioEditor TabPane { padding: 0 1; }
    ScenarioEditor .row { height: 1; }
    ScenarioEditor .row > Label { width: 13; }
    ScenarioEditor .row > Input { width: 1fr; }
    ScenarioEditor .row > Select { width: 1fr; }
    ScenarioEditor .row > .narrow { width: 12; }
    ScenarioEditor .row > Button { width: auto; min-width: 0; margin-left: 1; }
    ScenarioEditor .heading { text-style: bold; margin-top: 1; }
    ScenarioEditor .hint { color: $text-muted; height: auto; }
    ScenarioEditor .lines { height: 4; background: $boost; }
    ScenarioEditor .lines:focus { background: $primary 10%; }
    ScenarioEditor .json { height: 6; }
    ScenarioEditor #document { height: 1fr; }
    ScenarioEditor .findings { color: $text-warning; height: auto; }
    """

    TABS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Scenario", "tab-scenario"),
        ("Mocks", "tab-mocks"),
        ("Expect", "tab-expect"),
        ("Simulation", "tab-simulation"),
        ("JSON", "tab-json"),
    )

    PARTS: ClassVar[dict[str, str]] = {
        "#procedure": "tab-scenario",
        "#scenario-error": "tab-scenario",
        "#scenario-findings": "tab-scenario",
        "#attributes-error": "tab-scenario",
        "#replies-error": "tab-scenario",
        "#mock-error": "tab-mocks",
        "#expect-error": "tab-expect",
        "#simulation-error": "tab-simulation",
        "#document": "tab-json",
        "#json-findings": "tab-json",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mocks = list(self.entry.model.mocks)
        self._mock: str | None = mocks[0] if mocks else None
        """The connector whose mock the Mocks tab shows."""
        self._json_edited = False
        """Whether the JSON tab changed the model since the form was drawn."""
        self._findings: list[Finding] = []
        self._problems_shown: dict[str, Text] = {}
        """What each error line was last given (by its selector), since the editor was composed."""

    @property
    def scenario(self) -> Scenario:
        """The scenario edited."""
        model: Scenario = self.entry.model
        return model

    # -- composing -----------------------------------------------------------------------------------------

    def compose_tab(self, pane: str) -> ComposeResult:
        forms = {
            "tab-scenario": self._compose_run,
            "tab-mocks": self._compose_mocks,
            "tab-expect": self._compose_expect,
            "tab-simulation": self._compose_simulation,
        }
        if pane in forms:
            with VerticalScroll():
                yield from forms[pane]()
            return
        yield KeyText(
            "The whole file, checked against its schema as you type ({json.format} formats it). Keys the "
            "form does not show are edited here."
        )
        yield JsonField(
            to_data(self.scenario),
            validate=MODELS["scenario"].model_validate,
            draft=self.draft_text("document"),
            id="document",
        )
        yield Static("", classes="findings", markup=False, id="json-findings")

    def _compose_run(self) -> ComposeResult:
        scenario = self.scenario
        yield from _row("Name", Input(self._text("name", scenario.name), id="scenario-name", compact=True))
        yield from _row(
            "Description", Input(self._text("description", scenario.description), id="description", compact=True)
        )
        yield from _row(
            "Procedure",
            CompletingInput(
                self._procedure_candidates,
                "Procedure",
                value=self._text("procedure", scenario.procedure),
                id="procedure",
                compact=True,
                placeholder="the procedure it runs (type to complete)",
            ),
        )
        yield ErrorLine(id="scenario-error")
        yield ErrorLine(classes="findings", id="scenario-findings")
        others = [key for key in to_data(scenario) if key not in _FORM_KEYS]
        if others:
            yield Static(
                literal(f"Also in the file (the JSON tab edits them): {', '.join(others)}"),
                classes="hint",
                id="also-in-file",
            )
        yield Label("Attributes", classes="heading")
        yield Static("The customer's (User), their company's and the conversation's values.", classes="hint")
        yield GroupedValues(
            _attribute_rows(scenario),
            labels=("Namespace", "Attribute", "Value"),
            groups=_NAMESPACES,
            new_row=("User", "email", ""),
            draft=self.draft_text("attributes"),
            id="attributes",
        )
        yield ErrorLine(id="attributes-error")
        yield Label("Answers and decisions", classes="heading")
        yield Static(
            "answer: what the customer replies, by collect step id, attribute or input (a JSON list: successive "
            'replies). decision: a described condition\'s choice by step id (true, false, a branch number or "else").',
            classes="hint",
        )
        yield GroupedValues(
            _reply_rows(scenario),
            labels=("Given as", "Step or name", "Value"),
            groups=_REPLIES,
            new_row=("answer", "step", ""),
            draft=self.draft_text("replies"),
            id="replies",
        )
        yield ErrorLine(id="replies-error")

    def _compose_mocks(self) -> ComposeResult:
        scenario = self.scenario
        mocked = list(scenario.mocks)
        free = [name for name in self.session.connectors() if name not in scenario.mocks]
        with Horizontal(classes="row"):
            yield Label("Mock of")
            yield Select(
                [(literal(name), name) for name in mocked],
                value=self._mock if self._mock in mocked else Select.NULL,
                prompt="(no mock)",
                id="mock",
                compact=True,
            )
            yield Select(
                [(literal(name), name) for name in free], prompt="Add a mock for…", id="mock-add", compact=True
            )
            yield Button("Remove", id="mock-remove", compact=True, variant="error", disabled=self._mock is None)
        mock = scenario.mocks.get(self._mock) if self._mock is not None else None
        if mock is None or self._mock is None:
            yield Static(
                "No mock chosen: its connectors answer from their example (or dynamic rules). Add one to give a "
                "connector another response, an error status or a fault in this scenario.",
                classes="hint",
            )
            return
        where = f"mocks.{self._mock}"
        with Horizontal(classes="row"):
            yield Label("Status")
            yield self._whole(f"{where}.status", str(mock.status), "mock-status")
            yield Label(" Latency ms")
            yield self._whole(f"{where}.latency_ms", str(mock.latency_ms), "mock-latency")
            yield Label(" Fault")
            yield Select(
                [(_NO_FAULT, _NO_FAULT)] + [(fault, fault) for fault in _FAULTS],
                value=mock.fault or _NO_FAULT,
                allow_blank=False,
                id="mock-fault",
                compact=True,
            )
        yield ErrorLine(id="mock-error")
        yield from self._json("Body (JSON; empty for none)", mock.body, f"{where}.body", "mock-body", allow_empty=True)
        yield from self._json(
            "Then: the responses of the next calls, in order (a JSON list of responses; [] for none)",
            to_data_list(mock.then),
            f"{where}.then",
            "mock-then",
            validate=_SEQUENCE.validate_python,
        )

    def _compose_expect(self) -> ComposeResult:
        expect = self.scenario.expect
        with Horizontal(classes="row"):
            yield Label("Outcome")
            yield Select(
                [(_NOT_CHECKED, _NOT_CHECKED)] + [(outcome, outcome) for outcome in _OUTCOMES],
                value=expect.outcome or _NOT_CHECKED,
                allow_blank=False,
                id="expect-outcome",
                compact=True,
            )
        yield Label("Path: the step ids in the order they run, one per line (empty: not checked)")
        yield TextArea(
            self._text("expect.path", lines_of(expect.path)), id="expect-path", classes="lines", compact=True
        )
        yield Label("Calls: connector names in call order, one per line; or 'Name = N' lines for how often")
        yield TextArea(
            self._text("expect.calls", calls_text(expect.calls)), id="expect-calls", classes="lines", compact=True
        )
        yield Label("Messages contain: one text per line")
        yield TextArea(
            self._text("expect.messages_contain", lines_of(expect.messages_contain)),
            id="expect-messages",
            classes="lines",
            compact=True,
        )
        yield ErrorLine(id="expect-error")
        yield from self._json(
            'Attributes after the run (JSON: {"Conversation > reason": "…"}; null expects unset)',
            expect.attributes,
            "expect.attributes",
            "expect-attributes",
            validate=_VALUES.validate_python,
        )
        yield from self._json(
            "Errors: the run's errors by reason, connector or text (JSON list; [] none; empty: not checked)",
            expect.errors,
            "expect.errors",
            "expect-errors",
            validate=_STRINGS.validate_python,
            allow_empty=True,
        )
        yield Label("Criteria: success criteria a model judges in a simulation, one per line")
        yield TextArea(
            self._text("expect.criteria", lines_of(expect.criteria)),
            id="expect-criteria",
            classes="lines",
            compact=True,
        )

    def _compose_simulation(self) -> ComposeResult:
        simulation = self.scenario.simulation
        if simulation is None:
            yield Static(
                "No simulation: `workbench simulate` plays the customer with a model when the scenario has one.",
                classes="hint",
            )
            yield Button("Add a simulation", id="simulation-add", compact=True)
            return
        yield from _row(
            "Persona", Input(self._text("simulation.persona", simulation.persona), id="sim-persona", compact=True)
        )
        yield from _row("Goal", Input(self._text("simulation.goal", simulation.goal), id="sim-goal", compact=True))
        yield from _row(
            "Max turns",
            self._whole("simulation.max_turns", str(simulation.max_turns), "sim-turns"),
        )
        yield ErrorLine(id="simulation-error")
        yield from self._json(
            "Facts: what the customer knows and gives when asked (JSON object, or a list of sentences)",
            simulation.facts,
            "simulation.facts",
            "sim-facts",
            validate=_FACTS.validate_python,
        )
        yield from self._json(
            'Connectors: how the simulation treats calls, by name (JSON: {"Get orders": "mock|live|block"})',
            simulation.connectors,
            "simulation.connectors",
            "sim-connectors",
            validate=_MODES.validate_python,
        )
        yield Button("Remove the simulation", id="simulation-remove", compact=True, variant="error")

    def _json(
        self,
        label: str,
        data: Any,
        where: str,
        field_id: str,
        *,
        validate: Callable[[Any], Any] | None = None,
        allow_empty: bool = False,
    ) -> ComposeResult:
        """A labelled JSON field of the form editing ``where`` in the file (its draft shown if it has one)."""
        yield Label(literal(label))
        yield JsonField(
            data,
            validate=validate,
            allow_empty=allow_empty,
            draft=self.draft_text(where),
            id=field_id,
            classes="json",
        )

    def _whole(self, where: str, value: str, field_id: str) -> Input:
        """A narrow field of a whole number (it refuses, visibly, any other character)."""
        text = self._text(where, value)
        return Input(text, id=field_id, type="integer", refusal="a whole number", compact=True, classes="narrow")

    def _text(self, where: str, value: str) -> str:
        """What a field shows: its draft if it has one, else its value."""
        draft = self.draft_text(where)
        return draft if draft is not None else value

    def _problem_of(self, *wheres: str) -> Text:
        """The drafts of fields as an error line shows them."""
        texts = self.entry.drafts.texts
        lines = [f"✗ {where}{texts[where].place}: {texts[where].message}" for where in wheres if where in texts]
        return literal("\n".join(lines))

    def _procedure_candidates(self) -> CandidateIndex:
        return CandidateIndex(
            [Candidate(name, name, "key", detail="procedure") for name in sorted(self.session.procedures())]
        )

    # -- tabs ----------------------------------------------------------------------------------------------

    async def tab_shown(self, pane: str) -> None:
        """The JSON tab shows the file as the form left it; a form tab after JSON edits is drawn afresh."""
        if pane == "tab-json":
            field = self.tab_part("#document", JsonField)
            if field is not None and field.data != to_data(self.scenario) and self.draft_text("document") is None:
                field.set_data(to_data(self.scenario))
        elif self._json_edited:
            self._json_edited = False
            await self._redraw(pane, None)

    # -- applying edits ------------------------------------------------------------------------------------

    def _apply(self, where: str, text: str, parse: Parse, change_of: Callable[[Any], Change | None]) -> None:
        """Apply a field's ``text`` at ``where`` as one operation of typing there: its value (dropping a draft it
        had), or its draft with the problem located (``where[2]: …``), shown under the field."""
        merge: Hashable = ("field", id(self), where)
        try:
            change = change_of(parse(text))
        except FieldProblem as problem:
            draft = Draft(
                text=text, line=problem.line, column=problem.column, message=problem.message, place=problem.where
            )
            self._keep_draft(where, draft)
            return
        except ops.EditError as problem:
            self._keep_draft(where, Draft(text=text, line=1, column=1, message=str(problem)))
            return
        if change is not None:
            refused = self.perform(change, merge)
            if refused is not None:
                self._keep_draft(where, Draft(text=text, line=1, column=1, message=refused))
                return
        self._keep_draft(where, None)

    def _keep_draft(self, where: str, draft: Draft | None, merge: Hashable | None = None) -> None:
        """Keep (or drop) the draft of a field, undone with the typing it came from (``merge``: its key)."""
        change = set_draft(self.entry.drafts, where, draft)
        if change is not None:
            self.perform(change, merge if merge is not None else ("field", id(self), where))
        self._show_problems()

    def _show_problems(self) -> None:
        """Each error line shows the drafts of its fields (on a tab built: one built later shows them then)."""
        where = f"mocks.{self._mock}"
        lines = {
            "#scenario-error": ("name", "description", "procedure"),
            "#attributes-error": ("attributes",),
            "#replies-error": ("replies",),
            "#mock-error": (f"{where}.status", f"{where}.latency_ms"),
            "#expect-error": ("expect.path", "expect.calls", "expect.messages_contain", "expect.criteria"),
            "#simulation-error": ("simulation.persona", "simulation.goal", "simulation.max_turns"),
        }
        for selector, wheres in lines.items():
            if not self.is_built(self.PARTS[selector]):
                continue
            problems = self._problem_of(*wheres)
            if self._problems_shown.get(selector) == problems:
                continue  # each key typed lands here: no walk of the editor's widgets when nothing changed
            self._problems_shown[selector] = problems
            line = self.tab_part(selector, ErrorLine)
            if line is not None:
                line.update(problems if problems.plain else "")

    def _set(self, path: str, value: Any) -> Change | None:
        """The operation setting a field of the scenario (``None``: it holds that value already); a field emptied
        that was not in the file stays out of it."""
        if ops.value_at(self.scenario, path) == value:
            return None
        return ops.set_field(self.scenario, path, value, omit_none=True, label=f"Edited {path} of {self.scenario.name}")

    def _set_mock(self, name: str, attribute: str, value: Any) -> Change | None:
        """The operation setting a field of the mock of ``name``."""
        mocks = self.scenario.mocks
        mock = mocks[name]
        if getattr(mock, attribute) == value:
            return None
        copy = mock.model_copy()
        copy.__pydantic_fields_set__ = set(mock.__pydantic_fields_set__)
        try:
            setattr(copy, attribute, value)
        except ValidationError as error:
            raise ops.EditError(error.errors()[0]["msg"]) from None
        if value is None:
            copy.__pydantic_fields_set__.discard(attribute)
        label = f"Edited the {attribute} of the mock of {name}"
        return ops.Change(label, [ops.Assign(self.scenario, {"mocks": {**mocks, name: copy}})])

    def _set_simulation(self, attribute: str, value: Any) -> Change | None:
        if self.scenario.simulation is None:
            return None
        return self._set(f"simulation.{attribute}", value)

    def on_input_changed(self, event: Input.Changed) -> None:
        field, text = event.input.id, event.value
        mock = self._mock
        if field == "scenario-name":
            event.stop()
            self._apply("name", text, self._typed_name, lambda value: self._set("name", value))
        elif field in ("description", "procedure"):
            event.stop()
            self._apply(field, text, str, lambda value: self._set(field, value))
        elif field in ("mock-status", "mock-latency") and mock is not None:
            event.stop()
            attribute, low, high = ("status", 200, 599) if field == "mock-status" else ("latency_ms", 0, 600_000)
            self._apply(
                f"mocks.{mock}.{attribute}",
                text,
                lambda text: parse_whole(text, low, high),
                lambda value: self._set_mock(mock, attribute, value),
            )
        elif field in ("sim-persona", "sim-goal", "sim-turns"):
            event.stop()
            attribute = {"sim-persona": "persona", "sim-goal": "goal", "sim-turns": "max_turns"}[field]
            parse: Parse = (lambda text: parse_whole(text, 1, 100)) if attribute == "max_turns" else str
            self._apply(f"simulation.{attribute}", text, parse, lambda value: self._set_simulation(attribute, value))

    def _typed_name(self, text: str) -> str:
        name = text.strip()
        twin = self.session.same_name("scenario", name)
        if twin is not None and twin is not self.entry:
            raise FieldProblem(f"another scenario is called {twin.name!r}")
        return name

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        field, text = area.id, area.text
        lines: dict[str | None, tuple[str, Parse]] = {
            "expect-path": ("expect.path", lambda text: parse_lines(text, step_ids=True) or None),
            "expect-calls": ("expect.calls", parse_calls),
            "expect-messages": ("expect.messages_contain", parse_lines),
            "expect-criteria": ("expect.criteria", parse_lines),
        }
        if field in lines:
            event.stop()
            where, parse = lines[field]
            self._apply(where, text, parse, lambda value: self._set(where, value))

    def on_select_changed(self, event: Select.Changed) -> None:
        field, value = event.select.id, event.value
        if field not in ("expect-outcome", "mock-fault", "mock", "mock-add") or value is Select.NULL:
            return
        event.stop()
        if field == "expect-outcome":
            self._operation(self._set("expect.outcome", None if value == _NOT_CHECKED else value))
        elif field == "mock-fault" and self._mock is not None:
            self._operation(self._set_mock(self._mock, "fault", None if value == _NO_FAULT else value))
        elif field == "mock" and value != self._mock:
            self._mock = str(value)
            self.run_worker(self._redraw("tab-mocks", "mock"), exclusive=True, group="scenario-redraw")
        elif field == "mock-add":
            self._add_mock(str(value))

    def _operation(self, change: Change | None, *, redraw: str | None = None, focus: str | None = None) -> None:
        """Do a change of its own (a choice, a row added): undone alone; ``redraw`` draws that tab afresh."""
        if change is None:
            return
        refused = self.perform(change)
        if refused is not None:
            self.notify(f"Not applied: {refused}", severity="error")
        elif redraw is not None:
            self.run_worker(self._redraw(redraw, focus), exclusive=True, group="scenario-redraw")

    def _add_mock(self, name: str) -> None:
        """Mock ``name`` in this scenario, starting from its connector's example response."""
        connector = self.session.connectors().get(name)
        example = connector.response.example if connector is not None else None
        mock = example.model_copy(deep=True) if example is not None else MockResponse()
        self._mock = name
        mocks = {**self.scenario.mocks, name: mock}
        self._operation(
            Change(f"Added a mock of {name}", [ops.Assign(self.scenario, {"mocks": mocks})]),
            redraw="tab-mocks",
            focus="mock-status",
        )

    def _remove_mock(self) -> None:
        name = self._mock
        if name is None or name not in self.scenario.mocks:
            return
        mocks = {key: value for key, value in self.scenario.mocks.items() if key != name}
        self._mock = next(iter(mocks), None)
        unset = frozenset({"mocks"}) if not mocks and "mocks" not in self.scenario.model_fields_set else frozenset()
        change = Change(f"Removed the mock of {name}", [ops.Assign(self.scenario, {"mocks": mocks}, unset)])
        self._operation(change, redraw="tab-mocks", focus="mock")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button == "mock-remove":
            event.stop()
            self._remove_mock()
        elif button == "simulation-add":
            event.stop()
            simulation = Simulation(goal="What the customer wants from the conversation")
            change = ops.set_field(self.scenario, "simulation", simulation, label="Added a simulation")
            self._operation(change, redraw="tab-simulation", focus="sim-goal")
        elif button == "simulation-remove":
            event.stop()
            change = ops.set_field(self.scenario, "simulation", None, omit_none=True, label="Removed the simulation")
            self._operation(change, redraw="tab-simulation", focus="simulation-add")

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        event.stop()
        field = event.field.id or ""
        if field == "document":
            self._replace_from_json(event.value)
            return
        where = self._json_where(field)
        if where is None:
            return
        path, attribute = where.rsplit(".", 1)
        value = event.value
        try:
            if path.startswith("mocks.") and self._mock is not None:
                change = self._set_mock(self._mock, attribute, value)
            elif path == "simulation":
                change = self._set_simulation(attribute, value)
            else:
                change = self._set(where, value)
        except ops.EditError as problem:
            self.notify(f"Not applied: {where}: {problem}", severity="error")
            return
        if change is not None:
            refused = self.perform(change, self.json_merge(where))
            if refused is not None:
                self.notify(f"Not applied: {where}: {refused}", severity="error")

    def draft_name(self, field: JsonField) -> str | None:
        """A JSON field's draft is named where it is in the file (``mocks.Get orders.body``)."""
        return "document" if field.id == "document" else self._json_where(field.id or "")

    def _json_where(self, field: str) -> str | None:
        """Where in the file a JSON field of the form edits."""
        fixed = {
            "expect-attributes": "expect.attributes",
            "expect-errors": "expect.errors",
            "sim-facts": "simulation.facts",
            "sim-connectors": "simulation.connectors",
        }
        if field in fixed:
            return fixed[field]
        if field in ("mock-body", "mock-then") and self._mock is not None:
            return f"mocks.{self._mock}.{field.removeprefix('mock-')}"
        return None

    def _replace_from_json(self, model: Any) -> None:
        """The JSON tab's valid text: one operation making the model hold it (a file with keys its schema does
        not know replaces the model, and its undo history, instead)."""
        if to_data(model) == to_data(self.scenario):
            return
        self._json_edited = True
        change = ops.replace_fields(self.scenario, model, label=f"Edited scenario {self.entry.name}")
        if change is None:
            renamed = getattr(model, "name", None) != self.entry.name
            self.entry.replace_model(model)
            self.edited(renamed=renamed)
            return
        refused = self.perform(change, self.json_merge("document"))
        if refused:
            self.notify(f"Not applied: {refused}", severity="error")

    def take_rows(self, form: RowForm, merge: Hashable | None) -> str | None:
        """The attributes' or the replies' rows as the scenario's values."""
        if not isinstance(form, GroupedValues):
            return super().take_rows(form, merge)
        try:
            grouped = _grouped(form.rows)
            if form.id == "attributes":
                change = self._set("attributes", grouped)
            else:
                change = _both(self.scenario, grouped.get("answer", {}), grouped.get("decision", {}))
        except FieldProblem as problem:
            return problem.message
        except ops.EditError as problem:
            return str(problem)
        return self.perform(change, merge) if change is not None else None

    def keep_rows(self, name: str, draft: Draft | None, merge: Hashable | None) -> None:
        super().keep_rows(name, draft, merge)
        self._show_problems()

    def tab_built(self, pane: str) -> None:
        """A tab just built (its error lines empty): they show the drafts' problems, the findings go on it."""
        for selector, where in self.PARTS.items():
            if where == pane:
                self._problems_shown.pop(selector, None)
        self._show_problems()
        self.show_findings(self._findings)

    # -- redrawing -----------------------------------------------------------------------------------------

    async def _redraw(self, pane: str, focus: str | None) -> None:
        """Compose the editor afresh from the model on tab ``pane``, the focus on ``#focus`` (else the tab's first
        control)."""
        await self.redraw_on(pane, focus)

    async def redraw_after(self, change: Change) -> None:
        """Show the scenario again after an undo or a redo: on the JSON tab its text, the caret where it was (the
        form is drawn afresh when shown); on a form tab the editor afresh, the focus in the same field."""
        if self._mock not in self.scenario.mocks:
            self._mock = next(iter(self.scenario.mocks), None)
        active = self.tabs.active
        field = self.tab_part("#document", JsonField) if active == "tab-json" else None
        if field is not None:
            cursor = field.area.cursor_location
            field.set_data(to_data(self.scenario), draft=self.draft_text("document"))
            field.area.cursor_location = cursor
            give_focus(field.area)
            self._json_edited = True
            return
        focused = self.app.focused
        await self._redraw(active, focused.id if focused is not None and self in focused.ancestors else None)

    # -- lint findings ---------------------------------------------------------------------------------------

    def show_findings(self, findings: Iterable[Finding]) -> None:
        self._findings = list(findings)
        text = "\n".join(f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in self._findings)
        line = self.tab_part("#scenario-findings", ErrorLine)
        if line is not None:
            line.update(literal(text) if text else "")
        listed = self.tab_part("#json-findings", Static)
        if listed is not None:
            show_text(listed, literal(text))

    async def jump_to(self, finding: Finding) -> None:
        await self.open_tab("tab-scenario", focus=False)
        field = self.tab_part("#procedure", Input)
        if field is not None:
            give_focus(field)


def _row(label: str, field: Widget) -> ComposeResult:
    with Horizontal(classes="row"):
        yield Label(literal(label))
        yield field


def to_data_list(responses: list[Any]) -> list[Any]:
    """A sequence of responses as JSON data (models dumped as the file holds them)."""
    return [to_data(item) if isinstance(item, MockResponse) else item for item in responses]


def _attribute_rows(scenario: Scenario) -> list[Row]:
    return [
        (namespace, name, shown(value))
        for namespace, values in scenario.attributes.items()
        for name, value in values.items()
    ]


def _reply_rows(scenario: Scenario) -> list[Row]:
    answers = [("answer", name, shown(value)) for name, value in scenario.answers.items()]
    return answers + [("decision", name, shown(value)) for name, value in scenario.decisions.items()]


def _grouped(rows: list[Row]) -> dict[str, dict[str, Any]]:
    """A table's rows as values by group and name; a row without a name, or a name its group has twice, is a
    problem located at the row (never one value silently over another)."""
    grouped: dict[str, dict[str, Any]] = {}
    for index, (group, name, text) in enumerate(rows):
        values = grouped.setdefault(group, {})
        if not name or name in values:
            problem = f"{group} already has {name!r}" if name else "give the row a name"
            raise FieldProblem(problem, f"[{index}]", index + 1, 2)
        values[name] = typed(text)
    return grouped


def _both(scenario: Scenario, answers: dict[str, Any], decisions: dict[str, Any]) -> Change | None:
    """One operation setting the answers and the decisions (a row moved from one to the other)."""
    if answers == scenario.answers and decisions == scenario.decisions:
        return None
    probe = scenario.model_copy()
    try:
        probe.answers = answers
        probe.decisions = decisions
    except ValidationError as error:
        first = error.errors()[0]
        raise ops.EditError(f"decisions.{'.'.join(map(str, first['loc'][1:]))}: {first['msg']}") from None
    fields = scenario.model_fields_set
    unset = frozenset(
        name for name, value in (("answers", answers), ("decisions", decisions)) if not value and name not in fields
    )
    return Change(
        f"Edited the answers and decisions of {scenario.name}",
        [ops.Assign(scenario, {"answers": answers, "decisions": decisions}, unset)],
    )
