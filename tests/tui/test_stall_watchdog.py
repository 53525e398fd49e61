"""The app's freeze watchdog: a blocking call on the UI loop is logged once, with its stack, and fails a test."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.tui.conftest import running, told, workbench_of
from tests.waiting import wait_until
from workbench.state_files import log_path
from workbench.watchdog import Stall, observing


def hold_the_ui_loop(until: threading.Event) -> None:
    """A blocking call made on the UI loop (what a slow read or a long computation in a handler does)."""
    until.wait(120)


async def test_a_stall_is_logged_with_the_blocking_stack(
    desk_copy: Path, stalls: list[Stall], quick_app_watchdog: float
) -> None:
    reported = threading.Event()
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        with observing(lambda _stall: reported.set()):  # the loop is held until the watchdog reports
            app.call_later(hold_the_ui_loop, reported)
            await wait_until(reported.is_set, pilot, what="the stall report")
        (stall,) = stalls  # the suite's own observer saw it too
        assert "in hold_the_ui_loop" in stall.loop_stack and stall.waited >= quick_app_watchdog
        await wait_until(lambda: "The app did not answer for" in told(app), pilot, what="the notice")
    log = log_path().read_text(encoding="utf-8")
    assert log.count("the event loop stalled") == 1 and "in hold_the_ui_loop" in log
    assert "has not turned for" in log and "Thread stall-watchdog" not in log
    stalls.clear()  # this one was on purpose
