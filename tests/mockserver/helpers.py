"""Mock-server tests: throw-away workspaces written to disk and a server on a free loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal, overload

from workbench.mockserver import LogRecord, MockServer
from workbench.mockserver.records import ReloadedRecord, RequestRecord


def write_workspace(root: Path, *connectors: dict[str, Any], settings: dict[str, Any] | None = None) -> Path:
    """A workspace folder holding ``connectors`` (file data) and a ``workbench.json``."""
    (root / "connectors").mkdir(parents=True, exist_ok=True)
    (root / "workbench.json").write_text(json.dumps(settings or {"environments": {"local": {"base_url": ""}}}))
    for data in connectors:
        write_connector(root, data)
    return root


def write_connector(root: Path, data: dict[str, Any]) -> None:
    """Write (or replace) one connector file."""
    path = root / "connectors" / (data["name"].lower().replace(" ", "-") + ".json")
    path.write_text(json.dumps(data))


def item(name: str, method: str, url: str, response: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Connector data."""
    return {"name": name, "request": {"method": method, "url": url}, "response": response, **fields}


class LogQueue:
    """An ``on_log`` callback that lets a test wait for records."""

    def __init__(self) -> None:
        self.records: list[LogRecord] = []
        self.queue: asyncio.Queue[LogRecord] = asyncio.Queue()

    def __call__(self, record: LogRecord) -> None:
        self.records.append(record)
        self.queue.put_nowait(record)

    @overload
    async def next(self, event: Literal["request"] = "request", timeout: float = 20.0) -> RequestRecord: ...
    @overload
    async def next(self, event: Literal["reloaded"], timeout: float = 20.0) -> ReloadedRecord: ...
    @overload
    async def next(self, event: str, timeout: float = 20.0) -> LogRecord: ...

    async def next(self, event: str = "request", timeout: float = 20.0) -> LogRecord:
        """The next record of ``event`` (others are skipped), typed as that event's."""
        async with asyncio.timeout(timeout):
            while True:
                record = await self.queue.get()
                if record.get("event") == event:
                    return record

    def requests(self) -> list[RequestRecord]:
        """The records of the requests so far."""
        return [record for record in self.records if record["event"] == "request"]


@contextlib.asynccontextmanager
async def running(root: Path, *, port: int = 0, **options: Any) -> AsyncIterator[MockServer]:
    """A mock server of ``root`` on 127.0.0.1 (at a free port by default), stopped afterwards."""
    server = MockServer(root, **options)
    await server.start("127.0.0.1", port)
    try:
        yield server
    finally:
        await server.stop()
