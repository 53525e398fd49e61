"""The freeze watchdog: a blocked event loop is reported once per stall, with the blocking call in its stack."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from tests.starving import in_a_starved_thread
from tests.waiting import wait_until
from workbench.loop_clock import thread_times
from workbench.watchdog import Stall, StallWatchdog

QUICK = {"stall": 0.15, "heartbeat": 0.05, "check": 0.02}
"""Limits short enough that a test waits a fraction of a second for a stall, long enough that a loop turning every
20 ms (three checks) is far from one."""


def stuck_in_a_blocking_call(until: threading.Event) -> None:
    """Blocks the loop's thread, as a slow call on the UI loop would."""
    until.wait(30)


def busy_on_the_cpu(seconds: float, until: threading.Event | None = None) -> None:
    """Keeps the loop's thread running on a CPU for ``seconds`` of its own CPU time (or until ``until`` is set),
    as a slow computation on the UI loop would."""
    start = time.thread_time()
    while time.thread_time() - start < seconds and not (until and until.is_set()):
        pass


def waited_for_a_cpu() -> float:
    """The seconds this thread has waited for a CPU so far."""
    times = thread_times(threading.get_native_id())
    assert times is not None
    return times.waited


async def test_a_blocked_loop_is_reported_once_with_the_blocking_stack(stalls: list[Stall]) -> None:
    reported: list[Stall] = []
    first = threading.Event()

    def report(stall: Stall, told: threading.Event) -> None:
        reported.append(stall)
        told.set()

    watchdog = StallWatchdog(lambda stall: report(stall, first), **QUICK)
    watchdog.start(asyncio.get_running_loop())
    try:
        before = time.time()
        stuck_in_a_blocking_call(first)
        time.sleep(QUICK["stall"])  # still blocked, a stall's worth longer: reported once only
        assert len(reported) == 1
        stall = reported[0]
        assert "stuck_in_a_blocking_call" in stall.loop_stack
        assert "stall-watchdog" not in stall.other_stacks  # the watchdog's own thread is left out
        assert stall.waited >= QUICK["stall"] and before - 0.2 <= stall.since <= time.time()
        assert "stuck_in_a_blocking_call" in stall.evidence() and "has not turned for" in stall.evidence()
        blocked_beat = watchdog._beat
        # the loop turns again, until its heartbeat: a new stall is a new report
        await wait_until(lambda: watchdog._beat != blocked_beat, what="the loop's heartbeat")
        second = threading.Event()
        reported.clear()
        watchdog._report = lambda stall: report(stall, second)
        stuck_in_a_blocking_call(second)
        assert len(reported) == 1
    finally:
        watchdog.stop()
    assert len(stalls) == 2  # every stall also reaches the observers (the suite fails a test on one)
    stalls.clear()


async def test_a_loop_that_turns_is_never_reported(stalls: list[Stall]) -> None:
    reported: list[Stall] = []
    watchdog = StallWatchdog(reported.append, **QUICK)
    watchdog.start(asyncio.get_running_loop())
    try:
        for _ in range(15):  # 0.3 s: two stalls' worth
            time.sleep(0.02)  # busy, but turning every 20 ms
            await asyncio.sleep(0)
        await asyncio.sleep(QUICK["stall"])
    finally:
        watchdog.stop()
    assert reported == []


def _recorder(reported: list[Stall], first: threading.Event) -> Callable[[Stall], None]:
    """A stall handler that keeps each stall and sets ``first`` on the first one."""

    def record(stall: Stall) -> None:
        reported.append(stall)
        first.set()

    return record


def test_time_the_process_was_not_running_does_not_count() -> None:
    """A check that comes late (the machine was busy) adds at most two checks' worth to a stall."""
    reported: list[Stall] = []
    watchdog = StallWatchdog(reported.append, stall=0.5, heartbeat=0.05, check=0.2)
    watchdog._beat = time.monotonic() - 10  # the last beat long ago, as after a pause of the whole process
    thread = threading.Thread(target=watchdog._watch, daemon=True)
    thread.start()
    time.sleep(0.3)  # one or two checks: 0.4 s at most counted, under the stall
    watchdog.stop()
    thread.join()
    assert reported == []


async def test_a_loop_busy_on_the_cpu_is_reported(stalls: list[Stall]) -> None:
    reported: list[Stall] = []
    first = threading.Event()
    watchdog = StallWatchdog(_recorder(reported, first), **QUICK)
    watchdog.start(asyncio.get_running_loop())
    try:
        busy_on_the_cpu(30, until=first)
    finally:
        watchdog.stop()
    assert len(reported) == 1 and "busy_on_the_cpu" in reported[0].loop_stack
    stalls.clear()


def test_a_loop_waiting_for_a_cpu_is_no_stall() -> None:
    """A loaded machine (the loop's thread ready to run, other processes on its CPU) is not a frozen loop, however
    long the loop takes to turn in wall time: starved for five stalls' worth (each turn of 10 ms of work takes half a second
    or more), it is never reported."""
    reported: list[Stall] = []

    def turning(starve: Callable[[], None]) -> float:
        async def main() -> float:
            watchdog = StallWatchdog(reported.append, **QUICK)
            watchdog.start(asyncio.get_running_loop())
            starve()
            before, end = waited_for_a_cpu(), time.monotonic() + 6 * QUICK["stall"]
            try:
                while time.monotonic() < end:
                    busy_on_the_cpu(0.01)  # a turn of 10 ms of work: half a second or more in wall time here
                    await asyncio.sleep(0)
            finally:
                watchdog.stop()
            return waited_for_a_cpu() - before

        return asyncio.run(main())

    waited = in_a_starved_thread(turning)
    assert waited > 5 * QUICK["stall"], "the loop's thread was starved of CPU"
    assert reported == []


def test_a_blocked_loop_is_reported_on_a_loaded_machine_too(stalls: list[Stall]) -> None:
    """A loop blocked in a call that sleeps (no CPU used, none waited for) is a stall, starved or not."""
    reported: list[Stall] = []
    first = threading.Event()

    def blocked(starve: Callable[[], None]) -> None:
        async def main() -> None:
            watchdog = StallWatchdog(_recorder(reported, first), **QUICK)
            watchdog.start(asyncio.get_running_loop())
            starve()
            try:
                stuck_in_a_blocking_call(first)
            finally:
                watchdog.stop()

        asyncio.run(main())

    in_a_starved_thread(blocked)
    assert len(reported) == 1 and "stuck_in_a_blocking_call" in reported[0].loop_stack
    stalls.clear()
