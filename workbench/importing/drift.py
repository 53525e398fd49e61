"""Drift between an OpenAPI spec and the connectors imported from it (``import openapi --check``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.importing.credentials import Secrets
from workbench.importing.openapi import ORIGIN_KEY, Spec, operation_connector
from workbench.model import Connector
from workbench.store import Workspace


@dataclass(frozen=True)
class Drift:
    """One way a connector no longer matches what it was imported from (a spec's operation, an MCP server's tool)."""

    connector: str
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.connector!r}: {self.message}"


def origin_operation(connector: Connector) -> str | None:
    """The spec operation a connector was imported from (its ``origin.openapi`` key), if any."""
    origin = (connector.model_extra or {}).get(ORIGIN_KEY)
    operation = origin.get("openapi") if isinstance(origin, dict) else None
    return operation if isinstance(operation, str) else None


def check_drift(workspace: Workspace, spec: Spec) -> tuple[list[Drift], int]:
    """The drifts found, and how many connectors were checked (those imported from an OpenAPI spec)."""
    operations = {operation.id: operation for operation in spec.operations()}
    drifts: list[Drift] = []
    checked = 0
    for name, document in sorted(workspace.connectors.items()):
        operation_id = origin_operation(document.model)
        if operation_id is None:
            continue
        checked += 1
        operation = operations.get(operation_id)
        if operation is None:
            drifts.append(Drift(name, document.path, f"operation {operation_id!r} is no longer in the spec"))
            continue
        fresh = operation_connector(spec, operation, Secrets(), [])
        drifts.extend(Drift(name, document.path, message) for message in compare(document.model, fresh))
    return drifts, checked


def compare(current: Connector, fresh: Connector) -> list[str]:
    """How ``current`` differs from what importing the operation gives today (removed, retyped, newly required)."""
    messages = []
    if current.request.method != fresh.request.method:
        messages.append(f"method is {fresh.request.method} in the spec, {current.request.method} here")
    for item in current.inputs:
        spec_input = fresh.input(item.name)
        if spec_input is None:
            messages.append(f"input {item.name!r}: the parameter is no longer in the spec")
        elif spec_input.type != item.type:
            messages.append(f"input {item.name!r}: type is {spec_input.type} in the spec, {item.type} here")
        elif spec_input.required and not item.required:
            messages.append(f"input {item.name!r} is now required by the spec")
    for spec_input in fresh.inputs:
        if spec_input.required and current.input(spec_input.name) is None:
            messages.append(f"new required parameter {spec_input.name!r} ({spec_input.type})")
    return messages
