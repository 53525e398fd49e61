"""Recording a run made in the debugger as a scenario (with :func:`workbench.scenarios.record`).

Values the author edited while paused are part of the run: edits of ``User`` / ``Company`` / ``Conversation``
become the scenario's attributes; edits of a connector's response cannot be replayed (the scenario mocks the
response as it arrived), so they come back as notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Protocol

from workbench.engine import Event, ProcedureContext, Run, RunOptions, RunResult
from workbench.model import BUILTIN_NAMESPACES, Scenario
from workbench.scenarios import record
from workbench.scenarios.recording import mask_secrets
from workbench.store import Workspace


class DebugSession(Protocol):
    """What recording needs of a debug session (the app's ``DebugSession`` is one)."""

    workspace: Workspace
    procedure: str
    run: Run
    result: RunResult | None

    @property
    def events(self) -> list[Event]: ...


def recorded_options(session: DebugSession) -> tuple[RunOptions, list[str]]:
    """The session's options with the attribute edits made while paused laid over its attributes."""
    options = session.run.options
    attributes = ProcedureContext(options.attributes)
    notes: list[str] = []
    for event in session.events:
        if event.type != "attributes_available" or not event.data.get("edited"):
            continue
        for path, value in event.data["attributes"].items():
            if event.data["connector"] in BUILTIN_NAMESPACES:
                attributes.set(path, value)
            else:
                notes.append(f"{path} was edited during the run; the scenario mocks the response as it arrived")
    kept = {namespace: values for namespace, values in attributes.attributes.items() if values}
    return replace(options, attributes=kept), notes


def record_session(
    session: DebugSession, name: str, secrets: Mapping[str, str] | None = None
) -> tuple[Scenario, list[str]]:
    """The finished run of ``session`` as a scenario called ``name``, every secret value masked, and notes on
    what it cannot replay exactly. Raises ``ValueError`` for a run that pins nothing (not finished, stopped)."""
    if session.result is None:
        raise ValueError("the run has not finished: record it once it ends")
    options, notes = recorded_options(session)
    scenario, more = record(session.result, procedure=session.procedure, options=options, name=name)
    return mask_secrets(scenario, session.workspace, secrets), notes + more
