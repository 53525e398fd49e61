"""Per-run mock overrides from the shell: ``--mock 'NAME=FILE'``, ``--mock 'NAME=status:CODE'``,
``--fault 'NAME=FAULT'`` of ``workbench run``."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from workbench.cli import UsageError
from workbench.jsonfile import JsonFileError, read_json
from workbench.mentions import suggest
from workbench.model import MockResponse
from workbench.model.connector import Fault
from workbench.store import Workspace

FAULTS: tuple[str, ...] = get_args(Fault)
FAULT_STATUS = {"timeout": 504, "disconnect": 502}
"""The status recorded with a fault that gives no response (as recordings write it)."""


def overrides(workspace: Workspace, mocks: list[str], faults: list[str]) -> dict[str, MockResponse]:
    """The mocks the ``--mock`` and ``--fault`` arguments ask for, by connector name (later ones win).

    Raises :class:`UsageError` naming the argument for an unknown connector, a bad status, an unreadable or
    non-JSON file, or an unknown fault.
    """
    result: dict[str, MockResponse] = {}
    for item in mocks:
        name, value = _split(workspace, item, "--mock")
        result[name] = _mock(item, value, workspace)
    for item in faults:
        name, value = _split(workspace, item, "--fault")
        fault = value.strip().lower()
        if fault not in FAULTS:
            raise UsageError(f"--fault {item!r}: unknown fault {value!r} (known: {', '.join(FAULTS)})")
        result[name] = MockResponse.model_validate({"status": FAULT_STATUS.get(fault, 200), "fault": fault})
    return result


def _split(workspace: Workspace, item: str, flag: str) -> tuple[str, str]:
    """``NAME=VALUE`` with NAME a connector of the workspace."""
    name, sep, value = item.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise UsageError(f"{flag} {item!r}: expected NAME=VALUE with NAME a connector")
    if name not in workspace.connectors:
        hint = suggest(name, workspace.connectors)
        detail = f"did you mean {hint!r}?" if hint else f"known: {', '.join(sorted(workspace.connectors)) or 'none'}"
        raise UsageError(f"{flag} {item!r}: unknown connector {name!r} ({detail})")
    return name, value


def _mock(item: str, value: str, workspace: Workspace) -> MockResponse:
    """``status:CODE``, or a JSON file whose content is the body (a path as given, or inside the workspace)."""
    if value.lower().startswith("status:"):
        code = value.split(":", 1)[1].strip()
        if not code.isdigit() or not 200 <= int(code) <= 599:
            raise UsageError(f"--mock {item!r}: expected status:CODE with CODE a final HTTP status from 200 to 599")
        return MockResponse(status=int(code))
    path = Path(value)
    if not path.is_file() and (workspace.root / value).is_file():
        path = workspace.root / value
    if not path.is_file():
        raise UsageError(f"--mock {item!r}: no such file {value!r} (give a JSON body file or status:CODE)")
    try:
        body, _text, _raw = read_json(path)
    except JsonFileError as error:
        raise UsageError(f"--mock {item!r}: {error}") from None
    return MockResponse(body=body)
