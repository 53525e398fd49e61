"""A freeze watchdog: a thread that notices when an asyncio event loop stops turning, and says where it is stuck.

The loop runs a cheap heartbeat (a callback every :data:`HEARTBEAT_S`); the watchdog thread checks it a few
times a second. When no beat came for :data:`STALL_S` past its time, it reports the stall once, with every
thread's stack (the loop's first: that is where the blocking call is), and again only after the loop turned.
Only the time the loop's thread was busy or blocked counts (:class:`~workbench.loop_clock.LoopClock`): the time
it waited for a CPU on a busy machine, or the whole process was not scheduled, is no stall.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from workbench.loop_clock import LoopClock

HEARTBEAT_S = 0.5
STALL_S = 2.0
CHECK_S = 0.25

_observers: list[Callable[[Stall], None]] = []


@dataclass(frozen=True)
class Stall:
    """The event loop stopped turning: since when, and what every thread was doing once it had for long enough."""

    since: float
    """When the loop stopped turning: its heartbeat was due then and never came (seconds since the epoch)."""
    waited: float
    """For how long it had not turned when this was taken (seconds; time its thread waited for a CPU left out)."""
    loop_stack: str
    """The stack of the loop's thread: the blocking call is at its end."""
    other_stacks: dict[str, str]
    """Every other thread's stack, by thread name."""

    def evidence(self) -> str:
        """What to log or show: when the loop stalled, where it is stuck, and the other threads."""
        since = time.strftime("%H:%M:%S", time.localtime(self.since)) + f".{int(self.since % 1 * 1000):03d}"
        lines = [
            f"The event loop has not turned for {self.waited:.1f} s (since {since}). Its thread is here:",
            self.loop_stack.rstrip(),
        ]
        for name, stack in self.other_stacks.items():
            lines += [f"Thread {name}:", stack.rstrip()]
        return "\n".join(lines)


@contextlib.contextmanager
def observing(observer: Callable[[Stall], None]) -> Iterator[None]:
    """Tell ``observer`` (too) of every stall any watchdog reports meanwhile (the test suite fails on them)."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


class StallWatchdog:
    """Watches one event loop from a daemon thread; ``report`` is called from that thread, once per stall."""

    def __init__(
        self,
        report: Callable[[Stall], None],
        *,
        stall: float = STALL_S,
        heartbeat: float = HEARTBEAT_S,
        check: float = CHECK_S,
    ) -> None:
        self._report = report
        self._stall = stall
        self._heartbeat = heartbeat
        self._check = check
        self._beat = time.monotonic()
        self._beat_wall = time.time()
        self._stop = threading.Event()
        self._handle: asyncio.TimerHandle | None = None
        self._loop_thread = 0
        self._loop_native = threading.get_native_id()

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the heartbeat on ``loop`` and the watching thread (call it on the loop's thread)."""
        self._loop_thread = threading.get_ident()
        self._loop_native = threading.get_native_id()
        self._loop = loop
        self._beating()
        threading.Thread(target=self._watch, name="stall-watchdog", daemon=True).start()

    def stop(self) -> None:
        """Stop watching (the thread ends within a check)."""
        self._stop.set()
        if self._handle is not None:
            self._handle.cancel()

    def _beating(self) -> None:
        self._beat, self._beat_wall = time.monotonic(), time.time()
        if not self._stop.is_set():
            self._handle = self._loop.call_later(self._heartbeat, self._beating)

    def _watch(self) -> None:
        clock = LoopClock(self._check, self._loop_native)
        seen_beat = self._beat
        late = 0.0
        reported = False
        while not self._stop.wait(self._check):
            step = clock.tick()
            if self._beat != seen_beat:
                seen_beat, late, reported = self._beat, 0.0, False
                continue
            if time.monotonic() > seen_beat + self._heartbeat:
                late += step
            if late >= self._stall and not reported:
                reported = True
                stall = self._stall_now(late)
                for observer in [self._report, *_observers]:
                    observer(stall)

    def _stall_now(self, late: float) -> Stall:
        frames = sys._current_frames()
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        me = threading.get_ident()
        stacks = {ident: "".join(traceback.format_stack(frame)) for ident, frame in frames.items() if ident != me}
        loop_stack = stacks.pop(self._loop_thread, "(the loop's thread has ended)\n")
        others = {names.get(ident, str(ident)): stack for ident, stack in stacks.items()}
        return Stall(self._beat_wall + self._heartbeat, late, loop_stack, others)
