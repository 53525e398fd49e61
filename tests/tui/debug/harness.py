"""A small app that mounts the debug view alone, with the debugger's keys, for Pilot and snapshot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot

from workbench.store import Workspace, load_workspace
from workbench.tui.debug import DebugView, PathTaken, StepReached


class DebugApp(App[None]):
    """The debug view on a workspace; ``selected`` stands for the step selected in the outline."""

    BINDINGS = [
        Binding("f5", "run", "Run / continue"),
        Binding("f10", "step", "Step"),
        Binding("f9", "breakpoint", "Breakpoint"),
        Binding("shift+f5", "stop", "Stop"),
    ]

    def __init__(self, root: Path, procedure: str) -> None:
        super().__init__()
        self.workspace: Workspace = load_workspace(root)
        self.procedure = procedure
        self.selected: str | None = None
        self.reached: list[tuple[str | None, str | None]] = []
        self.paths: list[list[tuple[str, str]]] = []

    def compose(self) -> ComposeResult:
        yield DebugView(lambda: self.workspace, id="debug")

    def on_mount(self) -> None:
        self.view.run_bar.procedure = self.procedure

    @property
    def view(self) -> DebugView:
        return self.query_one(DebugView)

    def action_run(self) -> None:
        self.view.run_or_continue()

    def action_step(self) -> None:
        self.view.step()

    def action_stop(self) -> None:
        self.view.stop()

    def action_breakpoint(self) -> None:
        if self.selected is not None:
            self.view.toggle_breakpoint(self.procedure, self.selected)

    def on_step_reached(self, message: StepReached) -> None:
        self.reached.append((message.procedure, message.step))

    def on_path_taken(self, message: PathTaken) -> None:
        self.paths.append(message.steps)


async def wait_until(pilot: Pilot[None], predicate: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the app run until ``predicate()`` holds (fails the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


class FakeClock:
    """A ``time`` stand-in whose ``perf_counter`` advances one millisecond per call (deterministic timings)."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += 0.001
        return self.now
