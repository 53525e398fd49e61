"""The conversation pane: the chat of a run and the reply field."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from tests.events import json_event
from tests.quick_pilot import quick_test
from workbench.engine import DecisionRequest, InputRequest
from workbench.tui.debug.conversation import ConversationPane

WHERE = {"procedure": "Cancel subscription", "step": "state"}


class ChatApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.replies: list[str] = []

    def compose(self) -> ComposeResult:
        yield ConversationPane()

    def on_conversation_pane_replied(self, message: ConversationPane.Replied) -> None:
        self.replies.append(message.text)


def transcript(pane: ConversationPane) -> list[tuple[str, str]]:
    return [(" ".join(sorted(line.classes)), str(line.render())) for line in pane.transcript.query(Static)]


async def test_events_become_the_chat() -> None:
    app = ChatApp()
    async with quick_test(app) as pilot:
        pane = app.query_one(ConversationPane)
        pane.add_events(
            [
                json_event(1, 0, "message", {**WHERE, "text": "You are on Pro.", "reads": {}}),
                json_event(
                    2,
                    0,
                    "input_requested",
                    {
                        **WHERE,
                        "name": "The customer would stay",
                        "prompt": "The customer would stay",
                        "kind": "decision",
                        "value_type": "boolean",
                        "branch": 1,
                    },
                ),
                json_event(
                    3, 0, "input_received", {**WHERE, "name": "The customer would stay", "branch": 1, "value": False}
                ),
                json_event(
                    4,
                    0,
                    "input_requested",
                    {
                        **WHERE,
                        "step": "reason",
                        "name": "Conversation > reason",
                        "prompt": "Why are you leaving?",
                        "kind": "collect",
                        "value_type": "string",
                    },
                ),
                json_event(
                    5,
                    0,
                    "input_received",
                    {**WHERE, "step": "reason", "name": "Conversation > reason", "value": "Price"},
                ),
                json_event(6, 0, "run_finished", {"outcome": "resolved", "message": None, "path": []}),
            ]
        )
        await pilot.pause()
        assert transcript(pane) == [
            ("agent bubble", "Agent\nYou are on Pro."),
            ("note", "Decide: The customer would stay?"),
            ("note", "Decided: The customer would stay → no"),
            ("agent bubble", "Agent\nWhy are you leaving?"),
            ("bubble customer", "Customer\nPrice"),
            ("note", "Conversation over: resolved"),
        ]


async def test_a_question_opens_the_reply_field() -> None:
    app = ChatApp()
    async with quick_test(app) as pilot:
        pane = app.query_one(ConversationPane)
        reply = pane.query_one("#reply", Input)
        assert not reply.display
        pane.ask(InputRequest("P", "reason", "collect", "Conversation > reason", "Why?", "string"))
        await pilot.pause()
        assert reply.display and reply.has_focus
        assert "Conversation > reason (string)" in str(pane.query_one("#asking", Static).render())
        await pilot.press(*"Too dear", "enter")
        assert app.replies == ["Too dear"]
        pane.refuse("answer yes or no")
        pane.done_asking()
        await pilot.pause()
        assert not reply.display
        assert transcript(pane)[-1] == ("problem", "answer yes or no")


async def test_a_decision_lists_the_branches() -> None:
    app = ChatApp()
    async with quick_test(app) as pilot:
        pane = app.query_one(ConversationPane)
        pane.ask(
            DecisionRequest(
                "P", "state", 1, "The customer would stay", ("status equals cancelled", "The customer would stay")
            )
        )
        await pilot.pause()
        asking = str(pane.query_one("#asking", Static).render())
        assert "Does this hold? The customer would stay  (yes / no)" in asking
        assert "0: status equals cancelled; 1: The customer would stay" in asking
