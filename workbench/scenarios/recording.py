"""Recording a run as a scenario: what was given (attributes, answers, decisions), the responses received
(as mocks, every answer of a connector in call order) and what was observed (path, calls, values said, outcome,
errors) as expectations.

Replaying the file gives the same run, offline. Secret values never reach it: anything that equals a
``{{secret.NAME}}`` value of the workspace's connectors is written as ``***``.

Values edited while the run was paused are part of it: the scenario gives what the steps after the edit saw
(``User`` / ``Company`` / ``Conversation`` edits as its attributes, a connector's edited response as its mock),
and a value said before an edit of it is not expected, since the replay says the edited one. Messages are
pinned by the attribute values read into them, not by their wording, so rewording an instruction keeps the
scenario green.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.connectors.dotenv import secrets_or_environment
from workbench.connectors.masking import run_masker
from workbench.connectors.secrets import Masker
from workbench.engine import Event, ProcedureContext, RunOptions, RunResult
from workbench.engine.values import display
from workbench.events import AttributesAvailable, ConnectorResponded, MessageSent, RunError
from workbench.mentions import split_path
from workbench.model import BUILTIN_NAMESPACES, MockResponse, Scenario
from workbench.model.connector import Fault
from workbench.outputs import write_output
from workbench.store import FOLDERS, DocumentError, Workspace, load_document, serialize, to_data

_FAULTS: dict[str, Fault] = {"timeout": "timeout", "network": "disconnect"}
_UNREPLAYABLE = ("request_configuration", "response_too_large", "input", "procedure", "condition", "blocked")


@dataclass(frozen=True)
class _Edit:
    """An attribute edited while the run was paused."""

    seq: int
    root: str
    path: str
    value: Any


def record(
    result: RunResult,
    *,
    procedure: str,
    options: RunOptions,
    name: str,
    description: str = "",
    transformed: Collection[str] = (),
) -> tuple[Scenario, list[str]]:
    """The run as a scenario, and notes on what it cannot reproduce exactly (empty when it is faithful).

    ``transformed`` names the connectors with a transform: an edit of what they returned cannot be put back
    into the response they received, so it is noted instead.
    """
    if result.outcome == "stopped":
        raise ValueError("the run was stopped before it ended, so it pins no behaviour")
    edits = _edits(result.events)
    mocks, notes = _mocks(result.events)
    notes += _apply_response_edits(mocks, edits, transformed)
    errors = [event.payload.reason for event in result.events if isinstance(event.payload, RunError)]
    expect: dict[str, Any] = {"path": result.path, "calls": result.calls}
    said = _values_said(result.events, edits)
    if said:
        expect["messages_contain"] = said
    expect["outcome"] = result.outcome
    if errors:
        expect["errors"] = errors
    data: dict[str, Any] = {"name": name, "description": description, "procedure": procedure}
    optional = {
        "environment": options.environment,
        "attributes": _given_attributes(options.attributes, edits),
        "answers": result.answers,
        "decisions": result.decisions,
        "messages": composed_messages(result.events),
        "mocks": {connector: to_data(mock) for connector, mock in mocks.items()},
        "stale_tokens": sorted(options.stale_tokens),
    }
    data.update({key: value for key, value in optional.items() if value})
    data["expect"] = expect
    return Scenario.model_validate(data), notes


def composed_messages(events: list[Event]) -> dict[str, str | list[str]]:
    """What the agent wrote itself at instruction steps (``composed`` messages), by step id: a list for a step
    said more than once."""
    said: dict[str, list[str]] = {}
    composed: set[str] = set()
    for event in events:
        if isinstance(message := event.payload, MessageSent):
            said.setdefault(message.step, []).append(message.text)
            if message.composed:
                composed.add(message.step)
    return {step: texts[0] if len(texts) == 1 else texts for step, texts in said.items() if step in composed}


def record_masked(
    result: RunResult,
    workspace: Workspace,
    *,
    procedure: str,
    options: RunOptions,
    name: str,
    description: str = "",
    amend: Callable[[Scenario], Scenario] | None = None,
) -> tuple[Scenario, list[str]]:
    """:func:`record` for a run of ``workspace`` (changed by ``amend`` before masking), every secret value
    masked (``options.secrets``, else the environment's)."""
    transformed = [connector.name for connector in workspace.connector_models().values() if connector.transform]
    scenario, notes = record(
        result,
        procedure=procedure,
        options=options,
        name=name,
        description=description,
        transformed=transformed,
    )
    if amend is not None:
        scenario = amend(scenario)
    return mask_secrets(scenario, workspace, options.secrets), notes


def _edits(events: list[Event]) -> list[_Edit]:
    """The attribute edits made while paused, in order."""
    return [
        _Edit(event.seq, event.payload.connector, path, value)
        for event in events
        if isinstance(event.payload, AttributesAvailable) and event.payload.edited
        for path, value in event.payload.attributes.items()
    ]


def _given_attributes(attributes: Mapping[str, Mapping[str, Any]], edits: list[_Edit]) -> dict[str, dict[str, Any]]:
    """The run's ``User`` / ``Company`` / ``Conversation`` attributes with the edits made to them laid over."""
    context = ProcedureContext(attributes)
    for edit in edits:
        if edit.root in BUILTIN_NAMESPACES:
            context.set(edit.path, edit.value)
    return {namespace: values for namespace, values in context.attributes.items() if values}


def _apply_response_edits(
    mocks: dict[str, MockResponse], edits: list[_Edit], transformed: Collection[str]
) -> list[str]:
    """Put the edits of connectors' attributes into their mocked responses; notes on those that cannot be."""
    notes: list[str] = []
    context = ProcedureContext()
    for edit in edits:
        mock = mocks.get(edit.root)
        if edit.root in BUILTIN_NAMESPACES or mock is None:
            continue
        if edit.root in transformed:
            notes.append(
                f"{edit.path} was edited during the run; {edit.root} has a transform, so the scenario mocks "
                "the response as it arrived"
            )
            continue
        context.temporary.setdefault(edit.root, copy.deepcopy(mock.body))
        try:
            context.set(edit.path, edit.value)
        except ValueError as error:
            notes.append(f"{edit.path} was edited during the run but cannot be mocked: {error}")
            continue
        mocks[edit.root] = mock.model_copy(update={"body": context.temporary[edit.root], "body_text": None})
    return notes


def _values_said(events: list[Event], edits: list[_Edit]) -> list[str]:
    """The attribute values read into the messages the steps said themselves, each once, in order; a value
    edited after it was said is left out (the replay says the edited value)."""
    said: list[str] = []
    for event in events:
        message = event.payload
        if not isinstance(message, MessageSent) or message.composed:  # a model's words are replayed, not pinned
            continue
        for path, value in message.reads.items():
            text = display(value)
            if text.strip() and text not in said and not _edited_after(path, event.seq, edits):
                said.append(text)
    return said


def _edited_after(path: str, seq: int, edits: list[_Edit]) -> bool:
    """Whether an edit after event ``seq`` changed ``path``, a part of it or an object holding it."""
    segments = split_path(path)
    for edit in edits:
        edited = split_path(edit.path)
        shared = min(len(segments), len(edited))
        if edit.seq > seq and segments[:shared] == edited[:shared]:
            return True
    return False


def _mocks(events: list[Event]) -> tuple[dict[str, MockResponse], list[str]]:
    """Every response each connector gave (or failure it had), in call order, as one mock per connector: the
    first answer, then the others as its sequence (``then``), so that a replay gets the same answers."""
    answers: dict[str, list[MockResponse]] = {}
    notes: list[str] = []
    for event in events:
        payload = event.payload
        if isinstance(payload, ConnectorResponded) and payload.source != "cache":
            answers.setdefault(payload.connector, []).append(MockResponse(status=payload.status, body=payload.body))
        elif isinstance(payload, RunError) and payload.connector:
            mock = _failure_mock(payload.connector, payload, notes)
            if mock is not None:
                answers.setdefault(payload.connector, []).append(mock)
    return {connector: _sequence(seen) for connector, seen in answers.items()}, notes


def _failure_mock(connector: str, error: RunError, notes: list[str]) -> MockResponse | None:
    """The mock that fails the way a call failed, or ``None`` (with a note) when it failed before any response."""
    reason = error.reason
    if reason in _UNREPLAYABLE:
        notes.append(f"{connector}: its {reason} error happens before any response, so it is not mocked")
        return None
    if reason in _FAULTS:
        return MockResponse(status=504 if reason == "timeout" else 502, fault=_FAULTS[reason])
    if reason == "response_mapping":
        fault: Fault = "empty_body" if "empty body" in error.message else "malformed_json"
        return MockResponse(status=error.status or 200, fault=fault)
    if reason == "transform":
        notes.append(
            f"{connector}: its transform failed; the body it got is not known, so the mock answers with no body"
        )
    return MockResponse(status=error.status or 500)


def _sequence(answers: list[MockResponse]) -> MockResponse:
    """The answers as one mock: the first, then the rest in order (trailing repeats of the last one dropped,
    since a sequence repeats its last answer)."""
    while len(answers) > 1 and answers[-1] == answers[-2]:
        answers = answers[:-1]
    first, *rest = answers
    return first.model_copy(update={"then": rest}) if rest else first


def workspace_masker(workspace: Workspace, secrets: Mapping[str, str] | None = None) -> Masker:
    """A masker of every secret of the workspace (see :func:`~workbench.connectors.masking.run_masker`;
    ``secrets`` ``None``: the environment's and the workspace ``.env``'s)."""
    known = secrets_or_environment(workspace.root) if secrets is None else secrets
    return run_masker(workspace.connector_models(), workspace.settings.model, known)


def mask_secrets(scenario: Scenario, workspace: Workspace, secrets: Mapping[str, str] | None) -> Scenario:
    """``scenario`` with every secret value of the workspace written as ``***`` (``secrets`` ``None``: the
    environment's and the workspace ``.env``'s)."""
    return Scenario.model_validate(workspace_masker(workspace, secrets).mask(to_data(scenario)))


def scenario_path(file: str | Path, workspace: Workspace) -> Path:
    """Where ``--save-scenario FILE`` writes: a bare file name goes to the workspace's scenarios folder."""
    path = Path(file)
    if path.suffix != ".json":
        path = path.with_name(path.name + ".json")
    return workspace.root / FOLDERS["scenario"] / path if path.parent == Path(".") else path


def save_recording(
    file: str | Path,
    workspace: Workspace,
    procedure: str,
    options: RunOptions,
    result: RunResult,
    amend: Callable[[Scenario], Scenario] | None = None,
) -> tuple[Path, Scenario, list[str]]:
    """Write the run as a scenario file (atomically); returns where, the scenario and the notes of :func:`record`.

    An existing scenario file keeps its name and description; a new one is named after the file. ``amend``
    changes the recorded scenario before it is masked and written (a simulation keeps its customer and criteria).
    Raises ``ValueError`` for a run that cannot be recorded and ``OSError`` when the file cannot be written.
    """
    path = scenario_path(file, workspace)
    name, description = scenario_identity(path, workspace, procedure)
    masked, notes = record_masked(
        result, workspace, procedure=procedure, options=options, name=name, description=description, amend=amend
    )
    write_output(path, serialize(masked))
    return path, masked, notes


def scenario_identity(path: Path, workspace: Workspace, procedure: str) -> tuple[str, str]:
    """The name and description to save a scenario under: the existing file's, else a name from the file's stem
    (unique in the workspace)."""
    if path.is_file():
        try:
            existing = load_document(path, "scenario").model
        except DocumentError:
            pass
        else:
            return existing.name, existing.description
    base = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or procedure
    taken = {name for name, document in workspace.scenarios.items() if document.path.resolve() != path.resolve()}
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base} {counter}", counter + 1
    return name, f"Recorded from a run of {procedure!r}."
