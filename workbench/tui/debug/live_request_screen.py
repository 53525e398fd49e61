"""The live test-request dialog: type a connector's inputs, send one live request, see status, time, size and body,
and keep the response as the connector's example. An action connector asks for confirmation first."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from workbench.editing.live_request import LiveReply, send_test_request, suggested_inputs
from workbench.model import Connector, MockResponse, WorkspaceSettings
from workbench.tui.colours import DEFAULT_PALETTE, Palette, on_theme_change, palette
from workbench.tui.debug.event_detail import pretty_json
from workbench.tui.focus import give_focus
from workbench.tui.keys import key_for
from workbench.tui.screens.pickers import ConfirmScreen
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input
from workbench.visible import literal


def reply_summary(reply: LiveReply, colours: Palette = DEFAULT_PALETTE) -> Group:
    """The status line and body (or error) of a test request, coloured by the theme's ``colours``."""
    heading = literal(f"{reply.method} {reply.url}", style="bold")
    if reply.error is not None:
        status = f"HTTP {reply.status} · " if reply.status is not None else ""
        return Group(heading, colours.text(f"{status}{reply.error.reason}: {reply.error.message}", "bold error"))
    answered = "tool result" if reply.method == "TOOL" else f"HTTP {reply.status}"  # an MCP tool has no status
    line = Text.assemble(
        literal(answered, colours.style("bold success")),
        literal(f" · {reply.elapsed_ms:.0f} ms · {reply.size:,} bytes"),
    )
    return Group(heading, line, pretty_json(reply.body, colours=colours))


class LiveRequestScreen(ModalScreen[MockResponse | None]):
    """Dismisses with the response to save as the connector's example, or ``None``."""

    DEFAULT_CSS = """
    LiveRequestScreen { align: center middle; }
    LiveRequestScreen > Vertical {
        width: 100; max-width: 95%; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    LiveRequestScreen .title { text-style: bold; }
    LiveRequestScreen .hint { color: $text-muted; }
    LiveRequestScreen .field { height: auto; }
    LiveRequestScreen .field > Label { width: 24; padding: 0 1 0 0; }
    LiveRequestScreen .field > Input { width: 1fr; }
    LiveRequestScreen #reply-area { height: 1fr; border-top: solid $primary-darken-2; }
    LiveRequestScreen .buttons { height: auto; align-horizontal: right; }
    LiveRequestScreen .buttons > Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="live_request.close"),
        Binding("ctrl+y", "save", "Save as example", id="live_request.save"),
    ]

    def __init__(
        self,
        connector: Connector,
        settings: WorkspaceSettings,
        environment: str | None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.connector = connector
        self.settings = settings
        self.environment = environment
        self.secrets = secrets
        self.reply: LiveReply | None = None

    def compose(self) -> ComposeResult:
        connector = self.connector
        values = suggested_inputs(connector, self.settings)
        with Vertical():
            yield Label(literal(f"Test request: {connector.name} ({connector.kind}, live)"), classes="title")
            yield Static(
                literal(
                    f"{connector.request.method} {connector.request.url}  · environment {self.environment or 'none'}"
                ),
                classes="hint",
            )
            for item in connector.inputs:
                with Horizontal(classes="field"):
                    yield Label(literal(f"{item.name}{' *' if item.required else ''} ({item.type})"))
                    yield Input(
                        values.get(item.name, ""), placeholder=item.description, id=f"input-{item.name}", compact=True
                    )
            with VerticalScroll(id="reply-area"):
                yield Static(Text("Enter or Send calls the endpoint.", style="dim"), id="reply")
            with Horizontal(classes="buttons"):
                yield Button("Send", id="send", variant="primary")
                yield Button(
                    literal(f"Save as example ({key_for(self.app, 'live_request.save')})"), id="save", disabled=True
                )
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        inputs = list(self.query(Input))
        empty = [field for field in inputs if not field.value]  # the first the author must fill, else the first
        give_focus(empty[0] if empty else inputs[0] if inputs else self.query_one("#send", Button))
        on_theme_change(self, self._show_reply)

    def _show_reply(self) -> None:
        if self.reply is not None:
            self.query_one("#reply", Static).update(reply_summary(self.reply, palette(self.app)))

    def texts(self) -> dict[str, str]:
        """What is typed in each input field, by input name."""
        return {item.name: self.query_one(f"#input-{item.name}", Input).value for item in self.connector.inputs}

    @on(Input.Submitted)
    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.send()

    @work(exclusive=True, group="test-request")
    async def send(self) -> None:
        """Confirm an action connector's call, then send it and show the reply."""
        if self.connector.kind == "action":
            question = f"{self.connector.name} is an action: a live call changes data in the real system. Send it?"
            if not await self.app.push_screen_wait(ConfirmScreen(question)):
                return
        area = self.query_one("#reply", Static)
        show_text(area, Text("Sending…", style="dim"))
        self.query_one("#save", Button).disabled = True
        self.reply = await send_test_request(
            self.connector, self.texts(), self.settings, self.environment, self.secrets
        )
        self._show_reply()
        self.query_one("#save", Button).disabled = not self.reply.ok

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Close, handing back the response as the new example."""
        if self.reply is not None and self.reply.ok:
            self.dismiss(self.reply.as_example(self.connector.response.example))

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
