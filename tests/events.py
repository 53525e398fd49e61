"""Events for tests, built from their documented JSON form (so a test states what the ``--json`` stream says)."""

from __future__ import annotations

from typing import Any

from workbench.events import Event


def json_event(seq: int, t: float, type: str, fields: dict[str, Any]) -> Event:
    """The event whose JSON is ``{"seq": seq, "t": t, "type": type, **fields}``."""
    return Event.from_json({"seq": seq, "t": t, "type": type, **fields})
