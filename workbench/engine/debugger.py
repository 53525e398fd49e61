"""Debugger control: where a run pauses (start, breakpoints, stepping, a pause request) and what resumes it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Literal

PauseReason = Literal["start", "breakpoint", "step", "pause"]
Breakpoint = str | tuple[str, str]
"""A step id (that step in any procedure) or ``(procedure, step id)``."""


class Debugger:
    """Pause points of one run. The run calls :meth:`reason_at` before every step and :meth:`wait` when paused;
    :meth:`resume`, :meth:`step` and :meth:`pause` are called from other tasks on the same loop."""

    def __init__(self, breakpoints: Iterable[Breakpoint] = (), *, pause_at_start: bool = False) -> None:
        self.breakpoints: set[Breakpoint] = set(breakpoints)
        self._pending: PauseReason | None = "start" if pause_at_start else None
        self._resumed = asyncio.Event()

    def toggle(self, breakpoint: Breakpoint) -> bool:
        """Set or clear a breakpoint; returns whether it is now set."""
        if breakpoint in self.breakpoints:
            self.breakpoints.discard(breakpoint)
            return False
        self.breakpoints.add(breakpoint)
        return True

    def reason_at(self, procedure: str, step_id: str) -> PauseReason | None:
        """Why the run must pause before a step, if it must; consumes a pending start/step/pause request."""
        pending, self._pending = self._pending, None
        if pending == "start":
            return pending
        if step_id in self.breakpoints or (procedure, step_id) in self.breakpoints:
            return "breakpoint"
        return pending

    async def wait(self) -> None:
        """Block until :meth:`resume` or :meth:`step`."""
        self._resumed.clear()
        await self._resumed.wait()

    def resume(self) -> None:
        """Continue until the next breakpoint."""
        self._pending = None
        self._resumed.set()

    def step(self) -> None:
        """Run one step, then pause before the next one."""
        self._pending = "step"
        self._resumed.set()

    def pause(self) -> None:
        """Pause before the next step."""
        if self._pending is None:
            self._pending = "pause"
