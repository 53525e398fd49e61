"""Linting in the app (:class:`LintRunner`, owned by the app): lints once typing pauses, off the UI loop, and draws
the findings. What a lint finds and when its result stands is :mod:`workbench.editing.lint_cycle`'s; this module
schedules and draws."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app imports this module before the models have loaded
    from textual.timer import Timer

    from workbench.editing.edit_session import EditSession
    from workbench.editing.lint_cycle import LintCycle, LintJob, LintResult
    from workbench.tui.ports import FindingsPanes, WorkspaceOwner
    from workbench.tui.recovery_glue import Recovery


class LintRunner:
    """Lints the owner's session (once :meth:`start`-ed) and shows the findings in the panes; every change of the
    models goes through :meth:`schedule_lint` (the recovery journal follows it too)."""

    def __init__(self, owner: WorkspaceOwner, panes: FindingsPanes, journal: Recovery, delay: float) -> None:
        self._owner = owner
        self._panes = panes
        self._journal = journal
        self.delay = delay
        """Pause in typing before a lint."""
        self.cycle: LintCycle | None = None
        """The session's lint cycle (:mod:`workbench.editing.lint_cycle`), once loaded."""
        self._timer: Timer | None = None

    def start(self, session: EditSession) -> None:
        """Lint ``session`` now, and from now on after each change."""
        from workbench.editing.lint_cycle import LintCycle

        self.cycle = LintCycle(session)
        self.action_lint()

    def edited(self) -> None:
        """The models changed: a lint on its way is out of date."""
        if self.cycle is not None:
            self.cycle.edited()

    def schedule_lint(self) -> None:
        """Lint once typing pauses (called after every change of the models: the recovery journal follows)."""
        self._journal.changed()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._panes.app.set_timer(self.delay, self.action_lint)

    def action_lint(self) -> None:
        """Lint the workspace now."""
        if self.cycle is not None:
            job = self.cycle.job()
            self._panes.app.run_worker(
                lambda: self._lint(job), name="_lint", group="lint", exclusive=True, thread=True, exit_on_error=False
            )

    def _lint(self, job: LintJob) -> None:
        self._panes.app.call_from_thread(self._linted, job.run())

    def _linted(self, result: LintResult) -> None:
        owner, panes = self._owner, self._panes
        outcome = self.cycle.settle(result, owner.findings) if self.cycle is not None else None
        if outcome is None:
            return  # edited meanwhile: another lint is on its way
        owner.findings = outcome.findings
        panes.problems.show(outcome.findings)
        if outcome.changed:
            panes.apply_layout()
        panes.tree.set_badges(outcome.badges)
        if outcome.settled:
            panes.tree.refresh_labels()
        for editor in panes.editors.editors():
            if outcome.changed:
                panes.show_findings(editor)
            editor.refresh_title()
