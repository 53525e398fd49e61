"""The event history of a run: numbering, timing, masking secrets, and telling the listener."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from workbench.connectors import Masker
from workbench.engine.events import Event, EventType


class Recorder:
    """Creates every event of a run; secrets in event data are masked unless the caller already did it."""

    def __init__(self, masker: Masker, on_event: Callable[[Event], None] | None = None) -> None:
        self.masker = masker
        self.events: list[Event] = []
        self._on_event = on_event
        self._started = time.perf_counter()

    def emit(self, type: EventType, /, *, premasked: bool = False, **data: Any) -> Event:
        """Record one event (``premasked``: the caller masked the data, e.g. a large body off the loop)."""
        if not premasked and self.masker:
            data = self.masker.mask(data)
        event = Event(len(self.events) + 1, time.perf_counter() - self._started, type, data)
        self.events.append(event)
        if self._on_event is not None:
            self._on_event(event)
        return event
