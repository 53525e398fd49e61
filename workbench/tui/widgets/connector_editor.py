"""The connector pane: request, inputs, the mock response with its live attributes, rules, transform, environment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import TypeAdapter, ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from workbench.attributes import flatten
from workbench.lint import Finding
from workbench.model import Connector, MockResponse
from workbench.sandbox import SandboxError, transform
from workbench.tui.messages import CurlPasted, DocumentEdited
from workbench.tui.widgets.attribute_table import AttributeTable
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.environment_view import EnvironmentView
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.inputs_editor import InputsEditor
from workbench.tui.widgets.json_field import JsonField, pretty
from workbench.tui.widgets.rules_editor import RulesEditor
from workbench.tui.widgets.template_field import TemplateField

_PAIRS = TypeAdapter(dict[str, str])
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_SMALL_NODES = 20_000
"""Example bodies with fewer JSON nodes are rendered at once; bigger ones in a worker thread."""
_NO_FAULT = "none"
TRANSFORM_DELAY_S = 0.3
"""After a pause this long in editing the transform, the attributes are recomputed through it."""

_PASTED = 8
"""A URL field growing by more than this many characters at once was pasted into (a curl line is imported)."""


def is_small(value: Any, budget: int = _SMALL_NODES) -> bool:
    """Whether a JSON value has at most ``budget`` nodes (stops counting past it)."""
    pending = [value]
    seen = 0
    while pending:
        item = pending.pop()
        seen += 1
        if seen > budget:
            return False
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


class ConnectorEditor(EntryEditor):
    """Edit a data connector; the example response's attributes are listed beside it and follow every edit."""

    HELP: ClassVar[str] = (
        "A data connector: one HTTP endpoint. Request: method, URL ({{input}}, {{env.NAME}}, {{secret.NAME}} "
        "templates), headers, query and body as JSON. Response: the example the procedure sees when mocked; its "
        "attributes are listed on the right. Rules: dynamic mock rules. Transform: Python run on the response."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+pagedown", "switch_tab(1)", "Next tab", priority=True, id="connector.next_tab"),
        Binding("ctrl+pageup", "switch_tab(-1)", "Previous tab", priority=True, id="connector.previous_tab"),
    ]

    DEFAULT_CSS = """
    ConnectorEditor TabPane { padding: 0 1; }
    ConnectorEditor .row { height: 1; }
    ConnectorEditor .pair { height: 8; margin-top: 1; }
    ConnectorEditor .pair > Vertical { width: 1fr; margin-right: 1; }
    ConnectorEditor .row > Label { width: 13; }
    ConnectorEditor .row > Input { width: 1fr; }
    ConnectorEditor .row > Select { width: 14; }
    ConnectorEditor .row > TemplateField { width: 1fr; }
    ConnectorEditor .row > .narrow { width: 10; }
    ConnectorEditor .small { height: 6; }
    ConnectorEditor #tab-response .row { margin-bottom: 1; }
    ConnectorEditor #response-split { height: 1fr; }
    ConnectorEditor #example-side { width: 1fr; }
    ConnectorEditor AttributeTable { width: 1fr; }
    ConnectorEditor #transform { height: 1fr; }
    ConnectorEditor .hint { color: $text-muted; height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        model: Connector = self.entry.model
        request = model.request
        example = model.response.example or MockResponse()
        with TabbedContent(id="connector-tabs"):
            with TabPane("Request", id="tab-request"), VerticalScroll():
                with Horizontal(classes="row"):
                    yield Label("Name")
                    yield Input(model.name, id="name", compact=True)
                    yield Label(" Kind", classes="narrow")
                    yield Select(
                        [("read", "read"), ("action", "action")],
                        value=model.kind,
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    )
                with Horizontal(classes="row"):
                    yield Label("Description")
                    yield Input(model.description, id="description", compact=True)
                with Horizontal(classes="row"):
                    yield Select(
                        [(method, method) for method in _METHODS],
                        value=request.method,
                        allow_blank=False,
                        id="method",
                        compact=True,
                    )
                    yield TemplateField(request.url, id="url")
                with Horizontal(classes="row"):
                    yield Label("Timeout (s)")
                    yield Input(f"{request.timeout_s:g}", id="timeout", type="number", compact=True)
                yield ErrorLine(id="request-error")
                with Horizontal(classes="pair"):
                    with Vertical():
                        yield Label("Headers (JSON object of strings)")
                        yield JsonField(request.headers, validate=_PAIRS.validate_python, id="headers")
                    with Vertical():
                        yield Label("Query parameters (JSON object of strings)")
                        yield JsonField(request.query, validate=_PAIRS.validate_python, id="query")
                yield Label("Body (JSON; empty for none)")
                yield JsonField(request.body, allow_empty=True, id="body", classes="small")
                yield ErrorLine(id="connector-findings")
            with TabPane("Inputs", id="tab-inputs"):
                yield InputsEditor(model.inputs, id="inputs")
            with TabPane("Response", id="tab-response"):
                with Horizontal(classes="row"):
                    yield Label("Mode", classes="narrow")
                    yield Select(
                        [(mode, mode) for mode in ("example", "dynamic", "live")],
                        value=model.response.mode,
                        allow_blank=False,
                        id="mode",
                        compact=True,
                    )
                    yield Label(" Status", classes="narrow")
                    yield Input(str(example.status), id="status", type="integer", compact=True, classes="narrow")
                    yield Label(" Latency ms", classes="narrow")
                    yield Input(str(example.latency_ms), id="latency", type="integer", compact=True, classes="narrow")
                    yield Label(" Fault", classes="narrow")
                    yield Select(
                        [(_NO_FAULT, _NO_FAULT)]
                        + [(f, f) for f in ("timeout", "malformed_json", "empty_body", "disconnect")],
                        value=example.fault or _NO_FAULT,
                        allow_blank=False,
                        id="fault",
                        compact=True,
                    )
                yield ErrorLine(id="response-error")
                with Horizontal(id="response-split"):
                    with Vertical(id="example-side"):
                        yield Label("Example response body (what a mocked call returns)")
                        yield JsonField(None, text="", allow_empty=True, id="example-body")
                        yield Label("Example response headers")
                        yield JsonField(
                            example.headers, validate=_PAIRS.validate_python, id="example-headers", classes="small"
                        )
                    yield AttributeTable(id="attributes")
            with TabPane("Rules", id="tab-rules"), VerticalScroll():
                yield RulesEditor(model, id="rules")
            with TabPane("Transform", id="tab-transform"):
                yield Static(
                    "Python function body run on the response before the procedure sees it: `response` (parsed "
                    "body), `status` and `headers` are in scope; `return` what to keep. Leave empty for none.",
                    classes="hint",
                    markup=False,
                )
                yield CodeArea(model.transform or "", id="transform", show_line_numbers=True)
                yield ErrorLine(id="transform-problems")
            with TabPane("Environment", id="tab-environment"):
                yield EnvironmentView(
                    model, lambda: self.session.workspace_settings, root=self.session.root, id="environment"
                )

    def on_mount(self) -> None:
        self._transform_timer: Timer | None = None
        self._load_example()

    def action_switch_tab(self, delta: int) -> None:
        """Show the next (or previous) tab."""
        tabs = self.query_one(TabbedContent)
        panes = list(tabs.query(TabPane))
        current = next((index for index, pane in enumerate(panes) if pane.id == tabs.active), 0)
        self.show_tab(panes[(current + delta) % len(panes)].id or "")

    def show_tab(self, pane_id: str) -> None:
        """Show a tab and move the focus into it (focus left in a hidden tab would bring that tab back)."""
        tabs = self.query_one(TabbedContent)
        tabs.active = pane_id
        pane = tabs.get_pane(pane_id)
        target = next((widget for widget in pane.query("*") if widget.focusable), None)
        if target is not None:
            target.focus()
        else:
            tabs.query_one("Tabs").focus()

    # -- the example body and its attributes ---------------------------------------------------------

    def _load_example(self) -> None:
        model: Connector = self.entry.model
        example = model.response.example
        body = example.body if example is not None else None
        if is_small(body):
            self.query_one("#example-body", JsonField).set_data(body)
        else:
            self.query_one("#example-body", JsonField).area.load_text("loading…")
            self._render_big_example(body)
        self._show_attributes()

    @work(thread=True, exclusive=True, group="example", exit_on_error=False)
    def _render_big_example(self, body: Any) -> None:
        text = pretty(body)
        self.app.call_from_thread(self.query_one("#example-body", JsonField).set_data, body, text)

    def _show_attributes(self) -> None:
        """List what the procedure sees of the example: its attributes, after the transform if there is one."""
        model: Connector = self.entry.model
        example = model.response.example
        code = (model.transform or "").strip()
        if example is None:
            self.query_one(AttributeTable).show([], "no example response")
        elif not code and is_small(example.body):
            self.query_one(AttributeTable).show(flatten(model.name, example.body))
        else:
            self._attributes_in_thread(model.name, example, code)

    @work(thread=True, exclusive=True, group="attributes", exit_on_error=False)
    def _attributes_in_thread(self, name: str, example: MockResponse, code: str) -> None:
        note, payload = "", example.body
        if code:
            try:
                payload = transform(
                    code, example.body, example.status, dict(example.headers), self.session.sandbox_limits()
                )
                note = "after the transform"
            except SandboxError as error:
                note = f"the transform failed ({error}); the raw body's"
        attributes = flatten(name, payload)
        self.app.call_from_thread(self.query_one(AttributeTable).show, attributes, note)

    def _example(self) -> MockResponse:
        """The example response, created when the connector had none."""
        model: Connector = self.entry.model
        if model.response.example is None:
            model.response.example = MockResponse()
        return model.response.example

    # -- applying edits --------------------------------------------------------------------------------

    def _assign(self, target: Any, attribute: str, value: Any, error_id: str) -> bool:
        """Set ``target.attribute`` (validated); shows the error under ``error_id`` instead when invalid."""
        error = self.query_one(f"#{error_id}", ErrorLine)
        if getattr(target, attribute) == value and attribute in target.model_fields_set:
            error.update("")
            return False
        try:
            setattr(target, attribute, value)
        except ValidationError as problem:
            first = problem.errors()[0]
            error.update(f"✗ {attribute}: {first['msg']}")
            return False
        error.update("")
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        model: Connector = self.entry.model
        field = event.input.id
        value = event.value
        if field == "name":
            event.stop()
            self._rename(value.strip())
        elif field == "description":
            event.stop()
            if model.description != value and self._assign(model, "description", value, "request-error"):
                self.edited()
        elif field == "timeout":
            event.stop()
            try:
                seconds = float(value)
            except ValueError:
                self.query_one("#request-error", ErrorLine).update("✗ timeout: write a number of seconds")
                return
            if seconds != model.request.timeout_s and self._assign(
                model.request, "timeout_s", seconds, "request-error"
            ):
                self.edited()
        elif field in ("status", "latency"):
            event.stop()
            self._set_example_number("status" if field == "status" else "latency_ms", value)

    def _set_example_number(self, attribute: str, text: str) -> None:
        try:
            number = int(text)
        except ValueError:
            self.query_one("#response-error", ErrorLine).update(f"✗ {attribute}: write a whole number")
            return
        example = self.entry.model.response.example
        if example is not None and getattr(example, attribute) == number:
            self.query_one("#response-error", ErrorLine).update("")
            return
        if self._assign(self._example(), attribute, number, "response-error"):
            self.edited()

    def _rename(self, name: str) -> None:
        model: Connector = self.entry.model
        if name == model.name:
            self.query_one("#request-error", ErrorLine).update("")
            return
        twin = self.session.find("connector", name)
        if twin is not None and twin is not self.entry:
            self.query_one("#request-error", ErrorLine).update(f"✗ name: another connector is called {name!r}")
            return
        if self._assign(model, "name", name, "request-error"):
            self.edited(renamed=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        model: Connector = self.entry.model
        field, value = event.select.id, event.value
        if value is Select.NULL or field not in ("kind", "method", "mode", "fault"):
            return
        event.stop()
        changed = False
        if field == "kind" and value != model.kind:
            changed = self._assign(model, "kind", value, "request-error")
        elif field == "method" and value != model.request.method:
            changed = self._assign(model.request, "method", value, "request-error")
        elif field == "mode" and value != model.response.mode:
            changed = self._assign(model.response, "mode", value, "response-error")
        elif field == "fault":
            fault = None if value == _NO_FAULT else value
            example = model.response.example
            if (example.fault if example else None) != fault:
                changed = self._assign(self._example(), "fault", fault, "response-error")
                if fault is None:  # no fault is the default: the key leaves the file rather than read null
                    self._example().model_fields_set.discard("fault")
        if changed:
            self.edited()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        model: Connector = self.entry.model
        area = event.text_area
        if isinstance(area, TemplateField) and area.id == "url":
            event.stop()
            if area.value.lstrip().startswith("curl "):
                if len(area.value) - len(model.request.url) > _PASTED:  # pasted, not being typed
                    self.post_message(CurlPasted(self.entry, area.value))
            elif area.value != model.request.url and self._assign(model.request, "url", area.value, "request-error"):
                self.query_one(EnvironmentView).refresh_preview()
                self.edited()
        elif isinstance(area, CodeArea) and area.id == "transform":
            event.stop()
            code = area.text if area.text.strip() else None
            if code != model.transform:
                model.transform = code
                if code is None:
                    model.model_fields_set.discard("transform")
                self.edited()
                if self._transform_timer is not None:
                    self._transform_timer.stop()
                delay: float | None = getattr(self.app, "transform_delay", None)  # injectable, for tests
                self._transform_timer = self.set_timer(
                    TRANSFORM_DELAY_S if delay is None else delay, self._show_attributes
                )

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        event.stop()
        model: Connector = self.entry.model
        field = event.field.id
        if field == "example-body":
            self._example().body = event.value
            self._show_attributes()
        elif field == "example-headers":
            self._example().headers = event.value
        elif field in ("headers", "query", "body"):
            setattr(model.request, field, event.value)
            self.query_one(EnvironmentView).refresh_preview()
        else:
            return
        self.edited()

    def on_inputs_editor_changed(self, event: InputsEditor.Changed) -> None:
        event.stop()
        try:
            self.entry.model.inputs = event.inputs
        except ValidationError as problem:
            self.notify(f"Inputs not applied: {problem.errors()[0]['msg']}", severity="error")
            return
        self.query_one(RulesEditor).set_connector(self.entry.model)
        self.edited()

    def on_rules_editor_changed(self, event: RulesEditor.Changed) -> None:
        event.stop()
        self.entry.model.response.rules = event.rules
        self.edited()

    def on_environment_view_changed(self, event: EnvironmentView.Changed) -> None:
        event.stop()
        self.session.settings.touch()
        self.post_message(DocumentEdited(self.session.settings, origin=self))

    # -- lint findings ---------------------------------------------------------------------------------

    def show_findings(self, findings: Iterable[Finding]) -> None:
        transform: list[Finding] = []
        other: list[Finding] = []
        for finding in findings:
            (transform if (finding.field or "").startswith("transform") else other).append(finding)
        area = self.query_one("#transform", CodeArea)
        marks: dict[int, list[tuple[int, int, str]]] = {}
        for finding in transform:
            if finding.line is not None and finding.line - 1 < area.document.line_count:
                row = finding.line - 1
                line = area.document.get_line(row)
                start = max(0, min((finding.column or 1) - 1, max(0, len(line) - 1)))
                marks.setdefault(row, []).append((start, max(start + 1, len(line)), "problem"))
        area.set_marks(marks)
        self.query_one("#transform-problems", ErrorLine).update(
            "\n".join(
                f"✗ line {f.line}, column {f.column}: {f.message}" if f.line else f"✗ {f.message}" for f in transform
            )
        )
        self.query_one("#connector-findings", ErrorLine).update(
            "\n".join(f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in other)
        )

    async def jump_to(self, finding: Finding) -> None:
        field = finding.field or ""
        tabs = self.query_one(TabbedContent)
        if field.startswith("transform"):
            tabs.active = "tab-transform"
            area = self.query_one("#transform", CodeArea)
            area.focus()
            if finding.line is not None:
                area.cursor_location = (finding.line - 1, (finding.column or 1) - 1)
        elif field.startswith("inputs"):
            tabs.active = "tab-inputs"
            self.query_one(InputsEditor).focus()
        elif field.startswith("response"):
            tabs.active = "tab-response"
            self.query_one("#example-body", JsonField).area.focus()
        else:
            tabs.active = "tab-request"
            self.query_one("#url", TemplateField).focus()
