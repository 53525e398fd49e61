"""Writing the files a command produces (``export -o``, ``test --junit``, ``--save-scenario``, ``mock serve --log``).

An output path that is a regular file (or does not exist yet) is replaced atomically. One that is a stream — a
FIFO, a character device such as ``/dev/stdout`` or a terminal — is written through, never replaced (replacing
``/dev/stdout`` as root would break the container). Anything else (a directory, a block device, a socket) is
refused with :class:`OutputError`. Every output file goes through here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from workbench.jsonfile import atomic_write, file_kind

_PROC = (Path("/proc"), Path("/dev/fd"))
"""Where a symbolic link names an open file of a process (``/dev/stdout`` -> ``/proc/self/fd/1``)."""


class OutputError(OSError):
    """An output path that is neither a regular file nor a stream: nothing was written."""


def write_output(path: Path | str, data: bytes) -> None:
    """Write ``data`` to the output ``path``: atomically for a regular or new file, through for a stream.

    Raises :class:`OutputError` for a path that is neither, ``OSError`` when it cannot be written.
    """
    path = Path(path)
    kind = _kind(path)
    if kind == "regular":
        atomic_write(_real(path), data)
        return
    if kind != "stream":
        raise OutputError(f"{path} is {kind}: not written (give a file name)")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def open_output(path: Path | str) -> BinaryIO:
    """Open the output ``path`` to append to (a log): a regular or new file, or a stream written through.

    Raises :class:`OutputError` for a path that is neither, ``OSError`` when it cannot be opened.
    """
    path = Path(path)
    kind = _kind(path)
    if kind not in ("regular", "stream"):
        raise OutputError(f"{path} is {kind}: not written (give a file name)")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    return os.fdopen(fd, "ab")


def _kind(path: Path) -> str:
    """``regular`` (or missing), ``stream`` (FIFO, character device, or a process's open regular file), or
    what else the path is."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "regular"
    if stat.S_ISREG(mode):
        return "stream" if _in_proc(path) else "regular"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream"
    return file_kind(mode)


def _in_proc(path: Path) -> bool:
    """Whether ``path`` is (or links to) a process's open file, as ``/dev/stdout`` redirected to a file is."""
    resolved = Path(os.path.realpath(path.parent)) / path.name
    hops = 0
    while resolved.is_symlink() and hops < 40:
        if any(resolved.is_relative_to(folder) for folder in _PROC):
            return True
        resolved = Path(os.path.realpath(resolved.parent)) / os.readlink(resolved)
        hops += 1
    return any(resolved.is_relative_to(folder) for folder in _PROC)


def _real(path: Path) -> Path:
    """The file a symbolic link points to (its link is kept when the file is replaced)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path
