"""Messages of the debugger: what the debug view tells the rest of the app (the outline highlights from them).
What a :class:`~workbench.tui.debug.debug_run.DebugRun` reports to its host is defined beside it."""

from __future__ import annotations

from textual.message import Message

BREAKPOINT, CURRENT, TAKEN = "●", "▶", "✓"
"""The debugger's marks on a procedure's outline: a breakpoint, the step about to run, a step the run took."""


class StepReached(Message):
    """The run is paused before ``step`` of ``procedure`` (both ``None``: it is no longer paused)."""

    def __init__(self, procedure: str | None, step: str | None) -> None:
        super().__init__()
        self.procedure = procedure
        self.step = step


class PathTaken(Message):
    """A run finished; ``steps`` are the ``(procedure, step id)`` it went through, in order (sub-procedures too)."""

    def __init__(self, steps: list[tuple[str, str]]) -> None:
        super().__init__()
        self.steps = steps


class BreakpointsChanged(Message):
    """The breakpoints of ``procedure`` are now ``steps``."""

    def __init__(self, procedure: str, steps: frozenset[str]) -> None:
        super().__init__()
        self.procedure = procedure
        self.steps = steps
