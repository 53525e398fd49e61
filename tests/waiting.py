"""The suite's one way to wait: for a state, never for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

from textual.css.query import NoMatches
from textual.pilot import Pilot

Found = TypeVar("Found")

TIMEOUT_S = 120.0
"""Generous: a machine under load is many times slower (a 3,200-key example takes over 30 s to settle there),
and a passing test returns as soon as the state is reached."""


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
    Fails the test after ``timeout`` seconds, naming ``what`` it was waiting for (and what was never found).
    """
    deadline = time.monotonic() + timeout
    missing: NoMatches | None = None
    while True:
        try:
            if predicate():
                return
        except NoMatches as error:
            missing = error
        if time.monotonic() > deadline:
            found = f" (never found: {missing})" if missing is not None else ""
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}{found}")
        if pilot is not None:
            await pilot.pause(0.01)
        else:
            await asyncio.sleep(0.01)


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
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.01)
