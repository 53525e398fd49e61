"""The state of every scenario of a workspace as the author edits: not run yet, queued, passed, failed or could
not run, with the latest verdict; which to run again after an edit; one badge per procedure.

The app's Scenarios view draws it; it knows nothing of screens, and runs nothing itself
(:mod:`workbench.scenarios.background` runs them with the same runner as ``workbench test``). Each run leaves a
:class:`Verdict`: what the view shows and acts on, small enough to cross a process boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workbench.coverage.hits import Hits
from workbench.events import steps_started
from workbench.model import Expectations
from workbench.scenarios.accept import accepted_expectations
from workbench.scenarios.affected import ItemKey, affected_procedures
from workbench.scenarios.expectations import divergence
from workbench.scenarios.runner import ScenarioCase, ScenarioReport, collect_cases
from workbench.store import Workspace

Status = Literal["not run", "queued", "passed", "failed", "error"]
STATUS_LABELS: dict[Status, str] = {
    "not run": "not run yet",
    "queued": "running…",
    "passed": "pass",
    "failed": "FAIL",
    "error": "could not run",
}


@dataclass(frozen=True)
class Verdict:
    """What one run of a scenario file showed: its status and time, the explanation ``workbench test`` prints,
    where a failed run turned (see :func:`turning_step`), the expectations that run meets (to accept it) and what
    it reached, for coverage (``None`` when it could not run)."""

    path: Path
    status: Literal["passed", "failed", "error"]
    duration_s: float
    explanation: str = ""
    turning: tuple[str, str] | None = None
    accepted: Expectations | None = None
    hits: Hits | None = None


def verdict_of(report: ScenarioReport) -> Verdict:
    """The verdict of a scenario report."""
    failed = report.status == "failed" and report.result is not None and report.case.document is not None
    accepted = None
    if failed:
        assert report.result is not None and report.case.document is not None
        accepted = accepted_expectations(report.case.document.model.expect, report.result)
    hits = None
    if report.result is not None:
        hits = Hits()
        hits.add_run(report.result.events)
    return Verdict(
        report.case.path,
        report.status,
        report.duration_s,
        report.explanation(),
        turning_step(report) if failed else None,
        accepted,
        hits,
    )


@dataclass
class Row:
    """One scenario on the board: its case, its status and its latest verdict (``None`` until it ran)."""

    case: ScenarioCase
    status: Status = "not run"
    verdict: Verdict | None = None
    generation: int = 0
    """Which :meth:`ScenarioBoard.queue` asked for the run under way, so a stale verdict is dropped."""

    @property
    def name(self) -> str:
        """The scenario's name (its file's stem when it did not load)."""
        return self.case.name

    @property
    def procedure(self) -> str:
        """The procedure the scenario runs (empty when the file did not load)."""
        return self.case.procedure or ""

    def matches(self, text: str) -> bool:
        """Whether the filter ``text`` keeps this row: every word appears in its name, procedure or status."""
        haystack = f"{self.name} {self.procedure} {STATUS_LABELS[self.status]} {self.case.path.name}".casefold()
        return all(word in haystack for word in text.casefold().split())


class ScenarioBoard:
    """Every scenario of the workspace, kept in file order; :meth:`sync` follows the workspace as it changes."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self._generation = 0

    def sync(self, workspace: Workspace) -> None:
        """Take in the workspace's scenarios as they are now: new ones are added (not run yet), deleted ones
        dropped; a scenario whose file changed keeps its last status until it runs again."""
        cases = collect_cases(workspace)
        rows: dict[str, Row] = {}
        for case in cases:
            row = self.rows.get(_key(case))
            rows[_key(case)] = Row(case, row.status, row.verdict, row.generation) if row else Row(case)
        self.rows = rows

    def row(self, key: str) -> Row | None:
        """The row of the scenario file ``key`` (its file name)."""
        return self.rows.get(key)

    def visible(self, text: str = "") -> list[Row]:
        """The rows the filter keeps, in file order."""
        return [row for row in self.rows.values() if row.matches(text)]

    def affected(self, workspace: Workspace, items: Iterable[ItemKey]) -> list[Row]:
        """The rows whose run an edit of ``items`` can change: their procedure reaches an edited procedure or
        connector, settings changed, or the scenario itself was edited."""
        touched = list(items)
        procedures = {name: document.model for name, document in workspace.procedures.items()}
        reach = affected_procedures(procedures, touched)
        edited = {name for kind, name in touched if kind == "scenario"}
        return [
            row
            for row in self.rows.values()
            if row.name in edited or (row.procedure and row.procedure in reach) or row.case.document is None
        ]

    def queue(self, rows: Iterable[Row]) -> tuple[int, list[ScenarioCase]]:
        """Mark rows as running again; returns the request's number (give it back to :meth:`finish`) and the
        cases to hand to the runner."""
        self._generation += 1
        cases = []
        for row in rows:
            row.status, row.generation = "queued", self._generation
            cases.append(row.case)
        return self._generation, cases

    def finish(self, verdict: Verdict, generation: int) -> Row | None:
        """Take in a verdict of the run request ``generation``; returns the row it updated, or ``None`` when the
        scenario is gone or was queued again since (the verdict is stale)."""
        row = self.rows.get(verdict.path.name)
        if row is None or row.generation != generation:
            return None
        row.status, row.verdict = verdict.status, verdict
        return row

    def badge(self, procedure: str) -> str:
        """The procedure's scenarios at a glance: ``✓`` all ran and passed, ``✗n`` n failing or unable to run,
        ``…`` some still running, empty when it has no scenario or none ran yet."""
        return _badge([row for row in self.rows.values() if row.procedure == procedure])

    def badges(self) -> dict[str, str]:
        """:meth:`badge` of every procedure that has scenarios (one pass over the rows)."""
        by_procedure: dict[str, list[Row]] = {}
        for row in self.rows.values():
            if row.procedure:
                by_procedure.setdefault(row.procedure, []).append(row)
        return {procedure: _badge(rows) for procedure, rows in by_procedure.items()}

    def hits(self) -> Hits:
        """What the latest run of every scenario reached, merged (the Scenarios tab's coverage)."""
        merged = Hits()
        for row in self.rows.values():
            if row.verdict is not None and row.verdict.hits is not None:
                merged.merge(row.verdict.hits)
        return merged

    def counts(self) -> dict[Status, int]:
        """How many scenarios are in each status."""
        counted: dict[Status, int] = dict.fromkeys(STATUS_LABELS, 0)
        for row in self.rows.values():
            counted[row.status] += 1
        return counted


def _key(case: ScenarioCase) -> str:
    return case.path.name


def turning_step(report: ScenarioReport) -> tuple[str, str] | None:
    """Where to look first in a failed run, as ``(procedure, step id)``: the last step the run shared with the
    expected path before it went elsewhere (the first step when they differ at once), or the run's last step
    when the path is not what failed. ``None`` when no step ran."""
    result = report.result
    if result is None:
        return None
    started = steps_started(result.events)
    if not started:
        return None
    expected = report.case.document.model.expect.path if report.case.document else None
    index = divergence(expected, result.path) if expected is not None else None
    if index is None:
        return started[-1]
    return started[max(index - 1, 0)] if index <= len(started) else started[-1]


def _badge(rows: list[Row]) -> str:
    failing = sum(row.status in ("failed", "error") for row in rows)
    if failing:
        return f"✗{failing}"
    if any(row.status == "queued" for row in rows):
        return "…"
    if rows and all(row.status == "passed" for row in rows):
        return "✓"
    return ""
