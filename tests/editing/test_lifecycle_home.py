"""The workspace lifecycle has one home, in workbench/editing: the TUI draws what the lint cycle, the disk sync and
save-all return, and never lints, scans the disk, settles unsaved marks or writes payloads itself."""

from __future__ import annotations

import ast

from tests.source_rules import broken

DECIDED_IN_EDITING = frozenset(
    {"lint_workspace", "transformed_payloads", "take_payloads", "scan_disk", "differs_from_disk", "refresh_dirty"}
)
"""Calls that only workbench/editing makes (the lint cycle, the disk sync, save-all, the session)."""
SESSION_STATE = frozenset({"dirty", "disk", "payloads", "breakpoints"})
"""What the TUI reads of the session and its items but never assigns."""


def lifecycle_outside_editing(module: str, source: str) -> list[str]:
    """A module of workbench/tui that lints, scans, settles or assigns the session's lifecycle state itself."""
    if not module.startswith("tui/"):
        return []
    problems: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in DECIDED_IN_EDITING:
                problems.append(f"{module}:{node.lineno}: calls {name} (ask workbench/editing's lifecycle)")
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            problems += [
                f"{module}:{node.lineno}: assigns .{target.attr} (the edit session's, set in workbench/editing)"
                for target in targets
                if isinstance(target, ast.Attribute) and target.attr in SESSION_STATE
            ]
    return problems


def test_the_tui_leaves_the_lifecycle_to_workbench_editing() -> None:
    assert broken(lifecycle_outside_editing) == []


def test_the_rule_finds_the_app_as_it_was_before_the_lifecycle_moved() -> None:
    """The App's lint of before (it linted in its worker, settled the marks and wrote the payloads back)."""
    before = """
def _lint(self, session, edits, touched):
    findings = lint_workspace(session.workspace(), payloads=session.transformed_payloads())
    dirty = {entry: entry.differs_from_disk() for entry in touched}

def _linted(self, dirty, payloads):
    for entry in dirty:
        entry.dirty = dirty[entry]
    self.session.payloads = payloads
"""
    found = lifecycle_outside_editing("tui/app.py", before)
    assert sorted(problem.split(": ", 1)[1] for problem in found) == [
        "assigns .dirty (the edit session's, set in workbench/editing)",
        "assigns .payloads (the edit session's, set in workbench/editing)",
        "calls differs_from_disk (ask workbench/editing's lifecycle)",
        "calls lint_workspace (ask workbench/editing's lifecycle)",
        "calls transformed_payloads (ask workbench/editing's lifecycle)",
    ]
    assert lifecycle_outside_editing("editing/lint_cycle.py", before) == [], "workbench/editing is their home"
