"""Events for tests, built from their documented JSON form (so a test states what the ``--json`` stream says), and
read back typed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from workbench.events import Event

Payload = TypeVar("Payload")


def json_event(seq: int, t: float, type: str, fields: dict[str, Any]) -> Event:
    """The event whose JSON is ``{"seq": seq, "t": t, "type": type, **fields}``."""
    return Event.from_json({"seq": seq, "t": t, "type": type, **fields})


def payloads(events: Iterable[Event], kind: type[Payload]) -> list[Payload]:
    """The payloads of the events of ``kind`` (a payload class such as ``RunWarning``), typed as that kind."""
    return [event.payload for event in events if isinstance(event.payload, kind)]


def first_payload(events: Iterable[Event], kind: type[Payload]) -> Payload:
    """The payload of the first event of ``kind`` (the test fails here when there is none)."""
    found = payloads(events, kind)
    assert found, f"no {kind.__name__} event"
    return found[0]
