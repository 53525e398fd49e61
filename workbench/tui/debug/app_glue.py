"""The debugger's part of the app (:class:`DebugControl`, owned by :class:`~workbench.tui.app.WorkbenchApp`): what
its keys do, the outline markers (breakpoints ●, the step about to run ▶, the path taken ✓), the live test request
of the connector in front, recording the last run as a scenario, and the Scenarios tab's requests of the editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from workbench.events import steps_started
from workbench.tui.focus import give_focus
from workbench.tui.keys import key_for
from workbench.tui.messages import DocumentEdited
from workbench.tui.widgets.workspace_tree import WorkspaceTree

if TYPE_CHECKING:  # the app imports this module before the models and the engine have loaded
    from workbench.editing.breakpoints import Breakpoints
    from workbench.editing.edit_session import Entry
    from workbench.editing.operations import Change
    from workbench.model import Expectations, MockResponse
    from workbench.scenarios import ScenarioCase
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


class DebugControl:
    """The debugger's side of the app: the app's debugger actions and debugger messages call it, and it reaches
    the debug view, the editors and the edit session through the app."""

    def __init__(self, app: WorkbenchApp) -> None:
        self._app = app
        self.current_step: tuple[str, str] | None = None
        """The ``(procedure, step id)`` the debug run is paused before (``None``: not paused)."""
        self.path_taken: list[tuple[str, str]] = []
        """The ``(procedure, step id)`` of the steps the debug run went through, in order."""
        self._scenario_updates: list[Change] = []
        """Inverses of the scenario updates accepted from their runs, the last one last."""
        self._view: DebugView | None = None
        self._mock_log_backlog: list[str] = []

    @property
    def view(self) -> DebugView:
        """The debug view (run bar, run log, context, conversation)."""
        from workbench.tui.debug.view import DebugView

        return self._app.query_one(DebugView)

    def workspace(self) -> Workspace | None:
        """The workspace the debugger runs: the models as they are in the app, unsaved edits included."""
        session = self._app.session
        return session.workspace() if session is not None else None

    def breakpoints(self) -> Breakpoints | None:
        """The edit session's breakpoints (``None`` while loading)."""
        session = self._app.session
        return session.breakpoints if session is not None else None

    # -- keys -------------------------------------------------------------------------------------------

    def run_or_continue(self) -> None:
        """Show the run panel; start a run of the procedure in front (or the run bar's), or continue a paused one."""
        self._app.show_run_panel()
        if view := self._ready_view("debug.run"):
            view.run_or_continue()

    def step(self) -> None:
        """Show the run panel and run one step (a new run pauses before its first step)."""
        self._app.show_run_panel()
        if view := self._ready_view("debug.step"):
            view.step()

    def stop(self) -> None:
        """Stop the debug run."""
        if view := self._ready_view("debug.stop"):
            view.stop()

    def next_tab(self) -> None:
        """Show the run panel and move to its next tab."""
        self._app.show_run_panel()
        if view := self._ready_view("debug.tab"):
            view.next_tab()

    def toggle_breakpoint(self) -> None:
        """Set or clear a breakpoint on the step selected in the outline of the procedure in front."""
        app = self._app
        editor = app.current_editor
        outline = getattr(editor, "outline", None)
        ref = outline.current if outline is not None else None
        if editor is None or ref is None or ref.step_id is None:
            app.notify("Select a step in a procedure's outline to set a breakpoint on it.", timeout=4)
            return
        if view := self._ready_view("debug.breakpoint"):
            view.toggle_breakpoint(editor.entry.name, ref.step_id)

    # -- outline markers ------------------------------------------------------------------------------

    def _markers(self, procedure: str) -> dict[str, str]:
        markers = {step: TAKEN for name, step in self.path_taken if name == procedure}
        breakpoints = self.breakpoints()
        if breakpoints is not None:
            markers.update({step: BREAKPOINT for step in breakpoints.steps.get(procedure, ())})
        if self.current_step is not None and self.current_step[0] == procedure:
            markers[self.current_step[1]] = CURRENT
        return markers

    def _main_screen_gone(self) -> bool:
        """Whether the main screen is gone (the app is closing): messages still on their way find no widgets."""
        return not self._app.screen_stack or not self._app.screen.query(WorkspaceTree)

    def mark_outlines(self) -> None:
        """Show the markers in the outline of every open procedure (after a breakpoint changed, an editor showed)."""
        if self._main_screen_gone():
            return
        for editor in self._app.editors.editors():
            outline = getattr(editor, "outline", None)
            if outline is not None and editor.entry.kind == "procedure":
                outline.set_markers(self._markers(editor.entry.name))

    async def step_reached(self, procedure: str | None, step: str | None) -> None:
        """The debug run paused before ``step`` of ``procedure`` (``None``: no longer paused): show that step."""
        app = self._app
        if procedure is None or step is None:
            self.current_step = None
            self.mark_outlines()
            return
        self.current_step = (procedure, step)
        debug_run = self.view.debug_run  # a run paused: the view is there
        if debug_run is not None:
            self.path_taken = steps_started(debug_run.events)
        entry = app.session.find("procedure", procedure) if app.session is not None else None
        if entry is not None:
            editor = await app.editors.show(entry)
            self.mark_outlines()
            if editor is not None:
                await editor.select_step(step)  # type: ignore[attr-defined]

    def show_path(self, steps: list[tuple[str, str]]) -> None:
        """A debug run finished having gone through ``steps``: mark them."""
        self.path_taken = steps
        self.mark_outlines()

    def procedure_selected(self, name: str) -> None:
        """The author selected procedure ``name``: the next run runs it (unless a run is under way)."""
        view = self._mounted_view()
        if view is not None and not view.running:
            view.refresh_choices()
            view.run_bar.procedure = name

    # -- live test request ------------------------------------------------------------------------------

    def test_request(self) -> None:
        """Open the live test request of the connector in front; the response it keeps becomes the example."""
        from workbench.editing.live_request import default_secrets
        from workbench.tui.debug.live_request_screen import LiveRequestScreen

        app = self._app
        editor = app.current_editor
        if editor is None or editor.entry.kind != "connector" or app.session is None:
            app.notify("Open a connector to send a test request.", timeout=4)
            return
        entry = editor.entry

        async def save_example(example: MockResponse | None) -> None:
            if example is None or app.session is None:
                return
            entry.model.response = entry.model.response.model_copy(update={"example": example})
            entry.touch()
            await app.editors.reopen(entry)
            app.post_message(DocumentEdited(entry))
            save = key_for(app, "app.save")
            app.notify(f"The response is now the example of {entry.name} ({save} saves it).", timeout=5)

        screen = LiveRequestScreen(
            entry.model,
            app.session.workspace_settings,
            self.environment(),
            default_secrets(app.session.root),
        )
        app.push_screen(screen, save_example)

    # -- recording --------------------------------------------------------------------------------------

    def record_run(self) -> None:
        """Ask for a name and save the finished debug run as a scenario file."""
        from workbench.editing.recording import record_debug_run
        from workbench.tui.screens.pickers import NewItemScreen

        app = self._app
        view = self._mounted_view()
        debug_run = view.debug_run if view is not None else None
        session = app.session
        if debug_run is None or debug_run.result is None or session is None:
            app.notify(f"Finish a run first ({key_for(app, 'debug.run')}), then record it as a scenario.", timeout=4)
            return
        taken = {"scenario": {entry.name for entry in session.of_kind("scenario")}}

        def named(answer: tuple[str, str] | str | None) -> None:
            if not isinstance(answer, tuple):  # cancelled (the scenario dialog offers no import)
                return
            try:
                scenario, notes = record_debug_run(debug_run, answer[1])
            except ValueError as error:
                app.notify(str(error), title="Not recorded", severity="error", timeout=6)
                return
            entry = session.create("scenario", scenario)
            try:
                session.save(entry)
            except OSError as error:
                app.notify(str(error), title="Could not save the scenario", severity="error", timeout=8)
                return
            app.tree.rebuild(session, entry)
            app.schedule_lint()
            app.notify("\n".join([f"Saved scenario {scenario.name!r} to {entry.path.name}.", *notes]), timeout=6)

        app.push_screen(NewItemScreen("scenario", taken), named)

    # -- scenarios as you edit ----------------------------------------------------------------------------

    def _loaded_view(self) -> DebugView | None:
        """The debug view, once the app has added it (it mounts off the first frame, before or after the
        workspace)."""
        from workbench.tui.debug.view import DebugView

        if self._view is None or not self._view.is_attached:  # looked up once: each keystroke asks
            views = self._app.query(DebugView)
            self._view = views.first() if views else None
        return self._view

    def _mounted_view(self) -> DebugView | None:
        """The debug view once it has mounted (its run bar and tabs are there), else ``None``."""
        view = self._loaded_view()
        return view if view is not None and view.is_mounted else None

    def _ready_view(self, binding: str) -> DebugView | None:
        """The debug view when it is ready for a key; else says so (on a busy machine it loads a moment after
        the first frame)."""
        view = self._mounted_view()
        if view is None:
            key = key_for(self._app, binding)
            self._app.notify(f"The run panel is still loading: press {key} again in a moment.", timeout=3)
            return None
        return view

    def view_ready(self) -> None:
        """The debug view has mounted: it takes in the models and the mock server's lines that came before it."""
        view = self.view
        view.refresh_choices()
        for line in self._mock_log_backlog:
            view.mock_log(line)
        self._mock_log_backlog = []

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
        session = self._app.session
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

    def show_test_badges(self, by_procedure: dict[str, str]) -> None:
        """Show the Scenarios tab's verdict of each procedure on the tree and on the editors' titles."""
        app = self._app
        if app.session is None or self._main_screen_gone():
            return
        badges = {}
        for procedure, badge in by_procedure.items():
            entry = app.session.find("procedure", procedure)
            if entry is not None and badge:
                badges[entry] = badge
        app.tree.set_test_badges(badges)
        for editor in app.editors.editors():
            editor.scenario_badge = badges.get(editor.entry, "")
            editor.refresh_title()

    async def show_step(self, procedure: str, step: str) -> None:
        """Open ``procedure`` with ``step`` selected in its outline (a scenario's failing step)."""
        app = self._app
        entry = app.session.find("procedure", procedure) if app.session is not None else None
        if entry is None:
            app.notify(f"There is no procedure {procedure!r} any more.", severity="error", timeout=4)
            return
        editor = await app.editors.show(entry)
        if editor is not None:
            await editor.select_step(step)  # type: ignore[attr-defined]
            give_focus(editor.outline)  # type: ignore[attr-defined]

    def accept_run(self, case: ScenarioCase | None, expect: Expectations | None) -> None:
        """Make a scenario expect what its run did and save it (``case`` ``None``: undo the last such update)."""
        from workbench.editing.operations import Assign, Change

        app = self._app
        if app.session is None:
            return
        if case is None:
            if not self._scenario_updates:
                app.notify("No scenario update to undo.", timeout=3)
                return
            undo = self._scenario_updates.pop()
            entry = app.session.entry_of(undo.assigns[0].model)
            if entry is not None and self._write_scenario(entry, undo) is not None:
                app.notify(f"Undone: {undo.label}.", timeout=4)
            return
        entry = app.session.by_path(case.path)
        if entry is None or entry.dirty:
            saved = f"it has unsaved edits: save them first ({key_for(app, 'app.save')})"
            why = saved if entry is not None else "it is gone"
            app.notify(f"Not updated: {why}.", severity="error", timeout=5)
            return
        change = Change(f"update {entry.name!r} from its run", [Assign(entry.model, {"expect": expect})])
        inverse = self._write_scenario(entry, change)
        if inverse is not None:
            self._scenario_updates = [*self._scenario_updates, inverse]
            undo_key = key_for(app, "scenarios.undo_accept")
            app.notify(f"Updated {entry.path.name} from its run — {undo_key} in the Scenarios tab undoes.", timeout=6)

    def _write_scenario(self, entry: Entry, change: Change) -> Change | None:
        """Apply a change to a scenario and save it at once; returns its inverse (``None``: nothing changed)."""
        app = self._app
        assert app.session is not None
        inverse = change.apply()
        entry.touch()
        try:
            app.session.save(entry)
        except OSError as error:
            inverse.apply()
            entry.touch()
            app.notify(str(error), title=f"Could not save {entry.name}", severity="error", timeout=8)
            return None
        app.tree.refresh_label(entry)
        self.scenarios_after_save([entry])
        return inverse
