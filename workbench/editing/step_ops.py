"""Editing a procedure's step tree: add, remove, move, retype, rename steps and add or drop branches.

Every change is copy-on-write: it builds new steps along the path to what changed and assigns a new
``procedure.steps``, never changing a step or a list in place. Readers on other threads (the linter) see a
whole old or a whole new tree, and an old tree put back is exactly the tree it was (what undo relies on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from workbench.model import AnyStep, Branch, DescribeWhen, Procedure, error_path, walk_steps
from workbench.model.kinds import STEP_KINDS, StepType, branches_of, kind_of, words_of

_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")


@dataclass(frozen=True)
class Slot:
    """A list of steps inside a procedure.

    ``owner`` is ``None`` for the top-level steps, else the id of the step holding the list; ``part`` is
    ``"branch"`` (with ``branch`` its index), ``"else"`` or ``"on_error"``.
    """

    owner: str | None = None
    part: Literal["steps", "branch", "else", "on_error"] = "steps"
    branch: int = 0


def steps_in(procedure: Procedure, slot: Slot) -> list[AnyStep]:
    """The steps of a slot (an empty list when the slot does not exist)."""
    if slot.owner is None:
        return list(procedure.steps)
    owner = procedure.step(slot.owner)
    return _slot_steps(owner, slot) if owner is not None else []


def _slot_steps(owner: AnyStep, slot: Slot) -> list[AnyStep]:
    arm = next((arm for arm in owner.arms() if (arm.part, arm.index) == (slot.part, slot.branch)), None)
    return list(arm.steps) if arm is not None else []


def _with_slot(owner: AnyStep, slot: Slot, steps: list[AnyStep]) -> AnyStep:
    """A copy of ``owner`` whose ``slot`` holds ``steps``."""
    if slot.part == "steps":
        raise KeyError(f"no step list {slot}")
    try:
        return owner.with_arm(slot.part, slot.branch, steps)
    except KeyError:
        raise KeyError(f"no step list {slot}") from None


def _replaced(steps: list[AnyStep], step_id: str, new: AnyStep) -> list[AnyStep] | None:
    """``steps`` with the step ``step_id`` (at any depth) swapped for ``new``, copying what leads to it."""
    for index, step in enumerate(steps):
        if step.id == step_id:
            return [*steps[:index], new, *steps[index + 1 :]]
        for slot in slots_of(step):
            inner = _replaced(_slot_steps(step, slot), step_id, new)
            if inner is not None:
                return [*steps[:index], _with_slot(step, slot, inner), *steps[index + 1 :]]
    return None


def replace_step(procedure: Procedure, step_id: str, new: AnyStep) -> None:
    """Put ``new`` where the step ``step_id`` is (raises ``KeyError`` when there is none)."""
    steps = _replaced(list(procedure.steps), step_id, new)
    if steps is None:
        raise KeyError(f"no step {step_id!r}")
    procedure.steps = steps


def _assign(procedure: Procedure, slot: Slot, steps: list[AnyStep]) -> None:
    if slot.owner is None:
        procedure.steps = steps
        return
    owner = procedure.step(slot.owner)
    if owner is None:
        raise KeyError(f"no step list {slot}")
    replace_step(procedure, owner.id, _with_slot(owner, slot, steps))


def slots_of(step: AnyStep) -> list[Slot]:
    """The nested slots a step owns, in document order."""
    return [Slot(step.id, arm.part, arm.index) for arm in step.arms()]


def locate(procedure: Procedure, step_id: str) -> tuple[Slot, int] | None:
    """The slot holding a step and its index there."""
    pending = [Slot()]
    while pending:
        slot = pending.pop()
        for index, step in enumerate(steps_in(procedure, slot)):
            if step.id == step_id:
                return slot, index
            pending.extend(slots_of(step))
    return None


def fresh_id(procedure: Procedure, base: str) -> str:
    """A step id starting with ``base`` that no step of the procedure uses."""
    used = {step.id for step in procedure.all_steps()}
    counter = 1
    while f"{base}-{counter}" in used:
        counter += 1
    return f"{base}-{counter}"


def new_step(procedure: Procedure, step_type: StepType, step_id: str | None = None) -> AnyStep:
    """A fresh step of a type, with a free id and sensible defaults."""
    step: AnyStep = STEP_KINDS[step_type].create(step_id or fresh_id(procedure, step_type))
    return step


def insert(procedure: Procedure, slot: Slot, index: int, step: AnyStep) -> None:
    """Put ``step`` at ``index`` of a slot (clamped to the list)."""
    steps = steps_in(procedure, slot)
    steps.insert(max(0, min(index, len(steps))), step)
    _assign(procedure, slot, steps)


def remove(procedure: Procedure, step_id: str) -> AnyStep | None:
    """Take a step (and what it nests) out of the procedure; returns it."""
    found = locate(procedure, step_id)
    if found is None:
        return None
    slot, index = found
    steps = steps_in(procedure, slot)
    removed = steps.pop(index)
    _assign(procedure, slot, steps)
    return removed


def move(procedure: Procedure, step_id: str, delta: int) -> bool:
    """Move a step up (``delta < 0``) or down inside its list; false when it is already at that end."""
    found = locate(procedure, step_id)
    if found is None:
        return False
    slot, index = found
    steps = steps_in(procedure, slot)
    target = index + delta
    if not 0 <= target < len(steps):
        return False
    steps.insert(target, steps.pop(index))
    _assign(procedure, slot, steps)
    return True


def retype(procedure: Procedure, step_id: str, step_type: StepType) -> AnyStep | None:
    """Replace a step by a fresh one of another type, keeping its id and its text where the types allow."""
    found = locate(procedure, step_id)
    if found is None:
        return None
    slot, index = found
    steps = steps_in(procedure, slot)
    old = steps[index]
    if old.type == step_type:
        return old
    step = new_step(procedure, step_type, step_id)
    words, field = words_of(old), kind_of(step).words
    if words and field:
        setattr(step, field, words)
    steps[index] = step
    _assign(procedure, slot, steps)
    return step


def nested_count(step: AnyStep) -> int:
    """How many steps a step nests (what removing or retyping it would drop)."""
    return sum(1 for _ in walk_steps([step])) - 1


def rename(procedure: Procedure, step_id: str, new_id: str) -> str | None:
    """Give a step a new id; returns why not (bad or used id) or ``None`` when done."""
    if new_id == step_id:
        return None
    if not _ID.match(new_id):
        return "a step id holds only letters, digits and . _ : -"
    if procedure.step(new_id) is not None:
        return f"step id {new_id!r} is already used"
    found = locate(procedure, step_id)
    if found is None:
        return f"no step {step_id!r}"
    slot, index = found
    steps = steps_in(procedure, slot)
    steps[index] = steps[index].model_copy(update={"id": new_id})
    _assign(procedure, slot, steps)
    return None


def add_branch(procedure: Procedure, step_id: str) -> int | None:
    """Add a ``describe`` branch to a condition step; returns its index."""
    step = procedure.step(step_id)
    branches = branches_of(step) if step is not None else None
    if step is None or branches is None:
        return None
    replace_step(
        procedure,
        step_id,
        step.model_copy(update={"branches": [*branches, Branch(when=DescribeWhen(describe=""), steps=[])]}),
    )
    return len(branches)


def remove_branch(procedure: Procedure, step_id: str, index: int) -> bool:
    """Drop one branch of a condition step (with its steps)."""
    step = procedure.step(step_id)
    branches = branches_of(step) if step is not None else None
    if step is None or branches is None or not 0 <= index < len(branches):
        return False
    kept = [branch for position, branch in enumerate(branches) if position != index]
    replace_step(procedure, step_id, step.model_copy(update={"branches": kept}))
    return True


def toggle_error_path(procedure: Procedure, step_id: str) -> bool | None:
    """Give an instruction or code step an (empty) ``on_error`` path, or take it away; returns whether it has one
    now."""
    step = procedure.step(step_id)
    if step is None or not kind_of(step).error_path:
        return None
    had = error_path(step) is not None
    copy = step.model_copy(update={"on_error": None if had else []})
    copy.__pydantic_fields_set__ = set(step.__pydantic_fields_set__) | {"on_error"}
    if had:
        copy.__pydantic_fields_set__.discard("on_error")  # no error path: the key is left out of the file
    replace_step(procedure, step_id, copy)
    return not had
