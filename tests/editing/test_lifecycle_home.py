"""The workspace lifecycle has one home, in workbench/editing: the TUI draws what the lint cycle, the disk sync and
save-all return, and never lints, scans the disk, re-reads files into the session, settles unsaved marks or writes
payloads itself (a file the app wrote is taken in as one changed on disk: ``DiskSync.take_in``)."""

from __future__ import annotations

import ast

from tests.source_rules import broken, nodes

DECIDED_IN_EDITING = frozenset(
    {"lint_workspace", "transformed_payloads", "take_payloads", "scan_disk", "differs_from_disk", "refresh_dirty"}
)
"""Calls that only workbench/editing makes (the lint cycle, the disk sync, save-all, the session)."""
SESSION_STATE = frozenset({"dirty", "disk", "payloads", "breakpoints"})
"""What the TUI reads of the session and its items but never assigns."""
RE_READ = frozenset({"reload", "load_new"})
"""The session's ways of reading a file into it, which only the disk sync calls (the TUI asks it to take files in)."""


def _session_call(call: ast.Call) -> str | None:
    """``reload`` or ``load_new`` when ``call`` calls it on a session (``session.reload(...)``, ``x.session....``)."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in RE_READ:
        return None
    receiver = func.value
    name = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
    return func.attr if "session" in name else None


def lifecycle_outside_editing(module: str, source: str) -> list[str]:
    """A module of workbench/tui that lints, scans, settles or assigns the session's lifecycle state itself."""
    if not module.startswith("tui/"):
        return []
    problems: list[str] = []
    for node in nodes(source):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in DECIDED_IN_EDITING:
                problems.append(f"{module}:{node.lineno}: calls {name} (ask workbench/editing's lifecycle)")
            reread = _session_call(node)
            if reread:
                problems.append(f"{module}:{node.lineno}: calls session.{reread} (take files in: DiskSync.take_in)")
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


def test_the_rule_finds_a_glue_that_reads_the_files_it_wrote_into_the_session_itself() -> None:
    """The import glue of before: it reloaded what it wrote, dropping unsaved edits of those items unasked."""
    before = """
async def _show_imported(self, plan, written, unsaved_settings):
    session = self._host.session
    session.reload(session.settings)
    for path in written:
        entry = session.by_path(path)
        if entry is not None:
            session.reload(entry)
        else:
            loaded = self._host.session.load_new(path)
"""
    found = lifecycle_outside_editing("tui/import_glue.py", before)
    assert [problem.split(": ", 1)[1] for problem in found] == [
        "calls session.reload (take files in: DiskSync.take_in)",
        "calls session.reload (take files in: DiskSync.take_in)",
        "calls session.load_new (take files in: DiskSync.take_in)",
    ]
    asked = "async def action_reload(self):\n    reload = self.sync.reload(entry)\n"
    assert lifecycle_outside_editing("tui/disk_glue.py", asked) == [], "the disk sync's reload is its own"
