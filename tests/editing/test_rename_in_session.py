"""A rename applied in an editing session: its breakpoints follow it, its files are written as a set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.editing.breakpoints import Breakpoints
from workbench.editing.edit_session import EditSession
from workbench.editing.operations import History
from workbench.editing.rename import plan_rename


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.json"))}


def test_breakpoints_follow_a_step_rename_and_undo_brings_them_back(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    breakpoints = session.breakpoints
    other = next(step.id for step in session.procedures()["Order status"].all_steps() if step.id != "lookup")
    elsewhere = session.procedures()["Refund request"].steps[0].id
    for procedure, step_id in (("Order status", "lookup"), ("Order status", other), ("Refund request", elsewhere)):
        breakpoints.toggle(procedure, step_id)
    before = dict(breakpoints.steps)
    history = History()
    plan = plan_rename(session.items(), "step", "lookup", "find", "Order status")
    history.do(plan.change(breakpoints=breakpoints))
    assert breakpoints.steps["Order status"] == {"find", other}
    assert breakpoints.steps.get("Refund request") == before.get("Refund request"), "other procedures keep theirs"
    history.undo()
    assert breakpoints.steps == before


def test_breakpoints_follow_a_procedure_rename(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    session.breakpoints.toggle("Order status", "lookup")
    history = History()
    history.do(
        plan_rename(session.items(), "procedure", "Order status", "Where is it").change(breakpoints=session.breakpoints)
    )
    assert session.breakpoints.pairs() == {("Where is it", "lookup")}
    history.undo()
    assert session.breakpoints.pairs() == {("Order status", "lookup")}


def test_a_connector_rename_leaves_breakpoints_alone() -> None:
    breakpoints = Breakpoints()
    breakpoints.toggle("Order status", "lookup")
    assert breakpoints.renamed("connector", "Get orders", "Fetch orders") == breakpoints.steps
    assert not breakpoints.toggle("Order status", "lookup") and breakpoints.pairs() == set()


def test_a_rename_is_saved_as_a_set_with_the_renamed_file(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    plan = plan_rename(session.items(), "connector", "Get orders", "Fetch orders")
    change = plan.change()
    History().do(change)
    entries = [entry for entry in map(session.entry_of, change.models()) if entry is not None]
    session.save_set(entries)
    assert not (desk_copy / "connectors" / "get-orders.json").exists()
    assert (desk_copy / "connectors" / "fetch-orders.json").is_file()
    assert not session.dirty_entries() and not session.scan_disk()
    assert "@call(Fetch orders)" in (desk_copy / "procedures" / "order-status.json").read_text()


def test_a_failed_set_save_leaves_every_file_as_it_was(desk_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = EditSession.load(desk_copy)
    before = _files(desk_copy)
    change = plan_rename(session.items(), "connector", "Get orders", "Fetch orders").change()
    History().do(change)
    entries = [entry for entry in map(session.entry_of, change.models()) if entry is not None]
    assert len(entries) > 2
    real_replace, calls = os.replace, []

    def failing(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        session.save_set(entries)
    assert _files(desk_copy) == before
    assert all(entry.dirty or entry.differs_from_disk() for entry in entries)
