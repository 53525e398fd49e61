"""The monkey's pilot: Textual's, with a wait for the screen that asks only the widgets that have work.

Textual's :class:`~textual.pilot.Pilot` waits (after every ``press`` and ``pause``) until each widget of the
screen has handled the messages queued when it started, by posting a callback to every one of them and counting
the answers. A screen holds hundreds of widgets, nearly all idle, and each answer is a message handled and an idle
event dispatched: a walk spent an eighth of its CPU there. :class:`QuickPilot` waits the same way for the widgets
that have a message queued or in hand, and knows the others are done without asking them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual._queue import Queue
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot, WaitForScreenTimeout


class QuickPilot(Pilot[None]):
    """A pilot whose waits cost what the widgets with work cost, not the whole screen."""

    async def _wait_for_screen(self, timeout: float = 30.0) -> bool:
        """Wait until the app and the screen's widgets have handled every message queued when called (``False``:
        the app met an exception meanwhile; Textual's ``WaitForScreenTimeout`` after ``timeout`` seconds)."""
        await asyncio.sleep(0)  # what was just posted reaches its queue, as it does in Textual's wait
        try:
            screen = self.app.screen
        except Exception:
            return False
        busy = [node for node in (self.app, *screen.walk_children(with_self=True)) if not idle(node)]
        if not busy:
            return True
        return await _answered(self, busy, timeout)


def idle(pump: MessagePump) -> bool:
    """Whether ``pump`` has nothing to do: no message queued, none being handled (its task waits for the next
    one) and no callback due after the current message."""
    queue: Queue[Message | None] = pump._message_queue  # Textual's own queue: its getter waits on ``ready_event``
    waiting = any(not waiter.done() for waiter in queue.ready_event._waiters)
    return waiting and queue.empty() and pump._pending_message is None and not pump._next_callbacks


async def _answered(pilot: Pilot[None], busy: Sequence[MessagePump], timeout: float) -> bool:
    """Textual's wait for the screen, over the ``busy`` pumps only."""
    answered = asyncio.Event()
    count = 0

    def one_answered() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            answered.set()

    for pump in busy:
        if pump.call_later(one_answered):
            count += 1
    if not count:
        return True
    waits = [asyncio.create_task(answered.wait()), asyncio.create_task(pilot.app._exception_event.wait())]
    _, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if len(pending) == len(waits):
        raise WaitForScreenTimeout("Timed out while waiting for widgets to process pending messages.")
    return count <= 0
