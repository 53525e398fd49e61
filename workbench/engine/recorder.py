"""The event history of a run: numbering, timing, masking secrets, and telling the listener."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from workbench.connectors import Masker
from workbench.events import AnyPayload, Event, Payload

P = TypeVar("P", bound=Payload)


class Recorder:
    """Creates every event of a run; secrets in event payloads are masked unless the caller already did it."""

    def __init__(self, masker: Masker, on_event: Callable[[Event], None] | None = None) -> None:
        self.masker = masker
        self.events: list[Event] = []
        self._on_event = on_event
        self._started = time.perf_counter()

    def masked(self, payload: P) -> P:
        """``payload`` with the run's secrets masked."""
        return payload.masked(self.masker.mask) if self.masker else payload

    def emit(self, payload: AnyPayload, /, *, premasked: bool = False) -> Event:
        """Record one event (``premasked``: the caller masked the payload, e.g. a large body off the loop)."""
        if not premasked:
            payload = self.masked(payload)
        event = Event(len(self.events) + 1, time.perf_counter() - self._started, payload)
        self.events.append(event)
        if self._on_event is not None:
            self._on_event(event)
        return event
