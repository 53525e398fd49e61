"""The detail of one run event: the request (secrets masked), the response body pretty-printed, a condition's
tests and their values, an error and its reason, a model exchange's prompt and tool calls, or the event's
fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.highlighter import JSONHighlighter
from rich.table import Table
from rich.text import Span, Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.connectors import RenderedRequest
from workbench.engine import Event
from workbench.engine.describe import describe, source_label
from workbench.events import (
    AgentExchange,
    AttributesAvailable,
    ConditionEvaluated,
    ConnectorCalled,
    ConnectorResponded,
    RunError,
)
from workbench.tui.colours import DEFAULT_PALETTE, Palette, on_theme_change, palette
from workbench.tui.debug.run_log import event_style
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.json_field import cut_lines, pretty
from workbench.visible import literal

MAX_BODY_LINES = 400
"""Longer bodies are cut in the detail view (the full body stays in the event)."""

RequestPreview = Callable[[Event], RenderedRequest | None]
"""Renders a ``connector_called`` event's request from its connector, with secrets as ``***``."""

NOTHING_SELECTED = Text("Select an event in the log to see its detail.", style="dim")

_json_highlighter = JSONHighlighter()
_JSON_ROLES = {
    "json.key": "key",
    "json.str": "string",
    "json.number": "number",
    "json.bool_true": "keyword",
    "json.bool_false": "keyword",
    "json.null": "keyword",
}


def pretty_json(value: Any, max_lines: int = MAX_BODY_LINES, *, colours: Palette = DEFAULT_PALETTE) -> Text:
    """``value`` as indented JSON coloured by the theme's ``colours``, cut after ``max_lines`` lines."""
    text = _json_highlighter(literal(cut_lines(pretty(value), max_lines)))
    text.spans = [
        Span(span.start, span.end, colours.style(_JSON_ROLES[str(span.style)]))
        for span in text.spans
        if str(span.style) in _JSON_ROLES
    ]
    return text


def _fields(rows: list[tuple[str, Any]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        if value is None:
            continue
        table.add_row(literal(label), literal(value))
    return table


def _request(call: ConnectorCalled, preview: RenderedRequest | None, colours: Palette) -> RenderableType:
    parts: list[RenderableType] = [
        _fields(
            [
                ("connector", call.connector),
                ("mode", source_label(call.mode)),
                ("request", literal(f"{call.method} {call.url}", style="bold")),
            ]
        ),
    ]
    if preview is not None and preview.headers:
        parts += [
            Text("headers", style="bold"),
            _fields([(f"  {key}", value) for key, value in preview.headers.items()]),
        ]
    parts += [Text("inputs", style="bold"), pretty_json(call.inputs, colours=colours)]
    if preview is not None and preview.body is not None:
        parts += [Text("body", style="bold"), pretty_json(preview.body, colours=colours)]
    return Group(*parts)


def _response(response: ConnectorResponded, colours: Palette) -> RenderableType:
    summary = _fields(
        [
            ("connector", response.connector),
            ("status", response.status),
            ("time", f"{response.elapsed_ms:g} ms"),
            ("size", f"{response.bytes:,} bytes"),
            ("source", source_label(response.source)),
        ]
    )
    return Group(summary, Text("body", style="bold"), pretty_json(response.body, colours=colours))


def _condition(condition: ConditionEvaluated, colours: Palette) -> RenderableType:
    table = Table(show_edge=False, expand=True)
    table.add_column("branch", no_wrap=True)
    table.add_column("test")
    table.add_column("value", no_wrap=True)
    for test in condition.tests:
        value = test.result
        style = colours.style("bold success" if value is True else "error" if value is False else "")
        table.add_row(literal(str(test.branch)), literal(f"{test.kind}: {test.expression}"), literal(str(value), style))
    taken = "else" if condition.branch is None else f"branch {condition.branch}"
    return Group(_fields([("step", condition.step), ("taken", literal(taken, style="bold"))]), table)


def _error(error: RunError, colours: Palette) -> RenderableType:
    return _fields(
        [
            ("step", error.step),
            ("reason", colours.text(error.reason, "bold error")),
            ("connector", error.connector),
            ("status", error.status),
            ("message", error.message),
        ]
    )


def _attributes(available: AttributesAvailable, colours: Palette) -> RenderableType:
    heading = _fields(
        [
            ("connector", available.connector),
            ("step", available.step),
            ("edited", "yes" if available.edited else None),
        ]
    )
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for path, value in available.attributes.items():
        table.add_row(literal(path), pretty_json(value, 20, colours=colours))
    return Group(heading, table)


def _exchange(exchange: AgentExchange, colours: Palette) -> RenderableType:
    """A model exchange: who asked what, the prompt message by message, the tools offered, the reply."""
    tokens = exchange.tokens
    parts: list[RenderableType] = [
        _fields(
            [
                ("purpose", literal(exchange.purpose, style="bold")),
                ("model", exchange.model),
                ("step", exchange.step),
                ("tokens", f"{tokens.prompt} prompt + {tokens.completion} completion"),
                ("time", f"{exchange.latency_ms:g} ms, {exchange.attempts} attempt(s)"),
                ("error", colours.text(exchange.error, "bold error") if exchange.error else None),
            ]
        )
    ]
    request = exchange.request
    parts.append(Text("prompt", style="bold"))
    for message in request.messages:  # chat-completions messages, as sent
        parts += [
            colours.text(f"  {message.get('role')}", "bold accent"),
            literal(cut_lines(str(message.get("content") or ""), 60)),
        ]
    for tool in request.tools or []:
        function = tool.get("function", {})
        forced = (request.tool_choice or {}).get("function", {}).get("name") == function.get("name")
        parts += [
            literal(f"tool {function.get('name')}" + (" (required)" if forced else ""), style="bold"),
            pretty_json(function.get("parameters"), 30, colours=colours),
        ]
    reply = exchange.reply
    if reply is not None:
        parts.append(Text("reply", style="bold"))
        if reply.content:
            parts.append(literal(cut_lines(reply.content, 60)))
        for call in reply.tool_calls:
            parts += [literal(f"  calls {call.name}", style="bold"), pretty_json(call.arguments, 30, colours=colours)]
    return Group(*parts)


def render_event(
    event: Event, preview: RenderedRequest | None = None, colours: Palette = DEFAULT_PALETTE
) -> RenderableType:
    """What the detail pane shows for ``event``, coloured by the theme's ``colours``."""
    style = event_style(event.type, colours)
    heading = Text.assemble(literal(event.type, style), literal(f"  #{event.seq} at {event.t:.3f}s"))
    payload = event.payload
    if isinstance(payload, ConnectorCalled):
        body = _request(payload, preview, colours)
    elif isinstance(payload, ConnectorResponded):
        body = _response(payload, colours)
    elif isinstance(payload, ConditionEvaluated):
        body = _condition(payload, colours)
    elif isinstance(payload, RunError):
        body = _error(payload, colours)
    elif isinstance(payload, AttributesAvailable):
        body = _attributes(payload, colours)
    elif isinstance(payload, AgentExchange):
        body = _exchange(payload, colours)
    else:  # the summary whole (wrapped, unlike the log's one line), then the fields under their own heading
        summary = literal(describe(event), style)
        body = Group(summary, Text("fields", style="bold"), pretty_json(payload.to_json(), colours=colours))
    return Group(heading, body)


class EventDetail(VerticalScroll):
    """Shows the selected event; ``preview`` renders a call's request for its headers and body."""

    DEFAULT_CSS = """
    EventDetail { height: 1fr; border-top: solid $primary-darken-2; padding: 0 1; }
    EventDetail > Static { width: 1fr; }
    """

    def __init__(self, preview: RequestPreview | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.preview = preview
        self.event: Event | None = None

    def compose(self) -> ComposeResult:
        yield Static(literal(NOTHING_SELECTED), id="event-body")

    def on_mount(self) -> None:
        on_theme_change(self, self._draw)

    def show(self, event: Event | None) -> None:
        """Show ``event`` (``None``: nothing)."""
        self.event = event
        self._draw()
        if event is not None:
            self.scroll_home(animate=False)

    def _draw(self) -> None:
        body = self.query_one("#event-body", Static)
        event = self.event
        if event is None:
            show_text(body, literal(NOTHING_SELECTED))
            return
        preview = self.preview(event) if self.preview is not None and event.type == "connector_called" else None
        body.update(render_event(event, preview, palette(self.app)))
