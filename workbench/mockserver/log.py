"""The mock server's request log as readable lines (the terminal of ``workbench mock serve``, the app)."""

from __future__ import annotations

from typing import Any


def format_record(record: dict[str, Any]) -> str:
    """A log record as one readable line: time, method, path, connector [rule], status, duration, notes."""
    clock = str(record.get("time", ""))[11:23]
    if record.get("event") != "request":
        details = ", ".join(f"{key}={value}" for key, value in record.items() if key not in ("time", "event"))
        return f"{clock}  {record.get('event')}" + (f"  {details}" if details else "")
    target = record.get("connector") or "-"
    if record.get("rule"):
        target += f" [{record['rule']}]"
    status = record.get("status") or "---"
    line = f"{clock}  {record['method']:<6} {record['path']}  {target}  {status}  {record.get('ms', 0):.1f}ms"
    extras = [str(record[key]) for key in ("fault", "note") if record.get(key)]
    return line + (f"  ({'; '.join(extras)})" if extras else "")
