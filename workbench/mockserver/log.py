"""The mock server's request log as readable lines (the terminal of ``workbench mock serve``, the app)."""

from __future__ import annotations

import asyncio
import time
from typing import BinaryIO

from workbench.mockserver.records import LogRecord
from workbench.visible import visible

_second: tuple[int, str] = (0, "")


def timestamp() -> str:
    """The time now as ISO 8601 UTC with milliseconds (the calendar part is worked out once a second)."""
    global _second
    now = time.time()
    second = int(now)
    if second != _second[0]:
        _second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return f"{_second[1]}.{int((now - second) * 1000):03d}+00:00"


class BatchedWriter:
    """Writes to a binary stream in one write per turn of the event loop: a burst of requests costs one system
    call, not one each. After a failed write (a full disk, a closed terminal) it drops what it is given."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream: BinaryIO | None = stream
        self._pending: list[bytes] = []
        self._scheduled = False

    def write(self, data: bytes) -> None:
        """Queue ``data``; it is written when the event loop is next free (at once without a running loop)."""
        if self.stream is None:
            return
        self._pending.append(data)
        if self._scheduled:
            return
        try:
            asyncio.get_running_loop().call_soon(self.flush)
        except RuntimeError:
            self.flush()
            return
        self._scheduled = True

    def flush(self) -> None:
        """Write what is queued."""
        self._scheduled = False
        if not self._pending or self.stream is None:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        try:
            self.stream.write(data)
            self.stream.flush()
        except (OSError, ValueError):  # ValueError: the stream was closed
            self.stream = None


MODE_WIDTH = 7
"""The width of a line's first column: the mode that answered (``example``, ``dynamic``)."""


def format_record(record: LogRecord) -> str:
    """A log record as one readable line: mode, time, method, path, connector [rule], status, duration, notes
    (other events: their fields as ``key=value``)."""
    clock = record.get("time", "")[11:23]
    if record["event"] != "request":
        details = ", ".join(f"{key}={value}" for key, value in record.items() if key not in ("time", "event"))
        return visible(
            f"{'-':<{MODE_WIDTH}}  {clock}  {record['event']}" + (f"  {details}" if details else ""), keep=""
        )
    mode = f"{record.get('mode') or '-':<{MODE_WIDTH}}"
    target = record.get("connector") or "-"
    if rule := record.get("rule"):
        target += f" [{rule}]"
    status = record.get("status") or "---"
    line = f"{mode}  {clock}  {record['method']:<6} {record['path']}  {target}  {status}  {record.get('ms', 0):.1f}ms"
    extras = [str(extra) for extra in (record.get("fault"), record.get("note")) if extra]
    return visible(line + (f"  ({'; '.join(extras)})" if extras else ""), keep="")


class LineLog(BatchedWriter):
    """An ``on_log`` callback writing each record as a readable line (``workbench mock serve``'s terminal)."""

    def __call__(self, record: LogRecord) -> None:
        self.write(format_record(record).encode() + b"\n")
