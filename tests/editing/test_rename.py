"""Rename refactoring on the sample desk: every reference follows, lint stays clean, every scenario passes,
renaming back gives the same bytes, and the files are written as a set."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Literal

import pytest

from tests.conftest import SUPPORT_DESK
from workbench.cli import main
from workbench.editing.operations import History
from workbench.editing.rename import RenameError, plan_rename
from workbench.store import KINDS, Kind, load_workspace, serialize

DESK = load_workspace(SUPPORT_DESK)
CONNECTORS = sorted(DESK.connectors)
PROCEDURES = sorted(DESK.procedures)
STEPS = [(name, step.id) for name, model in sorted(DESK.procedure_models().items()) for step in model.all_steps()]


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.json"))}


def _items(root: Path) -> dict[Kind, dict[str, Any]]:
    workspace = load_workspace(root)
    return {kind: {name: doc.model for name, doc in workspace.documents(kind).items()} for kind in KINDS}


def _clean_and_green(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(root)]) == 0, capsys.readouterr().out
    assert "error" not in capsys.readouterr().out
    assert main(["test", str(root)]) == 0, capsys.readouterr().out
    capsys.readouterr()


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves skip the flush to disk (about 0.15 s a rename here): what reaches the disk after a crash is not these
    tests' point (tests/editing/test_write_journal.py and the atomic-save tests pin it)."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.mark.parametrize(
    ("kind", "olds", "procedure"),
    [pytest.param("connector", [name], None, id=f"connector-{name}") for name in CONNECTORS]
    + [pytest.param("procedure", [name], None, id=f"procedure-{name}") for name in PROCEDURES]
    + [
        pytest.param("step", [step for owner, step in STEPS if owner == name], name, id=f"steps-{name}")
        for name in PROCEDURES
    ],
)
def test_renames_keep_the_desk_clean_and_green_and_renaming_back_restores_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_fsync: None,
    kind: Literal["connector", "procedure", "step"],
    olds: list[str],
    procedure: str | None,
) -> None:
    """Every connector, every procedure and every step of the sample desk renamed (a procedure's steps one after
    another in one desk) changes the files, leaves the desk lint-clean with every scenario passing, and renaming
    back (in reverse order) gives the same bytes. Lint and the suite, the slow part, run once per procedure's
    steps: a rename that leaves a reference behind still fails them."""
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    extra = ["--procedure", procedure] if procedure else []
    renamed = {old: f"{old}-renamed" if kind == "step" else f"{old} renamed" for old in olds}
    for old, new in renamed.items():
        previous = _files(root)
        assert main(["rename", str(root), kind, old, new, *extra]) == 0, capsys.readouterr().err
        assert _files(root) != previous
        if kind != "step":
            assert old not in load_workspace(root).documents(kind) and new in load_workspace(root).documents(kind)
    capsys.readouterr()
    _clean_and_green(root, capsys)
    for old, new in reversed(renamed.items()):
        assert main(["rename", str(root), kind, new, old, *extra]) == 0
    assert _files(root) == before


def test_a_dry_run_lists_the_changes_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    assert main(["rename", str(root), "connector", "Get orders", "Fetch orders", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "connectors/get-orders.json → connectors/fetch-orders.json" in out
    assert "@call(Get orders) → @call(Fetch orders)" in out and "mocks key: Get orders → Fetch orders" in out
    assert _files(root) == before


@pytest.mark.parametrize(
    "args",
    [
        ["connector", "Nope", "X"],
        ["connector", "Get orders", "Issue refund"],
        ["connector", "Get orders", "a (b)"],
        ["step", "lookup", "x"],
        ["step", "lookup", "done", "--procedure", "Order status"],
        ["step", "lookup", "bad id", "--procedure", "Order status"],
        ["procedure", "Order status", "   "],
    ],
)
def test_bad_renames_exit_2_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    assert main(["rename", str(root), *args]) == 2
    assert "workbench:" in capsys.readouterr().err
    assert _files(root) == before


def test_a_failed_write_leaves_every_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    real_replace, calls = os.replace, []

    def failing(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 4:
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    assert main(["rename", str(root), "connector", "Get orders", "Fetch orders"]) == 1
    assert "no file was changed" in capsys.readouterr().out
    assert _files(root) == before
    assert not list(root.rglob("*.tmp"))


def test_step_renames_leave_scenarios_of_other_procedures_with_that_id_alone() -> None:
    plan = plan_rename(_items(SUPPORT_DESK), "step", "lookup", "find", "Order status")
    changed = {edit.name for edit in plan.edits if edit.kind == "scenario"}
    scenarios = DESK.scenarios
    assert changed and all(scenarios[name].model.procedure == "Order status" for name in changed)


def test_the_app_operation_undoes_to_the_same_bytes() -> None:
    items = _items(SUPPORT_DESK)
    every = [model for models in items.values() for model in models.values()]
    before = [serialize(model) for model in every]
    history = History()
    plan = plan_rename(items, "connector", "Get orders", "Fetch orders")
    history.do(plan.change())
    assert items["connector"]["Get orders"].name == "Fetch orders"
    assert "@call(Fetch orders)" in items["procedure"]["Order status"].step("lookup").text
    history.undo()
    assert [serialize(model) for model in every] == before
    with pytest.raises(RenameError):
        plan_rename(items, "procedure", "Order status", "Refund request")
