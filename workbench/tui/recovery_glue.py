"""Crash recovery in the app (:class:`Recovery`, owned by the app): journals the session's unsaved edits, offers
back what a crashed session left, keeps the edits and the traceback when the app itself crashes, and reports a
stall of the event loop (:class:`~workbench.watchdog.StallWatchdog`). The journal is :mod:`workbench.editing.recovery`'s; this module draws and dispatches.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import traceback
from typing import TYPE_CHECKING

from workbench.state_files import append_log
from workbench.tui.keys import key_for
from workbench.watchdog import Stall, StallWatchdog

if TYPE_CHECKING:  # the app imports this module before the models have loaded
    from textual.timer import Timer

    from workbench.editing.edit_session import EditSession
    from workbench.editing.recovery import Journal, LeftBehind
    from workbench.tui.ports import RecoveryHost

JOURNAL_DELAY_S = 1.0
"""Unsaved edits reach the journal at most this long after they are made (and at most once in this time)."""


class Recovery:
    """The app's side of crash recovery; the app calls it once loaded, after every change of what is unsaved
    (:meth:`changed`), on a crash (:meth:`crashed`) and when it ends (:meth:`close`)."""

    def __init__(self, host: RecoveryHost, delay: float = JOURNAL_DELAY_S) -> None:
        self._host = host
        self._delay = delay
        self.journal: Journal | None = None
        self._timer: Timer | None = None
        self._writing = False
        self._again = False
        self._restored: list[LeftBehind] = []
        """Journals restored from: deleted once this session's journal holds their edits."""
        self.crash_report: str | None = None
        """What to tell the user after the app closed on a crash: where the traceback and the edits are."""
        self._watchdog = StallWatchdog(self._stalled)
        self._loop: asyncio.AbstractEventLoop | None = None

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch the UI event loop for stalls (until :meth:`close`)."""
        self._loop = loop
        self._watchdog.start(loop)

    def _stalled(self, stall: Stall) -> None:
        """The watchdog's report (from its thread): the stacks go to the log; the user hears of it once it passes."""
        try:
            log = str(append_log(f"the event loop stalled in {self._host.root}", stall.evidence()))
        except OSError as error:
            log = f"nowhere ({error})"
        told = f"The app did not answer for {stall.waited:.0f} s; what it was doing is logged in {log}."
        host, loop = self._host, self._loop
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            if loop is not None:
                loop.call_soon_threadsafe(
                    lambda: host.notify(told, title="The app stalled", severity="warning", timeout=8)
                )

    # -- journaling ------------------------------------------------------------------------------------

    def loaded(self, session: EditSession) -> None:
        """Open this session's journal and look for what a crashed session left (off the UI loop)."""
        self._host.app.run_worker(
            lambda: self._open(session), name="recovery", group="recovery", thread=True, exit_on_error=False
        )

    def _open(self, session: EditSession) -> None:
        from workbench.editing.recovery import Journal

        journal = Journal(session.root)
        try:
            journal.open()
            lefts = journal.left_behind()
        except OSError as error:
            self._host.app.call_from_thread(
                self._host.notify,
                f"Unsaved edits cannot be kept for recovery after a crash: {error}",
                title="No crash recovery",
                severity="warning",
                timeout=10,
            )
            return
        self._host.app.call_from_thread(self._opened, session, journal, lefts)

    def _opened(self, session: EditSession, journal: Journal, lefts: list[LeftBehind]) -> None:
        self.journal = journal
        self.changed()
        for left in lefts:
            if left.problem is not None:
                self._host.notify(
                    f"{left.problem}\nIt is left where it is.",
                    title="A recovery journal cannot be read",
                    severity="error",
                    timeout=15,
                )
        offered = [left for left in lefts if left.items]
        if offered and session is self._host.session:
            self._offer(session, offered)

    def changed(self) -> None:
        """Something may have changed what is unsaved: journal it soon (debounced, written off the UI loop)."""
        if self.journal is None or self._host.session is None:
            return
        if self._writing:
            self._again = True
        elif self._timer is None:
            self._timer = self._host.app.set_timer(self._delay, self._write)

    def _write(self) -> None:
        self._timer = None
        session, journal = self._host.session, self.journal
        if session is None or journal is None:
            return
        self._writing = True
        self._host.app.run_worker(
            lambda: self._journal(session, journal), name="journal", group="journal", thread=True, exit_on_error=False
        )

    def _journal(self, session: EditSession, journal: Journal) -> None:
        from workbench.editing.recovery import unsaved_items

        written = False
        try:
            journal.write(unsaved_items(session))
            written = True
        except OSError as error:
            self._host.app.call_from_thread(
                self._host.notify, str(error), title="Unsaved edits not journaled", severity="warning", timeout=10
            )
        finally:
            self._host.app.call_from_thread(self._written, written)

    def _written(self, written: bool) -> None:
        self._writing = False
        if written and self._restored:
            self._forget(self._restored)
            self._restored = []
        if self._again:
            self._again = False
            self.changed()

    def close(self) -> None:
        """The app ends: a clean end removes the journal (the user saved, or chose not to); a crash keeps it."""
        self._watchdog.stop()
        if self._timer is not None:
            self._timer.stop()
        if self.journal is not None:
            if self.crash_report is None:
                self.journal.close()
            else:
                self.journal.abandon()

    # -- offering a crashed session's edits back -------------------------------------------------------

    def _offer(self, session: EditSession, lefts: list[LeftBehind]) -> None:
        from workbench.editing.recovery import changed_since
        from workbench.tui.screens.pickers import ChoiceScreen

        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(lefts[-1].written))
        items = {item.path: item for left in lefts for item in left.items}.values()
        lines = [
            f"  • {item.label()}" + (" — changed on disk since" if changed_since(session, item) else "")
            for item in items
        ]
        message = (
            f"workbench ended without saving these edits (last kept {when}):\n"
            + "\n".join(lines)
            + "\n\nRestored items open unsaved; a file that changed since is not overwritten: your edits come back "
            "on top of it, for you to save or not."
        )

        async def answered(choice: str | None) -> None:
            if choice == "restore":
                await self._restore(session, lefts)
            elif choice == "discard":
                self._forget(lefts)
                self._host.notify("The unsaved edits of the last session were discarded.", timeout=5)

        self._host.app.push_screen(
            ChoiceScreen(
                "Recover unsaved edits?",
                message,
                [("restore", "Restore them"), ("discard", "Discard them"), ("later", "Decide later")],
            ),
            answered,
        )

    async def _restore(self, session: EditSession, lefts: list[LeftBehind]) -> None:
        from workbench.editing.recovery import restore

        host = self._host
        if session is not host.session:
            return
        restored, problems = restore(session, lefts)
        if problems:
            kept = ", ".join(str(left.path) for left in lefts)
            host.notify(
                "\n".join(problems) + f"\nThe journal is kept: {kept}",
                title="Some edits could not be restored",
                severity="error",
                timeout=20,
            )
        else:
            self._restored.extend(lefts)  # until this session's journal holds the edits, a kill -9 loses nothing
        for item in restored:
            if host.editors.editor_for(item.entry) is not None:
                await host.editors.reopen(item.entry)
        host.tree.rebuild(session)
        host.schedule_lint()
        if restored:
            save = key_for(host.app, "app.save")
            host.notify(f"Restored {len(restored)} unsaved item(s); {save} saves them.", timeout=6)
        moved = [item.entry.name or item.item.path for item in restored if item.changed_on_disk]
        if moved:
            host.notify(
                "Changed on disk since your edits: " + ", ".join(moved) + ". Your version is open unsaved on top "
                "of the file as it is now; saving overwrites it, reloading drops your edits.",
                title="Files changed since",
                severity="warning",
                timeout=20,
            )

    def _forget(self, lefts: list[LeftBehind]) -> None:
        if self.journal is not None:
            self.journal.forget(lefts)

    # -- crashing --------------------------------------------------------------------------------------

    def crashed(self, error: BaseException) -> None:
        """An unhandled exception ends the app: keep the unsaved edits and the traceback, and say where.

        Runs on the UI loop as the app dies; never raises."""
        told: list[str] = []
        try:
            log = append_log(f"crash in {self._host.root}", self._masked("".join(traceback.format_exception(error))))
            told.append(f"The traceback is in {log}.")
        except Exception as failure:
            told.append(f"The traceback could not be written to the log: {failure}")
        told.append(self._keep_edits())
        self.crash_report = "workbench crashed. " + " ".join(told)

    def _keep_edits(self) -> str:
        from workbench.editing.recovery import Journal, unsaved_items

        session = self._host.session
        if session is None:
            return "Nothing was loaded yet: no edits were lost."
        try:
            items = unsaved_items(session)
            if not items:
                return "Nothing was unsaved."
            journal = self.journal
            if journal is None:
                journal = self.journal = Journal(session.root)
                journal.open()
            journal.write(items)
        except Exception as failure:
            return f"The unsaved edits could not be kept: {failure}"
        return (
            f"Your unsaved edits ({len(items)} item(s)) are kept in {journal.path}; "
            f"reopen {self._host.root} to restore them."
        )

    def _masked(self, text: str) -> str:
        """``text`` with the values of the workspace's secrets masked (a traceback may quote a URL or a header)."""
        session = self._host.session
        if session is None:
            return text
        try:
            from workbench.scenarios.recording import workspace_masker

            return workspace_masker(session.workspace()).text(text)
        except Exception as failure:  # no secret may reach the log: say so rather than write it unmasked
            return f"(the traceback is not logged: its secrets could not be masked: {type(failure).__name__})"
