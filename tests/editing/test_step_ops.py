"""Editing a procedure's step tree."""

from __future__ import annotations

from workbench.editing import step_ops
from workbench.editing.step_ops import Slot
from workbench.model import ConditionStep, InstructionStep, Procedure
from workbench.store import to_data


def _procedure() -> Procedure:
    return Procedure.model_validate(
        {
            "name": "P",
            "steps": [
                {"id": "a", "type": "instruction", "text": "Hello"},
                {
                    "id": "c",
                    "type": "condition",
                    "branches": [
                        {"when": {"describe": "x"}, "steps": [{"id": "c1", "type": "end", "outcome": "resolved"}]}
                    ],
                    "else": [{"id": "c2", "type": "instruction", "text": "else"}],
                },
                {"id": "z", "type": "end"},
            ],
        }
    )


def _ids(procedure: Procedure) -> list[str]:
    return [step.id for step in procedure.all_steps()]


def test_insert_into_nested_lists_and_locate() -> None:
    procedure = _procedure()
    step = step_ops.new_step(procedure, "collect")
    step_ops.insert(procedure, Slot("c", "branch", 0), 0, step)
    assert _ids(procedure) == ["a", "c", "collect-1", "c1", "c2", "z"]
    assert step_ops.locate(procedure, "collect-1") == (Slot("c", "branch", 0), 0)
    assert step_ops.locate(procedure, "c2") == (Slot("c", "else"), 0)
    assert step_ops.fresh_id(procedure, "collect") == "collect-2"


def test_remove_and_move_keep_lists_whole() -> None:
    procedure = _procedure()
    before = procedure.steps
    assert step_ops.move(procedure, "z", -1)
    assert [step.id for step in procedure.steps] == ["a", "z", "c"]
    assert [step.id for step in before] == ["a", "c", "z"]  # a new list, never the one a reader may hold
    assert not step_ops.move(procedure, "a", -1)
    removed = step_ops.remove(procedure, "c")
    assert isinstance(removed, ConditionStep) and step_ops.nested_count(removed) == 2
    assert _ids(procedure) == ["a", "z"]


def test_retype_keeps_the_id_and_the_words() -> None:
    procedure = _procedure()
    step = step_ops.retype(procedure, "a", "end")
    assert step is not None and step.id == "a" and step.message == "Hello"
    back = step_ops.retype(procedure, "a", "instruction")
    assert isinstance(back, InstructionStep) and back.text == "Hello"


def test_rename_refuses_bad_and_used_ids() -> None:
    procedure = _procedure()
    assert step_ops.rename(procedure, "a", "c1") == "step id 'c1' is already used"
    assert "letters, digits" in (step_ops.rename(procedure, "a", "has space") or "")
    assert step_ops.rename(procedure, "c2", "other") is None and procedure.step("other") is not None


def test_branches_and_error_paths() -> None:
    procedure = _procedure()
    assert step_ops.add_branch(procedure, "c") == 1
    assert step_ops.remove_branch(procedure, "c", 0) and len(procedure.step("c").branches) == 1
    assert step_ops.add_branch(procedure, "a") is None
    assert step_ops.toggle_error_path(procedure, "a") is True
    assert to_data(procedure)["steps"][0]["on_error"] == []
    assert step_ops.toggle_error_path(procedure, "a") is False
    assert "on_error" not in to_data(procedure)["steps"][0]
