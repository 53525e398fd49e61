"""The lint cycle of an edit session: lint the models as edited, settle what is unsaved, badge the items.

A cycle has three steps. :meth:`LintCycle.job` (on the UI thread) notes the edits so far and the items marked
unsaved; :meth:`LintJob.run` (off the UI thread: it runs transforms and code on the samples) computes the
transformed payloads, lints with them and compares each of those items with its file; :meth:`LintCycle.settle`
(on the UI thread again) writes the payloads and the unsaved marks back into the session and says what to draw,
unless an edit came meanwhile (another lint is on its way then).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.editing.edit_session import EditSession, Entry
from workbench.lint import Finding, lint_workspace


@dataclass(frozen=True)
class LintResult:
    """What a lint found, off the UI thread: the findings, the payloads it linted with, and whether each item
    it was given to settle differs from its file."""

    edits: int
    findings: list[Finding]
    payloads: dict[str, Any]
    differs: dict[Entry, bool]


@dataclass(frozen=True)
class LintJob:
    """One lint of ``session``, started after ``edits`` edits, settling the unsaved mark of ``touched``."""

    session: EditSession
    edits: int
    touched: tuple[Entry, ...]

    def run(self) -> LintResult:
        """Lint the workspace as edited, with the transformed payloads (slow: call it off the UI thread)."""
        payloads = self.session.transformed_payloads()
        findings = lint_workspace(self.session.workspace(), payloads=payloads)
        return LintResult(self.edits, findings, payloads, {entry: entry.differs_from_disk() for entry in self.touched})


@dataclass(frozen=True)
class LintOutcome:
    """What the app draws after a lint: the findings (``changed`` when they differ from those shown), the items
    whose unsaved mark changed, and the items' badges (``✗2``: two errors; ``!3``: three warnings)."""

    findings: list[Finding]
    changed: bool
    settled: list[Entry]
    badges: dict[Entry, str]


def badges(session: EditSession, findings: Sequence[Finding]) -> dict[Entry, str]:
    """The badge of each item with findings: ``✗`` and its errors when it has any, else ``!`` and its warnings."""
    marks: dict[Entry, str] = {}
    for entry in session.all_entries():
        mine = [finding for finding in findings if finding.path == entry.path]
        errors = sum(1 for finding in mine if finding.severity == "error")
        if mine:
            marks[entry] = f"✗{errors}" if errors else f"!{len(mine)}"
    return marks


class LintCycle:
    """The lint cycle of one edit session: counts its edits, so that a lint an edit overtook is dropped."""

    def __init__(self, session: EditSession) -> None:
        self.session = session
        self._edits = 0

    def edited(self) -> None:
        """An edit was made: a lint started before it is out of date."""
        self._edits += 1

    def job(self) -> LintJob:
        """A lint of the models as they are now (take it on the UI thread; run it off)."""
        touched = tuple(entry for entry in self.session.all_entries() if entry.dirty)
        return LintJob(self.session, self._edits, touched)

    def settle(self, result: LintResult, shown: Sequence[Finding]) -> LintOutcome | None:
        """Take a lint's result into the session (the payloads, the unsaved marks it settled) and say what to
        draw; ``None`` when an edit came after it started. ``shown`` are the findings drawn now."""
        if result.edits != self._edits:
            return None
        settled = [entry for entry, differs in result.differs.items() if entry.dirty != differs]
        for entry in settled:
            entry.dirty = result.differs[entry]
        self.session.take_payloads(result.payloads)
        findings = result.findings
        return LintOutcome(findings, findings != list(shown), settled, badges(self.session, findings))
