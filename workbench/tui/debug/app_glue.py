# mypy: disable-error-code="misc"
# (a mixin: its methods declare ``self: WorkbenchApp``, which mypy checks them against but cannot prove)
"""The debugger's part of the app (mixed into :class:`~workbench.tui.app.WorkbenchApp`): its keys, the outline
markers (breakpoints ●, the step about to run ▶, the path taken ✓), the live test request of the connector in
front, and recording the last run as a scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from workbench.tui.debug.messages import BreakpointsChanged, PathTaken, StepReached
from workbench.tui.keys import key_for
from workbench.tui.messages import DocumentEdited, EntryShown, ProcedureSelected
from workbench.tui.widgets.workspace_tree import WorkspaceTree

if TYPE_CHECKING:  # the app imports this module before the models and the engine have loaded
    from workbench.editing.operations import Change
    from workbench.editing.session import Entry
    from workbench.model import MockResponse
    from workbench.store import Workspace
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.debug.scenarios_pane import ScenariosPane
    from workbench.tui.debug.view import DebugView

BREAKPOINT, CURRENT, TAKEN = "●", "▶", "✓"

DEBUG_BINDINGS: list[BindingType] = [
    Binding("f5", "debug_run", "Run/continue", show=False, id="debug.run"),
    Binding("f10", "debug_step", "Step", show=False, id="debug.step"),
    Binding("f9", "debug_breakpoint", "Breakpoint", show=False, id="debug.breakpoint"),
    Binding("shift+f5", "debug_stop", "Stop run", show=False, id="debug.stop"),
    Binding("f6", "debug_tab", "Run panel: next tab", show=False, id="debug.tab"),
    Binding("ctrl+t", "test_request", "Test request", show=False, id="debug.test_request"),
    Binding("ctrl+r", "record_run", "Record run as scenario", show=False, id="debug.record"),
]
"""The debugger's keys, added to the app's bindings (they work wherever the focus is; the run bar, F1 and the
palette list them)."""


class DebuggerApp:
    """Mixed into the app: handlers and actions of the debugger. Expects ``session``, ``editors``,
    ``current_editor``, ``tree`` and ``action_toggle`` of :class:`~workbench.tui.app.WorkbenchApp`."""

    _current_step: tuple[str, str] | None = None
    _path_taken: list[tuple[str, str]] = []
    _scenario_updates: list[Change] = []
    """Inverses of the scenario updates accepted from their runs, the last one last."""

    @property
    def debugger(self: WorkbenchApp) -> DebugView:
        """The debug view (run bar, run log, context, conversation)."""
        from workbench.tui.debug.view import DebugView

        return self.query_one(DebugView)

    def debug_workspace(self: WorkbenchApp) -> Workspace | None:
        """The workspace the debugger runs: the models as they are in the app, unsaved edits included."""
        return self.session.workspace() if self.session is not None else None

    def _show_debugger(self: WorkbenchApp) -> None:
        if not self.query_one("#debug").display:
            self.action_toggle("debug")

    # -- keys -------------------------------------------------------------------------------------------

    def action_debug_run(self: WorkbenchApp) -> None:
        """F5: run the procedure in front (or the one chosen in the run bar), or continue."""
        self._show_debugger()
        self.debugger.run_or_continue()

    def action_debug_step(self: WorkbenchApp) -> None:
        """F10: step (a new run pauses before its first step)."""
        self._show_debugger()
        self.debugger.step()

    def action_debug_stop(self: WorkbenchApp) -> None:
        """Shift+F5: stop the run."""
        self.debugger.stop()

    def action_debug_tab(self: WorkbenchApp) -> None:
        """F6: into the run panel, then from tab to tab (run log, context, conversation)."""
        self._show_debugger()
        self.debugger.next_tab()

    def action_debug_breakpoint(self: WorkbenchApp) -> None:
        """F9: toggle a breakpoint on the step selected in the outline."""
        editor = self.current_editor
        outline = getattr(editor, "outline", None)
        ref = outline.current if outline is not None else None
        if editor is None or ref is None or ref.step_id is None:
            self.notify("Select a step in a procedure's outline to set a breakpoint on it.", timeout=4)
            return
        self.debugger.toggle_breakpoint(editor.entry.name, ref.step_id)

    # -- outline markers ------------------------------------------------------------------------------

    def _markers(self: WorkbenchApp, procedure: str) -> dict[str, str]:
        markers = {step: TAKEN for name, step in self._path_taken if name == procedure}
        markers.update({step: BREAKPOINT for step in self.debugger.breakpoints.get(procedure, ())})
        if self._current_step is not None and self._current_step[0] == procedure:
            markers[self._current_step[1]] = CURRENT
        return markers

    def _mark_outlines(self: WorkbenchApp) -> None:
        for editor in self.editors.editors():
            outline = getattr(editor, "outline", None)
            if outline is not None and editor.entry.kind == "procedure":
                outline.set_markers(self._markers(editor.entry.name))

    def on_breakpoints_changed(self: WorkbenchApp, message: BreakpointsChanged) -> None:
        self._mark_outlines()

    async def on_step_reached(self: WorkbenchApp, message: StepReached) -> None:
        if message.procedure is None or message.step is None:
            self._current_step = None
            self._mark_outlines()
            return
        self._current_step = (message.procedure, message.step)
        session = self.debugger.session
        if session is not None:
            self._path_taken = [
                (event.data["procedure"], event.data["step"])
                for event in session.events
                if event.type == "step_started"
            ]
        entry = self.session.find("procedure", message.procedure) if self.session is not None else None
        if entry is not None:
            editor = await self.editors.show(entry)
            self._mark_outlines()
            await editor.select_step(message.step)  # type: ignore[attr-defined]

    def on_path_taken(self: WorkbenchApp, message: PathTaken) -> None:
        self._path_taken = message.steps
        self._mark_outlines()

    def on_procedure_selected(self: WorkbenchApp, message: ProcedureSelected) -> None:
        if not self.debugger.running:
            self.debugger.refresh_choices()
            self.debugger.run_bar.procedure = message.name

    def on_entry_shown(self: WorkbenchApp, message: EntryShown) -> None:
        self._mark_outlines()

    # -- live test request ------------------------------------------------------------------------------

    def action_test_request(self: WorkbenchApp) -> None:
        """Ctrl+T: send one live request of the connector in front; its response can become the example."""
        from workbench.editing.live_request import default_secrets
        from workbench.tui.debug.live_request_screen import LiveRequestScreen

        editor = self.current_editor
        if editor is None or editor.entry.kind != "connector" or self.session is None:
            self.notify("Open a connector to send a test request.", timeout=4)
            return
        entry = editor.entry

        async def save_example(example: MockResponse | None) -> None:
            if example is None or self.session is None:
                return
            entry.model.response = entry.model.response.model_copy(update={"example": example})
            entry.touch()
            await self.editors.reopen(entry)
            self.post_message(DocumentEdited(entry))
            save = key_for(self, "app.save")
            self.notify(f"The response is now the example of {entry.name} ({save} saves it).", timeout=5)

        screen = LiveRequestScreen(
            entry.model,
            self.session.workspace_settings,
            self.debugger.run_bar.environment,
            default_secrets(self.session.root),
        )
        self.push_screen(screen, save_example)

    # -- recording --------------------------------------------------------------------------------------

    def action_record_run(self: WorkbenchApp) -> None:
        """Ctrl+R: save the run just made as a scenario."""
        from workbench.editing.recording import record_session
        from workbench.tui.screens.pickers import NewItemScreen

        session = self.debugger.session
        if session is None or session.result is None or self.session is None:
            self.notify(f"Finish a run first ({key_for(self, 'debug.run')}), then record it as a scenario.", timeout=4)
            return
        workspace_session = self.session
        taken = {"scenario": {entry.name for entry in workspace_session.of_kind("scenario")}}

        def named(answer: tuple[str, str] | str | None) -> None:
            if not isinstance(answer, tuple):  # cancelled (the scenario dialog offers no import)
                return
            try:
                scenario, notes = record_session(session, answer[1])
            except ValueError as error:
                self.notify(str(error), title="Not recorded", severity="error", timeout=6)
                return
            entry = workspace_session.create("scenario", scenario)
            try:
                workspace_session.save(entry)
            except OSError as error:
                self.notify(str(error), title="Could not save the scenario", severity="error", timeout=8)
                return
            self.tree.rebuild(workspace_session, entry)
            self.schedule_lint()
            self.notify("\n".join([f"Saved scenario {scenario.name!r} to {entry.path.name}.", *notes]), timeout=6)

        self.push_screen(NewItemScreen("scenario", taken), named)

    # -- scenarios as you edit ----------------------------------------------------------------------------

    def _scenarios(self: WorkbenchApp) -> ScenariosPane | None:
        """The Scenarios tab, once the debugger has loaded."""
        from workbench.tui.debug.view import DebugView

        views = self.query(DebugView)
        return views.first().scenarios if views else None

    def scenarios_after_save(self: WorkbenchApp, entries: list[Entry]) -> None:
        """Run again the scenarios the saved items can change (in a worker: the editor never waits)."""
        pane = self._scenarios()
        if pane is not None and entries:
            pane.rerun_affected([(entry.kind, entry.name) for entry in entries])

    def scenarios_after_edit(self: WorkbenchApp, entry: Entry) -> None:
        """Tell the Scenarios tab of an edit (it runs them after a pause when asked to)."""
        pane = self._scenarios()
        if pane is not None:
            pane.edited([(entry.kind, entry.name)])

    def on_scenarios_pane_badges(self: WorkbenchApp, message: ScenariosPane.Badges) -> None:
        if self.session is None or not self.screen.query(WorkspaceTree):  # closing: the screen is gone
            return
        badges = {}
        for procedure, badge in message.badges.items():
            entry = self.session.find("procedure", procedure)
            if entry is not None and badge:
                badges[entry] = badge
        self.tree.set_test_badges(badges)
        for editor in self.editors.editors():
            editor.scenario_badge = badges.get(editor.entry, "")
            editor.refresh_title()

    async def on_scenarios_pane_show_step(self: WorkbenchApp, message: ScenariosPane.ShowStep) -> None:
        entry = self.session.find("procedure", message.procedure) if self.session is not None else None
        if entry is None:
            self.notify(f"There is no procedure {message.procedure!r} any more.", severity="error", timeout=4)
            return
        editor = await self.editors.show(entry)
        await editor.select_step(message.step)  # type: ignore[attr-defined]
        editor.outline.focus()  # type: ignore[attr-defined]

    def on_scenarios_pane_accept_run(self: WorkbenchApp, message: ScenariosPane.AcceptRun) -> None:
        from workbench.editing.operations import Assign, Change

        if self.session is None:
            return
        if message.case is None:
            if not self._scenario_updates:
                self.notify("No scenario update to undo.", timeout=3)
                return
            undo = self._scenario_updates.pop()
            entry = self.session.entry_of(undo.assigns[0].model)
            if entry is not None and self._write_scenario(entry, undo) is not None:
                self.notify(f"Undone: {undo.label}.", timeout=4)
            return
        entry = self.session.by_path(message.case.path)
        if entry is None or entry.dirty:
            saved = f"it has unsaved edits: save them first ({key_for(self, 'app.save')})"
            why = saved if entry is not None else "it is gone"
            self.notify(f"Not updated: {why}.", severity="error", timeout=5)
            return
        change = Change(f"update {entry.name!r} from its run", [Assign(entry.model, {"expect": message.expect})])
        inverse = self._write_scenario(entry, change)
        if inverse is not None:
            self._scenario_updates = [*self._scenario_updates, inverse]
            undo_key = key_for(self, "scenarios.undo_accept")
            self.notify(f"Updated {entry.path.name} from its run — {undo_key} in the Scenarios tab undoes.", timeout=6)

    def _write_scenario(self: WorkbenchApp, entry: Entry, change: Change) -> Change | None:
        """Apply a change to a scenario and save it at once; returns its inverse (``None``: nothing changed)."""
        assert self.session is not None
        inverse = change.apply()
        entry.touch()
        try:
            self.session.save(entry)
        except OSError as error:
            inverse.apply()
            entry.touch()
            self.notify(str(error), title=f"Could not save {entry.name}", severity="error", timeout=8)
            return None
        self.tree.refresh_labels()
        self.scenarios_after_save([entry])
        return inverse
