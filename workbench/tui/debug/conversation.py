"""The conversation pane: the simulated chat of a run. The agent's messages (attribute values filled in) and
questions on one side, the customer's replies (typed by the author) on the other, and a note for each
``describe`` condition the author decides."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from workbench.agent.players import Question
from workbench.engine import DecisionRequest, Event
from workbench.engine.values import display
from workbench.events import InputReceived, InputRequested, MessageSent, RunError, RunFinished, RunStarted
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input
from workbench.visible import literal


class ConversationPane(Vertical):
    """The transcript, and a reply field that is open while the run waits for the customer or a decision."""

    DEFAULT_CSS = """
    ConversationPane { height: 1fr; }
    ConversationPane > #transcript { height: 1fr; padding: 0 1; }
    ConversationPane .bubble { width: auto; max-width: 85%; padding: 0 1; margin: 1 0 0 0; }
    ConversationPane .agent { background: $primary 25%; }
    ConversationPane .customer { background: $success 25%; margin: 1 0 0 6; }
    ConversationPane .note { width: 1fr; color: $text-muted; text-style: italic; margin: 1 0 0 0; }
    ConversationPane .problem { width: 1fr; color: $error; margin: 1 0 0 0; }
    ConversationPane > #asking { height: auto; padding: 0 1; color: $warning; text-style: bold; display: none; }
    ConversationPane.-asking > #asking { display: block; }
    ConversationPane > #reply { display: none; }
    ConversationPane.-asking > #reply { display: block; }
    """

    class Replied(Message):
        """The author typed the customer's reply (or a yes/no decision)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.request: Question | None = None

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="transcript")
        yield Static("", id="asking")
        yield Input(id="reply", placeholder="Type the customer's reply and press Enter")

    @property
    def transcript(self) -> VerticalScroll:
        """The scrolling chat."""
        return self.query_one("#transcript", VerticalScroll)

    def clear(self) -> None:
        """Start a new conversation."""
        self.transcript.remove_children()
        self.done_asking()

    def add_events(self, events: Sequence[Event]) -> None:
        """Add what the events say to the chat."""
        lines = [line for line in (self._line(event) for event in events) if line is not None]
        if lines:
            self.transcript.mount_all(lines)
            self.transcript.scroll_end(animate=False)

    def _line(self, event: Event) -> Static | None:
        match event.payload:
            case RunStarted(procedure=procedure):
                return _bubble(f"Conversation with the procedure {procedure!r}", "note")
            case MessageSent(text=text):
                return _bubble(text, "agent")
            case InputRequested(kind="decision", prompt=prompt):
                return _bubble(f"Decide: {prompt}?", "note")
            case InputRequested(prompt=prompt, error=error):
                return _bubble(f"{prompt} ({error})" if error else prompt, "agent")
            case InputReceived(branch=int(), name=name, value=value):
                return _bubble(f"Decided: {name} → {'yes' if value else 'no'}", "note")
            case InputReceived() as received:
                return _bubble(display(received.as_given), "customer")  # as typed: "yes", not true
            case RunError(reason=reason, message=message):
                return _bubble(f"Error ({reason}): {message}", "problem")
            case RunFinished(outcome=outcome):
                return _bubble(f"Conversation over: {outcome}", "note")
        return None

    def ask(self, request: Question) -> None:
        """Open the reply field for ``request`` and focus it."""
        self.request = request
        asking = self.query_one("#asking", Static)
        reply = self.query_one("#reply", Input)
        if isinstance(request, DecisionRequest):
            branches = "; ".join(f"{index}: {text}" for index, text in enumerate(request.branches))
            show_text(
                asking,
                literal(
                    f"Does this hold? {request.describe}  (yes / no)" + (f"\nbranches — {branches}" if branches else "")
                ),
            )
            reply.placeholder = "yes or no, then Enter"
        else:
            problem = f" — {request.error}" if request.error else ""
            show_text(asking, literal(f"The customer answers {request.name} ({request.value_type}){problem}"))
            reply.placeholder = "Type the customer's reply and press Enter"
        reply.value = ""
        self.add_class("-asking")
        give_focus(reply)

    def done_asking(self) -> None:
        """Close the reply field."""
        self.request = None
        self.remove_class("-asking")

    def refuse(self, reason: str) -> None:
        """Say why a reply was not taken (the field stays open, emptied)."""
        self.query_one("#reply", Input).value = ""
        self.transcript.mount(_bubble(reason, "problem"))
        self.transcript.scroll_end(animate=False)

    @on(Input.Submitted, "#reply")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.request is not None:
            self.post_message(self.Replied(event.value))


SPEAKERS = {"agent": "Agent", "customer": "Customer"}


def _bubble(text: str, kind: str) -> Static:
    if kind in SPEAKERS:
        return Static(Text.assemble((SPEAKERS[kind], "bold"), "\n", literal(text)), classes=f"bubble {kind}")
    return Static(literal(text), classes=kind)
