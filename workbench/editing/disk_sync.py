"""Reconciling an edit session with its folder after files changed on disk (another editor, git, a sync tool).

An item the app holds no edits of follows its file quietly: reloaded when it changed, forgotten when it was
deleted. An item with unsaved edits is never dropped: when its file changed the user is asked (reload, or keep
the edits and overwrite the file by saving); when it was deleted the edits stay and saving recreates it. Files new
on disk (or broken ones fixed) are loaded. Files the app wrote itself (an import, an Intercom pull) are taken in
the same way. :class:`DiskSync` does all this to the session and returns what the app draws:
:meth:`DiskSync.take_in` is the one way files on disk reach the session after it loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from workbench.editing.edit_session import DiskChanges, EditSession, Entry, signature
from workbench.store import LoadProblem


@dataclass(frozen=True)
class Reload:
    """An item reloaded from its file; ``problem`` when the file no longer loads (the app's version is kept)."""

    entry: Entry
    problem: LoadProblem | None = None


@dataclass(frozen=True)
class Reconciled:
    """What :meth:`DiskSync.take_in` did, for the app to draw."""

    ask: list[Entry] = field(default_factory=list)
    """Changed on disk while edited here: the user chooses (:meth:`DiskSync.answer`)."""
    reloaded: list[Reload] = field(default_factory=list)
    """Changed on disk and not edited here: reloaded quietly (or kept, when the file no longer loads)."""
    deleted: list[Entry] = field(default_factory=list)
    """Deleted on disk and not edited here: forgotten (their editors close)."""
    kept: list[Entry] = field(default_factory=list)
    """Deleted on disk while edited here: the edits stay, and saving recreates the file."""
    loaded: list[Entry] = field(default_factory=list)
    """New on disk (or fixed): loaded."""
    failed: list[LoadProblem] = field(default_factory=list)
    """New on disk (or changed again) but not loadable."""


class DiskSync:
    """Keeps an edit session in step with its folder; remembers the items the user is being asked about."""

    def __init__(self, session: EditSession) -> None:
        self.session = session
        self.asking: set[Entry] = set()
        """Items whose question (reload, or keep the edits?) waits for an answer: not asked again meanwhile."""
        self._scanning = threading.Lock()

    def scan(self) -> DiskChanges | None:
        """What changed on disk (reads files: call it off the UI thread); ``None`` while another scan is under way
        (a slow disk never piles scans up)."""
        if not self._scanning.acquire(blocking=False):
            return None
        try:
            return self.session.scan_disk()
        finally:
            self._scanning.release()

    def take_in_written(self, paths: Collection[Path]) -> Reconciled:
        """Take in files the app wrote itself at ``paths`` (an import, an Intercom pull), as :meth:`take_in` takes
        in files changed by others (reads those files: a few small ones)."""
        return self.take_in(self.session.scan_disk(set(paths)))

    def take_in(self, changes: DiskChanges) -> Reconciled:
        """Take in what :meth:`EditSession.scan_disk` found (scanned off the UI thread, taken in on it)."""
        done = Reconciled()
        session = self.session
        for entry in changes.changed:
            if entry in self.asking or signature(entry.path) == entry.disk:
                continue  # asked already, or saved or reloaded since the scan
            if entry.dirty:
                self.asking.add(entry)
                done.ask.append(entry)
            else:
                done.reloaded.append(self._reload(entry))
        for entry in changes.removed:
            if entry.dirty:
                entry.disk = None  # (gone is what the session knows now: not reported again)
                done.kept.append(entry)
            else:
                entry.disk = None  # told once (the settings, which the session cannot forget, included)
                session.remove(entry)
                done.deleted.append(entry)
        for path in [*changes.added, *changes.broken]:
            if session.by_path(path) is not None:
                continue  # loaded since the scan (a file the app wrote, taken in at once)
            loaded = session.load_new(path)
            if isinstance(loaded, Entry):
                done.loaded.append(loaded)
            else:
                done.failed.append(loaded)
        return done

    def answer(self, entry: Entry, reload: bool) -> Reload | None:
        """The user's answer about ``entry``, changed on disk while edited: reload it (dropping the edits), or keep
        the edits (the file as it is now counts as seen: saving overwrites it; a later change asks again)."""
        self.asking.discard(entry)
        if reload:
            return self._reload(entry)
        entry.disk = signature(entry.path)
        return None

    def reload(self, entry: Entry) -> Reload | None:
        """Reload ``entry`` from its file, dropping its unsaved edits (``None``: it has no file yet)."""
        return self._reload(entry) if entry.document.raw is not None else None

    def _reload(self, entry: Entry) -> Reload:
        return Reload(entry, self.session.reload(entry))
