"""The debugger's part of the main screen (:class:`DebugControl`): what its keys do, the outline markers
(breakpoints ●, the step about to run ▶, the path taken ✓, as the debug view says), the live test request of
the connector in front, recording the last run as a scenario, and the Scenarios tab's requests of the editors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from workbench.tui.focus import give_focus
from workbench.tui.keys import key_for
from workbench.tui.messages import DocumentEdited, ProcedureSelected

if TYPE_CHECKING:  # the app imports this module before the models and the engine have loaded
    from workbench.editing.breakpoints import Breakpoints
    from workbench.editing.edit_session import Entry
    from workbench.editing.operations import Change
    from workbench.model import MockResponse
    from workbench.tui.debug.messages import BreakpointsChanged, PathTaken, StepReached
    from workbench.tui.debug.scenarios_pane import ScenariosPane
    from workbench.tui.debug.view import DebugView
    from workbench.tui.ports import Workbench

DEBUG_BINDINGS: list[BindingType] = [
    Binding("f5", "debug_run", "Run/continue", show=False, id="debug.run"),
    Binding("f10", "debug_step", "Step", show=False, id="debug.step"),
    Binding("f9", "debug_breakpoint", "Breakpoint", show=False, id="debug.breakpoint"),
    Binding("shift+f5", "debug_stop", "Stop run", show=False, id="debug.stop"),
    Binding("f6", "debug_tab", "Run panel: next tab", show=False, id="debug.tab"),
    Binding("ctrl+t", "test_request", "Test request", show=False, id="debug.test_request"),
    Binding("ctrl+r", "record_run", "Record run as scenario", show=False, id="debug.record"),
]
"""The debugger's keys, bound by the main screen to :class:`DebugControl`'s methods of the same names (they work
wherever the focus is; the run bar, F1 and the palette list them)."""


class DebugControl:
    """The debugger's side of the main screen: its keys run :meth:`action_debug_run` and the other actions
    here, and it reaches the debug view, the editors and the edit session through its host (the screen)."""

    def __init__(self, host: Workbench) -> None:
        self._host = host
        self._scenario_updates: list[Change] = []
        """Inverses of the scenario updates accepted from their runs, the last one last."""
        self._view: DebugView | None = None
        self._mock_log_backlog: list[str] = []
        self._waiting: list[Callable[[DebugView], object]] = []
        """What keys pressed before the debug view was there do with it once it is."""
        self._selected: str | None = None
        """The procedure the author last brought to the front: the one a view built later runs."""

    def breakpoints(self) -> Breakpoints | None:
        """The edit session's breakpoints (``None`` while loading)."""
        session = self._host.session
        return session.breakpoints if session is not None else None

    # -- keys -------------------------------------------------------------------------------------------

    def action_debug_run(self) -> None:
        """F5: show the run panel; run the procedure in front (or the one chosen in the run bar), or continue."""
        self._host.show_run_panel()
        self._with_view(lambda view: view.run_or_continue())

    def action_debug_step(self) -> None:
        """F10: show the run panel and run one step (a new run pauses before its first step)."""
        self._host.show_run_panel()
        self._with_view(lambda view: view.step())

    def action_debug_stop(self) -> None:
        """Shift+F5: stop the run (before the view is built, nothing runs)."""
        if view := self._mounted_view():
            view.stop()

    def action_debug_tab(self) -> None:
        """F6: into the run panel, then from tab to tab (run log, context, conversation)."""
        self._host.show_run_panel()
        self._with_view(lambda view: view.next_tab())

    def action_debug_breakpoint(self) -> None:
        """F9: toggle a breakpoint on the step selected in the outline of the procedure in front."""
        host = self._host
        editor = host.current_editor
        outline = getattr(editor, "outline", None)
        ref = outline.current if outline is not None else None
        if editor is None or ref is None or ref.step_id is None:
            host.notify("Select a step in a procedure's outline to set a breakpoint on it.", timeout=4)
            return
        procedure, step_id = editor.entry.name, ref.step_id
        self._with_view(lambda view: view.toggle_breakpoint(procedure, step_id))

    # -- outline markers ------------------------------------------------------------------------------

    def mark_outlines(self) -> None:
        """Show the debug view's markers in the outline of every open procedure (after a breakpoint changed, the
        run paused or ended, an editor showed); before the view is built, the edit session's breakpoints."""
        from workbench.tui.debug.messages import BREAKPOINT

        host = self._host
        if not host.panes_up():  # the app is closing
            return
        view = self._mounted_view()
        marks = self.breakpoints()
        for editor in host.editors.editors():
            outline = getattr(editor, "outline", None)
            if outline is None or editor.entry.kind != "procedure":
                continue
            name = editor.entry.name
            if view is not None:
                outline.set_markers(view.markers(name))
            elif marks is not None:
                outline.set_markers(dict.fromkeys(marks.steps.get(name, ()), BREAKPOINT))

    async def on_step_reached(self, message: StepReached) -> None:
        """The debug run paused before a step (or no longer is): show that step."""
        procedure, step = message.procedure, message.step
        if procedure is None or step is None:
            self.mark_outlines()
            return
        session = self._host.session
        entry = session.find("procedure", procedure) if session is not None else None
        if entry is not None:
            editor = await self._host.editors.show(entry)
            self.mark_outlines()
            if editor is not None:
                await editor.select_step(step)  # type: ignore[attr-defined]

    def on_path_taken(self, _message: PathTaken) -> None:
        """A run started or finished: mark the path it took."""
        self.mark_outlines()

    def on_breakpoints_changed(self, _message: BreakpointsChanged) -> None:
        """A breakpoint was set or cleared (or came back with an undo): mark it."""
        self.mark_outlines()

    def on_procedure_selected(self, message: ProcedureSelected) -> None:
        """The author brought a procedure to the front: the next run runs it."""
        self.procedure_selected(message.name)

    def procedure_selected(self, name: str) -> None:
        """The author selected procedure ``name``: the next run runs it (unless a run is under way; a view built
        later takes it in when ready)."""
        self._selected = name
        view = self._mounted_view()
        if view is not None and not view.running:
            view.refresh_choices()
            view.run_bar.procedure = name

    # -- live test request ------------------------------------------------------------------------------

    def action_test_request(self) -> None:
        """Ctrl+T: open the live test request of the connector in front; the response it keeps becomes the
        example."""
        from workbench.editing.live_request import default_secrets
        from workbench.tui.debug.live_request_screen import LiveRequestScreen

        host = self._host
        editor = host.current_editor
        if editor is None or editor.entry.kind != "connector" or host.session is None:
            host.notify("Open a connector to send a test request.", timeout=4)
            return
        entry = editor.entry

        async def save_example(example: MockResponse | None) -> None:
            if example is None or host.session is None:
                return
            entry.model.response = entry.model.response.model_copy(update={"example": example})
            entry.touch()
            await host.editors.reopen(entry)
            host.post_message(DocumentEdited(entry))
            save = key_for(host.app, "app.save")
            host.notify(f"The response is now the example of {entry.name} ({save} saves it).", timeout=5)

        screen = LiveRequestScreen(
            entry.model,
            host.session.workspace_settings,
            self.environment(),
            default_secrets(host.session.root),
        )
        host.app.push_screen(screen, save_example)

    # -- recording --------------------------------------------------------------------------------------

    def action_record_run(self) -> None:
        """Ctrl+R: ask for a name and save the finished debug run as a scenario file."""
        from workbench.editing.recording import record_debug_run
        from workbench.tui.screens.pickers import NewItemScreen

        host = self._host
        view = self._mounted_view()
        debug_run = view.debug_run if view is not None else None
        session = host.session
        if debug_run is None or debug_run.result is None or session is None:
            host.notify(
                f"Finish a run first ({key_for(host.app, 'debug.run')}), then record it as a scenario.", timeout=4
            )
            return
        taken = {"scenario": {entry.name for entry in session.of_kind("scenario")}}

        def named(answer: tuple[str, str] | str | None) -> None:
            if not isinstance(answer, tuple):  # cancelled (the scenario dialog offers no import)
                return
            try:
                scenario, notes = record_debug_run(debug_run, answer[1])
            except ValueError as error:
                host.notify(str(error), title="Not recorded", severity="error", timeout=6)
                return
            entry = session.create("scenario", scenario)
            try:
                session.save(entry)
            except OSError as error:
                host.notify(str(error), title="Could not save the scenario", severity="error", timeout=8)
                return
            host.tree.rebuild(session, entry)
            host.schedule_lint()
            host.notify("\n".join([f"Saved scenario {scenario.name!r} to {entry.path.name}.", *notes]), timeout=6)

        host.app.push_screen(NewItemScreen("scenario", taken), named)

    # -- scenarios as you edit ----------------------------------------------------------------------------

    def _loaded_view(self) -> DebugView | None:
        """The debug view, once the app has added it (it mounts off the first frame, before or after the
        workspace)."""
        if self._view is None or not self._view.is_attached:  # looked up once: each keystroke asks
            self._view = self._host.debug_view()
        return self._view

    def _mounted_view(self) -> DebugView | None:
        """The debug view once it has mounted (its run bar and tabs are there), else ``None``."""
        view = self._loaded_view()
        return view if view is not None and view.is_mounted else None

    def _with_view(self, act: Callable[[DebugView], object]) -> None:
        """Do ``act`` with the debug view: now when it is there, else once it has loaded (it is built when the run
        panel first shows or a key needs it), after the keys that waited before it."""
        view = self._mounted_view()
        if view is not None and not self._waiting:
            act(view)
            return
        self._waiting.append(act)
        self._host.load_debug_view()

    def on_debug_view_ready(self, _message: DebugView.Ready) -> None:
        """The debug view has mounted: it takes in the models, the procedure in front, the mock server's lines and
        the keys that came before it."""
        view = self._mounted_view()
        if view is None:
            return
        if self._selected is not None:
            self.procedure_selected(self._selected)
        else:
            view.refresh_choices()
        self.mark_outlines()
        for line in self._mock_log_backlog:
            view.mock_log(line)
        self._mock_log_backlog = []
        waiting, self._waiting = self._waiting, []
        for act in waiting:
            act(view)

    def mock_log(self, line: str) -> None:
        """Add a line to the run panel's "Mock server" tab (kept until the panel has loaded)."""
        view = self._mounted_view()
        if view is not None:
            view.mock_log(line)
        else:
            self._mock_log_backlog.append(line)

    def environment(self) -> str | None:
        """The environment chosen in the run bar (the workspace's default until the run panel has loaded)."""
        view = self._mounted_view()
        chosen = view.run_bar.environment if view is not None else None
        session = self._host.session
        return chosen or (session.workspace_settings.environment_name() if session is not None else None)

    def workspace_loaded(self) -> None:
        """The workspace's models are there: offer them in the run bar and the Scenarios tab (when the view
        mounts later, it takes them in itself)."""
        view = self._mounted_view()
        if view is not None:
            view.refresh_choices()  # (one still mounting takes them in when ready: view_ready)

    def _scenarios(self) -> ScenariosPane | None:
        """The Scenarios tab, once the debugger has loaded."""
        view = self._mounted_view()
        return view.scenarios if view is not None else None

    def scenarios_after_save(self, entries: list[Entry]) -> None:
        """Run again the scenarios the saved items can change (in a worker: the editor never waits)."""
        pane = self._scenarios()
        if pane is not None and entries:
            pane.rerun_affected([(entry.kind, entry.name) for entry in entries])

    def scenarios_after_edit(self, entry: Entry) -> None:
        """Tell the Scenarios tab of an edit (it runs them after a pause when asked to)."""
        pane = self._scenarios()
        if pane is not None:
            pane.edited([(entry.kind, entry.name)])

    def on_scenarios_pane_badges(self, message: ScenariosPane.Badges) -> None:
        """Show the Scenarios tab's verdict of each procedure on the tree and on the editors' titles."""
        by_procedure = message.badges
        host = self._host
        if host.session is None or not host.panes_up():
            return
        badges = {}
        for procedure, badge in by_procedure.items():
            entry = host.session.find("procedure", procedure)
            if entry is not None and badge:
                badges[entry] = badge
        host.tree.set_test_badges(badges)
        for editor in host.editors.editors():
            editor.scenario_badge = badges.get(editor.entry, "")
            editor.refresh_title()

    async def on_scenarios_pane_show_step(self, message: ScenariosPane.ShowStep) -> None:
        """Open a procedure with a step selected in its outline (a scenario's failing step)."""
        procedure, step = message.procedure, message.step
        host = self._host
        entry = host.session.find("procedure", procedure) if host.session is not None else None
        if entry is None:
            host.notify(f"There is no procedure {procedure!r} any more.", severity="error", timeout=4)
            return
        editor = await host.editors.show(entry)
        if editor is not None:
            await editor.select_step(step)  # type: ignore[attr-defined]
            give_focus(editor.outline)  # type: ignore[attr-defined]

    def on_scenarios_pane_accept_run(self, message: ScenariosPane.AcceptRun) -> None:
        """Make a scenario expect what its run did and save it (no case: undo the last such update)."""
        case, expect = message.case, message.expect
        from workbench.editing.operations import Assign, Change

        host = self._host
        if host.session is None:
            return
        if case is None:
            if not self._scenario_updates:
                host.notify("No scenario update to undo.", timeout=3)
                return
            undo = self._scenario_updates.pop()
            entry = host.session.entry_of(undo.assigns[0].model)
            if entry is not None and self._write_scenario(entry, undo) is not None:
                host.notify(f"Undone: {undo.label}.", timeout=4)
            return
        entry = host.session.by_path(case.path)
        if entry is None or entry.dirty:
            saved = f"it has unsaved edits: save them first ({key_for(host.app, 'app.save')})"
            why = saved if entry is not None else "it is gone"
            host.notify(f"Not updated: {why}.", severity="error", timeout=5)
            return
        change = Change(f"update {entry.name!r} from its run", [Assign(entry.model, {"expect": expect})])
        inverse = self._write_scenario(entry, change)
        if inverse is not None:
            self._scenario_updates = [*self._scenario_updates, inverse]
            undo_key = key_for(host.app, "scenarios.undo_accept")
            host.notify(f"Updated {entry.path.name} from its run — {undo_key} in the Scenarios tab undoes.", timeout=6)

    def _write_scenario(self, entry: Entry, change: Change) -> Change | None:
        """Apply a change to a scenario and save it at once; returns its inverse (``None``: nothing changed)."""
        host = self._host
        assert host.session is not None
        inverse = change.apply()
        entry.touch()
        try:
            host.session.save(entry)
        except OSError as error:
            inverse.apply()
            entry.touch()
            host.notify(str(error), title=f"Could not save {entry.name}", severity="error", timeout=8)
            return None
        host.tree.refresh_label(entry)
        self.scenarios_after_save([entry])
        return inverse
