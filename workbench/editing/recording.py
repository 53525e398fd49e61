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


class DebugSession(Protocol):
    """What recording needs of a debug session (the app's ``DebugSession`` is one)."""

    workspace: Workspace
    procedure: str
    run: Run
    result: RunResult | None

    @property
    def events(self) -> list[Event]: ...


def record_session(
    session: DebugSession, name: str, secrets: Mapping[str, str] | None = None
) -> tuple[Scenario, list[str]]:
    """The finished run of ``session`` as a scenario called ``name``, every secret value masked (``secrets``
    ``None``: the run's), and notes on what it cannot replay exactly. Raises ``ValueError`` for a run that pins
    nothing (not finished, stopped)."""
    if session.result is None:
        raise ValueError("the run has not finished: record it once it ends")
    options = session.run.options if secrets is None else replace(session.run.options, secrets=secrets)
    return record_masked(session.result, session.workspace, procedure=session.procedure, options=options, name=name)
