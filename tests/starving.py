"""A thread starved of CPU, as an app's loop is on a loaded machine: it runs on one CPU at the lowest priority,
beside a process that keeps that CPU busy. Linux only (the tests that use it skip elsewhere)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

import pytest

from workbench.loop_clock import thread_times

T = TypeVar("T")

HOG = "while True: pass"


def in_a_starved_thread(body: Callable[[Callable[[], None]], T]) -> T:
    """Run ``body(starve)`` in a new thread and answer what it returns (or raise what it raised). ``starve()``,
    called by ``body`` once it has started what must not starve (a watching thread inherits its starter's CPU and
    priority), pins the thread to one CPU at the lowest priority beside a busy process."""
    if not hasattr(os, "sched_setaffinity") or thread_times(threading.get_native_id()) is None:
        pytest.skip("needs Linux's per-thread CPU affinity and accounting")
    cpu = min(os.sched_getaffinity(0))
    hog = subprocess.Popen(
        [sys.executable, "-c", f"import os\nos.sched_setaffinity(0, {{{cpu}}})\n{HOG}"],
        stdin=subprocess.DEVNULL,
    )
    outcome: list[T] = []
    errors: list[BaseException] = []

    def starve() -> None:
        os.sched_setaffinity(0, {cpu})  # this thread only (Linux applies both to the calling thread)
        os.setpriority(os.PRIO_PROCESS, 0, 19)

    def run() -> None:
        try:
            outcome.append(body(starve))
        except BaseException as error:  # handed to the caller's thread
            errors.append(error)

    try:
        thread = threading.Thread(target=run, name="starved")
        thread.start()
        thread.join()
    finally:
        hog.kill()
        hog.wait()
    if errors:
        raise errors[0]
    return outcome[0]
