"""The lint cycle without the app: findings, the transformed payloads written back, unsaved marks settled, badges,
a lint overtaken by an edit dropped."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import LINT_EXAMPLES
from workbench.editing.edit_session import EditSession
from workbench.editing.lint_cycle import LintCycle, badges
from workbench.lint import lint_workspace


def test_a_lint_takes_the_transformed_payloads_into_the_session_once(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    cycle = LintCycle(session)
    result = cycle.job().run()
    assert "order_count" in result.payloads["Get order history"]  # the transform ran on the sample
    version = session.version
    outcome = cycle.settle(result, shown=[])
    assert outcome is not None and session.payloads == result.payloads and session.version == version + 1
    assert "Get order history > order_count" in session.catalog().known_paths()
    again = cycle.settle(cycle.job().run(), shown=outcome.findings)
    assert again is not None and not again.changed and session.version == version + 1, "same payloads: not stale"


def test_the_findings_are_the_workspace_linted_with_its_payloads(tmp_path: Path) -> None:
    root = Path(shutil.copytree(LINT_EXAMPLES, tmp_path / "lint-examples"))
    session = EditSession.load(root)
    cycle = LintCycle(session)
    outcome = cycle.settle(cycle.job().run(), shown=[])
    assert outcome is not None and outcome.changed
    assert outcome.findings == lint_workspace(session.workspace(), payloads=session.transformed_payloads())
    assert cycle.settle(cycle.job().run(), shown=outcome.findings).changed is False


def test_badges_count_errors_else_warnings(tmp_path: Path) -> None:
    root = Path(shutil.copytree(LINT_EXAMPLES, tmp_path / "lint-examples"))
    session = EditSession.load(root)
    findings = lint_workspace(session.workspace())
    marks = badges(session, findings)
    assert marks, "the lint examples have findings"
    for entry, mark in marks.items():
        mine = [finding for finding in findings if finding.path == entry.path]
        errors = [finding for finding in mine if finding.severity == "error"]
        assert mark == (f"✗{len(errors)}" if errors else f"!{len(mine)}")
    assert all(entry in marks for entry in session.all_entries() if any(f.path == entry.path for f in findings))


def test_a_lint_settles_the_unsaved_marks_of_the_items_it_was_given(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    cycle = LintCycle(session)
    undone = session.find("procedure", "Order status")
    changed = session.find("procedure", "Refund request")
    assert undone is not None and changed is not None
    undone.touch()  # an edit undone by hand: marked unsaved until a lint compares it with its file
    changed.model.description = "Changed"
    changed.touch()
    job = cycle.job()
    assert set(job.touched) == {undone, changed}
    outcome = cycle.settle(job.run(), shown=[])
    assert outcome is not None and outcome.settled == [undone]
    assert not undone.dirty and changed.dirty


def test_a_lint_an_edit_overtook_is_dropped(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    cycle = LintCycle(session)
    entry = session.find("procedure", "Order status")
    assert entry is not None
    entry.touch()
    job = cycle.job()
    result = job.run()
    cycle.edited()  # typed while the lint ran
    assert cycle.settle(result, shown=[]) is None
    assert entry.dirty and session.payloads == {}, "nothing of the stale lint reaches the session"
    assert cycle.settle(cycle.job().run(), shown=[]) is not None
