"""Typed connector failures: every way a call can go wrong becomes one :class:`ConnectorError`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine package imports this one; keep the import one-way at run time
    from workbench.events import ErrorReason

MAX_MESSAGE_CHARS = 2_000
"""A longer message (a server's huge answer quoted, thousands of keys listed) is cut to this, saying how much."""


class ConnectorError(Exception):
    """A connector call that failed, with its reason (the ``error`` event's ``reason``) and what is known.

    ``status`` is set when the server answered; ``message`` never holds a secret value in clear once the
    engine has masked it, and is at most about :data:`MAX_MESSAGE_CHARS` long.
    """

    def __init__(self, reason: ErrorReason, message: str, *, status: int | None = None) -> None:
        if len(message) > MAX_MESSAGE_CHARS:
            message = f"{message[:MAX_MESSAGE_CHARS]}… ({len(message) - MAX_MESSAGE_CHARS:,} more characters)"
        super().__init__(message)
        self.reason: ErrorReason = reason
        self.message = message
        self.status = status
