"""The app's side of procedure coverage: after the Scenarios tab's runs, the outline of each open procedure marks
what no scenario reaches, and the palette lists every item missed, each going to its step.

Imported with the app, so the coverage modules (models, engine) load only once a report arrives (quick start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.tui.commands import Command

if TYPE_CHECKING:
    from workbench.coverage import CoverageReport, ProcedureCoverage
    from workbench.editing.step_ops import Slot
    from workbench.tui.app import WorkbenchApp


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

    def __init__(self, app: WorkbenchApp) -> None:
        self._app = app
        self.report: CoverageReport | None = None

    def show(self, report: CoverageReport) -> None:
        """Take in a new report and mark the open outlines."""
        self.report = report
        self.mark_outlines()

    def _procedure(self, name: str) -> ProcedureCoverage | None:
        report = self.report
        return next((part for part in report.procedures if part.name == name), None) if report else None

    def mark_outlines(self) -> None:
        """Mark what no scenario reaches in the outline of every open procedure (nothing before the scenarios ran)."""
        if self.report is None or not self._app.screen_stack:
            return
        for editor in self._app.editors.editors():
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

        return [
            Command(
                f"Not covered: {clean(measured.missing)}",
                clean(f"{procedure.name} · {measured.item.path.name}:{measured.item.line}"),
                lambda procedure=procedure.name, step=measured.item.step: self._app.post_message(  # type: ignore[misc]
                    ScenariosPane.ShowStep(procedure, step)
                ),
            )
            for procedure in self.report.procedures
            for measured in procedure.missing
        ]
