"""Files changed on disk, in the app (:class:`DiskWatch`, owned by the app): scans the workspace off the UI loop,
asks before dropping unsaved edits, and shows what was reloaded, deleted or added; files the app's controls wrote
(an import, an Intercom pull) are taken in the same way (:meth:`DiskWatch.take_in`). What changed and what to do
about it is :mod:`workbench.editing.disk_sync`'s; this module draws and dispatches."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app imports this module before the models have loaded
    from workbench.editing.disk_sync import DiskSync, Reconciled, Reload
    from workbench.editing.edit_session import DiskChanges, EditSession, Entry
    from workbench.tui.ports import Host


class DiskWatch:
    """Keeps the host's session in step with its files (once :meth:`start`-ed) and reloads on request."""

    def __init__(self, host: Host, interval: float) -> None:
        self._host = host
        self._interval = interval
        self.sync: DiskSync | None = None
        """Keeps the session in step with files changed on disk (:mod:`workbench.editing.disk_sync`), once loaded."""

    def start(self, session: EditSession) -> None:
        """Look for changes of ``session``'s files every interval."""
        from workbench.editing.disk_sync import DiskSync

        self.sync = sync = DiskSync(session)
        app = self._host.app
        app.set_interval(
            self._interval,
            lambda: app.run_worker(
                lambda: self._scan(sync), name="_scan", group="watch", thread=True, exit_on_error=False
            ),
            name="watch",
        )

    def _scan(self, sync: DiskSync) -> None:
        changes = sync.scan()
        if changes:
            self._host.app.call_from_thread(self._disk_changed, sync, changes)  # type: ignore[arg-type]  # Textual's typing

    async def _disk_changed(self, sync: DiskSync, changes: DiskChanges) -> None:
        if sync is self.sync:
            await self._show(sync, sync.take_in(changes), quiet=False)

    async def take_in(self, paths: Collection[Path]) -> None:
        """Take in files the app wrote itself (an import, an Intercom pull) as files changed on disk are: reloaded
        when not edited here, asked about when edited. The caller says what it did; this says what went wrong."""
        sync = self.sync
        if sync is not None:
            await self._show(sync, sync.take_in_written(paths), quiet=True)

    async def _show(self, sync: DiskSync, done: Reconciled, quiet: bool) -> None:
        """Show what taking files in did (``quiet``: not the items reloaded or loaded as they should be)."""
        host = self._host
        relative = sync.session.relative
        for entry in done.ask:
            self._ask_reload(sync, entry)
        for reload in done.reloaded:
            await self._reloaded(reload, quiet)
        for entry in done.kept:
            host.notify(
                f"{relative(entry.path)} was deleted on disk; saving recreates it.", severity="warning", timeout=8
            )
        for entry in done.deleted:
            await host.editors.close(entry)
            host.notify(f"{relative(entry.path)} was deleted on disk.", timeout=5)
        for entry in [] if quiet else done.loaded:
            host.notify(f"Loaded {relative(entry.path)} (new on disk).", timeout=4)
        for problem in done.failed:
            host.notify(str(problem), title="A file did not load", severity="error", timeout=8)
        host.tree.rebuild(sync.session)
        host.schedule_lint()

    async def _reloaded(self, reload: Reload, quiet: bool = False) -> None:
        """Show an item reloaded from disk (or say why its file no longer loads; ``quiet``: nothing when it did)."""
        host = self._host
        if reload.problem is not None:
            host.notify(
                f"{reload.problem}\nKeeping the version in the app.",
                title="Changed on disk, but does not load",
                severity="error",
                timeout=10,
            )
            return
        assert host.session is not None
        await host.editors.reopen(reload.entry)
        if not quiet:
            host.notify(f"Reloaded {host.session.relative(reload.entry.path)} (changed on disk).", timeout=4)
        host.tree.rebuild(host.session)
        host.schedule_lint()

    def _ask_reload(self, sync: DiskSync, entry: Entry) -> None:
        from workbench.tui.screens.pickers import ChoiceScreen

        async def answered(choice: str | None) -> None:
            reload = sync.answer(entry, reload=choice == "reload")
            if reload is not None:
                await self._reloaded(reload)

        self._host.app.push_screen(
            ChoiceScreen(
                "Changed on disk",
                f"{sync.session.relative(entry.path)} changed on disk, and you have unsaved "
                "edits of it. Reload it (losing your edits), or keep yours (saving overwrites the file)?",
                [("keep", "Keep my edits"), ("reload", "Reload from disk")],
            ),
            answered,
        )

    async def action_reload(self) -> None:
        """Reload the item in front from disk (dropping its unsaved edits)."""
        entry = self._host.editors.current_entry
        reload = self.sync.reload(entry) if self.sync is not None and entry is not None else None
        if reload is not None:
            await self._reloaded(reload)
