"""Small in-test workspaces and a watcher of run events."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from workbench.engine import Event
from workbench.model import Connector, Procedure, WorkspaceSettings
from workbench.store import Document, Workspace

ROOT = Path("/nonexistent/test-workspace")


def connector(
    name: str, body: Any = None, *, inputs: list[dict[str, Any]] | None = None, **fields: Any
) -> dict[str, Any]:
    """Connector data answering ``body`` as its example."""
    data: dict[str, Any] = {
        "name": name,
        "request": {"url": "{{env.base_url}}/" + name.lower().replace(" ", "-")},
        "inputs": inputs or [],
        "response": {"mode": "example", "example": {"status": 200, "body": body}},
    }
    data.update(fields)
    return data


def workspace(
    connectors: list[dict[str, Any]], procedures: list[dict[str, Any]], settings: dict[str, Any] | None = None
) -> Workspace:
    """A workspace built in memory from file data."""
    result = Workspace(
        ROOT, Document("workspace", ROOT / "workbench.json", WorkspaceSettings.model_validate(settings or {}))
    )
    for data in connectors:
        call = Connector.model_validate(data)
        result.connectors[call.name] = Document("connector", ROOT / "connectors" / f"{call.name}.json", call)
    for data in procedures:
        flow = Procedure.model_validate(data)
        result.procedures[flow.name] = Document("procedure", ROOT / "procedures" / f"{flow.name}.json", flow)
    return result


def procedure(name: str, *steps: dict[str, Any]) -> dict[str, Any]:
    """Procedure data."""
    return {"name": name, "steps": list(steps)}


class Watcher:
    """An ``on_event`` callback that lets a test wait for the next event of a type."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue()

    def __call__(self, event: Event) -> None:
        self.queue.put_nowait(event)

    async def next(self, type: str, timeout: float = 30.0) -> Event:
        """The next event of ``type`` (earlier events of other types are skipped)."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self.queue.get()
                if event.type == type:
                    return event
