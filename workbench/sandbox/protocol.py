"""Messages between the parent and a worker: length-prefixed frames over pipes.

A request is JSON (orjson): the program's kind and source, its arguments and the
limits. A reply is two bytes (outcome, recycle) then the payload: the result's JSON, or
the error as JSON. Everything crosses as bytes, so both sides only ever see fresh copies.
"""

from __future__ import annotations

import dataclasses
import os
import select
import struct
import time
from dataclasses import dataclass
from typing import Any

import orjson

from workbench import jsoncodec

from .errors import ERROR_CLASSES, SandboxError
from .limits import SandboxLimits

_HEADER = struct.Struct(">I")
_RESULT, _ERROR = b"R", b"E"
_RECYCLE, _KEEP = b"1", b"0"

READY = b"ready"
"""The frame a worker sends once it is ready for requests."""


class FrameTimeout(Exception):
    """No complete frame arrived before the deadline."""


class FrameTooLarge(Exception):
    """A frame announced more bytes than the reader accepts."""


def write_frame(fd: int, payload: bytes) -> None:
    """Write one frame to `fd` (blocking)."""
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def read_frame(fd: int, deadline: float | None = None, limit: int | None = None) -> bytes | None:
    """Read one frame from `fd`; None at end of file.

    With a `deadline` (a `time.monotonic()` value) raise FrameTimeout when it passes;
    with a `limit`, raise FrameTooLarge for a longer frame.
    """
    header = _read_exactly(fd, _HEADER.size, deadline)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if limit is not None and size > limit:
        raise FrameTooLarge(f"frame of {size} bytes, over the limit of {limit}")
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks: list[bytes] = []
    missing = size
    poller = None
    while missing:
        if deadline is not None:
            if poller is None:
                poller = select.poll()
                poller.register(fd, select.POLLIN)
            remaining_ms = (deadline - time.monotonic()) * 1000
            if remaining_ms <= 0 or not poller.poll(remaining_ms):
                raise FrameTimeout
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def encode_request(kind: str, source: str, args: dict[str, Any], limits: SandboxLimits) -> bytes:
    """A request to run a program; TypeError if `args` are not JSON-serializable."""
    try:
        return jsoncodec.dumps({"kind": kind, "source": source, "args": args, "limits": dataclasses.asdict(limits)})
    except (TypeError, ValueError) as exc:
        raise TypeError(f"sandbox inputs must be JSON-serializable: {exc}") from None


def decode_request(payload: bytes) -> tuple[Any, str, dict[str, Any], SandboxLimits]:
    """(kind, source, args, limits) of a request."""
    request = jsoncodec.loads(payload)
    return request["kind"], request["source"], request["args"], SandboxLimits(**request["limits"])


def encode_result(result_json: bytes, recycle: bool) -> bytes:
    """A reply carrying a result already serialized as JSON."""
    return _RESULT + (_RECYCLE if recycle else _KEEP) + result_json


def encode_error(error: SandboxError, recycle: bool) -> bytes:
    """A reply carrying an error."""
    body = {"class": type(error).__name__, "message": error.message, "line": error.line, "column": error.column}
    return _ERROR + (_RECYCLE if recycle else _KEEP) + orjson.dumps(body)


@dataclass(frozen=True)
class Reply:
    """A decoded reply: a result or an error, and whether the worker asks to be replaced."""

    result: Any
    error: SandboxError | None
    recycle: bool

    def unwrap(self) -> Any:
        """The result, or raise the error."""
        if self.error is not None:
            raise self.error
        return self.result


def decode_reply(payload: bytes) -> Reply:
    """Decode a reply frame."""
    outcome, recycle, body = payload[:1], payload[1:2] == _RECYCLE, payload[2:]
    if outcome == _RESULT:
        try:
            return Reply(jsoncodec.loads(body), None, recycle)
        except jsoncodec.JsonValueError as unusable:
            return Reply(
                None, ERROR_CLASSES["SandboxResultError"](f"the result is not usable: {unusable.message}"), recycle
            )
    fields = orjson.loads(body)
    error = ERROR_CLASSES[fields["class"]](fields["message"], fields["line"], fields["column"])
    return Reply(None, error, recycle)
