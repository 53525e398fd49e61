"""The suite's pilot: Textual's, waiting for the app's state instead of for the clock.

Textual's :class:`~textual.pilot.Pilot` sleeps at least 20 ms twice per key (``textual._wait.wait_for_idle``: it
sleeps, then goes on sleeping while the process used CPU) and, after every ``press`` and ``pause``, posts a
callback to every widget on the screen (hundreds, nearly all idle) and waits for all their answers. Over the suite
that was a fifth of the tests' time spent idle and an eighth of a walk's CPU spent asking idle widgets.

:class:`QuickPilot` waits for what a key sets off, and only for that: per key, until the app and the screen's
widgets with a message queued or in hand have handled it (the others are known idle without asking them), the
animations it started have ended and the screen has laid out and drawn what changed (running the callbacks queued
for after that refresh). A key is handled before the next one is sent, as with Textual's pilot; nothing sleeps.

What a key sets off for later (a timer, a worker in a thread) is not part of handling it: :func:`timers_due` waits
for the one-shot timers due soon, and ``settle`` in ``tests/tui/conftest.py`` for those and the workers.
Every test drives an app through :func:`quick_test` (``tests/test_quick_pilot.py`` guards it). The Textual
internals used are listed, each with its reason, in ``tests/test_architecture.py``.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from textual import events
from textual._queue import Queue
from textual.app import App
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.timer import Timer

from tests.waiting import LoopBudget

ReturnType = TypeVar("ReturnType")

TIMEOUT_S = 30.0
"""How long one wait may take before it fails the test (Textual's own wait gives the screen as long), in the loop's
time (:class:`~tests.waiting.LoopBudget`: not the time it waited for a CPU on a loaded machine)."""

SOON_S = 0.1
"""A one-shot timer armed for at most this long is "due soon": :func:`timers_due` waits for it (a test's lint and
transform delays of 0.01 s, the monkey's 0.05 s). Longer ones (a notice's expiry, the journal's one-second
debounce, the scenario pane's edit delay) are the test's to wait for, by the state they lead to."""


@asynccontextmanager
async def quick_test(
    app: App[ReturnType], *, animations: bool = False, **options: Any
) -> AsyncIterator[QuickPilot[ReturnType]]:
    """``app.run_test(**options)``, driven by a :class:`QuickPilot`.

    Animations are off unless asked for: a scroll or a tab's underline then takes its end value at once, which
    is the state a test checks, instead of keeping the pilot waiting out each animation's frames (a tenth of the
    TUI tests' time). The monkey's command-line walks keep them on, as a user has them."""
    app.animation_level = "full" if animations else "none"
    async with app.run_test(**options):
        yield QuickPilot(app)


def quick(pilot: Pilot[ReturnType]) -> QuickPilot[ReturnType]:
    """The quick pilot of the app ``pilot`` drives: for an app another pilot started (a snapshot's, which
    pytest-textual-snapshot starts with Textual's own), so its keys and pauses wait for the app, not the clock."""
    return QuickPilot(pilot.app)


class QuickPilot(Pilot[ReturnType]):
    """A pilot whose waits cost what the app's work costs: no fixed sleeps, no question to an idle widget."""

    async def press(self, *keys: str) -> None:
        """Press ``keys`` one after the other, each handled (its messages, animations and the screen's refresh)
        before the next is sent. ``wait:MS`` waits that many milliseconds, as in Textual's pilot."""
        for key in keys:
            if key.startswith("wait:"):
                await asyncio.sleep(float(key.removeprefix("wait:")) / 1000)
            else:
                self.app.post_message(key_event(self.app, key))
            await self.handled()

    async def pause(self, delay: float | None = None) -> None:
        """Without ``delay``: wait until what was set off is handled (:meth:`handled`). With one: wait for the
        screen's queued messages, then sleep ``delay`` seconds (a poll's step: cheap when the app is idle)."""
        if delay is None:
            await self.handled()
            return
        await self._wait_for_screen()
        await asyncio.sleep(delay)
        self.app.screen._on_timer_update()

    async def handled(self, timeout: float = TIMEOUT_S, *, nodes: Iterable[MessagePump] | None = None) -> None:
        """Wait until the app and the screen have handled every message, the animations have ended and the screen
        has laid out and drawn what changed, with no message posted meanwhile; or, once the app was asked to exit,
        until it has closed. Return early when the app met an exception (``run_test`` raises it as it ends).

        Given ``nodes``, wait for those only: until each has handled its messages (none queued or in hand, none
        posted to it meanwhile), without waiting for the animations or drawing the screen.
        Raises Textual's ``WaitForScreenTimeout`` after ``timeout`` seconds of the loop's time (:class:`LoopBudget`:
        a loaded machine slows a wait down, it does not fail it)."""
        budget = LoopBudget(timeout)
        if nodes is not None:
            pumps = list(nodes)
            while True:
                await asyncio.sleep(0)  # what was just posted reaches its queue
                busy = [pump for pump in pumps if not idle(pump)]
                if not busy or not await _answered(self, busy, budget):
                    return
        refreshed = False
        while True:
            await asyncio.sleep(0)  # what was just posted reaches its queue
            app = self.app
            if app._exception_event.is_set() or not app.is_running:
                return
            if app.return_code is not None:  # asked to exit: what it set off is the app closing
                if app._task is not None:
                    await budget.wait([app._task])
                return
            try:
                screen = app.screen
            except Exception:
                return
            busy = busy_pumps(app)
            if busy:
                answered = await _answered(self, busy, budget)
                if answered is False:
                    return
                if answered:
                    refreshed = False
                    continue
            animator = app.animator
            if animator._animations or animator._scheduled:  # no public way to ask without waiting
                animations = asyncio.ensure_future(animator.wait_until_complete())
                if not await budget.wait([animations]):
                    animations.cancel()
                    raise TimeoutError("Timed out while waiting for the animations to end.")
                refreshed = False
                continue
            if refreshed:
                return
            # What the screen's update timer does a frame later: lay out, draw, then run the after-refresh callbacks
            # (queued as the screen's next callbacks, so the next round waits for them).
            screen._on_timer_update()
            refreshed = True

    async def _wait_for_screen(self, timeout: float = TIMEOUT_S) -> bool:
        """Wait until the app and the screen's widgets have handled every message queued when called (``False``:
        the app met an exception meanwhile; Textual's ``WaitForScreenTimeout`` after ``timeout`` seconds of the
        loop's time)."""
        await asyncio.sleep(0)  # what was just posted reaches its queue, as it does in Textual's wait
        try:
            self.app.screen  # noqa: B018  # raises when the app has no screen (any more)
        except Exception:
            return False
        busy = busy_pumps(self.app)
        return not busy or await _answered(self, busy, LoopBudget(timeout)) is not False


def key_event(app: App[Any], key: str) -> events.Key:
    """The key event Textual's pilot sends for ``key`` (a key name, or a character)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    return event


def busy_pumps(app: App[Any]) -> list[MessagePump]:
    """The app and the widgets of its screen that have work: a message queued or in hand, a callback due.

    Walks the screen's tree with a stack of its own rather than ``walk_children`` (which builds the list of every
    node first): most nodes are idle, and this runs for every round of every wait (40% less per call)."""
    busy: list[MessagePump] = [] if idle(app) else [app]
    nodes: list[DOMNode] = [app.screen]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.children)
        if not idle(node):
            busy.append(node)
    return busy


def idle(pump: MessagePump) -> bool:
    """Whether ``pump`` has nothing to do: no message queued, none being handled (its task waits for the next
    one) and no callback due after the current message."""
    if pump._pending_message is not None or pump._next_callbacks:
        return False
    queue: Queue[Message | None] = pump._message_queue  # Textual's own queue: its getter waits on ``ready_event``
    if not queue.empty():
        return False
    for waiter in queue.ready_event._waiters:  # noqa: SIM110  # a loop, not any(): no generator made per widget
        if not waiter.done():
            return True
    return False


async def _answered(pilot: Pilot[Any], busy: Sequence[MessagePump], budget: LoopBudget) -> bool | None:
    """Textual's wait for the screen, over the ``busy`` pumps only: ``True`` once each has handled what it had
    queued, ``False`` when the app met an exception meanwhile, ``None`` when none of them can take a message
    (closing or closed: there is nothing to wait for). Textual's ``WaitForScreenTimeout`` once ``budget`` is
    spent."""
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
        return None
    waits = [asyncio.create_task(answered.wait()), asyncio.create_task(pilot.app._exception_event.wait())]
    try:
        if not await budget.wait(waits, first=True):
            raise WaitForScreenTimeout("Timed out while waiting for widgets to process pending messages.")
    finally:
        for task in waits:
            task.cancel()
    return count <= 0


def _armed_soon(timer: Timer, soon: float) -> bool:
    """Whether ``timer`` is a running one-shot timer set for at most ``soon`` seconds (Textual's ``set_timer``)."""
    task = timer._task
    armed = task is not None and not task.done() and timer._active.is_set()  # started, not fired, not paused
    return armed and timer._repeat == 0 and timer._interval <= soon


async def timers_due(app: App[Any], soon: float = SOON_S) -> bool:
    """Wait until the one-shot timers of the app, its screens and their widgets that are set for at most ``soon``
    seconds have fired; whether there were any. (Textual's ``set_timer`` queues its callback on the timer's
    widget as it fires: a pilot's ``pause`` then waits for it, and for what it posts.)"""
    pumps = [app, *(node for screen in app.screen_stack for node in screen.walk_children(with_self=True))]
    tasks = [timer._task for pump in pumps for timer in list(pump._timers) if _armed_soon(timer, soon)]
    running = [task for task in tasks if task is not None]
    if running:
        await LoopBudget(TIMEOUT_S).wait(running)
    return bool(running)
