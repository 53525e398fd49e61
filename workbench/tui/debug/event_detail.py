"""The detail of one run event: the request (secrets masked), the response body pretty-printed, a condition's
tests and their values, an error and its reason, a model exchange's prompt and tool calls, or the event's
fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.highlighter import JSONHighlighter
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.connectors import RenderedRequest
from workbench.engine import Event
from workbench.engine.describe import describe
from workbench.events import (
    AgentExchange,
    AttributesAvailable,
    ConditionEvaluated,
    ConnectorCalled,
    ConnectorResponded,
    RunError,
)
from workbench.tui.debug.run_log import EVENT_STYLES
from workbench.tui.widgets.json_field import cut_lines, pretty

MAX_BODY_LINES = 400
"""Longer bodies are cut in the detail view (the full body stays in the event)."""

RequestPreview = Callable[[Event], RenderedRequest | None]
"""Renders a ``connector_called`` event's request from its connector, with secrets as ``***``."""

NOTHING_SELECTED = Text("Select an event in the log to see its detail.", style="dim")

_json_highlighter = JSONHighlighter()


def pretty_json(value: Any, max_lines: int = MAX_BODY_LINES) -> Text:
    """``value`` as indented, highlighted JSON, cut after ``max_lines`` lines."""
    return _json_highlighter(Text(cut_lines(pretty(value), max_lines)))


def _fields(rows: list[tuple[str, Any]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        if value is None:
            continue
        table.add_row(label, value if isinstance(value, Text) else Text(str(value)))
    return table


def _request(call: ConnectorCalled, preview: RenderedRequest | None) -> RenderableType:
    parts: list[RenderableType] = [
        _fields(
            [
                ("connector", call.connector),
                ("mode", call.mode),
                ("request", Text(f"{call.method} {call.url}", style="bold")),
            ]
        ),
    ]
    if preview is not None and preview.headers:
        parts += [
            Text("headers", style="bold"),
            _fields([(f"  {key}", value) for key, value in preview.headers.items()]),
        ]
    parts += [Text("inputs", style="bold"), pretty_json(call.inputs)]
    if preview is not None and preview.body is not None:
        parts += [Text("body", style="bold"), pretty_json(preview.body)]
    return Group(*parts)


def _response(response: ConnectorResponded) -> RenderableType:
    summary = _fields(
        [
            ("connector", response.connector),
            ("status", response.status),
            ("time", f"{response.elapsed_ms:g} ms"),
            ("size", f"{response.bytes:,} bytes"),
            ("source", response.source),
        ]
    )
    return Group(summary, Text("body", style="bold"), pretty_json(response.body))


def _condition(condition: ConditionEvaluated) -> RenderableType:
    table = Table(show_edge=False, expand=True)
    table.add_column("branch", no_wrap=True)
    table.add_column("test")
    table.add_column("value", no_wrap=True)
    for test in condition.tests:
        value = test.result
        style = "bold green" if value is True else "red" if value is False else ""
        table.add_row(str(test.branch), Text(f"{test.kind}: {test.expression}"), Text(str(value), style=style))
    taken = "else" if condition.branch is None else f"branch {condition.branch}"
    return Group(_fields([("step", condition.step), ("taken", Text(taken, style="bold"))]), table)


def _error(error: RunError) -> RenderableType:
    return _fields(
        [
            ("step", error.step),
            ("reason", Text(error.reason, style="bold red")),
            ("connector", error.connector),
            ("status", error.status),
            ("message", error.message),
        ]
    )


def _attributes(available: AttributesAvailable) -> RenderableType:
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
        table.add_row(path, pretty_json(value, max_lines=20))
    return Group(heading, table)


def _exchange(exchange: AgentExchange) -> RenderableType:
    """A model exchange: who asked what, the prompt message by message, the tools offered, the reply."""
    tokens = exchange.tokens
    parts: list[RenderableType] = [
        _fields(
            [
                ("purpose", Text(exchange.purpose, style="bold")),
                ("model", exchange.model),
                ("step", exchange.step),
                ("tokens", f"{tokens.prompt} prompt + {tokens.completion} completion"),
                ("time", f"{exchange.latency_ms:g} ms, {exchange.attempts} attempt(s)"),
                ("error", Text(exchange.error, style="bold red") if exchange.error else None),
            ]
        )
    ]
    request = exchange.request
    parts.append(Text("prompt", style="bold"))
    for message in request.messages:  # chat-completions messages, as sent
        parts += [
            Text(f"  {message.get('role')}", style="bold #c0a0f0"),
            Text(cut_lines(str(message.get("content") or ""), 60)),
        ]
    for tool in request.tools or []:
        function = tool.get("function", {})
        forced = (request.tool_choice or {}).get("function", {}).get("name") == function.get("name")
        parts += [
            Text(f"tool {function.get('name')}" + (" (required)" if forced else ""), style="bold"),
            pretty_json(function.get("parameters"), 30),
        ]
    reply = exchange.reply
    if reply is not None:
        parts.append(Text("reply", style="bold"))
        if reply.content:
            parts.append(Text(cut_lines(reply.content, 60)))
        for call in reply.tool_calls:
            parts += [Text(f"  calls {call.name}", style="bold"), pretty_json(call.arguments, 30)]
    return Group(*parts)


def render_event(event: Event, preview: RenderedRequest | None = None) -> RenderableType:
    """What the detail pane shows for ``event``."""
    heading = Text.assemble((event.type, EVENT_STYLES.get(event.type, "")), f"  #{event.seq} at {event.t:.3f}s")
    payload = event.payload
    if isinstance(payload, ConnectorCalled):
        body = _request(payload, preview)
    elif isinstance(payload, ConnectorResponded):
        body = _response(payload)
    elif isinstance(payload, ConditionEvaluated):
        body = _condition(payload)
    elif isinstance(payload, RunError):
        body = _error(payload)
    elif isinstance(payload, AttributesAvailable):
        body = _attributes(payload)
    elif isinstance(payload, AgentExchange):
        body = _exchange(payload)
    else:  # the summary whole (wrapped, unlike the log's one line), then the fields under their own heading
        summary = Text(describe(event), style=EVENT_STYLES.get(event.type, ""))
        body = Group(summary, Text("fields", style="bold"), pretty_json(payload.to_json()))
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
        yield Static(NOTHING_SELECTED, id="event-body")

    def show(self, event: Event | None) -> None:
        """Show ``event`` (``None``: nothing)."""
        self.event = event
        body = self.query_one("#event-body", Static)
        if event is None:
            body.update(NOTHING_SELECTED)
            return
        preview = self.preview(event) if self.preview is not None and event.type == "connector_called" else None
        body.update(render_event(event, preview))
        self.scroll_home(animate=False)
