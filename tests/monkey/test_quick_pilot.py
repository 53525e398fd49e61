"""The monkey's pilot waits as Textual's does: until every message queued on the screen is handled, a handler
still running included; it only skips asking the widgets that have nothing to do."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static

from tests.monkey.quick_pilot import QuickPilot, idle


class Ping(Message):
    """Handled slowly: the handler awaits before it records the message."""


class Slow(Static):
    """A widget whose handler takes a while, awaiting (the loop runs on meanwhile)."""

    def __init__(self) -> None:
        super().__init__("slow")
        self.handled = 0

    async def on_ping(self, message: Ping) -> None:
        await asyncio.sleep(0.2)
        self.handled += 1


class Screenful(App[None]):
    """Many quiet widgets and a slow one."""

    def compose(self) -> ComposeResult:
        for number in range(60):
            yield Static(f"quiet {number}")
        yield Slow()


async def test_the_wait_returns_once_a_queued_or_running_handler_is_done() -> None:
    app = Screenful()
    async with app.run_test() as pilot:
        quick = QuickPilot(app)
        await quick.pause()
        slow = app.query_one(Slow)
        nodes = [app, *app.screen.walk_children(with_self=True)]
        assert len(nodes) > 60 and all(idle(node) for node in nodes), "a quiet screen: nobody is asked"

        slow.post_message(Ping())  # queued
        assert not idle(slow)
        await quick._wait_for_screen()
        assert slow.handled == 1

        slow.post_message(Ping())
        while not slow._message_queue.empty():  # the handler has taken it and is running: nothing is queued
            await asyncio.sleep(0.01)
        assert not idle(slow)
        await quick._wait_for_screen()
        assert slow.handled == 2
        await pilot.pause()
