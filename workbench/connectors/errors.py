"""Typed connector failures: every way a call can go wrong becomes one :class:`ConnectorError`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine package imports this one; keep the import one-way at run time
    from workbench.events import ErrorReason


class ConnectorError(Exception):
    """A connector call that failed, with its reason (the ``error`` event's ``reason``) and what is known.

    ``status`` is set when the server answered; ``message`` never holds a secret value in clear once the
    engine has masked it.
    """

    def __init__(self, reason: ErrorReason, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.reason: ErrorReason = reason
        self.message = message
        self.status = status
