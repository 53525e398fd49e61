"""Reading and writing the workspace's JSON files: located errors, pretty output, atomic saves."""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import jsoncodec

_DECODER = json.JSONDecoder()
_KEYS = re.compile(rb'"(?:[^"\\]|\\.)*"\s*(:?)')
"""Every string, capturing the colon after those that are object keys: counts keys at C speed."""
_TOKENS = re.compile(r'("(?:[^"\\]|\\.)*"|[{}\[\]])(\s*:)?')
_NEWLINE = re.compile("\n")
_SHORT_TEXT = 4096
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"\.(?P<target>.+\.json)\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]{8}\.tmp")
STALE_AFTER_S = 600.0
_IN_FLIGHT: set[str] = set()
"""This process's temporaries being written now (never stale)."""
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Workspace files above this size are refused unread."""
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
    """The line and column of a character offset (in logarithmic time for long texts, asked many times)."""
    if len(text) < _SHORT_TEXT:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Location(line, column)
    starts = _line_starts(text)
    line = bisect.bisect_right(starts, offset)
    return Location(line, offset - starts[line - 1] + 1)


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


class SpecialFile(OSError):
    """A path that is not a regular file of a readable size (a FIFO, a device, a directory, a huge file)."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES, expected: str = "a JSON file") -> bytes:
    """The bytes of a regular file (symbolic links followed) of at most ``limit`` bytes.

    Anything else raises :class:`SpecialFile` (saying ``expected``) without being read (a FIFO is never waited
    on, a device never drained); other failures raise ``OSError``.
    """
    kind = file_kind(os.stat(path).st_mode)
    if kind:
        raise SpecialFile(f"is {kind}, expected {expected}")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        kind = file_kind(status.st_mode)
        if kind:
            raise SpecialFile(f"is {kind}, expected {expected}")
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise SpecialFile(f"is larger than {limit:,} bytes")
    return raw


def file_kind(mode: int) -> str:
    """What a file is when it is not a regular file ("" when it is one)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_json(path: Path) -> tuple[Any, str, bytes]:
    """Parse a UTF-8 JSON file; returns (data, text, raw bytes) or raises :class:`JsonFileError`."""
    try:
        raw = read_regular(path)
    except SpecialFile as error:
        raise JsonFileError(path, Location(1, 1), str(error)) from None
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
        data = jsoncodec.loads(raw)
    except jsoncodec.JsonValueError as error:
        raise JsonFileError(path, location_of(text, error.offset), error.message) from None
    if _KEYS.findall(raw).count(b":") != _KEYS.findall(jsoncodec.dumps(data)).count(b":"):
        duplicate = _first_duplicate_key(text)
        if duplicate is not None:
            offset, key = duplicate
            message = f"duplicate key {key!r}: an earlier value for it in the same object would be lost"
            raise JsonFileError(path, location_of(text, offset), message)
    return data, text, raw


def _first_duplicate_key(text: str) -> tuple[int, str] | None:
    """(offset, key) of the first key repeated inside one object of valid JSON ``text``, if any."""
    stack: list[set[str] | None] = []  # per open container: the keys seen (objects) or None (arrays)
    for match in _TOKENS.finditer(text):
        token = match.group(1)
        if token in ("{", "["):
            stack.append(set() if token == "{" else None)
        elif token in ("}", "]"):
            stack.pop()
        elif match.group(2) and stack and stack[-1] is not None:
            key = json.loads(token)
            if key in stack[-1]:
                return match.start(), key
            stack[-1].add(key)
    return None


def dumps_pretty(data: Any) -> bytes:
    """The project's file format: 2-space indent, keys in insertion order, UTF-8, trailing newline, integers of
    any width exact."""
    return jsoncodec.dumps(data, pretty=True)


def stage(path: Path, data: bytes, suffix: str = TEMP_SUFFIX) -> Path:
    """A temporary file beside ``path`` holding ``data``, flushed to disk (what an atomic write moves into place).

    It is named after this process, so that a later clean-up knows it is not stale while this process lives.
    """
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=suffix, dir=path.parent)
    _IN_FLIGHT.add(os.path.basename(temp_name))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        _IN_FLIGHT.discard(os.path.basename(temp_name))
        raise
    return Path(temp_name)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    temp = stage(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        _IN_FLIGHT.discard(temp.name)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (files moved into it) to disk; problems are ignored."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files that saves killed midway left in ``folder``; returns them.

    A temporary names the process that writes it: it is stale once that process is gone (temporaries from
    before names carried it are stale after :data:`STALE_AFTER_S`). Problems are ignored: this is housekeeping.
    """
    removed: list[Path] = []
    try:
        candidates = [
            entry for entry in os.scandir(folder) if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)
        ]
    except OSError:
        return removed
    for entry in candidates:
        match = _TEMP_NAME.fullmatch(entry.name)
        try:
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            pid = match.group("pid")
            if pid:
                stale = entry.name not in _IN_FLIGHT if int(pid) == os.getpid() else not process_alive(int(pid))
            else:
                stale = time.time() - entry.stat().st_mtime > STALE_AFTER_S
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


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
