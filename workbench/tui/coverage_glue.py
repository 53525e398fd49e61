"""The app's side of procedure coverage: after the Scenarios tab's runs, the outline of each open procedure marks
what no scenario reaches, and the palette lists every item missed, each going to its step, and for each arm missed
a debug run with the mocks and decisions that lead there (:mod:`workbench.coverage.reach`), ready to record.

Imported with the app, so the coverage modules (models, engine) load only once a report arrives (quick start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.tui.commands import Command

if TYPE_CHECKING:
    from workbench.coverage import CoverageReport, Item, ProcedureCoverage
    from workbench.editing.step_ops import Slot
    from workbench.model import Scenario
    from workbench.tui.debug.scenarios_pane import ScenariosPane
    from workbench.tui.ports import Workbench


def unreached(procedure: ProcedureCoverage) -> tuple[set[str], set[Slot]]:
    """The steps and the outline slots of the arms no scenario reaches."""
    from workbench.coverage.universe import ELSE, ON_ERROR
    from workbench.editing.step_ops import Slot

    steps: set[str] = set()
    slots: set[Slot] = set()
    for measured in procedure.missing:
        item = measured.item
        if item.kind == "step":
            steps.add(item.step)
        elif item.kind == "arm":
            arm = item.key[1]
            if arm in (ELSE, ON_ERROR):
                slots.add(Slot(item.step, "else" if arm == ELSE else "on_error"))
            else:
                slots.add(Slot(item.step, "branch", int(arm)))
    return steps, slots


class CoverageGlue:
    """Holds the latest coverage of the Scenarios tab and shows it in the outlines and the palette."""

    def __init__(self, host: Workbench) -> None:
        self._host = host
        self.report: CoverageReport | None = None

    def on_scenarios_pane_covered(self, message: ScenariosPane.Covered) -> None:
        """Take in the Scenarios tab's new report and mark the open outlines."""
        self.report = message.report
        self.mark_outlines()

    def _procedure(self, name: str) -> ProcedureCoverage | None:
        report = self.report
        return next((part for part in report.procedures if part.name == name), None) if report else None

    def mark_outlines(self) -> None:
        """Mark what no scenario reaches in the outline of every open procedure (nothing before the scenarios ran)."""
        if self.report is None or not self._host.panes_up():
            return
        for editor in self._host.editors.editors():
            outline = getattr(editor, "outline", None)
            if outline is None or editor.entry.kind != "procedure":
                continue
            procedure = self._procedure(editor.entry.name)
            steps, slots = unreached(procedure) if procedure is not None else (set(), set())
            outline.set_unreached(steps, slots)

    def commands(self) -> list[Command]:
        """A palette command per item no scenario reaches: it opens the procedure at the item's step."""
        if self.report is None:
            return []
        from workbench.coverage.formats import clean
        from workbench.tui.debug.scenarios_pane import ScenariosPane

        commands = [
            Command(
                f"Not covered: {clean(measured.missing)}",
                clean(f"{procedure.name} · {measured.item.path.name}:{measured.item.line}"),
                lambda procedure=procedure.name, step=measured.item.step: self._host.post_message(  # type: ignore[misc]
                    ScenariosPane.ShowStep(procedure, step)
                ),
            )
            for procedure in self.report.procedures
            for measured in procedure.missing
        ]
        commands += [
            Command(
                f"Debug to reach: {clean(measured.item.what)}",
                "a debug run with the mocks and decisions that lead there, paused at it (then record it)",
                lambda item=measured.item: self.debug_to(item),  # type: ignore[misc]
            )
            for procedure in self.report.procedures
            for measured in procedure.missing
            if measured.item.kind == "arm"
        ]
        return commands

    def debug_to(self, item: Item) -> None:
        """Start a debug run that takes the arm ``item``, over a scenario whose run reaches its step, paused there."""
        from workbench.coverage.reach import CannotReach, reach
        from workbench.tui.keys import key_for

        host = self._host
        workspace, view = (
            host.workspace(),
            host.debug_view(),
        )  # a report exists: the Scenarios tab, so the view, is there
        if workspace is None or view is None:
            return
        try:
            derived = reach(workspace, item, self._base(item))
        except CannotReach as why:
            host.notify(f"Cannot derive a run to {item.what}: {why}", severity="warning", timeout=6)
            return
        if view.start_scenario(derived.scenario, derived.pause_at) is None:
            return
        notes = "; ".join(derived.notes)
        host.notify(
            f"Running to {item.what}, paused at `{item.step}`. {notes + '. ' if notes else ''}"
            f"{key_for(host.app, 'debug.record')} records the run as a scenario.",
            timeout=8,
        )

    def _base(self, item: Item) -> Scenario | None:
        """A scenario whose latest run reached the arm's step, to start from (its context and answers)."""
        view = self._host.debug_view()
        if view is None:
            return None
        board = view.scenarios.board
        for row in board.rows.values():
            hits = row.verdict.hits if row.verdict is not None else None
            if hits is not None and hits.count("step", item.procedure, item.step) and row.case.document is not None:
                return row.case.document.model
        return None
