"""The debug view: the run bar over its tabs (run log with event detail, context, conversation, scenarios, the
mock server's log once it has a line, and a comparison of results files once asked), and the :class:`DebugRun` they
show. The main screen binds its keys to :meth:`run_or_continue`, :meth:`step`, :meth:`stop` and
:meth:`toggle_breakpoint`. The view keeps the step the run is paused before and the path it took, and says what to
mark on an outline (:meth:`markers`); :class:`StepReached`, :class:`PathTaken` and :class:`BreakpointsChanged` tell
the screen when the marks change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TabbedContent, TabPane

from workbench.agent.players import player_for, scenario_player
from workbench.connectors import RenderedRequest
from workbench.editing.breakpoints import Breakpoints
from workbench.engine import Event, RunOptions, RunResult
from workbench.engine.debugger import Breakpoint
from workbench.events import Paused, steps_started
from workbench.model import Scenario
from workbench.scenarios import ScenarioRunner
from workbench.store import Workspace
from workbench.tui.debug.context_inspector import ContextInspector
from workbench.tui.debug.conversation import ConversationPane
from workbench.tui.debug.debug_run import DebugRun, InputAsked, RunEnded, RunEvents
from workbench.tui.debug.event_detail import EventDetail
from workbench.tui.debug.messages import BREAKPOINT, CURRENT, TAKEN, BreakpointsChanged, PathTaken, StepReached
from workbench.tui.debug.mock_log import MockServerLog
from workbench.tui.debug.run_bar import RunBar
from workbench.tui.debug.run_log import RunLog
from workbench.tui.debug.scenarios_pane import ScenariosPane
from workbench.tui.focus import give_focus
from workbench.tui.keys import key_for
from workbench.tui.widgets.fields import Input

if TYPE_CHECKING:  # results files are compared only when asked: the agent's modules load then
    from workbench.tui.debug.comparison_view import ComparisonView
    from workbench.tui.screens.compare_results import ComparedFiles

CONTEXT_EVENTS = frozenset({"paused", "attributes_available", "code_ran", "input_received", "run_finished"})
"""Events after which the context inspector is redrawn."""


class DebugView(Vertical):
    """Runs procedures under the debugger; ``workspace`` gives the models as they are now (unsaved edits too),
    or ``None`` while the app is still loading them (call :meth:`refresh_choices` once they are there). Its
    key ``results.compare`` compares two simulation results files in a "Comparison" tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "compare_results", "Compare results files", id="results.compare"),
    ]

    DEFAULT_CSS = """
    DebugView { height: 1fr; }
    DebugView TabbedContent, DebugView ContentSwitcher, DebugView TabPane { height: 1fr; }
    DebugView TabPane { padding: 0; }
    DebugView #event-log { height: 2fr; }
    DebugView #event-detail { height: 1fr; }
    """

    def __init__(
        self,
        workspace: Callable[[], Workspace | None],
        breakpoints: Callable[[], Breakpoints | None] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        """``breakpoints`` gives the edit session's breakpoints (``None`` while loading)."""
        super().__init__(id=id)
        self._workspace = workspace
        self.debug_run: DebugRun | None = None
        self._shared_marks = breakpoints
        self._own_marks = Breakpoints()
        self.current_step: tuple[str, str] | None = None
        """The ``(procedure, step id)`` the run is paused before (``None``: not paused)."""
        self.path_taken: list[tuple[str, str]] = []
        """The ``(procedure, step id)`` of the steps the last run went through, in order."""
        self._mock_log: MockServerLog | None = None
        self._comparison: ComparisonView | None = None

    def compose(self) -> ComposeResult:
        workspace = self._workspace()
        if workspace is None:
            yield RunBar((), (), None, id="run-bar")
        else:
            settings = workspace.settings.model
            yield RunBar(
                workspace.procedures,
                settings.environments,
                settings.environment_name(),
                scenarios=workspace.scenarios,
                id="run-bar",
            )
        with TabbedContent(id="debug-tabs"):
            with TabPane("Run log", id="run-log"):
                yield Input(
                    placeholder="filter by type, e.g. connector error -attributes", id="log-filter", compact=True
                )
                yield RunLog(id="event-log")
                yield EventDetail(self._preview, id="event-detail")
            with TabPane("Context", id="context"):
                yield ContextInspector(id="context-inspector")
            with TabPane("Conversation", id="conversation"):
                yield ConversationPane(id="conversation-pane")
            with TabPane("Scenarios", id="scenarios"):
                yield ScenariosPane(self._workspace, lambda: self.run_bar.procedure, id="scenarios-pane")

    class Ready(Message):
        """The debug view has mounted (it loads after the first frame): the app can hand it what waited."""

    def on_mount(self) -> None:
        self.post_message(self.Ready())

    def mock_log(self, line: str) -> None:
        """Add a line to the "Mock server" tab (created on the first line)."""
        if self._mock_log is None:
            self._mock_log = MockServerLog(id="mock-server-log")
            self.query_one(TabbedContent).add_pane(TabPane("Mock server", self._mock_log, id="mock-server"))
        self._mock_log.add(line)

    def action_compare_results(self) -> None:
        """Ask for two simulation results files, then show their comparison in the "Comparison" tab."""
        from workbench.tui.screens.compare_results import CompareResultsScreen

        workspace = self._workspace()
        base = workspace.root if workspace is not None else Path.cwd()
        self.app.push_screen(CompareResultsScreen(base), self.show_comparison)

    async def show_comparison(self, compared: ComparedFiles | None) -> None:
        """Show ``compared`` in the "Comparison" tab (created the first time), bring it to the front, focus it."""
        if compared is None or not self.is_attached:
            return
        from workbench.tui.debug.comparison_view import ComparisonView

        tabs = self.query_one(TabbedContent)
        if self._comparison is None:
            self._comparison = ComparisonView(compared, id="comparison-view")
            await tabs.add_pane(TabPane("Comparison", self._comparison, id="comparison"))
        else:
            self._comparison.show(compared)
        tabs.active = "comparison"
        give_focus(self._comparison, now=True)  # at once: the focus left behind in a hidden tab would take it back

    @property
    def run_bar(self) -> RunBar:
        """The procedure / mode / environment bar."""
        return self.query_one(RunBar)

    @property
    def run_log(self) -> RunLog:
        """The run log."""
        return self.query_one(RunLog)

    @property
    def context_inspector(self) -> ContextInspector:
        """The context tree."""
        return self.query_one(ContextInspector)

    @property
    def conversation(self) -> ConversationPane:
        """The chat."""
        return self.query_one(ConversationPane)

    @property
    def scenarios(self) -> ScenariosPane:
        """The scenario list."""
        return self.query_one(ScenariosPane)

    @property
    def running(self) -> bool:
        """Whether a run is under way (running, paused or waiting for a reply)."""
        return self.debug_run is not None and self.debug_run.state != "finished"

    def refresh_choices(self) -> None:
        """Offer the workspace's procedures and environments as they are now."""
        workspace = self._workspace()
        if workspace is not None:
            settings = workspace.settings.model
            self.run_bar.set_procedures(workspace.procedures)
            self.run_bar.set_environments(settings.environments, settings.environment_name())
            self.run_bar.set_scenarios(workspace.scenarios)
            self.scenarios.sync()

    # -- commands -------------------------------------------------------------------------------------------------

    def run_or_continue(self) -> None:
        """F5: start a run of the chosen procedure, or continue a paused one."""
        if self.debug_run is not None and self.debug_run.state == "paused":
            self._resumed()
            self.debug_run.resume()
        elif not self.running:
            self.start()

    def step(self) -> None:
        """F10: run the next step and pause (starts a run paused at its first step; pauses a running one)."""
        if self.debug_run is not None and self.debug_run.state == "paused":
            self._resumed()
            self.debug_run.step()
        elif self.debug_run is not None and self.debug_run.state == "running":
            self.debug_run.pause()
        elif not self.running:
            self.start(pause_at_start=True)

    def stop(self) -> None:
        """Shift+F5: stop the run."""
        if self.running:
            assert self.debug_run is not None
            self.debug_run.stop()

    def toggle_breakpoint(self, procedure: str, step_id: str) -> bool:
        """F9: set or clear a breakpoint before ``step_id`` of ``procedure``; returns whether it is now set."""
        now = self.marks.toggle(procedure, step_id)
        if self.running:
            assert self.debug_run is not None
            self.debug_run.toggle_breakpoint(procedure, step_id)
        self.post_message(BreakpointsChanged(procedure, self.marks.steps[procedure]))
        return now

    def markers(self, procedure: str) -> dict[str, str]:
        """What to mark on ``procedure``'s outline, by step id: the path taken, breakpoints, the paused step."""
        markers = {step: TAKEN for name, step in self.path_taken if name == procedure}
        markers.update({step: BREAKPOINT for step in self.marks.steps.get(procedure, ())})
        if self.current_step is not None and self.current_step[0] == procedure:
            markers[self.current_step[1]] = CURRENT
        return markers

    @property
    def marks(self) -> Breakpoints:
        """The breakpoints: the edit session's (its renames carry them along), or the view's own without one."""
        shared = self._shared_marks() if self._shared_marks is not None else None
        return shared if shared is not None else self._own_marks

    @property
    def breakpoints(self) -> dict[str, frozenset[str]]:
        """The breakpoints' step ids by procedure."""
        return self.marks.steps

    def next_tab(self) -> None:
        """F6: show the next tab (run log, context, conversation, scenarios, the mock server's and the comparison
        once there are ones) and focus it."""
        tabs = self.query_one(TabbedContent)
        order = [
            "run-log",
            "context",
            "conversation",
            "scenarios",
            *(["mock-server"] if self._mock_log is not None else []),
            *(["comparison"] if self._comparison is not None else []),
        ]
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors_with_self
        now = order.index(tabs.active) if tabs.active in order else -1
        tabs.active = order[(now + 1) % len(order)] if inside else tabs.active
        self.focus_tab()

    def focus_tab(self) -> None:
        """Focus the main widget of the tab in front."""
        active = self.query_one(TabbedContent).active
        if active == "run-log":
            give_focus(self.run_log)
        elif active == "context":
            give_focus(self.context_inspector.tree)
        elif active == "scenarios":
            give_focus(self.scenarios.table)
        elif active == "mock-server" and self._mock_log is not None:
            give_focus(self._mock_log)
        elif active == "comparison" and self._comparison is not None:
            give_focus(self._comparison)
        elif self.conversation.request is not None:
            give_focus(self.conversation.query_one("#reply", Input))
        else:
            give_focus(self.conversation.transcript)

    def start(self, *, pause_at_start: bool = False) -> DebugRun | None:
        """Start a run of the procedure chosen in the run bar."""
        self.refresh_choices()
        procedure = self.run_bar.procedure
        workspace = self._workspace()
        if procedure is None or workspace is None:
            self.run_bar.set_status("choose a procedure to run", "bold error")
            return None
        try:
            player = player_for(self.run_bar.agent, workspace)
        except ValueError as error:
            self.run_bar.set_status(f"cannot start: {error}", "bold error")
            return None
        options = RunOptions(
            environment=self.run_bar.environment,
            mode=self.run_bar.mode,
            breakpoints=self._breakpoint_set(),
            pause_at_start=pause_at_start,
        )
        return self._launch(DebugRun(workspace, procedure, options, self, player))

    def start_scenario(self, scenario: Scenario, pause_before: tuple[str, str]) -> DebugRun | None:
        """Run a scenario in the debugger: its attributes, mocks, answers and decisions (what it does not answer
        is asked in the Conversation tab), paused before ``pause_before`` (procedure, step id)."""
        workspace = self._workspace()
        if workspace is None or self.running:
            stop = f"stop the run first ({key_for(self.app, 'debug.stop')})"
            self.run_bar.set_status(stop if self.running else "still loading", "bold error")
            return None
        self.run_bar.procedure = scenario.procedure
        options = replace(
            ScenarioRunner(workspace).options(scenario), breakpoints=self._breakpoint_set() | {pause_before}
        )
        self.query_one(TabbedContent).active = "run-log"
        return self._launch(DebugRun(workspace, scenario.procedure, options, self, scenario_player(scenario)))

    def _breakpoint_set(self) -> set[Breakpoint]:
        return set(self.marks.pairs())

    def _launch(self, debug_run: DebugRun) -> DebugRun:
        self.debug_run = debug_run
        self.run_log.clear()
        self.query_one(EventDetail).show(None)
        self.conversation.clear()
        self.context_inspector.show_context(debug_run.run.context, editable=False, masker=debug_run.run.masker)
        self.run_bar.set_status(f"running {debug_run.procedure}…", "bold")
        self.path_taken = []
        self.post_message(PathTaken([]))
        self.run_worker(debug_run.execute(), group="debug-run", exit_on_error=False)
        return debug_run

    def _preview(self, event: Event) -> RenderedRequest | None:
        return self.debug_run.request_of(event) if self.debug_run is not None else None

    def _resumed(self) -> None:
        assert self.debug_run is not None
        self.context_inspector.show_context(
            self.debug_run.run.context, editable=False, masker=self.debug_run.run.masker
        )
        self.run_bar.set_status(f"running {self.debug_run.procedure}…", "bold")
        self.current_step = None
        self.post_message(StepReached(None, None))

    # -- what the debug run reports -------------------------------------------------------------------------------

    @on(RunEvents)
    def _events(self, message: RunEvents) -> None:
        message.stop()
        if message.debug_run is not self.debug_run:
            return
        self.run_log.add_events(message.events)
        self.conversation.add_events(message.events)
        if any(event.type in CONTEXT_EVENTS for event in message.events):
            self.context_inspector.show_context(
                message.debug_run.run.context,
                editable=message.debug_run.state == "paused",
                masker=message.debug_run.run.masker,
            )
        for event in message.events:
            if isinstance(event.payload, Paused):
                self._paused(event.payload)

    def _paused(self, paused: Paused) -> None:
        assert self.debug_run is not None
        procedure, step = paused.procedure, paused.step
        if self.debug_run.run.current_step != (procedure, step) or self.debug_run.state != "paused":
            return
        keys = f"{key_for(self.app, 'debug.run')} continue, {key_for(self.app, 'debug.step')} step"
        self.run_bar.set_status(f"paused before {step} ({paused.reason}): {keys}", "bold warning")
        self.current_step = (procedure, step)
        self.path_taken = steps_started(self.debug_run.events)
        self.post_message(StepReached(procedure, step))

    @on(InputAsked)
    def _asked(self, message: InputAsked) -> None:
        message.stop()
        if message.debug_run is not self.debug_run:
            return
        self.run_bar.set_status("waiting for the customer: answer in the Conversation tab", "bold warning")
        self.query_one(TabbedContent).active = "conversation"
        self.conversation.ask(message.request)

    @on(RunEnded)
    def _ended(self, message: RunEnded) -> None:
        message.stop()
        if message.debug_run is not self.debug_run:
            return
        self.conversation.done_asking()
        self.context_inspector.show_context(
            message.debug_run.run.context, editable=False, masker=message.debug_run.run.masker
        )
        self.current_step = None
        self.post_message(StepReached(None, None))
        if message.result is None:
            self.run_bar.set_status(f"the run broke: {message.crash}", "bold error")
            return
        self.run_bar.set_status(*_finished_status(message.result, key_for(self.app, "debug.run")))
        self.path_taken = steps_started(message.result.events)
        self.post_message(PathTaken(self.path_taken))

    # -- what the author does -------------------------------------------------------------------------------------

    @on(ConversationPane.Replied)
    def _replied(self, message: ConversationPane.Replied) -> None:
        message.stop()
        if self.debug_run is None:
            return
        problem = self.debug_run.reply(message.text)
        if problem is not None:
            self.conversation.refuse(problem)
            return
        self.conversation.done_asking()
        self.run_bar.set_status(f"running {self.debug_run.procedure}…", "bold")

    @on(ContextInspector.EditSubmitted)
    def _edited(self, message: ContextInspector.EditSubmitted) -> None:
        message.stop()
        if self.debug_run is None:
            run, step = key_for(self.app, "debug.run"), key_for(self.app, "debug.step")
            self.context_inspector.show_error(f"Start a run ({run} or {step}) to edit its context.")
            return
        problem = self.debug_run.set_attribute(message.attribute, message.value)
        if problem is not None:
            self.context_inspector.show_error(problem)

    @on(ScenariosPane.DebugScenario)
    def _debug_scenario(self, message: ScenariosPane.DebugScenario) -> None:
        message.stop()
        self.start_scenario(message.scenario, (message.procedure, message.step))

    @on(RunLog.EventSelected)
    def _selected(self, message: RunLog.EventSelected) -> None:
        message.stop()
        self.query_one(EventDetail).show(message.event)

    @on(Input.Changed, "#log-filter")
    def _filter(self, message: Input.Changed) -> None:
        message.stop()
        self.run_log.set_filter(message.value)


def _finished_status(result: RunResult, run_key: str) -> tuple[str, str]:
    style = "bold success" if result.ok else "bold error"
    detail = f": {result.error.message}" if result.error is not None else ""
    return f"finished: {result.outcome}{detail}  ({run_key} runs again)", style
