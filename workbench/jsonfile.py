"""Reading and writing the workspace's JSON files: located errors, pretty output, atomic saves."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


@dataclass(frozen=True)
class Location:
    """A 1-based line and column in a text."""

    line: int
    column: int


class JsonFileError(Exception):
    """A file that cannot be read as JSON, with the place of the problem."""

    def __init__(self, path: Path, location: Location, message: str) -> None:
        super().__init__(f"{path}:{location.line}:{location.column}: {message}")
        self.path = path
        self.location = location
        self.message = message


def location_of(text: str, offset: int) -> Location:
    """The line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(line, column)


def read_json(path: Path) -> tuple[Any, str, bytes]:
    """Parse a UTF-8 JSON file; returns (data, text, raw bytes) or raises :class:`JsonFileError`."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise JsonFileError(path, Location(1, 1), "is a directory, expected a JSON file") from None
    except OSError as error:
        raise JsonFileError(path, Location(1, 1), f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        where = location_of(prefix, len(prefix))
        raise JsonFileError(path, where, f"is not UTF-8 text (byte 0x{raw[error.start]:02x})") from None
    if not text.strip():
        raise JsonFileError(path, Location(1, 1), "is empty, expected a JSON object")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = _parse_with_stdlib(path, text)
    return data, text, raw


def _parse_with_stdlib(path: Path, text: str) -> Any:
    """Fallback parser: precise error positions, and integers wider than 64 bits."""
    try:
        return json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        raise JsonFileError(path, Location(error.lineno, error.colno), f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise JsonFileError(path, Location(1, 1), "invalid JSON: nested too deeply") from None


def dumps_pretty(data: Any) -> bytes:
    """The project's file format: 2-space indent, keys in insertion order, UTF-8, trailing newline."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # e.g. an integer wider than 64 bits
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def stage(path: Path, data: bytes) -> Path:
    """A temporary file beside ``path`` holding ``data``, flushed to disk (what an atomic write moves into place)."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = stage(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def locate(text: str, loc: tuple[str | int, ...]) -> Location:
    """Where the value at ``loc`` (a pydantic error location) sits in the JSON ``text``.

    Points at the member's key for object members. Path elements that are not in the document (union tags,
    missing keys) are skipped, so a missing key points at the object that lacks it.
    """
    offset = _skip_ws(text, 0)
    pointed = offset
    for part in loc:
        found = _member_offsets(text, offset, part)
        if found is None:
            continue
        pointed, offset = found
    return location_of(text, pointed)


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _member_offsets(text: str, start: int, part: str | int) -> tuple[int, int] | None:
    """(offset of the key or element, offset of its value) for ``part`` in the container at ``start``."""
    if start >= len(text) or text[start] not in "{[":
        return None
    is_object = text[start] == "{"
    index = _skip_ws(text, start + 1)
    position = 0
    while index < len(text) and text[index] not in "}]":
        member_start = index
        if is_object:
            key, index = _DECODER.raw_decode(text, index)
            index = _skip_ws(text, index) + 1  # the colon
            index = _skip_ws(text, index)
            matches = key == part
        else:
            matches = position == part
        if matches:
            return member_start, index
        _, index = _DECODER.raw_decode(text, index)
        index = _skip_ws(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
        position += 1
    return None
