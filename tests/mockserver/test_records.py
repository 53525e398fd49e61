"""The mock server's log records keep the shape their types declare (``workbench.mockserver.records``): every
``--log`` line has ``time`` and ``event`` first, its event's required keys, and no key its type does not name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.mockserver.helpers import LogQueue, item, running, write_connector, write_workspace
from workbench.mockserver.records import ErrorRecord, ReloadedRecord, ReloadFailedRecord, RequestRecord

TYPES: dict[str, Any] = {
    "request": RequestRecord,
    "error": ErrorRecord,
    "reloaded": ReloadedRecord,
    "reload_failed": ReloadFailedRecord,
}


async def test_every_log_line_has_the_shape_of_its_record_type(tmp_path: Path) -> None:
    root = write_workspace(
        tmp_path / "desk",
        item("Get item", "GET", "{{env.base_url}}/items/{{id}}", {"example": {"body": {}}}, inputs=[{"name": "id"}]),
    )
    log_file, log = tmp_path / "log.jsonl", LogQueue()
    async with (
        running(root, log_file=log_file, on_log=log, reload_interval=0.05) as server,
        httpx.AsyncClient(base_url=server.url) as client,
    ):
        await client.get("/items/7")
        await client.get("/nowhere")
        write_connector(root, item("New", "GET", "/new", {"example": {"body": "fresh"}}))
        await log.next("reloaded")
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [(line["event"], list(line)[:2]) for line in lines] == [
        ("request", ["time", "event"]),
        ("request", ["time", "event"]),
        ("reloaded", ["time", "event"]),
    ]
    assert list(lines[0]) == ["time", "event", "method", "path", "connector", "inputs", "mode", "rule", "status", "ms"]
    assert list(lines[1]) == ["time", "event", "method", "path", "status", "ms"]
    for line in lines:
        shape = TYPES[line["event"]]
        assert shape.__required_keys__ <= set(line) <= shape.__required_keys__ | shape.__optional_keys__, line
