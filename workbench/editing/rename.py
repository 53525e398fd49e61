"""Rename refactoring: renaming a connector, a procedure, a step id or a code step's name (the root of its
outputs) rewrites every reference to it.

References are ``@call``/``@read`` mentions, attribute paths (condition tests, connector input sources,
scenario answers and expected attributes), code conditions and code steps (``inputs["temporary"]["Name"]``), sub-procedure
steps, and in scenarios: the procedure, mocks, decisions, answers and ``expect`` (path, calls, attributes,
errors). :func:`plan_rename` works out the new models and says what changes where, touching nothing; the app
applies the plan as one undoable :class:`~workbench.editing.operations.Change`, ``workbench rename`` writes
the files as a set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from workbench.editing.breakpoints import Breakpoints
from workbench.editing.operations import Assign, Change
from workbench.mentions import Mention, join_path, render, split_path
from workbench.model import CodeStep, Procedure
from workbench.model.kinds import reads, steps_of
from workbench.store import Kind, name_key, name_problem, to_data

RenameKind = Literal["connector", "procedure", "step", "code"]
RENAME_KINDS: tuple[RenameKind, ...] = ("connector", "procedure", "step", "code")
_SOURCES = ("connector", "code")
"""Rename kinds whose name roots attribute paths: a connector's, a code step's (its outputs)."""
STEP_ID_CHARACTERS = r"[A-Za-z0-9_.:-]*"
"""What a step id may hold (a regular expression of the whole id, empty included: an id being typed)."""
STEP_ID_RULE = "a step id holds only letters, digits and . _ : -"
_STEP_ID = re.compile(STEP_ID_CHARACTERS)
Items = Mapping[Kind, Mapping[str, BaseModel]]
"""The models of a workspace: kind -> name -> model."""


class RenameError(ValueError):
    """A rename that cannot be done (unknown name, name taken, invalid name): nothing is changed."""


@dataclass
class Edit:
    """One item the rename changes: its model before and after, and what changed, one line each."""

    kind: Kind
    name: str
    before: BaseModel
    after: BaseModel
    changes: list[str] = field(default_factory=list)


@dataclass
class RenamePlan:
    """What renaming ``old`` to ``new`` changes; :meth:`change` is the operation doing it on the models."""

    kind: RenameKind
    old: str
    new: str
    procedure: str | None
    edits: list[Edit]
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the rename reads in messages."""
        where = f" of {self.procedure}" if self.kind == "step" and self.procedure else ""
        return f"Renamed {self.kind} {self.old}{where} to {self.new}"

    def change(self, select: str | None = None, breakpoints: Breakpoints | None = None) -> Change:
        """The rename as one operation on the models it was planned from (undone as one); ``breakpoints`` set
        on a renamed step or procedure move along with it."""
        assigns = []
        if breakpoints is not None:
            moved = breakpoints.renamed(self.kind, self.old, self.new, self.procedure)
            if moved != breakpoints.steps:
                assigns.append(Assign(breakpoints, {"steps": moved}))
        for edit in self.edits:
            names = [
                name
                for name in type(edit.after).model_fields
                if name in edit.after.model_fields_set and getattr(edit.before, name, None) != getattr(edit.after, name)
            ]
            if names:
                assigns.append(Assign(edit.before, {name: getattr(edit.after, name) for name in names}))
        return Change(self.label, assigns, select)


def plan_rename(items: Items, kind: RenameKind, old: str, new: str, procedure: str | None = None) -> RenamePlan:
    """Work out a rename over the workspace's models; raises :class:`RenameError` when it cannot be done."""
    new = " ".join(new.split()) if kind != "step" else new.strip()
    rewriter = _Rewriter(kind, old, new)
    notes: list[str] = []
    if kind == "connector":
        _check_name(items, "connector", old, new)
    elif kind == "procedure":
        _check_name(items, "procedure", old, new)
    elif kind == "code":
        _check_code_name(items, old, new)
    else:
        _check_step(items, procedure, old, new)
        rewriter.scenario_procedures = _procedures_reaching(items, procedure or "", old, notes)
        rewriter.owner = procedure
    edits: list[Edit] = []
    for item_kind in ("connector", "procedure", "scenario"):
        for name, model in items.get(item_kind, {}).items():
            data = to_data(model)
            changes: list[str] = []
            new_data = rewriter.item(item_kind, name, data, changes)
            if not changes:
                continue
            try:
                after = type(model).model_validate(new_data)
            except ValidationError as error:
                raise RenameError(f"{item_kind} {name!r}: {error.errors()[0]['msg']}") from None
            edits.append(Edit(item_kind, name, model, after, changes))
    return RenamePlan(kind, old, new, procedure, edits, notes)


def _check_name(items: Items, kind: Kind, old: str, new: str) -> None:
    models = items.get(kind, {})
    if old not in models:
        raise RenameError(f"no {kind} called {old!r}")
    if not new:
        raise RenameError(f"a {kind} needs a name")
    if new == old:
        raise RenameError(f"the {kind} is already called {new!r}")
    twin = next((other for other in models if other != old and name_key(other) == name_key(new)), None)
    if twin is not None:
        same = "" if twin == new else " (names must differ by more than case or Unicode form)"
        raise RenameError(f"another {kind} is called {twin!r}{same}")
    if re.search(r"[()>]", new):
        raise RenameError(f"a {kind} name may not hold ( ) or >")
    problem = name_problem(kind, new)
    if problem:
        raise RenameError(problem)


def code_step_names(items: Items) -> dict[str, tuple[str, str]]:
    """Every code step's name, with the procedure and step id it is in."""
    names: dict[str, tuple[str, str]] = {}
    for procedure, model in items.get("procedure", {}).items():
        if isinstance(model, Procedure):
            for step in steps_of(model.all_steps(), CodeStep):
                names.setdefault(step.name, (procedure, step.id))
    return names


def _check_code_name(items: Items, old: str, new: str) -> None:
    names = code_step_names(items)
    if old not in names:
        raise RenameError(f"no code step is called {old!r}")
    if not new:
        raise RenameError("a code step needs a name")
    if new == old:
        raise RenameError(f"the code step is already called {new!r}")
    taken = [*names, *items.get("connector", {})]
    if any(name_key(other) == name_key(new) for other in taken if other != old):
        raise RenameError(f"a connector or another code step is called {new!r}")
    if re.search(r"[()>]", new):
        raise RenameError("a code step name may not hold ( ) or >")


def _check_step(items: Items, procedure: str | None, old: str, new: str) -> None:
    if not procedure:
        raise RenameError("renaming a step needs the procedure it is in (--procedure)")
    model = items.get("procedure", {}).get(procedure)
    if not isinstance(model, Procedure):
        raise RenameError(f"no procedure called {procedure!r}")
    if model.step(old) is None:
        raise RenameError(f"procedure {procedure!r} has no step {old!r}")
    if new == old:
        raise RenameError(f"the step is already called {new!r}")
    if not new or not _STEP_ID.fullmatch(new):
        raise RenameError(STEP_ID_RULE)
    if model.step(new) is not None:
        raise RenameError(f"step id {new!r} is already used in {procedure!r}")


def _procedures_reaching(items: Items, target: str, step_id: str, notes: list[str]) -> set[str]:
    """Procedures whose runs go through ``target`` (itself included) and that do not also reach another
    procedure with a step ``step_id`` (a scenario's step ids would then be ambiguous)."""
    procedures: Mapping[str, Any] = items.get("procedure", {})

    def reached(name: str) -> set[str]:
        seen: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            model = procedures.get(current)
            if current in seen or not isinstance(model, Procedure):
                continue
            seen.add(current)
            pending.extend(callee for step in model.all_steps() for _field, callee in reads(step).procedures)
        return seen

    result: set[str] = set()
    for name in procedures:
        through = reached(name)
        if target not in through:
            continue
        twins = [other for other in through - {target} if procedures[other].step(step_id) is not None]
        if twins:
            notes.append(f"scenarios of {name!r} left alone: {', '.join(sorted(twins))} also has a step {step_id!r}")
        else:
            result.add(name)
    return result


class _Rewriter:
    """Rewrites the JSON data of items for one rename, noting each change."""

    def __init__(self, kind: RenameKind, old: str, new: str) -> None:
        self.kind = kind
        self.old = old
        self.new = new
        self.owner: str | None = None
        self.scenario_procedures: set[str] = set()
        self.source = kind in _SOURCES
        """Whether the renamed name roots attribute paths (mentions, tests, code, expected attributes)."""

    def item(self, kind: Kind, name: str, data: dict[str, Any], changes: list[str]) -> dict[str, Any]:
        note = _Notes(changes)
        if kind == self.kind and name == self.old:
            note("name", self.old, self.new)
            data = {**data, "name": self.new}
        if kind == "connector" and self.kind == "connector":
            data = self._connector(data, note)
        elif kind == "procedure":
            data = self._procedure(name, data, note)
        elif kind == "scenario":
            data = self._scenario(data, note)
        return data

    # -- connectors --------------------------------------------------------------------------------

    def _connector(self, data: dict[str, Any], note: _Notes) -> dict[str, Any]:
        inputs = data.get("inputs")
        if not isinstance(inputs, list):
            return data
        new_inputs = []
        for item in inputs:
            source = item.get("source") if isinstance(item, dict) else None
            path = self._path(source) if isinstance(source, str) else None
            if path is not None:
                note(f"input {item.get('name')} source", str(source), path)
                item = {**item, "source": path}
            new_inputs.append(item)
        return {**data, "inputs": new_inputs}

    # -- procedures --------------------------------------------------------------------------------

    def _procedure(self, name: str, data: dict[str, Any], note: _Notes) -> dict[str, Any]:
        steps = data.get("steps")
        if isinstance(steps, list):
            return {**data, "steps": self._steps(name, steps, note)}
        return data

    def _steps(self, procedure: str, steps: list[Any], note: _Notes) -> list[Any]:
        return [self._step(procedure, step, note) if isinstance(step, dict) else step for step in steps]

    def _step(self, procedure: str, step: dict[str, Any], note: _Notes) -> dict[str, Any]:
        step = dict(step)
        where = f"step {step.get('id')}"
        if self.kind == "step" and procedure == self.owner and step.get("id") == self.old:
            note(f"{where} id", self.old, self.new)
            step["id"] = self.new
        if self.kind == "procedure" and step.get("type") == "subprocedure" and step.get("procedure") == self.old:
            note(f"{where} procedure", self.old, self.new)
            step["procedure"] = self.new
        if self.kind == "code" and step.get("type") == "code" and step.get("name") == self.old:
            note(f"{where} name", self.old, self.new)
            step["name"] = self.new
        if self.source:
            for key in ("text", "prompt", "message"):
                if isinstance(step.get(key), str):
                    step[key] = self._mentions(step[key], f"{where} {key}", note)
            if step.get("type") == "code" and isinstance(step.get("code"), str):
                step["code"] = self._code(step["code"], f"{where} code", note)
        branches = step.get("branches")
        if isinstance(branches, list):
            step["branches"] = [
                self._branch(procedure, branch, f"{where} branch {index + 1}", note)
                if isinstance(branch, dict)
                else branch
                for index, branch in enumerate(branches)
            ]
        for key in ("else", "on_error"):
            if isinstance(step.get(key), list):
                step[key] = self._steps(procedure, step[key], note)
        return step

    def _branch(self, procedure: str, branch: dict[str, Any], where: str, note: _Notes) -> dict[str, Any]:
        branch = dict(branch)
        when = branch.get("when")
        if self.source and isinstance(when, dict):
            when = dict(when)
            if isinstance(when.get("attribute"), str):
                path = self._path(when["attribute"])
                if path is not None:
                    note(f"{where} attribute", when["attribute"], path)
                    when["attribute"] = path
            if isinstance(when.get("code"), str):
                when["code"] = self._code(when["code"], f"{where} code", note)
            if isinstance(when.get("describe"), str):
                when["describe"] = self._mentions(when["describe"], f"{where} describe", note)
            branch["when"] = when
        if isinstance(branch.get("steps"), list):
            branch["steps"] = self._steps(procedure, branch["steps"], note)
        return branch

    def _code(self, code: str, where: str, note: _Notes) -> str:
        renamed = _rewrite_code(code, self.old, self.new)
        if renamed != code:
            note(where, f'inputs["temporary"]["{self.old}"]', f'inputs["temporary"]["{self.new}"]')
        return renamed

    def _mentions(self, text: str, where: str, note: _Notes) -> str:
        def value_of(mention: Mention) -> str:
            token, segments = text[mention.start : mention.end], mention.segments
            if segments[0] != self.old:
                return token
            renamed = f"@{mention.kind}({join_path((self.new, *segments[1:]))})"
            note(where, token, renamed)
            return renamed

        return render(text, value_of)

    def _path(self, path: str) -> str | None:
        """``path`` with its root renamed, or ``None`` when it is not under the renamed connector or code step."""
        segments = split_path(path)
        if not self.source or segments[0] != self.old:
            return None
        return join_path((self.new, *segments[1:]))

    # -- scenarios ---------------------------------------------------------------------------------

    def _scenario(self, data: dict[str, Any], note: _Notes) -> dict[str, Any]:
        data = dict(data)
        expect = dict(data["expect"]) if isinstance(data.get("expect"), dict) else {}
        same: Callable[[str], str | None] = lambda key: self.new if key == self.old else None  # noqa: E731
        if self.kind == "procedure" and data.get("procedure") == self.old:
            note("procedure", self.old, self.new)
            data["procedure"] = self.new
        elif self.kind == "connector":
            _update(data, "mocks", lambda mocks: self._keys(mocks, same, "mocks", note))
            _update(data, "answers", lambda answers: self._keys(answers, self._answer_path, "answers", note))
            _update(expect, "calls", lambda calls: self._calls(calls, note))
            _update(expect, "attributes", lambda values: self._keys(values, self._path, "expect.attributes", note))
            _update(expect, "errors", lambda errors: self._list(errors, "expect.errors", note))
        elif self.kind == "code":
            _update(expect, "attributes", lambda values: self._keys(values, self._path, "expect.attributes", note))
        elif self.kind == "step" and data.get("procedure") in self.scenario_procedures:
            _update(data, "decisions", lambda decisions: self._keys(decisions, same, "decisions", note))
            _update(data, "answers", lambda answers: self._keys(answers, same, "answers", note))
            _update(expect, "path", lambda path: self._list(path, "expect.path", note))
        if "expect" in data:
            data["expect"] = expect
        return data

    def _calls(self, calls: Any, note: _Notes) -> Any:
        if isinstance(calls, dict):
            return self._keys(calls, lambda key: self.new if key == self.old else None, "expect.calls", note)
        return self._list(calls, "expect.calls", note)

    def _answer_path(self, key: str) -> str | None:
        return self._path(key) if len(split_path(key)) > 1 else None

    def _keys(self, mapping: Any, rename: Callable[[str], str | None], where: str, note: _Notes) -> Any:
        if not isinstance(mapping, dict):
            return mapping
        result: dict[str, Any] = {}
        for key, value in mapping.items():
            renamed = rename(key)
            if renamed is not None and renamed != key:
                note(f"{where} key", key, renamed)
                key = renamed
            result[key] = value
        return result

    def _list(self, values: Any, where: str, note: _Notes) -> Any:
        if not isinstance(values, list):
            return values
        result = [self.new if value == self.old else value for value in values]
        if result != values:
            note(where, ", ".join(map(str, values)), ", ".join(map(str, result)))
        return result


def _update(data: dict[str, Any], key: str, rewrite: Callable[[Any], Any]) -> None:
    """Rewrite ``data[key]`` when the key is there (a key left out stays out)."""
    if key in data:
        data[key] = rewrite(data[key])


def _rewrite_code(code: str, old: str, new: str) -> str:
    """``inputs["temporary"]["old"]`` subscripts in a code condition or code step, renamed."""
    pattern = re.compile(r"""(\[\s*(["'])temporary\2\s*\]\s*\[\s*)(["'])""" + re.escape(old) + r"""\3""")
    return pattern.sub(lambda match: f"{match.group(1)}{match.group(3)}{new}{match.group(3)}", code)


class _Notes:
    """Collects ``where: before → after`` lines."""

    def __init__(self, changes: list[str]) -> None:
        self.changes = changes

    def __call__(self, where: str, before: str, after: str) -> None:
        self.changes.append(f"{where}: {_short(before)} → {_short(after)}")


def _short(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
