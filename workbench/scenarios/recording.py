"""Recording a run as a scenario: what was given (attributes, answers, decisions), the responses received
(as mocks) and what was observed (path, calls, messages, outcome, errors) as expectations.

Replaying the file gives the same run, offline. Secret values never reach it: anything that equals a
``{{secret.NAME}}`` value of the workspace's connectors is written as ``***``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from workbench.connectors import Masker
from workbench.connectors.templates import TEMPLATE
from workbench.engine import Event, RunOptions, RunResult
from workbench.model import Connector, MockResponse, Scenario
from workbench.model.connector import Fault
from workbench.store import FOLDERS, Document, DocumentError, Workspace, load_document, save_document, to_data

_FAULTS: dict[str, Fault] = {"timeout": "timeout", "network": "disconnect"}
_UNREPLAYABLE = ("request_configuration", "response_too_large", "input", "procedure", "condition")


def record(
    result: RunResult, *, procedure: str, options: RunOptions, name: str, description: str = ""
) -> tuple[Scenario, list[str]]:
    """The run as a scenario, and notes on what it cannot reproduce exactly (empty when it is faithful)."""
    if result.outcome == "stopped":
        raise ValueError("the run was stopped before it ended, so it pins no behaviour")
    mocks, notes = _mocks(result.events)
    errors = [str(event.data.get("reason")) for event in result.events if event.type == "error"]
    expect: dict[str, Any] = {"path": result.path, "calls": result.calls}
    if result.messages:
        expect["messages_contain"] = result.messages
    expect["outcome"] = result.outcome
    if errors:
        expect["errors"] = errors
    data: dict[str, Any] = {"name": name, "description": description, "procedure": procedure}
    optional = {
        "environment": options.environment,
        "attributes": {namespace: values for namespace, values in options.attributes.items() if values},
        "answers": result.answers,
        "decisions": result.decisions,
        "mocks": {connector: to_data(mock) for connector, mock in mocks.items()},
    }
    data.update({key: value for key, value in optional.items() if value})
    data["expect"] = expect
    return Scenario.model_validate(data), notes


def _mocks(events: list[Event]) -> tuple[dict[str, MockResponse], list[str]]:
    """The first response each connector gave (or the failure it had), as mocks."""
    mocks: dict[str, MockResponse] = {}
    bodies: dict[str, list[Any]] = {}
    notes: list[str] = []
    for event in events:
        connector: str = event.data.get("connector") or ""
        if event.type == "connector_responded" and event.data["source"] != "cache":
            bodies.setdefault(connector, []).append(event.data["body"])
            mocks.setdefault(connector, MockResponse(status=event.data["status"], body=event.data["body"]))
        elif event.type == "error" and connector and connector not in mocks:
            reason = event.data["reason"]
            if reason in _UNREPLAYABLE:
                notes.append(f"{connector}: its {reason} error happens before any response, so it is not mocked")
            elif reason in _FAULTS:
                mocks[connector] = MockResponse(status=504 if reason == "timeout" else 502, fault=_FAULTS[reason])
            elif reason == "response_mapping" and "empty body" in str(event.data.get("message")):
                mocks[connector] = MockResponse(status=event.data.get("status") or 200, fault="empty_body")
            elif reason == "response_mapping":
                mocks[connector] = MockResponse(status=event.data.get("status") or 200, fault="malformed_json")
            else:
                mocks[connector] = MockResponse(status=event.data.get("status") or 500)
                if reason == "transform":
                    notes.append(
                        f"{connector}: its transform failed; the body it got is not known, so the mock "
                        "answers with no body"
                    )
    for connector, seen in bodies.items():
        if any(body != seen[0] for body in seen[1:]):
            notes.append(f"{connector} answered its {len(seen)} calls differently; the scenario mocks the first answer")
    return mocks, notes


def secret_values(connectors: Mapping[str, Connector], secrets: Mapping[str, str]) -> list[str]:
    """The values of every ``{{secret.NAME}}`` the connectors use (those that are set)."""
    names: set[str] = set()
    for connector in connectors.values():
        text = orjson.dumps(to_data(connector.request)).decode()
        names.update(match[len("secret.") :] for match in TEMPLATE.findall(text) if match.startswith("secret."))
    return [secrets[name] for name in sorted(names) if secrets.get(name)]


def mask_secrets(scenario: Scenario, workspace: Workspace, secrets: Mapping[str, str] | None) -> Scenario:
    """``scenario`` with every secret value of the workspace's connectors written as ``***`` (``secrets``
    ``None``: the environment's)."""
    masker = Masker()
    masker.add(secret_values(workspace.connector_models(), os.environ if secrets is None else secrets))
    return Scenario.model_validate(masker.mask(to_data(scenario)))


def scenario_path(file: str | Path, workspace: Workspace) -> Path:
    """Where ``--save-scenario FILE`` writes: a bare file name goes to the workspace's scenarios folder."""
    path = Path(file)
    if path.suffix != ".json":
        path = path.with_name(path.name + ".json")
    return workspace.root / FOLDERS["scenario"] / path if path.parent == Path(".") else path


def save_recording(
    file: str | Path, workspace: Workspace, procedure: str, options: RunOptions, result: RunResult
) -> tuple[Path, Scenario, list[str]]:
    """Write the run as a scenario file (atomically); returns where, the scenario and the notes of :func:`record`.

    An existing scenario file keeps its name and description; a new one is named after the file.
    Raises ``ValueError`` for a run that cannot be recorded and ``OSError`` when the file cannot be written.
    """
    path = scenario_path(file, workspace)
    name, description = _identity(path, workspace, procedure)
    scenario, notes = record(result, procedure=procedure, options=options, name=name, description=description)
    masked = mask_secrets(scenario, workspace, options.secrets)
    save_document(Document("scenario", path, masked))
    return path, masked, notes


def _identity(path: Path, workspace: Workspace, procedure: str) -> tuple[str, str]:
    """The name and description to record under: the existing file's, else a name from the file's stem."""
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
