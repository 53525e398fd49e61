"""The suite's one way to wait: for a state, never for a fixed time."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

from textual.css.query import NoMatches
from textual.pilot import Pilot

from workbench.loop_clock import LoopClock

Found = TypeVar("Found")

TIMEOUT_S = 120.0
"""Generous: a machine under load is many times slower (a 3,200-key example takes over 30 s to settle there),
and a passing test returns as soon as the state is reached."""

FIRST_STEP_S = 0.0005
"""A poll's first sleep (after a turn of the loop without one); each next is twice as long, up to :data:`LAST_STEP_S`."""
LAST_STEP_S = 0.01
"""A poll's longest sleep: a state that takes long costs a check per 10 ms of waiting, as a CPU-cheap poll."""


def poll_steps() -> Iterator[float]:
    """The sleeps between a poll's checks: none at first (a state reached within a turn of the loop is seen at
    once), then growing from :data:`FIRST_STEP_S` to :data:`LAST_STEP_S` (a slow one is checked rarely)."""
    yield 0.0
    step = FIRST_STEP_S
    while True:
        yield step
        step = min(2 * step, LAST_STEP_S)


class LoopBudget:
    """A wait's allowance of the event loop's time, counted on the loop's thread: the time it ran or had nothing
    to run, not the time it waited for a CPU (a loaded machine slows a wait down, it does not fail it; a wait
    that is stuck, its loop idle or busy, runs out). Made on the loop's thread; see :class:`LoopClock`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._started = time.monotonic()
        self._clock = LoopClock(math.inf)  # ticked by the loop itself: a late tick is its work, or its CPU wait
        self._spent = 0.0

    def left(self) -> float:
        """The seconds of the loop's time left (zero or less: the budget is spent)."""
        wall_left = self.seconds - (time.monotonic() - self._started)
        if wall_left > 0:  # the loop cannot have had more time than the wall clock: no need to ask the system
            return wall_left
        self._spent += self._clock.tick()
        return self.seconds - self._spent

    async def wait(self, waits: Collection[asyncio.Future[Any]], *, first: bool = False) -> bool:
        """Wait for all of ``waits`` (for one, if ``first``) while the budget lasts; whether they were done."""
        while (left := self.left()) > 0:
            when = asyncio.FIRST_COMPLETED if first else asyncio.ALL_COMPLETED
            done, pending = await asyncio.wait(waits, timeout=max(left, FIRST_STEP_S), return_when=when)
            if not pending or (first and done):
                return True
        return False


async def wait_until(
    predicate: Callable[[], object],
    pilot: Pilot[None] | None = None,
    *,
    timeout: float = TIMEOUT_S,
    what: str = "the expected state",
) -> None:
    """Let the event loop (and the app, when ``pilot`` is given) run until ``predicate()`` holds.

    A predicate that cannot find a widget yet (``NoMatches``: the part, or a parent on the way to it, is not
    mounted yet) does not hold yet: a pane's children mount frames after the pane, later still on a busy machine.
    Checks after each turn of the loop at first, then ever more rarely (:func:`poll_steps`): a state reached soon
    costs no idle wait, a slow one little CPU. With ``pilot``, it returns once the app has also handled what it
    had in hand as the state was reached (a widget resized by the change is laid out: a click by position lands
    on what the screen shows). Fails the test after ``timeout`` seconds of the loop's time
    (:class:`LoopBudget`), naming ``what`` it was waiting for (and what was never found).
    """
    budget = LoopBudget(timeout)
    missing: NoMatches | None = None
    for step in poll_steps():
        try:
            if predicate():
                if pilot is not None:  # what the app set off with the state, handled: the screen laid out anew
                    await pilot.pause()
                return
        except NoMatches as error:
            missing = error
        if budget.left() <= 0:
            found = f" (never found: {missing})" if missing is not None else ""
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}{found}")
        if pilot is None:
            await asyncio.sleep(step)
        elif step:
            await pilot.pause(step)
        else:
            await pilot.pause()  # until what the app has in hand is handled: many states are reached then


async def mounted(
    find: Callable[[], Found], pilot: Pilot[None], *, timeout: float = TIMEOUT_S, what: str = "the widget"
) -> Found:
    """Wait until ``find()`` finds the part a test needs (a query that raises ``NoMatches`` until it is mounted),
    and return it: wait for the part itself, not for its parent."""
    found: list[Found] = []

    def finds() -> bool:
        found[:] = [find()]
        return True

    await wait_until(finds, pilot, timeout=timeout, what=what)
    return found[0]


def wait_until_sync(predicate: Callable[[], object], *, timeout: float = TIMEOUT_S, what: str = "the state") -> None:
    """:func:`wait_until` for code outside an event loop (threads, child processes)."""
    deadline = time.monotonic() + timeout
    steps = poll_steps()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(next(steps))
