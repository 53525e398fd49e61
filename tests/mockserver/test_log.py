"""The mock server's log: readable lines, timestamps, and writes batched per turn of the event loop."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC, datetime

from workbench.mockserver.log import BatchedWriter, LineLog, format_record, timestamp
from workbench.mockserver.records import RequestRecord


def test_timestamps_are_iso_utc_with_milliseconds() -> None:
    text = timestamp()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", text)
    assert abs((datetime.fromisoformat(text) - datetime.now(UTC)).total_seconds()) < 5


def test_request_records_read_as_one_line() -> None:
    record: RequestRecord = {
        "time": "2026-01-02T03:04:05.678+00:00",
        "event": "request",
        "method": "GET",
        "path": "/items/1",
        "connector": "Get item",
        "rule": "vip",
        "status": 200,
        "ms": 1.25,
    }
    assert format_record(record) == "-        03:04:05.678  GET    /items/1  Get item [vip]  200  1.2ms"
    dynamic: RequestRecord = {**record, "mode": "dynamic"}
    assert format_record(dynamic).startswith("dynamic  03:04:05.678  GET ")
    gone: RequestRecord = {**record, "status": None, "fault": "timeout", "note": "the client left"}
    assert format_record(gone).endswith("---  1.2ms  (timeout; the client left)")
    assert (
        format_record({"time": record["time"], "event": "reloaded", "routes": 3, "problems": []})
        == "-        03:04:05.678  reloaded  routes=3, problems=[]"
    )


async def test_a_burst_is_written_at_once_on_the_next_turn() -> None:
    stream = io.BytesIO()
    log = LineLog(stream)
    for index in range(3):
        log({"time": timestamp(), "event": "request", "method": "GET", "path": f"/{index}", "status": 200, "ms": 0})
    assert stream.getvalue() == b""
    await asyncio.sleep(0)
    assert stream.getvalue().count(b"\n") == 3


def test_without_a_loop_it_writes_at_once_and_a_broken_stream_is_dropped() -> None:
    stream = io.BytesIO()
    writer = BatchedWriter(stream)
    writer.write(b"a\n")
    assert stream.getvalue() == b"a\n"
    stream.close()
    writer.write(b"b\n")  # the stream is closed: dropped, no exception
    assert writer.stream is None
    writer.write(b"c\n")
