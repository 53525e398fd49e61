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


@pytest.mark.parametrize(
    ("kind", "old", "procedure"),
    [("connector", name, None) for name in CONNECTORS]
    + [("procedure", name, None) for name in PROCEDURES]
    + [("step", step_id, procedure) for procedure, step_id in STEPS],
)
def test_a_rename_keeps_the_desk_clean_and_green_and_renaming_back_restores_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: Literal["connector", "procedure", "step"],
    old: str,
    procedure: str | None,
) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    new = f"{old}-renamed" if kind == "step" else f"{old} renamed"
    extra = ["--procedure", procedure] if procedure else []
    assert main(["rename", str(root), kind, old, new, *extra]) == 0
    capsys.readouterr()
    assert _files(root) != before
    if kind != "step":
        assert old not in load_workspace(root).documents(kind) and new in load_workspace(root).documents(kind)
    _clean_and_green(root, capsys)
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
