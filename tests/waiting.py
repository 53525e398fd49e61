"""The suite's one way to wait: for a state, never for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.pilot import Pilot

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

    Fails the test after ``timeout`` seconds, naming ``what`` it was waiting for.
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        if pilot is not None:
            await pilot.pause(0.01)
        else:
            await asyncio.sleep(0.01)


def wait_until_sync(predicate: Callable[[], object], *, timeout: float = TIMEOUT_S, what: str = "the state") -> None:
    """:func:`wait_until` for code outside an event loop (threads, child processes)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.01)
