"""Recording the run just made in the debugger as a scenario (with :func:`workbench.scenarios.recording.record`).

Values the author edited while paused are part of the run: the scenario gives what the steps after the edit saw
(edits of ``User`` / ``Company`` / ``Conversation`` as its attributes, an edited response as its mock).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Protocol

from workbench.engine import Event, Run, RunResult
from workbench.model import Scenario
from workbench.scenarios.recording import record_masked
from workbench.store import Workspace


class DebugRun(Protocol):
    """What recording needs of a debug run (the app's :class:`~workbench.tui.debug.debug_run.DebugRun` is one)."""

    workspace: Workspace
    procedure: str
    run: Run
    result: RunResult | None

    @property
    def events(self) -> list[Event]: ...


def record_debug_run(
    debug_run: DebugRun, name: str, secrets: Mapping[str, str] | None = None
) -> tuple[Scenario, list[str]]:
    """The finished run of ``debug_run`` as a scenario called ``name``, every secret value masked (``secrets``
    ``None``: the run's), and notes on what it cannot replay exactly. Raises ``ValueError`` for a run that pins
    nothing (not finished, stopped)."""
    if debug_run.result is None:
        raise ValueError("the run has not finished: record it once it ends")
    options = debug_run.run.options if secrets is None else replace(debug_run.run.options, secrets=secrets)
    return record_masked(
        debug_run.result, debug_run.workspace, procedure=debug_run.procedure, options=options, name=name
    )
