"""Coverage in the app: after the Scenarios tab runs them, the outline marks (◌) the steps and arms no scenario
reaches, exactly the report's, the tab shows the procedure's percentages, and the palette lists each item missed
and goes to its step."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TabbedContent

from tests.coverage.routes import LATE, routes_workspace
from tests.tui.conftest import front_editor, open_item, running, settle, told, workbench_of
from tests.tui.debug.harness import finished, state
from tests.waiting import wait_until
from workbench.coverage import measure
from workbench.coverage.hits import Hits
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug.scenarios_pane import ScenariosPane
from workbench.tui.focus import give_focus
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import UNREACHED

WIDE = (160, 48)


def marked(app: WorkbenchApp) -> dict[str, bool]:
    """Each outline line's text (step id, or slot label) and whether it carries the unreached mark."""
    outline = front_editor(app, ProcedureEditor).outline
    lines = {}
    pending = list(outline.root.children)
    while pending:
        node = pending.pop(0)
        pending[:0] = list(node.children)
        text = node.label.plain
        ref = node.data
        key = ref.step_id if ref.step_id is not None else f"{ref.slot.owner}:{ref.slot.part}:{ref.slot.branch}"
        lines[key] = text.startswith(UNREACHED)
    return lines


async def test_the_outline_the_tab_and_the_palette_show_what_no_scenario_reaches_and_debug_to_it(
    tmp_path: Path,
) -> None:
    """After the Scenarios tab runs them: the outline marks exactly the report's missed steps and arms, the tab
    shows the percentages, a palette command goes to a missed step, another debugs to an uncovered arm (paused
    there, its run ready to record) and a code arm is told to be a code test. (Two tests once, each starting the
    app and running the scenarios.)"""
    root = routes_workspace(tmp_path / "routes")
    async with running(root, WIDE) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Route")
        assert not any(marked(app).values())  # nothing ran yet: nothing is marked
        app.main.debugger.query_one(TabbedContent).active = "scenarios"  # (F6 there: test_mock_server.py)
        table = app.main.debugger.scenarios.table
        give_focus(table)
        await wait_until(lambda: table.has_focus, pilot=pilot, what="the scenario list focused")
        await pilot.press("a")
        await wait_until(
            lambda: app.main.coverage.report is not None and app.main.coverage.report.runs == 2, pilot=pilot
        )
        await settle(pilot)
        assert marked(app) == {
            "lookup": False,
            "lookup:on_error:0": True,
            "failed": True,
            "route": False,
            "route:branch:0": False,
            "shipped": False,
            "route:branch:1": True,
            "late": True,
            "route:else:0": False,
            "done": False,
        }
        assert app.session is not None
        report = measure(app.session.workspace(), app.main.debugger.scenarios.board.hits())  # the report's own items
        assert {item.item.step for item in report.procedures[0].missing if item.item.kind == "step"} == {
            "failed",
            "late",
        }
        line = str(app.main.debugger.scenarios.query_one("#scenario-coverage", Static).render())
        assert line == "coverage (Route): steps 4/6 66.7%, arms 2/4 50.0%, outcomes 1/6 16.7%"

        commands = {command.title: command for command in app.main.palette_commands(app.screen)}
        missed = [title for title in commands if title.startswith("Not covered: ")]
        assert len(missed) == len(report.procedures[0].missing)
        commands["Not covered: step `late` (instruction) never reached"].run()
        outline = front_editor(app, ProcedureEditor).outline
        await wait_until(lambda: outline.current is not None and outline.current.step_id == "late", pilot=pilot)

        assert f"Debug to reach: branch 1 of `route` (code: `{LATE}`)" in commands
        commands["Debug to reach: on_error path of `lookup`"].run()
        view = app.main.debugger
        await wait_until(
            lambda: state(view) == "paused" and view.debug_run.run.current_step == ("Route", "lookup"), pilot=pilot
        )
        await pilot.press("f5")
        await finished(pilot, view)
        assert view.debug_run is not None and view.debug_run.result is not None
        assert view.debug_run.result.path == ["lookup", "failed"]  # the error path, ready for Ctrl+R
        commands[f"Debug to reach: branch 1 of `route` (code: `{LATE}`)"].run()
        await wait_until(lambda: "is a code test" in told(app), pilot=pilot)


async def test_a_coverage_report_arriving_while_the_run_bar_is_gone_is_taken_in_quietly(tmp_path: Path) -> None:
    """A measure ends in a worker: it may arrive while the app closes and the run bar's parts are gone (a fresh
    clone under load once failed on NoMatches '#run-procedure' here)."""
    root = routes_workspace(tmp_path / "routes")
    async with running(root, WIDE) as pilot:
        app = workbench_of(pilot)
        view = app.main.debugger
        await wait_until(lambda: view.run_bar.procedure is not None, pilot=pilot)
        await view.run_bar.query_one("#run-procedure").remove()
        assert view.run_bar.procedure is None
        pane = view.query_one(ScenariosPane)
        pane.post_message(ScenariosPane.Covered(measure(app.session.workspace(), Hits())))
        await wait_until(lambda: pane.coverage is not None, pilot=pilot)
