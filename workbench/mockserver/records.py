"""The mock server's log records: one typed shape per ``event``, given to ``on_log`` and written by ``--log``.

A record is a plain dict whose JSON form is itself, keys in the order they are set: ``time`` (ISO 8601 UTC,
stamped when the record is logged) and ``event`` first, then by event (a field said "when" is left out when it
does not apply):

- ``request``: method, path; when it was routed: connector, inputs; when a mock answered: mode, rule, and
  fault and note (why no response was sent) when they apply; status (null: no response was sent), ms
- ``error``: error (the first line of what the server's libraries logged); left_out when some were left out
- ``reloaded``: routes (how many), problems (the workspace's load problems)
- ``reload_failed``: error
"""

# No ``from __future__ import annotations``: the record types are read at run time (their required keys).
from typing import Any, Literal, NotRequired, TypedDict

from workbench.model.connector import Fault

MockMode = Literal["example", "dynamic"]
"""What the server answers a connector from."""


class RequestRecord(TypedDict):
    """One request and what answered it."""

    time: str
    event: Literal["request"]
    method: str
    path: str
    connector: NotRequired[str]
    inputs: NotRequired[dict[str, Any]]
    mode: NotRequired[MockMode]
    rule: NotRequired[str]
    fault: NotRequired[Fault]
    note: NotRequired[str]
    status: NotRequired[int | None]
    ms: NotRequired[float]


class ErrorRecord(TypedDict):
    """What the server's libraries logged (a malformed request), at most one a second."""

    time: str
    event: Literal["error"]
    error: str
    left_out: NotRequired[int]


class ReloadedRecord(TypedDict):
    """The workspace was loaded again after its files changed."""

    time: str
    event: Literal["reloaded"]
    routes: int
    problems: list[str]


class ReloadFailedRecord(TypedDict):
    """Loading the workspace again failed: the old routes are still served."""

    time: str
    event: Literal["reload_failed"]
    error: str


LogRecord = RequestRecord | ErrorRecord | ReloadedRecord | ReloadFailedRecord
"""A record of the mock server's log; ``event`` tells which."""
