"""The workbench app: it owns the workspace (the edit session, its findings, the breakpoints), saves, lints and
reloads it; its main screen (:class:`~workbench.tui.main_screen.MainScreen`) draws the panes and holds the controls
that work on them (the debugger, the mock server, import, coverage, Intercom).

``session`` is the :class:`~workbench.editing.edit_session.EditSession` (the documents as edited, their payloads
and breakpoints). Linting, files changed on disk, saving and quitting are decided headless
(:mod:`workbench.editing.lint_cycle`, :mod:`~workbench.editing.disk_sync`, :mod:`~workbench.editing.save_all`):
the app's controls (:class:`~workbench.tui.lint_glue.LintRunner`, :class:`~workbench.tui.disk_glue.DiskWatch`) run
them off the UI loop where they are slow and draw what they return. A debug run
(:class:`~workbench.tui.debug.debug_run.DebugRun`, in the screen's debugger) drives one engine ``Run``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from workbench.quick_index import QuickItem
from workbench.settings.config_file import (
    LINT_DELAY_S,
    TRANSFORM_DELAY_S,
    ConfigProblem,
    config_path,
)
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.disk_glue import DiskWatch
from workbench.tui.focus import FocusGuard
from workbench.tui.handled import HandledBy
from workbench.tui.keys import KeyHints, active_keys, keymap_in_effect
from workbench.tui.lint_glue import LintRunner
from workbench.tui.main_screen import MainScreen
from workbench.tui.messages import DocumentEdited, OpenEntry, WorkspaceLoaded
from workbench.tui.preferences import Preferences
from workbench.tui.recovery_glue import Recovery
from workbench.tui.widgets.workspace_tree import WorkspaceTree
from workbench.visible import visible

if TYPE_CHECKING:  # the models, the linter and the editors load after the first frame (quick start)
    from workbench.editing.edit_session import EditSession, Entry
    from workbench.lint import Finding
    from workbench.settings.user_config import UserConfig
    from workbench.store import Kind
    from workbench.tui.widgets.editor_stack import EditorStack
    from workbench.tui.widgets.entry_editor import EntryEditor
    from workbench.tui.widgets.problems import ProblemsPanel

WATCH_INTERVAL_S = 2.0


class WorkbenchApp(App[None]):
    """Author connectors, procedures and scenarios of one workspace folder (its panes: :class:`MainScreen`)."""

    TITLE = "workbench"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere find it too
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    HELP = KeyHints("{app.save} saves every unsaved item; {app.quit} quits (asking first when something is unsaved).")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="app.save"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("ctrl+a", "select_all_text", "Select all", show=False, priority=True, id="app.select_all"),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="Open the command palette",
            id="app.command_palette",
        ),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+n", "new_item", "New item", id="app.new_item"),
        Binding("f2", "screen.focus_pane('tree')", "Tree", id="app.focus_tree"),  # the main screen's other keys
    ]

    def __init__(
        self,
        root: Path | str,
        *,
        lint_delay: float | None = None,
        watch_interval: float = WATCH_INTERVAL_S,
        transform_delay: float | None = None,
    ) -> None:
        """The user's settings (:mod:`workbench.settings.user_config`) apply once read, off the UI thread, with the
        workspace; the delays given here win over theirs (tests)."""
        super().__init__()
        self.root = Path(root)
        self.config: UserConfig | None = None
        """The user's settings, once read."""
        self.config_problems: list[ConfigProblem] = []
        """What in the settings file did not apply (its default did)."""
        self._given_delays = (lint_delay, transform_delay)
        self.transform_delay = TRANSFORM_DELAY_S if transform_delay is None else transform_delay
        """Pause in editing a transform before its attributes are recomputed."""
        self.session: EditSession | None = None
        self.findings: list[Finding] = []
        """The findings shown (the last lint's)."""
        self._pending_open: QuickItem | None = None
        self._key: str | None = None
        self.main = MainScreen(self)
        """The panes and the controls that work on them (the debugger, the mock server, import, …)."""
        self.debug_control = self.main.debug_control
        self.importer = self.main.importer
        self.focus_guard = FocusGuard(self, self.main.focus_fallback)
        """Repairs a focus left on a dead end (a widget a recompose removed) before the next key is lost."""
        screen_ids = {binding.id for binding in MainScreen.BINDINGS if isinstance(binding, Binding) and binding.id}
        self.preferences = Preferences(self, self.BINDINGS, screen_ids)
        """The theme (restored, saved as chosen) and the keymap."""
        self.recovery = Recovery(self)
        """Crash recovery: the journal of unsaved edits, the offer to restore a crashed session's, the crash log."""
        self.linter = LintRunner(self, self.main, self.recovery, LINT_DELAY_S if lint_delay is None else lint_delay)
        """Lints once typing pauses and draws the findings."""
        self.disk_watch = DiskWatch(self, watch_interval)
        """Reloads what changed on disk (asking first when it has unsaved edits)."""

    # the controls' keys and the lint every change of the models asks for, handled where they live
    schedule_lint = HandledBy("linter")
    action_lint = HandledBy("linter")
    action_reload = HandledBy("disk_watch")
    take_in = HandledBy("disk_watch")

    @property
    def COMMAND_PALETTE_BINDING(self) -> str:  # type: ignore[override]  # the footer shows the key bound now
        """The key that opens the command palette (as the keymap says)."""
        return active_keys(self).keys("app.command_palette")[0]

    async def on_event(self, event: events.Event) -> None:
        """Every key first makes sure the focus is on a live widget (see :class:`FocusGuard`)."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self.focus_guard.check(event):
            return
        self._key = event.key  # the app's own keys are tried now (check_action)
        try:
            await super().on_event(event)
        finally:
            self._key = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key the keymap gave to one of the main screen's bindings no longer runs the app's binding that had
        it (Textual takes a key from a binding only for another binding of the same node)."""
        return self._key not in self.preferences.taken.get(action, ())

    def get_default_screen(self) -> MainScreen:
        """The main screen: the panes."""
        return self.main

    @property
    def tree(self) -> WorkspaceTree:  # type: ignore[override]  # the workspace tree, not Rich's tree of the DOM
        """The workspace tree (the main screen's)."""
        return self.main.tree

    @property
    def editors(self) -> EditorStack:
        """The editors (the main screen's)."""
        return self.main.editors

    @property
    def problems(self) -> ProblemsPanel:
        """The problems list (the main screen's)."""
        return self.main.problems

    @property
    def current_editor(self) -> EntryEditor | None:
        """The editor in front."""
        return self.main.current_editor

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification of the app (widgets' too) is plain text with control characters shown: messages
        name items, files and servers' answers, never markup (``markup`` is ignored)."""
        super().notify(
            visible(message), title=visible(title, keep=""), severity=severity, timeout=timeout, markup=False
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title, shown as plain text on one line (the sub-title names the open item)."""
        return super().format_title(visible(title, keep=""), visible(sub_title, keep=""))

    def on_mount(self) -> None:
        self.recovery.watch(asyncio.get_running_loop())
        self.preferences.restore_theme()  # before the first frame; the rest of the settings is read with the models
        self.sub_title = self.root.resolve().name
        self.main.call_after_refresh(self._load)  # the tree of names shows first; the models load meanwhile

    def _configured(self, config: UserConfig, problems: list[ConfigProblem]) -> None:
        """Apply the user's settings (read in the background): keymap, delays, pane sizes; say what is wrong."""
        applied = keymap_in_effect(self)
        self.config, self.config_problems = config, problems
        lint_delay, transform_delay = self._given_delays
        self.linter.delay = config.lint_delay if lint_delay is None else lint_delay
        self.transform_delay = config.transform_delay if transform_delay is None else transform_delay
        self.main.use_sizes(config.panes)
        keymap = config.keymap.resolved()
        if keymap != applied:
            self.preferences.apply_keymap(keymap)
        told = [str(problem) for problem in problems]
        if config.theme is not None and config.theme not in self.available_themes:
            themes = ", ".join(self.available_themes)
            told.append(f"{config_path()}: theme: no theme {config.theme!r} (themes: {themes})")
        if told:
            self.notify(
                "\n".join(told) + "\nThose parts keep their defaults; the rest applies. Fix the file and restart.",
                title="Your settings have problems",
                severity="error",
                timeout=20,
            )

    def action_select_all_text(self) -> None:
        """Ctrl+A: select all the text of the focused field (Home goes to the start of the line)."""
        if isinstance(self.focused, Input | TextArea):
            self.focused.select_all()

    # -- loading ---------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        from workbench.editing import disk_sync, lint_cycle  # noqa: F401  # loaded here, off the UI thread
        from workbench.editing.edit_session import EditSession
        from workbench.settings.user_config import load_config
        from workbench.store import WorkspaceNotFound

        self.call_from_thread(self._configured, *load_config())

        try:
            session = EditSession.load(self.root)
        except (WorkspaceNotFound, OSError) as error:
            self.call_from_thread(self.notify, f"Cannot load {self.root}: {error}", severity="error", timeout=15)
            return
        self.call_from_thread(self._loaded, session)

    def _loaded(self, session: EditSession) -> None:
        self.session = session
        self.editors.session = session
        self.entry_shown(None)
        self.tree.rebuild(session)
        self.post_message(WorkspaceLoaded(session))
        self.linter.start(session)
        for message in session.recovered:
            self.notify(message, title="Finished an interrupted save", severity="warning", timeout=15, markup=False)
        pending, self._pending_open = self._pending_open, None
        entry = session.by_path(pending.path) if pending is not None else None
        if entry is not None:
            self.post_message(OpenEntry(entry))
        self.disk_watch.start(session)
        self.recovery.loaded(session)
        self.debug_control.workspace_loaded()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background job that failed is reported, never fatal (its pane keeps what it showed)."""
        if event.state == WorkerState.ERROR:
            self.notify(
                f"{event.worker.name}: {event.worker.error}",
                title="A background job failed",
                severity="error",
                timeout=10,
            )

    # -- opening, editing ------------------------------------------------------------------------------

    async def on_open_entry(self, message: OpenEntry) -> None:
        await self.main.open_entry(message.entry, focus=message.focus)

    def entry_shown(self, entry: Entry | None) -> None:
        """The main screen brought ``entry`` to the front (``None``: nothing): the title bar names the workspace
        and it."""
        base = (self.session.workspace_settings.name if self.session else "") or self.root.resolve().name
        self.sub_title = f"{base} · {entry.name}" if entry is not None else base

    def on_workspace_tree_open_when_loaded(self, message: WorkspaceTree.OpenWhenLoaded) -> None:
        self._pending_open = message.item

    async def on_document_edited(self, message: DocumentEdited) -> None:
        if self.session is None:
            return
        shown = self.editors.editor_for(message.entry)
        origin = message.origin
        if shown is not None and origin is not None and shown is not origin and origin.is_attached:
            await self.editors.reopen(message.entry)  # edited from elsewhere (e.g. environment values)
        # (an editor closed since, e.g. by a reload, may still report its last edit: that is no reason to reopen)
        self.session.changed()
        self.linter.edited()
        if message.renamed:
            self.tree.rebuild(self.session, message.entry)
            if message.entry is self.editors.current_entry:  # the title bar and the run panel name it anew
                self.entry_shown(message.entry)
                if message.entry.kind == "procedure":
                    self.debug_control.procedure_selected(message.entry.name)
        else:
            self.tree.refresh_label(message.entry)
        editor = self.editors.editor_for(message.entry)
        if editor is not None:
            editor.refresh_title()
        self.schedule_lint()
        self.debug_control.scenarios_after_edit(message.entry)

    # -- saving, quitting ------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save every unsaved item, atomically (items with invalid pending edits are left unsaved)."""
        from workbench.editing.save_all import save_all

        if self.session is None:
            return
        session, editors = self.session, self.editors

        def unsettled(entry: Entry) -> list[str]:
            editor = editors.editor_for(entry)
            return editor.pending_problems() if editor is not None else []

        report = save_all(session, unsettled)
        if report.nothing_to_save:
            self.notify("Nothing to save.", timeout=2)
            return
        for refusal in report.refused:
            name = refusal.entry.name
            if refusal.unsettled:
                self.notify(f"{name}: fix first, {refusal.reasons[0]}", title="Not saved", severity="error", timeout=8)
            else:
                self.notify("; ".join(refusal.reasons), title=f"Could not save {name}", severity="error", timeout=10)
        if report.saved:
            self.notify("Saved " + ", ".join(session.relative(entry.path) for entry in report.saved), timeout=3)
        self.tree.rebuild(session)
        for editor in editors.editors():
            editor.refresh_title()
        self.schedule_lint()
        self.debug_control.scenarios_after_save(report.saved)

    async def action_quit(self) -> None:
        """Quit; asks first when something is unsaved."""
        from workbench.editing.save_all import quit_check
        from workbench.tui.screens.pickers import ChoiceScreen

        session = self.session
        if session is None or not (check := quit_check(session)).ask:
            self.exit()
            return
        names = ", ".join(entry.name or session.relative(entry.path) for entry in check.unsaved)

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
                if not self.session or not self.session.dirty_entries():
                    self.exit()
            elif choice == "discard":
                self.exit()

        self.push_screen(
            ChoiceScreen(
                "Unsaved changes",
                f"Not saved yet: {names}.",
                [("save", "Save and quit"), ("discard", "Quit without saving"), ("cancel", "Cancel")],
            ),
            answered,
        )

    # -- new items -------------------------------------------------------------------------------------

    def action_new_item(self, kind: Kind = "procedure") -> None:
        """Create a connector, procedure or scenario (unsaved until Ctrl+S)."""
        from workbench.tui.screens.pickers import IMPORT, NewItemScreen

        if self.session is None:
            return
        session = self.session

        async def create(answer: tuple[Kind, str] | str | None) -> None:
            if answer == IMPORT:
                self.importer.open_dialog()
            elif isinstance(answer, tuple):
                entry = session.create_starter(*answer)
                self.tree.rebuild(session, entry)
                await self.on_open_entry(OpenEntry(entry))
                self.schedule_lint()

        self.push_screen(NewItemScreen(kind, session.taken_names()), create)

    # -- help, palette ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show what the focused pane is for and its keys."""
        from workbench.tui.screens.help import HelpScreen, help_sections

        self.push_screen(HelpScreen(help_sections(self, self.focused)))

    def on_unmount(self) -> None:
        self.main.mock_server.close()
        self.recovery.close()

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled exception ends the app (Textual's way): the unsaved edits and the traceback are kept first."""
        if self.recovery.crash_report is None:
            self.recovery.crashed(error)
        super()._handle_exception(error)
