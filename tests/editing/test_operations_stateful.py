"""Random sequences of edits, renames, undos and redos on the sample desk's procedures: ids stay unique, the
scenarios' references to step ids follow every rename, every edit is undone exactly, and undoing everything
gives back the files byte for byte."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.conftest import SUPPORT_DESK
from workbench.editing import operations as ops
from workbench.editing.operations import Change, EditError, History
from workbench.editing.rename import RenameError, plan_rename
from workbench.editing.step_ops import Slot, slots_of
from workbench.model import ConditionStep, Procedure
from workbench.model.kinds import STEP_TYPES, StepType
from workbench.store import KINDS, load_workspace, serialize

PROCEDURES = sorted(load_workspace(SUPPORT_DESK).procedure_models())
IDS = st.one_of(
    st.sampled_from(["lookup", "done", "x", "step-1", "bad id", ""]), st.from_regex(r"[a-z]{1,4}", fullmatch=True)
)


class EditingMachine(RuleBasedStateMachine):
    """The model under random edits, compared with the bytes it had after each change."""

    @initialize(name=st.sampled_from(PROCEDURES))
    def load(self, name: str) -> None:
        workspace = load_workspace(SUPPORT_DESK)
        self.items = {kind: {n: d.model for n, d in workspace.documents(kind).items()} for kind in KINDS}
        self.name = name
        self.procedure: Procedure = self.items["procedure"][name]
        self.scenarios = [model for model in self.items["scenario"].values() if model.procedure == name]
        self.references = {id(model): _references(model) for model in self.scenarios}
        self.original = self._bytes()
        self.history = History()
        self.states: list[tuple[bytes, dict[str, str]]] = [
            (self.original, {})
        ]  # the bytes and renames after each change still undoable
        self.undone: list[tuple[bytes, dict[str, str]]] = []

    def _bytes(self) -> bytes:
        return b"".join(serialize(model) for model in [self.procedure, *self.scenarios])

    def _ids(self) -> list[str]:
        return [step.id for step in self.procedure.all_steps()]

    def _do(self, make: object, renamed: tuple[str, str] | None = None) -> None:
        try:
            change = make() if callable(make) else make
            if change is None:
                return
            assert isinstance(change, Change)
            self.history.do(change)
        except (EditError, RenameError):
            assert self._bytes() == self.states[-1][0], "a refused edit changed the model"
            return
        aliases = dict(self.states[-1][1])  # each reference as written at first -> as it reads now
        if renamed is not None:
            old, new = renamed
            for ref in {ref for refs in self.references.values() for ref in refs}:
                if aliases.get(ref, ref) == old:
                    aliases[ref] = new
        self.states.append((self._bytes(), aliases))
        self.undone.clear()

    @rule(data=st.data(), step_type=st.sampled_from(STEP_TYPES))
    def add(self, data: st.DataObject, step_type: StepType) -> None:
        ids = self._ids()
        after = data.draw(st.sampled_from([None, *ids]))
        slots = [Slot(), *(slot for step in self.procedure.all_steps() for slot in slots_of(step))]
        slot = data.draw(st.sampled_from(slots))
        self._do(lambda: ops.add_step(self.procedure, step_type, after=after, slot=slot))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        step_id = data.draw(st.sampled_from(self._ids()))
        self._do(lambda: ops.remove_step(self.procedure, step_id))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), delta=st.sampled_from([-1, 1]))
    def move(self, data: st.DataObject, delta: int) -> None:
        step_id = data.draw(st.sampled_from(self._ids()))
        self._do(lambda: ops.move_step(self.procedure, step_id, delta))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), step_type=st.sampled_from(STEP_TYPES))
    def retype(self, data: st.DataObject, step_type: StepType) -> None:
        step_id = data.draw(st.sampled_from(self._ids()))
        self._do(lambda: ops.retype_step(self.procedure, step_id, step_type))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), new_id=IDS)
    def rename(self, data: st.DataObject, new_id: str) -> None:
        step_id = data.draw(st.sampled_from(self._ids()))
        try:
            plan = plan_rename(self.items, "step", step_id, new_id, self.name)
        except RenameError:
            return
        if not plan.notes:  # scenarios left alone for an ambiguous id are not what this machine models
            self._do(plan.change(select=new_id), renamed=(step_id, new_id))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), text=st.text(max_size=20))
    def edit_field(self, data: st.DataObject, text: str) -> None:
        step = data.draw(st.sampled_from(list(self.procedure.all_steps())))
        path = {"instruction": "text", "collect": "prompt", "end": "message", "subprocedure": "procedure"}.get(
            step.type
        )
        value: object = text
        if isinstance(step, ConditionStep) and step.branches:
            path = "branches.0.when"
            value = data.draw(st.sampled_from([{"code": text}, {"describe": text}, {"attribute": "User > " + text}]))
        if path is not None:
            self._do(lambda: ops.set_step_field(self.procedure, step.id, path, value))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data())
    def branches(self, data: st.DataObject) -> None:
        step_id = data.draw(st.sampled_from(self._ids()))
        choice = data.draw(st.sampled_from(["add", "remove", "error"]))
        if choice == "add":
            self._do(lambda: ops.add_branch(self.procedure, step_id)[0])
        elif choice == "remove":
            self._do(lambda: ops.remove_branch(self.procedure, step_id, data.draw(st.integers(0, 2))))
        else:
            self._do(lambda: ops.toggle_error_path(self.procedure, step_id))

    @rule()
    def undo(self) -> None:
        if self.history.undo() is None:
            assert len(self.states) == 1
            return
        self.undone.append(self.states.pop())
        assert self._bytes() == self.states[-1][0]

    @rule()
    def redo(self) -> None:
        if self.history.redo() is None:
            assert not self.undone
            return
        self.states.append(self.undone.pop())
        assert self._bytes() == self.states[-1][0]

    @invariant()
    def scenarios_follow_the_renames(self) -> None:
        aliases = self.states[-1][1]
        for model in self.scenarios:
            expected = [aliases.get(ref, ref) for ref in self.references[id(model)]]
            assert _references(model) == expected

    @invariant()
    def ids_are_unique_and_the_model_reloads(self) -> None:
        ids = self._ids()
        assert len(ids) == len(set(ids))
        assert serialize(Procedure.model_validate_json(serialize(self.procedure))) == serialize(self.procedure)

    def teardown(self) -> None:
        if not hasattr(self, "history"):
            return
        while self.history.undo() is not None:
            pass
        assert self._bytes() == self.original


def _references(scenario: Any) -> list[str]:
    """The step ids a scenario names: its expected path, then its decisions' keys."""
    return [*(scenario.expect.path or []), *scenario.decisions]


EditingMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestEditing = EditingMachine.TestCase
