"""The Scenarios tab of the run panel: every scenario with its status, run on demand or again after each save,
the failure explained in place, and a way to the step where the run turned, to debug it, or to accept it.

Scenarios run with the same :class:`~workbench.scenarios.runner.ScenarioRunner` as ``workbench test``, in a
child process (:mod:`workbench.scenarios.background`) watched by a worker thread, so the editor never waits on
them and keeps its share of the interpreter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from workbench.coverage import CoverageReport, Hits, measure
from workbench.coverage.universe import ItemKind
from workbench.model import Expectations, Scenario
from workbench.scenarios import ScenarioCase
from workbench.scenarios.accept import expectations_diff
from workbench.scenarios.affected import ItemKey
from workbench.scenarios.background import BackgroundRunner
from workbench.scenarios.board import STATUS_LABELS, Row, ScenarioBoard, Status, Verdict
from workbench.store import Workspace
from workbench.tui.colours import on_theme_change, palette
from workbench.tui.keys import KeyHints
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input, TextArea
from workbench.visible import literal

STATUS_STYLES: dict[Status, str] = {
    "not run": "muted",
    "queued": "warning",
    "passed": "success",
    "failed": "bold error",
    "error": "bold reverse error",
}
"""How each status mark is drawn, as roles of :mod:`workbench.tui.colours`."""
COLUMNS = ("status", "name", "time", "procedure")
"""The table's column keys, in order."""
Cells = tuple[Text, ...]
"""One row's cells, in :data:`COLUMNS` order."""
COVERAGE_LABELS: dict[ItemKind, str] = {"step": "steps", "arm": "arms", "outcome": "outcomes"}
"""What the coverage line shows, in order."""
STATUS_MARKS: dict[Status, str] = {"not run": "·", "queued": "…", "passed": "✓", "failed": "✗", "error": "!"}
EDIT_DELAY_S = 0.8
"""How long editing must pause before scenarios run again, when running after each edit is on."""
REDRAW_S = 0.25
"""At most one redraw of the list, summary and badges per this many seconds while verdicts pour in: hundreds of
verdicts arriving batch by batch cost the editor a few redraws, not one per batch."""


class Reported(Message):
    """Verdicts of some scenarios, from the run request ``generation``."""

    def __init__(self, verdicts: list[Verdict], generation: int) -> None:
        super().__init__()
        self.verdicts = verdicts
        self.generation = generation


class ScenariosPane(Vertical):
    """The scenario list, a filter and the explanation of the selected scenario."""

    HELP = KeyHints(
        "Scenarios: Enter runs the selected one, {scenarios.run_all} runs all, {scenarios.run_procedure} those of "
        "the procedure in front. After each save the scenarios the save can change run again; "
        "{scenarios.toggle_watch} also runs them after each edit. On a failure: {scenarios.go_to_step} goes to "
        "the step where the run turned, {scenarios.debug_failure} debugs it paused there, {scenarios.accept} "
        "updates the scenario from its run (a diff first; {scenarios.undo_accept} undoes). Type in the filter to "
        "keep some (name, procedure or status)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "run_all", "Run all", id="scenarios.run_all"),
        Binding("p", "run_procedure", "Run procedure's", id="scenarios.run_procedure"),
        Binding("g", "go_to_step", "Go to step", id="scenarios.go_to_step"),
        Binding("d", "debug_failure", "Debug failure", id="scenarios.debug_failure"),
        Binding("u", "accept", "Update from run", id="scenarios.accept"),
        Binding("w", "toggle_watch", "Run on edit", id="scenarios.toggle_watch"),
        Binding("ctrl+z", "undo_accept", "Undo update", show=False, id="scenarios.undo_accept"),
    ]

    DEFAULT_CSS = """
    ScenariosPane { height: 1fr; }
    ScenariosPane #scenario-table { height: 1fr; }
    ScenariosPane #scenario-summary { height: 1; color: $text-muted; }
    ScenariosPane #scenario-explanation { height: 1fr; }
    """

    class Badges(Message):
        """Each procedure's badge (``✓``, ``✗2``, ``…`` or empty) changed."""

        def __init__(self, badges: dict[str, str]) -> None:
            super().__init__()
            self.badges = badges

    class Covered(Message):
        """The procedure coverage of the latest run of every scenario (the app marks the outlines with it)."""

        def __init__(self, report: CoverageReport) -> None:
            super().__init__()
            self.report = report

    class ShowStep(Message):
        """Show this step of this procedure in its editor."""

        def __init__(self, procedure: str, step: str) -> None:
            super().__init__()
            self.procedure = procedure
            self.step = step

    class DebugScenario(Message):
        """Run the scenario in the debugger, paused before ``step`` of ``procedure``."""

        def __init__(self, scenario: Scenario, procedure: str, step: str) -> None:
            super().__init__()
            self.scenario = scenario
            self.procedure = procedure
            self.step = step

    class AcceptRun(Message):
        """Write ``expect`` into the scenario file at ``case``'s path (``None``: undo the last update)."""

        def __init__(self, case: ScenarioCase | None, expect: Expectations | None) -> None:
            super().__init__()
            self.case = case
            self.expect = expect

    def __init__(
        self,
        workspace: Callable[[], Workspace | None],
        open_procedure: Callable[[], str | None],
        *,
        edit_delay_s: float = EDIT_DELAY_S,
        redraw_s: float = REDRAW_S,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._workspace = workspace
        self._open_procedure = open_procedure
        self.board = ScenarioBoard()
        self.runner = BackgroundRunner()
        self.watch_edits = False
        self.edit_delay_s = edit_delay_s
        self._edit_timer: Timer | None = None
        self._pending_edits: set[ItemKey] = set()
        self._badges: dict[str, str] = {}
        self.redraw_s = redraw_s
        self._finished: dict[str, Row] = {}
        self._drawn: dict[str, Cells] = {}
        """The cells shown, by row key, in table order."""
        self.showing = False
        """Whether the tab is on screen (rows that change while it is not are drawn when it is next shown)."""
        self._stale: dict[str, Row] = {}
        """Rows that changed while the tab was hidden, by key."""
        self._redraw_timer: Timer | None = None
        self.coverage: CoverageReport | None = None
        """The coverage of the latest run of every scenario, once one ran."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: name, procedure or status", id="scenario-filter", compact=True)
        table: DataTable[str | Text] = DataTable(id="scenario-table", cursor_type="row", zebra_stripes=True)
        table.add_column("", key=COLUMNS[0], width=1)
        table.add_column("Scenario", key=COLUMNS[1])
        table.add_column("Time", key=COLUMNS[2], width=7)
        table.add_column("Procedure", key=COLUMNS[3])
        yield table
        yield Static("", id="scenario-summary")
        yield Static("", id="scenario-coverage")
        yield TextArea("", id="scenario-explanation", read_only=True, soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.query_one("#scenario-coverage", Static).display = False  # until scenarios ran
        self.sync()
        on_theme_change(self, self._redraw)

    def on_unmount(self) -> None:
        self.runner.close()

    @property
    def table(self) -> DataTable[str | Text]:
        """The scenario list."""
        return self.query_one("#scenario-table", DataTable)

    @property
    def selected(self) -> Row | None:
        """The row under the cursor."""
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.board.row(key) if key is not None else None

    # -- the list ---------------------------------------------------------------------------------------------------

    def sync(self) -> None:
        """Follow the workspace's scenarios as they are now (added, removed, renamed files)."""
        workspace = self._workspace()
        if workspace is not None:
            self.board.sync(workspace)
        self._redraw()

    def _redraw(self) -> None:
        """Show the rows the filter keeps; when they are the rows shown already, only the cells that changed are
        drawn again (rebuilding a table of hundreds of rows measures every cell)."""
        table = self.table
        rows = self.board.visible(self.query_one("#scenario-filter", Input).value)
        if [row.case.path.name for row in rows] == list(self._drawn):
            for row in rows:
                self._update_row(row, explain=False)
        else:
            keep = self.selected
            table.clear()
            self._drawn = {}
            for row in rows:
                key = row.case.path.name
                cells = self._drawn[key] = self._cells(row)
                table.add_row(*cells, key=key)
            if keep is not None and keep.case.path.name in table.rows:
                table.move_cursor(row=table.get_row_index(keep.case.path.name))
        self._show_summary()
        self._explain()

    def _cells(self, row: Row) -> tuple[Text, ...]:
        took = _took(row.verdict.duration_s) if row.verdict is not None and row.status != "queued" else ""
        return (
            palette(self.app).text(STATUS_MARKS[row.status], STATUS_STYLES[row.status]),
            literal(row.name),
            literal(took),
            literal(row.procedure or "—"),
        )

    def _update_row(self, row: Row, *, explain: bool = True) -> None:
        key = row.case.path.name
        drawn = self._drawn.get(key)
        if drawn is None:
            return
        if not self.showing:  # drawn when the tab is next shown: typing elsewhere pays for no table
            self._stale[key] = row
            return
        cells = self._cells(row)
        for column, before, after in zip(COLUMNS, drawn, cells, strict=True):
            if before != after:
                self.table.update_cell(key, column, literal(after))
        self._drawn[key] = cells
        if explain and self.selected is row:
            self._explain()

    def on_show(self) -> None:
        self.showing = True
        stale, self._stale = list(self._stale.values()), {}
        for row in stale:
            self._update_row(row, explain=False)
        self._explain()
        self._show_coverage()  # the procedure in front may have changed

    def on_hide(self) -> None:
        self.showing = False

    def _show_summary(self) -> None:
        counts = self.board.counts()
        shown = [f"{count} {STATUS_LABELS[status]}" for status, count in counts.items() if count]
        watching = "  · runs after each edit (w)" if self.watch_edits else ""
        summary = ", ".join(shown) + watching if shown else "no scenario"
        show_text(self.query_one("#scenario-summary", Static), literal(summary), layout=False)  # one line, always

    def _explain(self) -> None:
        row = self.selected
        area = self.query_one("#scenario-explanation", TextArea)
        area.load_text(_explanation(row) if row is not None else "")

    def _publish_badges(self) -> None:
        badges = self.board.badges()
        if badges != self._badges:
            self._badges = badges
            self.post_message(self.Badges(dict(badges)))

    @on(DataTable.RowHighlighted, "#scenario-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._explain()

    @on(Input.Changed, "#scenario-filter")
    def _filtered(self, event: Input.Changed) -> None:
        event.stop()
        self._redraw()

    # -- running ----------------------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#scenario-table")
    def _run_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected
        if row is not None:
            self.run_rows([row])

    def action_run_all(self) -> None:
        """Run every scenario the filter shows."""
        self.run_rows(self.board.visible(self.query_one("#scenario-filter", Input).value))

    def action_run_procedure(self) -> None:
        """Run the scenarios of the procedure in front."""
        procedure = self._open_procedure()
        rows = [row for row in self.board.rows.values() if procedure and row.procedure == procedure]
        if not rows:
            self.notify("Open a procedure that has scenarios to run them.", timeout=4)
            return
        self.run_rows(rows)

    def rerun_affected(self, items: Iterable[ItemKey]) -> int:
        """Run again the scenarios an edit of ``items`` can change (after a save); returns how many."""
        workspace = self._workspace()
        if workspace is None:
            return 0
        self.board.sync(workspace)
        rows = self.board.affected(workspace, items)
        self._redraw()
        self.run_rows(rows)
        return len(rows)

    def edited(self, items: Iterable[ItemKey]) -> None:
        """An item was edited (not saved): with running after each edit on, run what it touched once the
        author pauses."""
        if not self.watch_edits:
            return
        self._pending_edits.update(items)
        if self._edit_timer is not None:
            self._edit_timer.stop()
        self._edit_timer = self.set_timer(self.edit_delay_s, self._run_edits)

    def _run_edits(self) -> None:
        items, self._pending_edits = self._pending_edits, set()
        self.rerun_affected(items)

    def action_toggle_watch(self) -> None:
        """Turn running after each edit (debounced) on or off."""
        self.watch_edits = not self.watch_edits
        self._show_summary()
        self.notify(f"Scenarios run after each edit: {'on' if self.watch_edits else 'off'}.", timeout=3)

    def run_rows(self, rows: Sequence[Row]) -> None:
        """Run these scenarios in a worker thread; their rows turn to ``running…`` until each reports."""
        workspace = self._workspace()
        if workspace is None or not rows:
            return
        generation, cases = self.board.queue(rows)
        for row in rows:
            self._update_row(row)
        self._show_summary()
        self._publish_badges()
        self._run_in_thread(workspace, generation, cases)

    @work(thread=True, group="scenarios", exit_on_error=False)
    def _run_in_thread(self, workspace: Workspace, generation: int, cases: list[ScenarioCase]) -> None:
        worker = get_current_worker()

        def heard(verdicts: list[Verdict]) -> None:
            self.post_message(Reported(verdicts, generation))  # thread-safe

        self.runner.run(workspace, cases, heard, lambda: worker.is_cancelled)

    @on(Reported)
    def _reported(self, message: Reported) -> None:
        """Take the verdicts in at once; show them now if nothing was shown in the last ``redraw_s``, else when
        that time is up (with whatever else arrived meanwhile)."""
        message.stop()
        for verdict in message.verdicts:
            row = self.board.finish(verdict, message.generation)
            if row is not None:
                self._finished[row.case.path.name] = row
        if self._redraw_timer is None:
            self._show_finished()

    def _show_finished(self) -> None:
        rows, self._finished = list(self._finished.values()), {}
        if not rows:
            self._redraw_timer = None
            return
        selected = self.selected
        for row in rows:
            self._update_row(row, explain=False)
        if selected is not None and selected in rows:
            self._explain()
        self._show_summary()
        self._publish_badges()
        workspace = self._workspace()
        if workspace is not None:
            self._measure(workspace, self.board.hits())
        self._redraw_timer = self.set_timer(self.redraw_s, self._show_finished)

    @work(thread=True, exclusive=True, group="coverage", exit_on_error=False)
    def _measure(self, workspace: Workspace, hits: Hits) -> None:
        """Measure the coverage off the event loop (a large workspace has many items to locate)."""
        self.post_message(self.Covered(measure(workspace, hits)))  # thread-safe

    @on(Covered)
    def _covered(self, message: Covered) -> None:
        """Show the coverage of the procedure in front (else of them all); the message goes on to the app."""
        self.coverage = message.report
        if self.is_attached:  # a measure ending while the app closes finds no pane to draw in
            self._show_coverage()

    def _show_coverage(self) -> None:
        report = self.coverage
        if report is None:
            return
        name = self._open_procedure()
        procedure = next((part for part in report.procedures if part.name == name), None)
        ratios = procedure.ratio if procedure is not None else report.ratio
        parts = ", ".join(f"{label} {ratios(kind)}" for kind, label in COVERAGE_LABELS.items())
        line = self.query_one("#scenario-coverage", Static)
        show_text(line, literal(f"coverage ({procedure.name if procedure else 'all procedures'}): {parts}"))
        line.display = True

    # -- on a failure -----------------------------------------------------------------------------------------------

    def _failure(self) -> tuple[Row, Verdict, Scenario] | None:
        """The selected row when it failed, its verdict and its scenario as it is now."""
        row = self.selected
        workspace = self._workspace()
        document = next(
            (doc for doc in (workspace.scenarios.values() if workspace else ()) if row and doc.path == row.case.path),
            None,
        )
        if row is None or row.verdict is None or row.status != "failed" or document is None:
            self.notify("Select a failed scenario (run it first: Enter).", timeout=4)
            return None
        return row, row.verdict, document.model

    def action_go_to_step(self) -> None:
        """Show the step where the selected failure's run turned away from what the scenario expects."""
        failure = self._failure()
        if failure is not None and failure[1].turning is not None:
            self.post_message(self.ShowStep(*failure[1].turning))

    def action_debug_failure(self) -> None:
        """Run the selected failure in the debugger with its mocks, answers and decisions, paused where it
        turned."""
        failure = self._failure()
        if failure is not None and failure[1].turning is not None:
            self.post_message(self.DebugScenario(failure[2], *failure[1].turning))

    def action_accept(self) -> None:
        """Show how the selected failure's expectations would change to what its run did; write them once
        confirmed."""
        from workbench.tui.screens.pickers import ConfirmScreen

        failure = self._failure()
        after = failure[1].accepted if failure is not None else None
        if failure is None or after is None:
            return
        row, _, scenario = failure
        before = scenario.expect
        diff = expectations_diff(before, after)
        if not diff:
            self.notify("Its run already meets what the scenario checks: nothing to update.", timeout=4)
            return
        question = "\n".join([f"Update {row.name!r} from its latest run?", "", *diff[2:]])

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(self.AcceptRun(row.case, after))

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_undo_accept(self) -> None:
        """Undo the last update of a scenario from its run."""
        self.post_message(self.AcceptRun(None, None))


def _explanation(row: Row) -> str:
    verdict = row.verdict
    if row.status == "queued":
        return "running…"
    if verdict is None:
        return "Not run yet: Enter runs it." if row.case.document is not None else str(row.case.problem)
    if verdict.status == "passed":
        return f"{row.name}: passed in {_took(verdict.duration_s)} ({row.procedure})."
    keys = "\n\ng: go to the step where it turned · d: debug it there · u: update the scenario from this run"
    return verdict.explanation + (keys if verdict.status == "failed" else "")


def _took(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.0f} s"
