"""The connector pane: request, inputs, the mock response with its live attributes, rules, transform, environment."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, ClassVar

from pydantic import TypeAdapter, ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Label, Static

from workbench.attributes import flatten
from workbench.connectors.mcp import tool_summary
from workbench.connectors.samples import transformed
from workbench.editing import operations as ops
from workbench.editing.completion import CandidateIndex, source_index
from workbench.editing.operations import Change
from workbench.lint import Finding
from workbench.model import Connector, MockResponse
from workbench.sandbox import SandboxError
from workbench.tui.focus import give_focus
from workbench.tui.messages import CurlPasted, DocumentEdited
from workbench.tui.widgets.attribute_table import AttributeTable
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.environment_view import EnvironmentView
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select, TextArea
from workbench.tui.widgets.inputs_editor import InputsEditor
from workbench.tui.widgets.json_field import JsonField, pretty
from workbench.tui.widgets.row_form import RowForm
from workbench.tui.widgets.rules_editor import RulesEditor
from workbench.tui.widgets.tabbed_editor import TabbedEditor
from workbench.tui.widgets.template_field import TemplateField
from workbench.visible import literal

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


class ConnectorEditor(TabbedEditor):
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
    ConnectorEditor #url-row { height: auto; }  /* a long URL wraps */
    ConnectorEditor .row > .narrow { width: 10; }
    ConnectorEditor .small { height: 6; }
    ConnectorEditor #tab-response .row { margin-bottom: 1; }
    ConnectorEditor #response-split { height: 1fr; }
    ConnectorEditor #example-side { width: 1fr; }
    ConnectorEditor AttributeTable { width: 1fr; }
    ConnectorEditor #transform { height: 1fr; }
    ConnectorEditor .hint { color: $text-muted; height: auto; }
    ConnectorEditor .mcp-hidden { display: none; }
    ConnectorEditor #mcp-tool { height: auto; margin-bottom: 1; }
    """

    @property
    def _http_only(self) -> str:
        """The class of a part of the HTTP request: hidden for an MCP connector."""
        return " mcp-hidden" if self.entry.model.mcp is not None else ""

    TABS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Request", "tab-request"),
        ("Inputs", "tab-inputs"),
        ("Response", "tab-response"),
        ("Rules", "tab-rules"),
        ("Transform", "tab-transform"),
        ("Environment", "tab-environment"),
    )

    PARTS: ClassVar[dict[str, str]] = {
        "#url": "tab-request",
        "#request-error": "tab-request",
        "#connector-findings": "tab-request",
        "#inputs": "tab-inputs",
        "#response-error": "tab-response",
        "#example-body": "tab-response",
        "#attributes": "tab-response",
        "#rules": "tab-rules",
        "#transform": "tab-transform",
        "#transform-problems": "tab-transform",
        "#environment": "tab-environment",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._transform_timer: Timer | None = None
        self._findings: list[Finding] = []

    def compose_tab(self, pane: str) -> ComposeResult:
        model: Connector = self.entry.model
        if pane == "tab-request":
            with VerticalScroll():
                yield from self._compose_request()
        elif pane == "tab-inputs":
            yield InputsEditor(model.inputs, self._source_candidates, draft=self.draft_text("inputs"), id="inputs")
        elif pane == "tab-response":
            yield from self._compose_response()
        elif pane == "tab-rules":
            with VerticalScroll():
                yield RulesEditor(model, draft=self.draft_text("rules"), id="rules")
        elif pane == "tab-transform":
            yield Static(
                "Python function body run on the response before the procedure sees it: `response` (parsed "
                "body), `status` and `headers` are in scope; `return` what to keep. Leave empty for none.",
                classes="hint",
                markup=False,
            )
            yield CodeArea(model.transform or "", id="transform", show_line_numbers=True)
            yield ErrorLine(id="transform-problems")
        elif pane == "tab-environment":
            yield EnvironmentView(
                model, lambda: self.session.workspace_settings, root=self.session.root, id="environment"
            )

    def _compose_request(self) -> ComposeResult:
        model: Connector = self.entry.model
        request = model.request
        with Horizontal(classes="row"):
            yield Label("Name")
            yield Input(self.shown_text("name", model.name), id="name", compact=True)
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
            yield Input(self.shown_text("description", model.description), id="description", compact=True)
        if model.mcp is not None:  # an MCP tool: what it is instead of the HTTP request
            lines = tool_summary(model, self.session.workspace_settings.mcp_servers)
            yield Static(literal("\n".join(lines)), id="mcp-tool")
        with Horizontal(classes="row" + self._http_only, id="url-row"):
            yield Select(
                [(method, method) for method in _METHODS],
                value=request.method,
                allow_blank=False,
                id="method",
                compact=True,
            )
            yield TemplateField(request.url, id="url")
        with Horizontal(classes="row" + self._http_only):
            yield Label("Timeout (s)")
            yield Input(
                self.shown_text("request.timeout_s", f"{request.timeout_s:g}"),
                id="timeout",
                type="number",
                refusal="a number of seconds",
                compact=True,
            )
        yield ErrorLine(id="request-error")
        with Horizontal(classes="pair" + self._http_only):
            with Vertical():
                yield Label("Headers (JSON object of strings)")
                yield JsonField(
                    request.headers,
                    validate=_PAIRS.validate_python,
                    draft=self.draft_text("headers"),
                    id="headers",
                )
            with Vertical():
                yield Label("Query parameters (JSON object of strings)")
                yield JsonField(
                    request.query, validate=_PAIRS.validate_python, draft=self.draft_text("query"), id="query"
                )
        yield Label("Body (JSON; empty for none)", classes=self._http_only.strip())
        yield JsonField(
            request.body,
            allow_empty=True,
            draft=self.draft_text("body"),
            id="body",
            classes="small" + self._http_only,
        )
        yield ErrorLine(id="connector-findings")

    def _compose_response(self) -> ComposeResult:
        model: Connector = self.entry.model
        example = model.response.example or MockResponse()
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
            yield _whole_number(self.shown_text("response.example.status", str(example.status)), "status")
            yield Label(" Latency ms", classes="narrow")
            yield _whole_number(self.shown_text("response.example.latency_ms", str(example.latency_ms)), "latency")
            yield Label(" Fault", classes="narrow")
            yield Select(
                [(_NO_FAULT, _NO_FAULT)] + [(f, f) for f in ("timeout", "malformed_json", "empty_body", "disconnect")],
                value=example.fault or _NO_FAULT,
                allow_blank=False,
                id="fault",
                compact=True,
            )
        yield ErrorLine(id="response-error")
        with Horizontal(id="response-split"):
            with Vertical(id="example-side"):
                yield Label("Example response body (what a mocked call returns)")
                yield JsonField(
                    None, text="", allow_empty=True, draft=self.draft_text("example-body"), id="example-body"
                )
                yield Label("Example response headers")
                yield JsonField(
                    example.headers,
                    validate=_PAIRS.validate_python,
                    draft=self.draft_text("example-headers"),
                    id="example-headers",
                    classes="small",
                )
            yield AttributeTable(id="attributes")

    def tab_built(self, pane: str) -> None:
        """The example and its attributes on the Response tab, the findings on the Request and Transform tabs."""
        if pane == "tab-response":
            self._load_example()
        elif pane in ("tab-request", "tab-transform"):
            self.show_findings(self._findings)

    # -- the example body and its attributes ---------------------------------------------------------

    def _load_example(self) -> None:
        """Show the example's body (a big one rendered in a thread) and its attributes, on the Response tab."""
        model: Connector = self.entry.model
        example = model.response.example
        body = example.body if example is not None else None
        field = self.tab_part("#example-body", JsonField)
        if field is None:
            return
        if is_small(body):
            field.set_data(body, draft=self.draft_text("example-body"))
        else:
            field.show_waiting("loading…")
            self._render_big_example(body)
        self._show_attributes()

    @work(thread=True, exclusive=True, group="example", exit_on_error=False)
    def _render_big_example(self, body: Any) -> None:
        text = pretty(body)

        def show() -> None:
            field = self.tab_part("#example-body", JsonField)
            if field is not None:
                field.set_data(body, text, self.draft_text("example-body"))

        self.from_worker(show)

    def _show_attributes(self) -> None:
        """List what the procedure sees of the example: its attributes, after the transform if there is one (on
        the Response tab: listed when it is built)."""
        model: Connector = self.entry.model
        example = model.response.example
        code = (model.transform or "").strip()
        table = self.tab_part("#attributes", AttributeTable)
        if table is None:
            return
        if example is None:
            table.show([], "no example response")
        elif not code and is_small(example.body):
            table.show(flatten(model.name, example.body))
        else:
            self._attributes_in_thread(model.name, example, code)

    @work(thread=True, exclusive=True, group="attributes", exit_on_error=False)
    def _attributes_in_thread(self, name: str, example: MockResponse, code: str) -> None:
        note, payload = "", example.body
        if code:
            try:
                payload = transformed(code, example, self.session.sandbox_limits())
                note = "after the transform"
            except SandboxError as error:
                note = f"the transform failed ({error}); the raw body's"
        attributes = flatten(name, payload)

        def show() -> None:
            table = self.tab_part("#attributes", AttributeTable)
            if table is not None:
                table.show(attributes, note)

        self.from_worker(show)

    # -- applying edits: each one an operation of the connector's history -----------------------------

    def _set(
        self,
        path: str,
        value: Any,
        error_id: str,
        *,
        omit_none: bool = False,
        typing: Hashable | None = "field",
        merge: Hashable | None = None,
        typed: str | None = None,
    ) -> bool:
        """Set a field of the connector (``path`` dotted into it) as one operation; typing in one field (``typing``
        names where in it) undoes at once, ``typing=None`` is an operation of its own (an input added); ``merge``
        gives the key itself (a JSON field's, shared with its drafts). Shows why under ``error_id`` when the value
        is refused; returns whether the model changed. ``typed``: the text of the one-line field the value comes
        from, kept as a draft of ``path`` while it is refused."""
        model: Connector = self.entry.model
        key = merge if merge is not None else None if typing is None else ("field", id(self), path, typing)
        changed, refused = False, None
        if ops.value_at(model, path) != value:
            try:
                change = ops.set_field(model, path, value, omit_none=omit_none, label=f"Edited {path} of {model.name}")
            except ops.EditError as problem:
                refused = str(problem)
            else:
                refused = self.perform(change, key)
                changed = refused is None
        self._show_error(error_id, f"✗ {refused}" if refused else "")
        if typed is not None:
            self.keep_typed(path, typed, refused, key)
        return changed

    def _set_example(
        self,
        attribute: str,
        value: Any,
        *,
        omit_none: bool = False,
        merge: Hashable | None = None,
        typed: str | None = None,
    ) -> bool:
        """Set a field of the example response (made when the connector had none, unless ``value`` is what the
        form shows for a missing example anyway: the fields reporting their first values change nothing)."""
        path = f"response.example.{attribute}"
        if self.entry.model.response.example is None:
            key = merge if merge is not None else ("field", id(self), path, "field")
            if value is None or value == getattr(MockResponse(), attribute):
                changed, refused = False, None
            else:
                try:
                    example = MockResponse(**{attribute: value})
                except ValidationError as problem:  # (a status out of 200-599 typed into a connector without one)
                    changed, refused = False, problem.errors()[0]["msg"]
                    self._show_error("response-error", f"✗ {attribute}: {refused}")
                else:
                    changed, refused = self._set("response.example", example, "response-error", merge=key), None
            if typed is not None:
                self.keep_typed(path, typed, refused, key)
            return changed
        return self._set(path, value, "response-error", omit_none=omit_none, merge=merge, typed=typed)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Every one-line field: its text becomes the value, or, refused, a draft (see :meth:`keep_typed`)."""
        field = event.input.id
        text = event.value
        if field == "name":
            event.stop()
            self._rename(text)
        elif field == "description":
            event.stop()
            self._set("description", text, "request-error", typed=text)
        elif field == "timeout":
            event.stop()
            try:
                seconds = float(text)
            except ValueError:
                self._refuse("request.timeout_s", text, "write a number of seconds", "request-error")
                return
            self._set("request.timeout_s", seconds, "request-error", typed=text)
        elif field in ("status", "latency"):
            event.stop()
            attribute = "status" if field == "status" else "latency_ms"
            try:
                number = int(text)
            except ValueError:
                self._refuse(f"response.example.{attribute}", text, "write a whole number", "response-error")
                return
            self._set_example(attribute, number, typed=text)

    def _show_error(self, error_id: str, text: str) -> None:
        """Show ``text`` on the error line ``#error_id`` (it is on the tab of the field that was edited)."""
        line = self.tab_part(f"#{error_id}", ErrorLine)
        if line is not None:
            line.update(literal(text))

    def _refuse(self, path: str, text: str, problem: str, error_id: str) -> None:
        """Show why a one-line field's text is not a value, and keep it as a draft of the connector."""
        self._show_error(error_id, f"✗ {path.split('.')[-1]}: {problem}")
        self.keep_typed(path, text, problem, ("field", id(self), path, "field"))

    def _rename(self, text: str) -> None:
        model: Connector = self.entry.model
        name = text.strip()
        twin = self.session.same_name("connector", name)
        if name != model.name and twin is not None and twin is not self.entry:
            self._refuse("name", text, f"another connector is called {twin.name!r}", "request-error")
            return
        self._set("name", name, "request-error", typed=text)

    def on_select_changed(self, event: Select.Changed) -> None:
        field, value = event.select.id, event.value
        if value is Select.NULL or field not in ("kind", "method", "mode", "fault"):
            return
        event.stop()
        if field == "kind":
            self._set("kind", value, "request-error")
        elif field == "method":
            self._set("request.method", value, "request-error")
        elif field == "mode":
            self._set("response.mode", value, "response-error")
        else:  # no fault is the default: the key leaves the file rather than read null
            self._set_example("fault", None if value == _NO_FAULT else value, omit_none=True)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        model: Connector = self.entry.model
        area = event.text_area
        if isinstance(area, TemplateField) and area.id == "url":
            event.stop()
            if area.value.lstrip().startswith("curl "):
                if len(area.value) - len(model.request.url) > _PASTED:  # pasted, not being typed
                    self.post_message(CurlPasted(self.entry, area.value))
            elif self._set("request.url", area.value, "request-error"):
                self._refresh_preview()
        elif isinstance(area, CodeArea) and area.id == "transform":
            event.stop()
            if self._set("transform", area.text if area.text.strip() else None, "transform-problems", omit_none=True):
                self._schedule_attributes()

    def _schedule_attributes(self) -> None:
        """Recompute the attributes through the transform once editing it pauses."""
        if self._transform_timer is not None:
            self._transform_timer.stop()
        delay: float | None = getattr(self.app, "transform_delay", None)  # injectable, for tests
        self._transform_timer = self.set_timer(TRANSFORM_DELAY_S if delay is None else delay, self._attributes_due)

    def _attributes_due(self) -> None:
        if self.whole:  # (a recompose lists them itself once done; a Response tab built later, when built)
            self._show_attributes()

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        event.stop()
        field = event.field.id or ""
        merge = self.json_merge(field)  # its drafts undo with it
        if field == "example-body":
            if self._set_example("body", event.value, merge=merge):
                self._show_attributes()
        elif field == "example-headers":
            self._set_example("headers", event.value, merge=merge)
        elif field in ("headers", "query", "body") and self._set(
            f"request.{field}", event.value, "request-error", merge=merge
        ):
            self._refresh_preview()

    def take_rows(self, form: RowForm, merge: Hashable | None) -> str | None:
        """The inputs, or the dynamic rules, as the connector's (the rules follow the inputs)."""
        model: Connector = self.entry.model
        value: list[Any]
        if isinstance(form, InputsEditor):
            path, value = "inputs", form.inputs
        elif isinstance(form, RulesEditor):
            path, value = "response.rules", form.rules
        else:
            return super().take_rows(form, merge)
        if ops.value_at(model, path) == value:
            return None
        try:
            change = ops.set_field(model, path, value, label=f"Edited {path} of {model.name}")
        except ops.EditError as problem:
            return str(problem)
        refused = self.perform(change, merge)
        if refused is None and isinstance(form, InputsEditor):
            rules = self.tab_part("#rules", RulesEditor)
            if rules is not None:  # (else it is composed with the inputs when its tab is shown)
                rules.set_connector(model)
        return refused

    def _refresh_preview(self) -> None:
        """The environment's request preview follows the request (composed from it when its tab is built)."""
        view = self.tab_part("#environment", EnvironmentView)
        if view is not None:
            view.refresh_preview()

    async def redraw_after(self, change: Change) -> None:
        """Show the connector again after an undo or a redo, on the same tab and in the same field."""
        focused = self.app.focused
        field = focused.id if focused is not None and self in focused.ancestors else None
        await self.redraw_on(self.tabs.active, field)

    def on_environment_view_changed(self, event: EnvironmentView.Changed) -> None:
        event.stop()
        self.session.settings.touch()
        self.post_message(DocumentEdited(self.session.settings, origin=self))

    # -- lint findings ---------------------------------------------------------------------------------

    def show_findings(self, findings: Iterable[Finding]) -> None:
        """The transform's findings marked in its code and listed under it, the others on the Request tab (each
        shown when its tab is built)."""
        self._findings = list(findings)
        transform: list[Finding] = []
        other: list[Finding] = []
        for finding in self._findings:
            (transform if (finding.field or "").startswith("transform") else other).append(finding)
        area = self.tab_part("#transform", CodeArea)
        if area is not None:
            marks: dict[int, list[tuple[int, int, str]]] = {}
            for finding in transform:
                if finding.line is not None and finding.line - 1 < area.document.line_count:
                    row = finding.line - 1
                    line = area.document.get_line(row)
                    start = max(0, min((finding.column or 1) - 1, max(0, len(line) - 1)))
                    marks.setdefault(row, []).append((start, max(start + 1, len(line)), "problem"))
            area.set_marks(marks)
        self._show_error(
            "transform-problems",
            "\n".join(
                f"✗ line {f.line}, column {f.column}: {f.message}" if f.line else f"✗ {f.message}" for f in transform
            ),
        )
        self._show_error(
            "connector-findings",
            "\n".join(f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in other),
        )

    def _source_candidates(self) -> CandidateIndex:
        """What an input's Source field completes from: the attributes of the workspace as it is now."""
        return source_index(self.session.catalog(), self.entry.name)

    async def show_transform(self) -> CodeArea | None:
        """Show the Transform tab with the caret in its code."""
        await self.open_tab("tab-transform", focus=False)
        area = self.tab_part("#transform", CodeArea)
        if area is not None:
            give_focus(area)
        return area

    async def jump_to(self, finding: Finding) -> None:
        field = finding.field or ""
        if field.startswith("transform"):
            area = await self.show_transform()
            if area is not None and finding.line is not None:
                area.cursor_location = (finding.line - 1, (finding.column or 1) - 1)
            return
        target: Widget | None
        if field.startswith("inputs"):
            await self.open_tab("tab-inputs", focus=False)
            target = self.tab_part("#inputs", InputsEditor)
        elif field.startswith("response"):
            await self.open_tab("tab-response", focus=False)
            example = self.tab_part("#example-body", JsonField)
            target = example.area if example is not None else None
        else:
            await self.open_tab("tab-request", focus=False)
            target = self.tab_part("#url", TemplateField)
        if target is not None:
            give_focus(target)


def _whole_number(text: str, id: str) -> Input:
    """A narrow field of a whole number (it refuses, visibly, any other character)."""
    return Input(text, id=id, type="integer", refusal="a whole number", compact=True, classes="narrow")
