"""Operations on the models, each with its inverse, and the undo history of an open item.

Every operation is a :class:`Change`: a few :class:`Assign` of top-level fields of models. Values assigned
are new objects built copy-on-write (steps, lists, nested models are never changed in place), so the inverse
of an assignment, putting the old object back, restores the model exactly: saving after undoing every change
gives back the file byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from workbench.editing import step_ops
from workbench.editing.step_ops import Slot
from workbench.model import Procedure
from workbench.model.kinds import StepType


class EditError(ValueError):
    """An edit that would break the model (invalid value, used id): nothing was changed."""


@dataclass
class Assign:
    """Set top-level fields of one model; :meth:`apply` returns the assignment that undoes it."""

    model: BaseModel
    values: dict[str, Any]
    unset: frozenset[str] = frozenset()
    """Fields to leave out of the file after the assignment (they were not in it before)."""

    def apply(self) -> Assign:
        fields_set = self.model.__pydantic_fields_set__
        old = {name: getattr(self.model, name) for name in self.values}
        was_unset = frozenset(name for name in self.values if name not in fields_set)
        done: list[str] = []
        try:
            for name, value in self.values.items():
                setattr(self.model, name, value)
                done.append(name)
        except ValidationError as error:
            for name in done:
                setattr(self.model, name, old[name])
            self.model.__pydantic_fields_set__ -= was_unset & set(done)
            raise EditError(f"{error.errors()[0]['msg']}") from None
        self.model.__pydantic_fields_set__ -= self.unset
        return Assign(self.model, old, was_unset)


@dataclass
class Change:
    """One operation the author made: a label for messages, its assignments, and the step to show after it."""

    label: str
    assigns: list[Assign]
    select: str | None = None
    undo_select: str | None = None
    """The step to show once the change is undone (default: ``select``), e.g. a removed step brought back."""
    saved: bool = False
    """Whether the change is written to its files, as a set, when done, undone or redone (a rename in the app)."""

    def apply(self) -> Change:
        """Perform the change; returns the change that undoes it (raises :class:`EditError`, changing nothing)."""
        undone: list[Assign] = []
        try:
            for assign in self.assigns:
                undone.append(assign.apply())
        except EditError:
            for inverse in reversed(undone):
                inverse.apply()
            raise
        return Change(self.label, list(reversed(undone)), self.undo_select or self.select, self.select, self.saved)

    def absorb(self, later: Change) -> None:
        """Make this inverse also undo ``later``, an inverse of a change made after it: fields it restores
        already keep their older values; the others are restored as ``later`` would."""
        known = self.fields()
        for assign in later.assigns:
            values = {name: value for name, value in assign.values.items() if (id(assign.model), name) not in known}
            if values:
                self.assigns.append(Assign(assign.model, values, assign.unset & set(values)))

    def models(self) -> list[BaseModel]:
        """The models the change touches."""
        return list({id(assign.model): assign.model for assign in self.assigns}.values())

    def fields(self) -> set[tuple[int, str]]:
        """The (model, field) pairs the change assigns."""
        return {(id(assign.model), name) for assign in self.assigns for name in assign.values}


@dataclass
class History:
    """The undo and redo stacks of one open item. Consecutive changes with the same ``merge`` key (typing in
    one field) undo together."""

    limit: int = 500
    undo_stack: list[Change] = field(default_factory=list)
    redo_stack: list[Change] = field(default_factory=list)
    _last_key: Hashable | None = None

    def do(self, change: Change, merge: Hashable | None = None) -> Change:
        """Apply ``change`` and remember how to undo it; returns it (raises :class:`EditError`).

        ``merge`` names where the author is typing; a structural edit (a row added, removed, moved) passes none,
        so it is undone on its own and never takes the typing before it along.
        """
        inverse = change.apply()
        previous = self.undo_stack[-1] if self.undo_stack else None
        if merge is not None and merge == self._last_key and previous is not None:
            previous.absorb(inverse)
        else:
            self.undo_stack.append(inverse)
            del self.undo_stack[: -self.limit]
        self.redo_stack.clear()
        self._last_key = merge
        return change

    def undo(self) -> Change | None:
        """Undo the last change; returns what was undone (its label and step), ``None`` when nothing is left."""
        return self._swap(self.undo_stack, self.redo_stack)

    def redo(self) -> Change | None:
        """Redo the last undone change."""
        return self._swap(self.redo_stack, self.undo_stack)

    def _swap(self, source: list[Change], target: list[Change]) -> Change | None:
        self._last_key = None
        if not source:
            return None
        change = source.pop()
        target.append(change.apply())
        return change

    def clear(self) -> None:
        """Forget everything (the model was replaced, e.g. reloaded from disk)."""
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._last_key = None


# -- operations on a procedure --------------------------------------------------------------------------


def _steps_change(procedure: Procedure, label: str, edit: Callable[[Procedure], Any]) -> tuple[Change, Any]:
    """The change ``edit`` makes to the procedure's steps, worked out on a scratch copy (nothing is changed)."""
    scratch = procedure.model_copy()
    try:
        result = edit(scratch)
    except ValidationError as error:
        raise EditError(error.errors()[0]["msg"]) from None
    return Change(label, [Assign(procedure, {"steps": scratch.steps})]), result


def add_step(
    procedure: Procedure, step_type: StepType, *, after: str | None = None, slot: Slot | None = None
) -> Change:
    """Add a fresh step after the step ``after``, or at the end of ``slot`` (default: the top level)."""

    def edit(scratch: Procedure) -> str:
        step = step_ops.new_step(scratch, step_type)
        found = step_ops.locate(scratch, after) if after is not None else None
        if found is not None:
            step_ops.insert(scratch, found[0], found[1] + 1, step)
        else:
            target = slot or Slot()
            step_ops.insert(scratch, target, len(step_ops.steps_in(scratch, target)), step)
        return step.id

    change, step_id = _steps_change(procedure, "", edit)
    change.label, change.select = f"Added {step_type} step {step_id}", step_id
    return change


def remove_step(procedure: Procedure, step_id: str) -> Change:
    """Remove a step and what it nests; the step to show after it is its neighbour (or its owner)."""
    found = step_ops.locate(procedure, step_id)
    if found is None:
        raise EditError(f"no step {step_id!r}")
    slot, index = found
    change, _ = _steps_change(procedure, f"Removed step {step_id}", lambda scratch: step_ops.remove(scratch, step_id))
    siblings = [step for step in step_ops.steps_in(procedure, slot) if step.id != step_id]
    change.select = siblings[min(index, len(siblings) - 1)].id if siblings else slot.owner
    change.undo_select = step_id
    return change


def move_step(procedure: Procedure, step_id: str, delta: int) -> Change | None:
    """Move a step up (``delta < 0``) or down inside its list; ``None`` when it is already at that end."""
    change, moved = _steps_change(procedure, f"Moved step {step_id}", lambda s: step_ops.move(s, step_id, delta))
    change.select = step_id
    return change if moved else None


def retype_step(procedure: Procedure, step_id: str, step_type: StepType) -> Change:
    """Replace a step by a fresh one of another type (same id, its words kept; nested steps dropped)."""
    change, step = _steps_change(
        procedure, f"Changed step {step_id} to {step_type}", lambda s: step_ops.retype(s, step_id, step_type)
    )
    if step is None:
        raise EditError(f"no step {step_id!r}")
    change.select = step_id
    return change


def rename_step(procedure: Procedure, step_id: str, new_id: str) -> Change:
    """Give a step a new id (only the procedure: :mod:`workbench.editing.rename` also updates references)."""
    problem: list[str] = []

    def edit(scratch: Procedure) -> None:
        why = step_ops.rename(scratch, step_id, new_id)
        if why is not None:
            problem.append(why)

    change, _ = _steps_change(procedure, f"Renamed step {step_id} to {new_id}", edit)
    if problem:
        raise EditError(problem[0])
    change.select = new_id
    return change


def add_branch(procedure: Procedure, step_id: str) -> tuple[Change, int]:
    """Add a ``describe`` branch to a condition step; returns the change and the branch's index."""
    change, index = _steps_change(procedure, f"Added a branch to {step_id}", lambda s: step_ops.add_branch(s, step_id))
    if index is None:
        raise EditError(f"{step_id!r} is not a condition")
    change.select = step_id
    return change, index


def remove_branch(procedure: Procedure, step_id: str, index: int) -> Change:
    """Drop one branch of a condition step, with its steps."""
    change, done = _steps_change(
        procedure, f"Removed branch {index + 1} of {step_id}", lambda s: step_ops.remove_branch(s, step_id, index)
    )
    if not done:
        raise EditError(f"{step_id!r} has no branch {index + 1}")
    change.select = step_id
    return change


def toggle_error_path(procedure: Procedure, step_id: str) -> Change:
    """Give an instruction or code step an error path, or take it away."""
    has: list[bool | None] = []
    change, _ = _steps_change(procedure, "", lambda s: has.append(step_ops.toggle_error_path(s, step_id)))
    if has[0] is None:
        raise EditError(f"{step_id!r} cannot have an error path (only instruction and code steps can)")
    change.label = f"{'Added an' if has[0] else 'Removed the'} error path of {step_id}"
    change.select = step_id
    return change


def set_step_field(procedure: Procedure, step_id: str, path: str, value: Any) -> Change:
    """Set one field of a step, ``path`` dotted into it (``text``, ``branches.0.when.code``, ``branches.1.when``).

    ``None`` for a field that was not in the file leaves it out. Raises :class:`EditError` for an invalid value.
    """
    step = procedure.step(step_id)
    if step is None:
        raise EditError(f"no step {step_id!r}")
    try:
        new = _with_path(step, path.split("."), value)
    except ValidationError as error:
        raise EditError(f"{path.split('.')[-1]}: {error.errors()[0]['msg']}") from None
    change, _ = _steps_change(
        procedure, f"Edited {path} of {step_id}", lambda s: step_ops.replace_step(s, step_id, new)
    )
    change.select = step_id
    return change


def _with_path(target: Any, path: list[str], value: Any, *, omit_none: bool = False) -> Any:
    """A copy of ``target`` with the value at ``path`` replaced (lists and models copied along the way).

    A ``None`` set where the file had no key stays out of the file; with ``omit_none`` it leaves it in any case.
    """
    head, rest = path[0], path[1:]
    if isinstance(target, list):
        items = list(target)
        items[int(head)] = _with_path(items[int(head)], rest, value, omit_none=omit_none) if rest else value
        return items
    if not isinstance(target, BaseModel):
        raise EditError(f"{head}: there is nothing to set it in")
    copy = target.model_copy()
    copy.__pydantic_fields_set__ = set(target.__pydantic_fields_set__)
    name = _field_name(copy, head)
    new = _with_path(getattr(copy, name), rest, value, omit_none=omit_none) if rest else value
    setattr(copy, name, new)
    if new is None and (omit_none or name not in target.__pydantic_fields_set__):
        copy.__pydantic_fields_set__.discard(name)
    return copy


def _field_name(model: BaseModel, key: str) -> str:
    """The attribute of a field given by its name or its alias (``else``)."""
    for name, info in type(model).model_fields.items():
        if key in (name, info.alias):
            return name
    return key


def set_procedure_field(procedure: Procedure, name: str, value: Any) -> Change:
    """Set the procedure's ``name`` or ``description`` (a name change here does not update references)."""
    return Change(f"Edited the {name} of the procedure", [Assign(procedure, {name: value})])


# -- operations on any item ------------------------------------------------------------------------------


def set_field(model: BaseModel, path: str, value: Any, *, omit_none: bool = False, label: str = "") -> Change:
    """Set one field of an item's model, ``path`` dotted into it (``request.url``, ``response.example.fault``).

    Nested models on the way are copied, never changed in place, so undoing puts the very old objects back.
    ``omit_none`` leaves a field set to ``None`` out of the file. Raises :class:`EditError` for an invalid value.
    """
    head, *rest = path.split(".")
    name = _field_name(model, head)
    try:
        new = _with_path(getattr(model, name), rest, value, omit_none=omit_none) if rest else value
    except ValidationError as error:
        raise EditError(f"{path.split('.')[-1]}: {error.errors()[0]['msg']}") from None
    gone = new is None and (omit_none or name not in model.__pydantic_fields_set__)
    unset = frozenset({name}) if gone else frozenset()
    return Change(label or f"Edited {path}", [Assign(model, {name: new}, unset)])


def replace_fields(model: BaseModel, new: BaseModel, *, label: str = "") -> Change | None:
    """Make ``model`` hold what ``new`` (a model of its class, e.g. its file edited as JSON) holds, field by
    field, keeping the object itself; ``None`` when either has keys its class does not know (not expressible)."""
    if type(new) is not type(model) or model.model_extra or new.model_extra:
        return None
    names = list(type(model).model_fields)
    unset = frozenset(name for name in names if name not in new.model_fields_set)
    values = {name: getattr(new, name) for name in names}
    return Change(label or f"Edited the {type(model).__name__.lower()}", [Assign(model, values, unset)])


def value_at(model: Any, path: str) -> Any:
    """The value at a dotted ``path`` inside a model (``None`` where the path leads nowhere)."""
    for part in path.split("."):
        if isinstance(model, list):
            model = model[int(part)] if part.isdigit() and int(part) < len(model) else None
        elif isinstance(model, BaseModel):
            model = getattr(model, _field_name(model, part), None)
        else:
            return None
    return model
