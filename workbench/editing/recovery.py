"""Crash recovery ("hot exit"): a workspace's unsaved edits, journaled outside it and offered back after a crash.

Each app session keeps one journal file per workspace under ``$XDG_STATE_HOME/workbench/recovery/``, named
after the workspace (:func:`workspace_key`) and the session, and holds a lock on it for as long as it runs.
The journal holds, for each unsaved item, exactly what saving it would write (so it holds no secret the
workspace's own files would not), plus a hash of the file's bytes the edits started from. A clean exit
removes it; a crash or a ``kill -9`` leaves it, with its lock free, and the next session on the workspace
finds it (:meth:`Journal.left_behind`) and can :func:`restore` it: an item whose file changed on disk since is
reopened unsaved on top of the new file, never written over it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.editing.drafts import Drafts
from workbench.editing.edit_session import EditSession, Entry
from workbench.jsonfile import JsonFileError, atomic_write, dumps_pretty, read_json
from workbench.state_files import state_dir
from workbench.store import MODELS, SchemaKind, slugify, to_data

FOLDER = "recovery"
FORMAT = 1


def workspace_key(root: Path) -> str:
    """A file-name stem naming a workspace folder: its readable name and a hash of its resolved path."""
    resolved = root.resolve()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    return f"{slugify(resolved.name)}-{digest}"


def fingerprint(raw: bytes | None) -> str | None:
    """The hash of a file's bytes (``None`` for no file)."""
    return None if raw is None else hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class JournalItem:
    """One unsaved item: what saving it would write, and which bytes of its file the edits started from."""

    kind: SchemaKind
    path: str
    """The file, relative to the workspace folder (``/``-separated)."""
    name: str
    base: str | None
    """:func:`fingerprint` of the file as loaded (``None``: a new item, not on disk then)."""
    data: dict[str, Any]
    drafts: dict[str, Any] = field(default_factory=dict)
    """Texts typed into fields that are not values yet (:class:`~workbench.editing.drafts.Drafts` ``texts``)."""

    def label(self) -> str:
        """How the item is named to the user: ``procedure 'Order status' (procedures/order-status.json)``."""
        kind = "settings" if self.kind == "workspace" else self.kind
        return f"{kind} {self.name!r} ({self.path})" if self.name else f"{kind} ({self.path})"

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "path": self.path, "name": self.name, "base": self.base, "data": self.data}
        return {**data, "drafts": self.drafts} if self.drafts else data

    @classmethod
    def from_json(cls, data: Any) -> JournalItem:
        """Raises ``ValueError`` for anything but what :meth:`to_json` writes."""
        if not isinstance(data, dict):
            raise ValueError("an item is not an object")
        kind, path, name, base, content = (data.get(key) for key in ("kind", "path", "name", "base", "data"))
        drafts = data.get("drafts", {})
        if not isinstance(drafts, dict):
            raise ValueError(f"item {path}: bad drafts")
        if kind not in MODELS or not isinstance(path, str) or not isinstance(name, str):
            raise ValueError("an item has no kind, path or name")
        if (base is not None and not isinstance(base, str)) or not isinstance(content, dict):
            raise ValueError(f"item {path}: bad base or data")
        parts = Path(path).parts
        if not parts or Path(path).is_absolute() or ".." in parts:
            raise ValueError(f"item {path}: not a path inside the workspace")
        return cls(kind, path, name, base, content, drafts)


def unsaved_items(session: EditSession) -> list[JournalItem]:
    """Every item of the session that differs from its file (slow for big models: call it off the UI thread)."""
    return [
        JournalItem(
            entry.kind,  # type: ignore[arg-type]  # an entry's kind is a schema kind
            entry.path.relative_to(session.root).as_posix(),
            entry.name,
            fingerprint(entry.document.raw),
            to_data(entry.model),
            entry.drafts.model_dump(mode="json")["texts"],
        )
        for entry in list(session.all_entries())
        if entry.dirty and entry.differs_from_disk()
    ]


@dataclass(frozen=True)
class LeftBehind:
    """The journal of a session that ended without closing it (a crash, ``kill -9``, a power cut)."""

    path: Path
    items: list[JournalItem]
    written: float
    """When it was last written (seconds since the epoch)."""
    problem: str | None = None
    """Why it cannot be read (then it has no items and is kept for the user to look at)."""


class Journal:
    """This session's recovery file for one workspace, and the journals earlier sessions left behind.

    :meth:`write` may run in a worker thread while the app ends: once closed, the journal is never written again.
    """

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        """``folder`` defaults to ``$XDG_STATE_HOME/workbench/recovery``; nothing is created before :meth:`open`."""
        self.root = root.resolve()
        self.folder = folder if folder is not None else state_dir() / FOLDER
        self.key = workspace_key(self.root)
        self.path = self.folder / f"{self.key}.{os.getpid()}-{secrets.token_hex(4)}.json"
        """This session's journal (present only while something is unsaved)."""
        self._locks: dict[Path, int] = {}
        self._guard = threading.Lock()
        self._closed = False

    def open(self) -> None:
        """Create the folder (private to the user) and lock this session's journal (raises ``OSError``)."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._locks[self.path] = _lock(self.path)

    def left_behind(self) -> list[LeftBehind]:
        """The journals of this workspace that no running session holds, oldest first (they stay locked by this
        session until :meth:`forget` or :meth:`close`, so that no other session offers them too)."""
        found: list[LeftBehind] = []
        for path in sorted(self.folder.glob(f"{self.key}.*.json")):
            if path in self._locks:
                continue
            try:
                self._locks[path] = _lock(path)
            except BlockingIOError:
                continue  # a running session's
            except OSError:
                continue
            found.append(_read(path))
        return sorted(found, key=lambda left: left.written)

    def write(self, items: list[JournalItem]) -> None:
        """Replace the journal's content atomically (no items: remove it); raises ``OSError``."""
        content = {"format": FORMAT, "workspace": str(self.root), "items": [item.to_json() for item in items]}
        with self._guard:
            if self._closed:
                return
            if items:
                atomic_write(self.path, dumps_pretty(content))
            else:
                self.path.unlink(missing_ok=True)

    def forget(self, lefts: list[LeftBehind]) -> None:
        """Delete journals left behind (restored or discarded)."""
        for left in lefts:
            left.path.unlink(missing_ok=True)
            self._unlock(left.path, remove=True)

    def close(self) -> None:
        """End the session cleanly: this session's journal is removed, every lock released."""
        with self._guard:
            self._closed = True
            self.path.unlink(missing_ok=True)
            for path in list(self._locks):
                self._unlock(path, remove=path == self.path)

    def abandon(self) -> None:
        """Let go of every lock and leave the files, as a crashed session does."""
        with self._guard:
            self._closed = True
            for path in list(self._locks):
                self._unlock(path, remove=False)

    def _unlock(self, path: Path, *, remove: bool) -> None:
        descriptor = self._locks.pop(path, None)
        if remove:
            with contextlib.suppress(OSError):
                _lock_path(path).unlink()
        if descriptor is not None:
            os.close(descriptor)  # closing the descriptor releases the lock


def _lock_path(journal: Path) -> Path:
    return journal.with_suffix(".lock")


def _lock(journal: Path) -> int:
    """An exclusive lock on the journal's lock file (``BlockingIOError`` when a living process holds it).

    A ``flock`` is let go by the kernel when its process ends, however it ends.
    """
    descriptor = os.open(_lock_path(journal), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def _read(path: Path) -> LeftBehind:
    try:
        written = path.stat().st_mtime
        data, _, _ = read_json(path)
    except (OSError, JsonFileError) as error:
        return LeftBehind(path, [], time.time(), f"cannot be read: {error}")
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("items"), list):
            raise ValueError(f"not a recovery journal of format {FORMAT}")
        items = [JournalItem.from_json(item) for item in data["items"]]
    except ValueError as error:
        return LeftBehind(path, [], written, f"{path}: {error}")
    return LeftBehind(path, items, written)


@dataclass(frozen=True)
class Restored:
    """An item brought back as unsaved edits."""

    item: JournalItem
    entry: Entry
    changed_on_disk: bool
    """Its file is no longer the one the edits started from (changed or deleted since): the edits are unsaved
    on top of the file as it is now."""


def changed_since(session: EditSession, item: JournalItem) -> bool:
    """Whether the item's file is no longer the one its edits started from (changed, deleted or not loaded)."""
    entry = session.by_path(session.root / item.path)
    return fingerprint(entry.document.raw if entry is not None else None) != item.base


def restore(session: EditSession, lefts: list[LeftBehind]) -> tuple[list[Restored], list[str]]:
    """Put the journals' items back into the session as unsaved edits; returns them and what could not be
    restored. Writes nothing: the user saves (or not) as after any edit."""
    latest = {item.path: item for left in lefts for item in left.items}  # a later journal wins
    restored: list[Restored] = []
    problems: list[str] = []
    for item in latest.values():
        try:
            model = MODELS[item.kind].model_validate(item.data)
            drafts = Drafts.model_validate({"texts": item.drafts})
        except ValidationError as error:
            problems.append(f"{item.label()}: {error.errors()[0]['msg']}")
            continue
        entry = session.by_path(session.root / item.path)
        saved = entry is not None and entry.document.raw is not None and not entry.document.is_modified(model)
        if saved and not drafts.texts:
            continue  # the file holds these edits already
        changed = changed_since(session, item)
        if entry is None:  # new then, or its file was deleted (or no longer loads) since: new, at a free file name
            entry = session.create(item.kind, model)  # type: ignore[arg-type]  # "workspace" always has an entry
        else:
            entry.replace_model(model)
        entry.drafts.texts = dict(drafts.texts)
        restored.append(Restored(item, entry, changed))
    session.changed()
    return restored, problems
