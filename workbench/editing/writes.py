"""Writing several files as a set: every file gets its new bytes, or (when one write fails) none changes.

A set is journaled so that a process killed while moving its files cannot leave half of them written: every
new content is staged beside its target first, then a journal naming each move is written atomically in the
workspace folder, then the files are moved and the journal removed. The next load of the workspace
(:func:`finish_interrupted_sets`, called by :func:`~workbench.store.load_workspace`) finds the journal of a
process that is gone and completes the moves it left, and says so.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.jsonfile import atomic_write, process_alive, stage, sync_folder

JOURNAL_PREFIX = ".workbench-writes."
JOURNAL_SUFFIX = ".journal"
_JOURNAL_NAME = re.compile(rf"{re.escape(JOURNAL_PREFIX)}(?P<pid>\d+)\.[0-9a-f]+{re.escape(JOURNAL_SUFFIX)}")
SET_TEMP_SUFFIX = ".set.tmp"
"""Staged files of a set end so (the ordinary clean-up of killed saves leaves them to the set's recovery)."""
_SET_TEMP_NAME = re.compile(rf"\..+\.(?P<pid>\d+)\.[A-Za-z0-9_]{{8}}{re.escape(SET_TEMP_SUFFIX)}")
_ACTIVE: set[str] = set()
"""This process's journals being carried out now."""


class WriteSetError(OSError):
    """A file of the set could not be written; every file was left (or put back) as it was."""


@dataclass(frozen=True)
class FileWrite:
    """New bytes for ``path``; ``replaces`` is the file they replace (removed when the name changes)."""

    path: Path
    data: bytes
    replaces: Path | None = None
    changes: list[str] = field(default_factory=list)


def write_set(writes: list[FileWrite], root: Path, label: str = "") -> None:
    """Write every file atomically as a set, journaled in the workspace folder ``root``.

    Each new content goes to a temporary file beside its target first (flushed to disk); only when all are
    written, and the journal listing the moves is on disk, are they moved into place. A failure while moving
    puts back the files already replaced; a kill while moving is completed by the next load (``label`` says
    what the set was, in that message).
    """
    staged: list[tuple[FileWrite, Path]] = []
    try:
        for write in writes:
            write.path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((write, stage(write.path, write.data, suffix=SET_TEMP_SUFFIX)))
        journal = _write_journal(root, label, staged)
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
    finally:
        _sync_folders({write.path.parent for write in writes})
        journal.unlink(missing_ok=True)
        _ACTIVE.discard(journal.name)


def _write_journal(root: Path, label: str, staged: list[tuple[FileWrite, Path]]) -> Path:
    """Write the journal of a staged set (atomically) and return its path."""
    journal = root / f"{JOURNAL_PREFIX}{os.getpid()}.{secrets.token_hex(4)}{JOURNAL_SUFFIX}"
    moves = [
        {
            "temp": os.path.relpath(temp, root),
            "path": os.path.relpath(write.path, root),
            "replaces": os.path.relpath(write.replaces, root) if write.replaces is not None else None,
        }
        for write, temp in staged
    ]
    _ACTIVE.add(journal.name)
    try:
        data = {"label": label, "started": _started(os.getpid()), "moves": moves}
        atomic_write(journal, json.dumps(data, indent=1).encode())
    except BaseException:
        _ACTIVE.discard(journal.name)
        raise
    return journal


def finish_interrupted_sets(root: Path, folders: list[Path]) -> list[str]:
    """Complete the sets that killed processes left half-moved in workspace ``root``; one message per set.

    Staged files of sets that never reached their journal (killed while staging: nothing was moved) are
    removed from ``root`` and ``folders``. Problems are reported in the messages, never raised.
    """
    messages: list[str] = []
    pending: set[str] = set()
    for journal in _journals(root):
        match = _JOURNAL_NAME.fullmatch(journal.name)
        pid = int(match.group("pid")) if match else 0
        if journal.name in _ACTIVE or (pid != os.getpid() and _writing(journal, pid)):
            pending |= {name for name in _journal_temps(journal)}
            continue
        try:
            messages.append(_finish(root, journal))
        except (OSError, ValueError, KeyError, TypeError) as error:
            detail = error.strerror if isinstance(error, OSError) and error.strerror else error
            messages.append(f"{journal}: cannot finish an interrupted write ({detail}); left as it is")
            pending |= {name for name in _journal_temps(journal)}
    for folder in {root, *folders}:
        _remove_orphans(folder, pending)
    return messages


def _writing(journal: Path, pid: int) -> bool:
    """Whether the process that wrote ``journal`` still runs (not another that got its id since)."""
    if not process_alive(pid):
        return False
    try:
        started = _read_journal(journal).get("started")
    except (OSError, ValueError):
        return True  # being written, or unreadable: left to its process, or reported once it is gone
    return started is None or started == _started(pid)


def _started(pid: int) -> str | None:
    """When process ``pid`` started, in clock ticks since boot (Linux; None elsewhere or when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _journals(root: Path) -> list[Path]:
    try:
        names = sorted(entry.name for entry in os.scandir(root) if _JOURNAL_NAME.fullmatch(entry.name))
    except OSError:
        return []
    return [root / name for name in names]


def _read_journal(journal: Path) -> dict[str, Any]:
    data = json.loads(journal.read_bytes())
    if not isinstance(data, dict) or not isinstance(data.get("moves"), list):
        raise ValueError("not a write journal")
    return data


def _journal_temps(journal: Path) -> set[str]:
    try:
        return {os.path.basename(str(move["temp"])) for move in _read_journal(journal)["moves"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _finish(root: Path, journal: Path) -> str:
    """Carry out the moves a journal lists that are not done yet, then remove it; says what it did."""
    data = _read_journal(journal)
    moves = [(root / move["temp"], root / move["path"], move.get("replaces")) for move in data["moves"]]
    targets = {path for _, path, _ in moves}
    moved = 0
    for temp, path, _ in moves:
        if temp.exists():
            os.replace(temp, path)
            moved += 1
    for _, path, replaces in moves:
        old = root / replaces if replaces else path
        if old not in targets:
            old.unlink(missing_ok=True)
    _sync_folders({path.parent for _, path, _ in moves})
    journal.unlink()
    what = f" ({data['label']})" if data.get("label") else ""
    return (
        f"completed an interrupted write of {len(moves)} file{'s' if len(moves) != 1 else ''}{what}: "
        f"{moved} {'were' if moved != 1 else 'was'} still to move"
    )


def _remove_orphans(folder: Path, keep: set[str]) -> None:
    """Delete staged files of sets whose process is gone and that no journal lists."""
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(SET_TEMP_SUFFIX)]
    except OSError:
        return
    for entry in entries:
        match = _SET_TEMP_NAME.fullmatch(entry.name)
        if match is None or entry.name in keep:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or process_alive(pid):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue


def _sync_folders(folders: set[Path]) -> None:
    for folder in folders:
        sync_folder(folder)
