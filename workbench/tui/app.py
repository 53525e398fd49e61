"""The workbench app: workspace tree | editor over problems | run panel, with saving, linting and reloading.

Regions (ids): ``#tree`` (:class:`WorkspaceTree`), ``#editors`` (:class:`EditorStack`), ``#problems``
(:class:`ProblemsPanel`), ``#debug`` (:class:`DebugPanel`, reserved for the debugger's run log, context and
conversation). Panes report to the app with the messages of :mod:`workbench.tui.messages`. The app owns the
debugger's side (:class:`~workbench.tui.debug.app_glue.DebugControl`), the mock server
(:class:`~workbench.tui.debug.mock_server.MockServerControl`) and import
(:class:`~workbench.tui.import_glue.Importer`); its actions and message handlers call them explicitly.

``session`` is the :class:`~workbench.editing.edit_session.EditSession` (the documents as edited, their payloads
and breakpoints). Linting, files changed on disk, saving and quitting are decided headless
(:mod:`workbench.editing.lint_cycle`, :mod:`~workbench.editing.disk_sync`, :mod:`~workbench.editing.save_all`):
the app runs them off the UI loop where they are slow and draws what they return. A debug run
(:class:`~workbench.tui.debug.debug_run.DebugRun`, in :attr:`WorkbenchApp.debugger`) drives one engine ``Run``.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, TextArea
from textual.worker import Worker, WorkerState

from workbench.jsonfile import JsonFileError
from workbench.quick_index import QuickItem, quick_index
from workbench.settings.config_file import (
    LINT_DELAY_S,
    TRANSFORM_DELAY_S,
    ConfigProblem,
    config_path,
    read_theme,
    save_theme,
)
from workbench.tui.commands import Command, WorkbenchCommands, binding_commands
from workbench.tui.coverage_glue import CoverageGlue
from workbench.tui.debug.app_glue import DEBUG_BINDINGS, DebugControl
from workbench.tui.debug.messages import BreakpointsChanged, PathTaken, StepReached
from workbench.tui.debug.mock_server import MockServerControl, MockServerLogged
from workbench.tui.focus import FocusGuard, give_focus
from workbench.tui.import_glue import Importer
from workbench.tui.intercom_glue import IntercomSync
from workbench.tui.keys import KeyHints, KeyText, clashes, default_keys, key_for
from workbench.tui.layout import fit
from workbench.tui.messages import (
    CurlPasted,
    DocumentEdited,
    EntryShown,
    FixFinding,
    JumpToFinding,
    OpenEntry,
    ProcedureSelected,
    WorkspaceLoaded,
)
from workbench.tui.recovery_glue import Recovery
from workbench.tui.widgets.debug_panel import DebugPanel
from workbench.tui.widgets.editor_stack import EditorStack
from workbench.tui.widgets.problems import ProblemsPanel
from workbench.tui.widgets.splitter import Splitter
from workbench.tui.widgets.workspace_tree import WorkspaceTree
from workbench.visible import visible
from workbench.watchdog import Stall, StallWatchdog

if TYPE_CHECKING:  # the models, the linter and the editors load after the first frame (quick start)
    from workbench.editing.disk_sync import DiskSync, Reload
    from workbench.editing.edit_session import DiskChanges, EditSession, Entry
    from workbench.editing.lint_cycle import LintCycle, LintJob, LintResult
    from workbench.lint import Finding
    from workbench.settings.user_config import UserConfig
    from workbench.store import Kind
    from workbench.tui.debug.scenarios_pane import ScenariosPane
    from workbench.tui.debug.view import DebugView
    from workbench.tui.widgets.completing_area import CompletingTextArea
    from workbench.tui.widgets.entry_editor import EntryEditor

WATCH_INTERVAL_S = 2.0
WIDE = 140
"""From this terminal width on, the run panel shows unless hidden."""


class WorkbenchApp(App[None]):
    """Author connectors, procedures and scenarios of one workspace folder."""

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
        Binding("f2", "focus_pane('tree')", "Tree", id="app.focus_tree"),
        Binding("f3", "focus_pane('editors')", "Editor", show=False, id="app.focus_editor"),
        Binding("f4", "focus_pane('problems')", "Problems", show=False, id="app.focus_problems"),
        Binding("ctrl+b", "toggle('tree')", "Toggle tree", show=False, id="app.toggle_tree"),
        Binding("ctrl+o", "toggle('debug')", "Toggle run panel", show=False, id="app.toggle_run_panel"),
        Binding("ctrl+g", "toggle('problems')", "Toggle problems", show=False, id="app.toggle_problems"),
        Binding("f8", "next_problem(1)", "Next problem", show=False, id="app.next_problem"),
        Binding("shift+f8", "next_problem(-1)", "Previous problem", show=False, id="app.previous_problem"),
        Binding("alt+left", "resize('tree', -4)", "Narrow the tree", show=False, id="app.narrow_tree"),
        Binding("alt+right", "resize('tree', 4)", "Widen the tree", show=False, id="app.widen_tree"),
        Binding("alt+up", "resize('problems', 2)", "Taller problems", show=False, id="app.taller_problems"),
        Binding("alt+down", "resize('problems', -2)", "Shorter problems", show=False, id="app.shorter_problems"),
        Binding("alt+shift+left", "resize('debug', 4)", "Widen the run panel", show=False, id="app.widen_run_panel"),
        Binding(
            "alt+shift+right", "resize('debug', -4)", "Narrow the run panel", show=False, id="app.narrow_run_panel"
        ),
        *DEBUG_BINDINGS,
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
        self.lint_cycle: LintCycle | None = None
        """The session's lint cycle (:mod:`workbench.editing.lint_cycle`), once loaded."""
        self.disk_sync: DiskSync | None = None
        """Keeps the session in step with files changed on disk (:mod:`workbench.editing.disk_sync`), once loaded."""
        self.findings: list[Finding] = []
        """The findings shown (the last lint's)."""
        self._lint_delay = LINT_DELAY_S if lint_delay is None else lint_delay
        self._watch_interval = watch_interval
        self._lint_timer: Timer | None = None
        self._pending_open: QuickItem | None = None
        self._sizes: dict[str, int] = {}
        self._saved_theme: str | None = None
        self._shown: dict[str, bool | None] = {"tree": True, "problems": True, "debug": None}
        self._prefer = "tree"  # the side pane the author last showed or resized: it keeps its room first
        self.debug_control = DebugControl(self)
        """The debugger's side of the app: its keys, the outline markers, test requests, recording."""
        self.mock_server = MockServerControl(self)
        """The workspace's mock server, started from the palette."""
        self.coverage = CoverageGlue(self)
        """The Scenarios tab's latest coverage, marked in the outlines and listed in the palette."""
        self.importer = Importer(self)
        """The Import dialog, "Import from curl" and "Copy as curl"."""
        self.intercom = IntercomSync(self)
        """The palette's Intercom status, pull and push."""
        self.focus_guard = FocusGuard(self, self._focus_fallback)
        """Repairs a focus left on a dead end (a widget a recompose removed) before the next key is lost."""
        self.recovery = Recovery(self)
        """Crash recovery: the journal of unsaved edits, the offer to restore a crashed session's, the crash log."""
        self._watchdog = StallWatchdog(self._stalled)

    @property
    def COMMAND_PALETTE_BINDING(self) -> str:  # type: ignore[override]  # the footer shows the key bound now
        """The key that opens the command palette (as the keymap says)."""
        return (self._keymap.get("app.command_palette") or default_keys("app.command_palette")).split(",")[0]

    async def on_event(self, event: events.Event) -> None:
        """Every key first makes sure the focus is on a live widget (see :class:`FocusGuard`)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self.focus_guard.check(event):
            return
        await super().on_event(event)

    def _focus_fallback(self) -> Widget | None:
        editor = self.current_editor
        control = editor.default_control() if editor is not None else None
        return control or self.tree

    # -- layout ----------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield WorkspaceTree(id="tree")
            yield Splitter("tree", +1, id="tree-splitter")
            with Vertical(id="center"):
                yield EditorStack(id="editors")
                yield ProblemsPanel(id="problems")
            yield Splitter("debug", -1, id="debug-splitter")
            yield DebugPanel(self.debug_control.workspace, self.debug_control.breakpoints, id="debug")
        yield Footer()

    @property
    def tree(self) -> WorkspaceTree:  # type: ignore[override]  # the workspace tree, not Rich's tree of the DOM
        """The workspace tree (left)."""
        return self.query_one(WorkspaceTree)

    @property
    def editors(self) -> EditorStack:
        """The editors (middle)."""
        return self.query_one(EditorStack)

    @property
    def problems(self) -> ProblemsPanel:
        """The problems list (under the editor)."""
        return self.query_one(ProblemsPanel)

    @property
    def debug_panel(self) -> DebugPanel:
        """The area reserved for the debugger (right)."""
        return self.query_one(DebugPanel)

    @property
    def debugger(self) -> DebugView:
        """The debug view in the run panel (run bar, run log, context, conversation, scenarios)."""
        return self.debug_control.view

    @property
    def current_editor(self) -> EntryEditor | None:
        """The editor in front."""
        return self.editors.current_editor

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
        self._ui_loop = asyncio.get_running_loop()
        self._watchdog.start(self._ui_loop)
        self._saved_theme = read_theme()  # before the first frame; the rest of the settings is read with the models
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        self.sub_title = self.root.resolve().name
        self._apply_layout()
        try:
            self.tree.show_index(quick_index(self.root))
        except OSError as error:
            self.notify(f"Cannot read {self.root}: {error}", severity="error")
        give_focus(self.tree)
        self.call_after_refresh(self._load)  # the tree of names shows first; the models load meanwhile

    def _configured(self, config: UserConfig, problems: list[ConfigProblem]) -> None:
        """Apply the user's settings (read in the background): keymap, delays, pane sizes; say what is wrong."""
        self.config, self.config_problems = config, problems
        lint_delay, transform_delay = self._given_delays
        self._lint_delay = config.lint_delay if lint_delay is None else lint_delay
        self.transform_delay = config.transform_delay if transform_delay is None else transform_delay
        for name, cells in config.panes:
            if cells is not None:
                self._sizes[name] = cells
        self._apply_layout()
        keymap = config.keymap.resolved()
        if keymap != self._keymap:
            self.set_keymap(keymap)
            for text in self.query(KeyText):
                text.refresh_keys()
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
        if keymap:
            self.call_after_refresh(self._tell_clashes)  # loads every pane's bindings: after this frame

    def _tell_clashes(self) -> None:
        told = clashes(self)
        if told:
            self.notify(
                "\n".join(told)
                + "\nOne key cannot run both everywhere: give one of them another key in your settings.",
                title="Your keymap gives keys that are taken",
                severity="warning",
                timeout=20,
            )

    def _theme_chosen(self, theme: Theme) -> None:
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self._save_theme(theme.name)

    @work(thread=True, group="config", exit_on_error=False)
    def _save_theme(self, theme: str) -> None:
        try:
            save_theme(theme)
        except (OSError, JsonFileError) as error:
            self.call_from_thread(self.notify, str(error), title="Theme not saved", severity="error", timeout=10)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size)  # ``self.size`` catches up only after the resize settles

    def _apply_layout(self, size: Size | None = None) -> None:
        width, height = size or self.size
        self._sizes.setdefault("tree", 24 if width < 120 else 30)
        self._sizes.setdefault("debug", 44 if width < 180 else 60)
        self._sizes.setdefault("problems", 8)
        wanted = {name: shown if shown is not None else width >= WIDE for name, shown in self._shown.items()}
        sizes = {**self._sizes, "problems": self._sizes["problems"] if self.findings else 3}
        fitted = fit(width, height, wanted, sizes, prefer=self._prefer)
        for name, cells in fitted.items():
            widget = self.query_one(f"#{name}")
            if widget.display != (cells is not None):
                widget.display = cells is not None
                if name != "problems":
                    self.query_one(f"#{name}-splitter").display = cells is not None
            rule = widget.styles.height if name == "problems" else widget.styles.width
            if cells is not None and (rule is None or rule.value != cells):  # restyling costs a layout pass
                if name == "problems":
                    widget.styles.height = cells
                else:
                    widget.styles.width = cells
        self._focus_out_of_hidden_panes()

    def _focus_out_of_hidden_panes(self) -> None:
        """Keys never go to a pane that was just hidden (a narrower terminal, a toggle): the editor takes them."""
        focused = self.focused
        if focused is None or all(node.display for node in focused.ancestors_with_self if isinstance(node, Widget)):
            return
        editor = self.current_editor
        if editor is not None:
            editor.focus_default()
        else:
            give_focus(self.tree)

    def action_select_all_text(self) -> None:
        """Ctrl+A: select all the text of the focused field (Home goes to the start of the line)."""
        if isinstance(self.focused, Input | TextArea):
            self.focused.select_all()

    def action_toggle(self, name: str) -> None:  # type: ignore[override]  # a pane, not a DOM attribute
        """Show or hide a pane (``tree``, ``problems`` or ``debug``)."""
        self._shown[name] = not self.query_one(f"#{name}").display
        self._prefer = name if name != "problems" and self._shown[name] else self._prefer
        self._apply_layout()

    def show_run_panel(self) -> None:
        """Show the run panel if it is hidden."""
        if not self.query_one("#debug").display:
            self.action_toggle("debug")

    def action_focus_pane(self, name: str) -> None:
        """Move the focus to the tree, the editor or the problems list (showing it if hidden)."""
        if name in self._shown and not self.query_one(f"#{name}").display:
            self.action_toggle(name)
        if name == "editors":
            editor = self.current_editor
            if editor is not None:
                editor.focus_default()
            return
        give_focus(self.query_one(f"#{name}"))

    def on_splitter_dragged(self, message: Splitter.Dragged) -> None:
        self.action_resize(message.pane, message.delta)

    def action_resize(self, name: str, delta: int) -> None:
        """Grow or shrink a pane by ``delta`` cells (and show it)."""
        widget = self.query_one(f"#{name}")
        rule = widget.styles.height if name == "problems" else widget.styles.width
        shown = rule.value if widget.display and rule is not None else self._sizes[name]  # from what is on screen
        low, high = (3, max(4, self.size.height - 8)) if name == "problems" else (12, max(13, self.size.width - 40))
        self._sizes[name] = max(low, min(high, int(shown) + delta))
        self._shown[name] = True
        self._prefer = name if name != "problems" else self._prefer
        self._apply_layout()

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
        from workbench.editing.disk_sync import DiskSync
        from workbench.editing.lint_cycle import LintCycle

        self.session = session
        self.lint_cycle = LintCycle(session)
        self.disk_sync = sync = DiskSync(session)
        self.editors.session = session
        self.sub_title = self._workspace_name()
        self.tree.rebuild(session)
        self.post_message(WorkspaceLoaded(session))
        self.action_lint()
        for message in session.recovered:
            self.notify(message, title="Finished an interrupted save", severity="warning", timeout=15, markup=False)
        pending, self._pending_open = self._pending_open, None
        entry = session.by_path(pending.path) if pending is not None else None
        if entry is not None:
            self.post_message(OpenEntry(entry))
        self.set_interval(self._watch_interval, lambda: self._scan(sync), name="watch")
        self.recovery.loaded(session)

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
        editor = await self.editors.show(message.entry)
        if editor is None:
            return
        self._show_findings(editor)
        if message.focus:
            editor.call_after_refresh(editor.focus_default)

    def on_entry_shown(self, message: EntryShown) -> None:
        entry = message.entry
        self._name_in_front(entry)
        self.debug_control.mark_outlines()
        self.coverage.mark_outlines()
        editor = self.editors.editor_for(entry) if entry is not None else None
        if editor is not None:  # a reopened editor (a reload, an edit from elsewhere) shows the findings too
            self._show_findings(editor)

    def _name_in_front(self, entry: Entry | None) -> None:
        """The title bar names the workspace and the item in front."""
        base = self._workspace_name()
        self.sub_title = f"{base} · {entry.name}" if entry is not None else base

    def _workspace_name(self) -> str:
        name = self.session.workspace_settings.name if self.session else ""
        return name or self.root.resolve().name

    def on_workspace_loaded(self, _message: WorkspaceLoaded) -> None:
        self.debug_control.workspace_loaded()

    def on_debug_view_ready(self, _message: DebugView.Ready) -> None:
        self.debug_control.view_ready()

    def on_workspace_tree_open_when_loaded(self, message: WorkspaceTree.OpenWhenLoaded) -> None:
        self._pending_open = message.item

    def on_workspace_tree_show_problem(self, message: WorkspaceTree.ShowProblem) -> None:
        self.notify(
            f"{message.problem}\nFix the file in a text editor; it reloads by itself.",
            title="This file did not load",
            severity="error",
            timeout=10,
        )

    async def on_document_edited(self, message: DocumentEdited) -> None:
        if self.session is None:
            return
        shown = self.editors.editor_for(message.entry)
        origin = message.origin
        if shown is not None and origin is not None and shown is not origin and origin.is_attached:
            await self.editors.reopen(message.entry)  # edited from elsewhere (e.g. environment values)
        # (an editor closed since, e.g. by a reload, may still report its last edit: that is no reason to reopen)
        self.session.changed()
        if self.lint_cycle is not None:
            self.lint_cycle.edited()
        if message.renamed:
            self.tree.rebuild(self.session, message.entry)
            if message.entry is self.editors.current_entry:  # the title bar and the run panel name it anew
                self._name_in_front(message.entry)
                if message.entry.kind == "procedure":
                    self.debug_control.procedure_selected(message.entry.name)
        else:
            self.tree.refresh_label(message.entry)
        editor = self.editors.editor_for(message.entry)
        if editor is not None:
            editor.refresh_title()
        self.schedule_lint()
        self.debug_control.scenarios_after_edit(message.entry)

    # -- linting ---------------------------------------------------------------------------------------

    def schedule_lint(self) -> None:
        """Lint once typing pauses (called after every change of the models: the recovery journal follows)."""
        self.recovery.changed()
        if self._lint_timer is not None:
            self._lint_timer.stop()
        self._lint_timer = self.set_timer(self._lint_delay, self.action_lint)

    def action_lint(self) -> None:
        """Lint the workspace now."""
        if self.lint_cycle is not None:
            self._lint(self.lint_cycle.job())

    @work(thread=True, exclusive=True, group="lint", exit_on_error=False)
    def _lint(self, job: LintJob) -> None:
        self.call_from_thread(self._linted, job.run())

    def _linted(self, result: LintResult) -> None:
        outcome = self.lint_cycle.settle(result, self.findings) if self.lint_cycle is not None else None
        if outcome is None:
            return  # edited meanwhile: another lint is on its way
        self.findings = outcome.findings
        self.problems.show(outcome.findings)
        if outcome.changed:
            self._apply_layout()
        self.tree.set_badges(outcome.badges)
        if outcome.settled:
            self.tree.refresh_labels()
        for editor in self.editors.editors():
            if outcome.changed:
                self._show_findings(editor)
            editor.refresh_title()

    def _show_findings(self, editor: EntryEditor) -> None:
        editor.show_findings([finding for finding in self.findings if finding.path == editor.entry.path])

    async def on_jump_to_finding(self, message: JumpToFinding) -> None:
        await self.jump_to(message.finding)

    async def on_fix_finding(self, message: FixFinding) -> None:
        """Declare the attribute a finding names in ``workbench.json`` (with an empty sample value)."""
        path = message.finding.declare
        if self.session is None or path is None:
            return
        settings = self.session.settings
        try:
            settings.replace_model(settings.model.with_attribute(path))
        except ValueError as error:
            self.notify(str(error), title="Not declared", severity="error")
            return
        if self.editors.editor_for(settings) is not None:
            await self.editors.reopen(settings)
        self.post_message(DocumentEdited(settings))
        save = key_for(self, "app.save")
        self.notify(f"Declared {path} in workbench.json: give it a sample value in Settings; {save} saves.")

    async def jump_to(self, finding: Finding) -> None:
        """Open the item a finding is about and show its place."""
        entry = self.session.by_path(finding.path) if self.session else None
        if entry is None:
            self.notify(f"{finding.location}: {finding.message}", title="Not loaded", severity="error")
            return
        editor = await self.editors.show(entry)
        if editor is None:
            return
        self._show_findings(editor)
        await editor.jump_to(finding)

    async def on_completing_text_area_open_transform(self, message: CompletingTextArea.OpenTransform) -> None:
        """Open a connector on its Transform tab (asked from the hint under one of its arrays in the ``@`` menu)."""
        from workbench.tui.widgets.connector_editor import ConnectorEditor

        entry = self.session.find("connector", message.connector) if self.session else None
        if entry is None:
            return
        editor = await self.editors.show(entry)
        if isinstance(editor, ConnectorEditor):
            editor.show_transform()

    async def action_next_problem(self, delta: int) -> None:
        """Go to the next (or previous) problem."""
        self._shown["problems"] = True
        self._apply_layout()
        finding = self.problems.step_to(delta)
        if finding is not None:
            await self.jump_to(finding)

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

    # -- files changed on disk -------------------------------------------------------------------------

    @work(thread=True, group="watch", exit_on_error=False)
    def _scan(self, sync: DiskSync) -> None:
        changes = sync.scan()
        if changes:
            self.call_from_thread(self._disk_changed, sync, changes)  # type: ignore[arg-type]  # Textual's typing

    async def _disk_changed(self, sync: DiskSync, changes: DiskChanges) -> None:
        if sync is not self.disk_sync:
            return
        done = sync.reconcile(changes)
        relative = sync.session.relative
        for entry in done.ask:
            self._ask_reload(sync, entry)
        for reload in done.reloaded:
            await self._reloaded(reload)
        for entry in done.kept:
            self.notify(
                f"{relative(entry.path)} was deleted on disk; saving recreates it.", severity="warning", timeout=8
            )
        for entry in done.deleted:
            await self.editors.close(entry)
            self.notify(f"{relative(entry.path)} was deleted on disk.", timeout=5)
        for entry in done.loaded:
            self.notify(f"Loaded {relative(entry.path)} (new on disk).", timeout=4)
        for problem in done.failed:
            self.notify(str(problem), title="A file did not load", severity="error", timeout=8)
        self.tree.rebuild(sync.session)
        self.schedule_lint()

    async def _reloaded(self, reload: Reload) -> None:
        """Show an item reloaded from disk (or say why its file no longer loads)."""
        if reload.problem is not None:
            self.notify(
                f"{reload.problem}\nKeeping the version in the app.",
                title="Changed on disk, but does not load",
                severity="error",
                timeout=10,
            )
            return
        assert self.session is not None
        await self.editors.reopen(reload.entry)
        self.notify(f"Reloaded {self.session.relative(reload.entry.path)} (changed on disk).", timeout=4)
        self.tree.rebuild(self.session)
        self.schedule_lint()

    def _ask_reload(self, sync: DiskSync, entry: Entry) -> None:
        from workbench.tui.screens.pickers import ChoiceScreen

        async def answered(choice: str | None) -> None:
            reload = sync.answer(entry, reload=choice == "reload")
            if reload is not None:
                await self._reloaded(reload)

        self.push_screen(
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
        entry = self.editors.current_entry
        reload = self.disk_sync.reload(entry) if self.disk_sync is not None and entry is not None else None
        if reload is not None:
            await self._reloaded(reload)

    # -- help, palette ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show what the focused pane is for and its keys."""
        from workbench.tui.screens.help import HelpScreen, help_sections

        self.push_screen(HelpScreen(help_sections(self, self.focused)))

    def _mock_server_command(self) -> tuple[str, str, Any]:
        if self.mock_server.running:
            return "Stop mock server", f"stop serving on {self.mock_server.url}", self.mock_server.stop
        return (
            "Start mock server",
            "serve the connectors' mocks over HTTP (log in the run panel)",
            self.mock_server.start,
        )

    def palette_commands(self, screen: Screen[Any]) -> list[Command]:
        """Every command for the palette: the keys active where the focus is, items to open, app actions."""
        commands = binding_commands(self, screen)
        extra = [
            ("Save all", f"{key_for(self, 'app.save')}: save every unsaved item", self.action_save),
            ("Reload from disk", "drop the unsaved edits of the item in front", self.action_reload),
            ("Lint now", "check the workspace against the best practices", self.action_lint),
            ("New connector", "create a data connector", lambda: self.action_new_item("connector")),
            ("New procedure", "create a procedure", lambda: self.action_new_item("procedure")),
            ("New scenario", "create a test scenario", lambda: self.action_new_item("scenario")),
            ("Toggle workspace tree", key_for(self, "app.toggle_tree"), lambda: self.action_toggle("tree")),
            ("Toggle problems", key_for(self, "app.toggle_problems"), lambda: self.action_toggle("problems")),
            ("Toggle run panel", key_for(self, "app.toggle_run_panel"), lambda: self.action_toggle("debug")),
            self._mock_server_command(),
        ]
        commands.extend(
            Command(title, help_text, run)
            for title, help_text, run in extra
            if title not in {command.title for command in commands}
        )
        commands.extend(self.importer.commands())
        commands.extend(self.intercom.commands())
        commands.extend(self.coverage.commands())
        if self.session is not None:
            for entry in [*self.session.entries, self.session.settings]:
                label = "settings (workbench.json)" if entry.kind == "workspace" else f"{entry.kind} {entry.name}"
                commands.append(
                    Command(
                        f"Open {label}",
                        self.session.relative(entry.path),
                        lambda entry=entry: self.post_message(OpenEntry(entry)),  # type: ignore[misc]
                    )
                )
        return commands

    # -- the debugger, the mock server, importing -------------------------------------------------------

    def action_debug_run(self) -> None:
        """F5: run the procedure in front (or the one chosen in the run bar), or continue."""
        self.debug_control.run_or_continue()

    def action_debug_step(self) -> None:
        """F10: step (a new run pauses before its first step)."""
        self.debug_control.step()

    def action_debug_stop(self) -> None:
        """Shift+F5: stop the run."""
        self.debug_control.stop()

    def action_debug_tab(self) -> None:
        """F6: into the run panel, then from tab to tab (run log, context, conversation)."""
        self.debug_control.next_tab()

    def action_debug_breakpoint(self) -> None:
        """F9: toggle a breakpoint on the step selected in the outline."""
        self.debug_control.toggle_breakpoint()

    def action_test_request(self) -> None:
        """Ctrl+T: send one live request of the connector in front; its response can become the example."""
        self.debug_control.test_request()

    def action_record_run(self) -> None:
        """Ctrl+R: save the run just made as a scenario."""
        self.debug_control.record_run()

    def on_breakpoints_changed(self, message: BreakpointsChanged) -> None:
        self.debug_control.mark_outlines()

    async def on_step_reached(self, message: StepReached) -> None:
        await self.debug_control.step_reached(message.procedure, message.step)

    def on_path_taken(self, message: PathTaken) -> None:
        self.debug_control.show_path(message.steps)

    def on_procedure_selected(self, message: ProcedureSelected) -> None:
        self.debug_control.procedure_selected(message.name)

    def on_scenarios_pane_badges(self, message: ScenariosPane.Badges) -> None:
        self.debug_control.show_test_badges(message.badges)

    def on_scenarios_pane_covered(self, message: ScenariosPane.Covered) -> None:
        self.coverage.show(message.report)

    async def on_scenarios_pane_show_step(self, message: ScenariosPane.ShowStep) -> None:
        await self.debug_control.show_step(message.procedure, message.step)

    def on_scenarios_pane_accept_run(self, message: ScenariosPane.AcceptRun) -> None:
        self.debug_control.accept_run(message.case, message.expect)

    def action_mock_server_start(self) -> None:
        """Serve the workspace's connectors (as saved on disk) on the loopback address of its environment in use."""
        self.mock_server.start()

    def action_mock_server_stop(self) -> None:
        """Stop the mock server (off the UI loop: held connections take a moment to close)."""
        self.mock_server.stop()

    def on_mock_server_logged(self, message: MockServerLogged) -> None:
        self.mock_server.show_record(message.record)

    def on_unmount(self) -> None:
        self.mock_server.close()
        self.recovery.close()
        self._watchdog.stop()

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled exception ends the app (Textual's way): the unsaved edits and the traceback are kept first."""
        if self.recovery.crash_report is None:
            self.recovery.crashed(error)
        super()._handle_exception(error)

    def _stalled(self, stall: Stall) -> None:
        """The watchdog's report (from its thread): the stacks go to the log; the user hears of it once it passes."""
        from workbench.state_files import append_log

        try:
            log = str(append_log(f"the event loop stalled in {self.root}", stall.evidence()))
        except OSError as error:
            log = f"nowhere ({error})"
        told = f"The app did not answer for {stall.waited:.0f} s; what it was doing is logged in {log}."
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            self._ui_loop.call_soon_threadsafe(
                lambda: self.notify(told, title="The app stalled", severity="warning", timeout=8)
            )

    def action_import(self, format_: str = "openapi", text: str = "") -> None:
        """Open the Import dialog; what it creates is written as one set, opened and linted."""
        self.importer.open_dialog(format_, text)

    def action_copy_as_curl(self) -> None:
        """Copy the connector in front as a curl line (secrets and unset inputs as shell variables)."""
        self.importer.copy_as_curl()

    async def on_curl_pasted(self, message: CurlPasted) -> None:
        await self.importer.take_curl(message.entry, message.line)
