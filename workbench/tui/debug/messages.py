"""Messages of the debugger: what a :class:`~workbench.tui.debug.debug_run.DebugRun` reports to the widget
that hosts it, and what the debug view tells the rest of the app (the outline highlights from them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # kept light: the app imports these messages before the engine has loaded
    from workbench.agent.players import Question
    from workbench.engine import Event, RunResult
    from workbench.tui.debug.debug_run import DebugRun


class RunEvents(Message):
    """New events of a run, in order (batched: one message per burst)."""

    def __init__(self, debug_run: DebugRun, events: list[Event]) -> None:
        super().__init__()
        self.debug_run = debug_run
        self.events = events


class InputAsked(Message):
    """The run waits for the customer's reply or the author's decision."""

    def __init__(self, debug_run: DebugRun, request: Question) -> None:
        super().__init__()
        self.debug_run = debug_run
        self.request = request


class RunEnded(Message):
    """The run is over (``result`` ``None`` and ``crash`` set when the engine itself broke)."""

    def __init__(self, debug_run: DebugRun, result: RunResult | None, crash: str | None = None) -> None:
        super().__init__()
        self.debug_run = debug_run
        self.result = result
        self.crash = crash


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
