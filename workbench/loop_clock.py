"""The time that counts toward a freeze of an event loop: what its thread did, not how long the machine was busy.

A loop is frozen while its thread is **busy** (a slow handler running on a CPU) or **blocked** (a call that sleeps
in the kernel: a lock, a socket, ``time.sleep``; it uses no CPU, yet nothing else runs on the loop). It is not
frozen while its thread is ready to run but **waiting for a CPU**: on a loaded machine that wait is the machine's,
and wall time alone reports it as a freeze. Reading only the thread's CPU time (``time.thread_time``) would
miss the blocked kind, so a :class:`LoopClock` takes both from Linux's accounting of the thread, at every check
of a watching thread:

* the thread is not runnable (sleeping or blocked): the time since the last check counts, less any wait for a
  CPU it finished meanwhile (``/proc/self/task/<tid>/schedstat``'s second field, in nanoseconds);
* the thread is runnable: only the time it ran counts (the first field), at most the time since the last check
  less its finished waits. The kernel adds a wait to the second field only once it ends, so while the thread
  still waits the first field is what tells it apart from running.

The watching thread starves as well: a check that comes late counts as two checks at most. Where the system
does not tell (no ``/proc``), that allowance is all: wall time between timely checks counts, as in the past.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ThreadTimes:
    """A thread's accounting at one moment (seconds since it started), as Linux keeps it."""

    ran: float
    """Time it ran on a CPU."""
    waited: float
    """Time it was ready to run but waited for a CPU (finished waits only)."""
    runnable: bool
    """Whether it is running or waiting to run now (not sleeping or blocked)."""


def thread_times(native_id: int) -> ThreadTimes | None:
    """The accounting of this process's thread ``native_id`` (``threading.get_native_id()``), or ``None`` where
    the system does not tell it (not Linux, or the thread has ended)."""
    task = f"/proc/self/task/{native_id}"
    try:
        with open(f"{task}/schedstat", encoding="ascii") as file:
            ran, waited = file.read().split()[:2]
        with open(f"{task}/stat", encoding="ascii", errors="replace") as file:
            state = file.read().rpartition(")")[2].split()[0]  # the name in parentheses may hold spaces
        return ThreadTimes(int(ran) / 1e9, int(waited) / 1e9, state == "R")
    except (OSError, ValueError, IndexError):
        return None


class LoopClock:
    """Counts, check by check, the time a loop's thread spent busy or blocked (see the module's docstring).

    Made on the loop's thread (or given its native id); :meth:`tick` is called by the watching thread (or the
    loop's, between its turns) every ``check`` seconds and answers the time counted since the previous tick."""

    def __init__(self, check: float, native_id: int | None = None) -> None:
        self._check = check
        self._thread = threading.get_native_id() if native_id is None else native_id
        self._last = time.monotonic()
        self._times = thread_times(self._thread)

    def tick(self) -> float:
        """The seconds counted since the previous tick (or the clock's making)."""
        now, times = time.monotonic(), thread_times(self._thread)
        step = min(now - self._last, 2 * self._check)  # a late check: the watching thread was not running
        before, self._last, self._times = self._times, now, times
        if before is None or times is None:
            return step
        counted = step - (times.waited - before.waited)
        if times.runnable and self._thread != threading.get_native_id():  # ticking itself, it runs: no wait pending
            counted = min(counted, times.ran - before.ran)
        return min(max(counted, 0.0), step)
