"""Writing several files as a set: every file gets its new bytes, or (when one write fails) none changes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench.jsonfile import stage


class WriteSetError(OSError):
    """A file of the set could not be written; every file was left (or put back) as it was."""


@dataclass(frozen=True)
class FileWrite:
    """New bytes for ``path``; ``replaces`` is the file they replace (removed when the name changes)."""

    path: Path
    data: bytes
    replaces: Path | None = None
    changes: list[str] = field(default_factory=list)


def write_set(writes: list[FileWrite]) -> None:
    """Write every file atomically as a set.

    Each new content goes to a temporary file beside its target first (flushed to disk); only when all are
    written are they moved into place. A failure while moving puts back the files already replaced.
    """
    staged: list[tuple[FileWrite, Path]] = []
    try:
        for write in writes:
            staged.append((write, stage(write.path, write.data)))
    except OSError as error:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        raise WriteSetError(f"cannot write {error.filename or 'a file'}: {error.strerror or error}") from None
    backups: list[tuple[Path, bytes | None]] = []
    try:
        for write, temp in staged:
            for target in {write.path, write.replaces or write.path}:
                backups.append((target, target.read_bytes() if target.exists() else None))
            os.replace(temp, write.path)
            if write.replaces is not None and write.replaces != write.path:
                write.replaces.unlink()
    except OSError as error:
        for target, data in reversed(backups):
            if data is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(data)
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        raise WriteSetError(f"cannot write {error.filename or 'a file'}: {error.strerror or error}") from None
