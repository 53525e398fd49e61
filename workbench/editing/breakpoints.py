"""The breakpoints set in the app: the steps the debugger pauses before, by procedure.

They are a small model changed copy-on-write, so that an operation can carry them along (a rename of a step or
a procedure moves its breakpoints) and undoing it brings them back exactly.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Breakpoints(BaseModel):
    """Step ids by procedure name (never changed in place: every change assigns a new ``steps``)."""

    steps: dict[str, frozenset[str]] = Field(default_factory=dict)

    def toggle(self, procedure: str, step_id: str) -> bool:
        """Set or clear the breakpoint before a step; returns whether it is now set."""
        steps = self.steps.get(procedure, frozenset()) ^ {step_id}
        self.steps = {**{name: ids for name, ids in self.steps.items() if name != procedure}, procedure: steps}
        return step_id in steps

    def pairs(self) -> set[tuple[str, str]]:
        """Every breakpoint as the engine takes it: ``(procedure, step id)``."""
        return {(procedure, step) for procedure, steps in self.steps.items() for step in steps}

    def renamed(self, kind: str, old: str, new: str, procedure: str | None = None) -> dict[str, frozenset[str]]:
        """What :attr:`steps` become when a procedure, or a step of ``procedure``, is renamed."""
        if kind == "procedure":
            return {new if name == old else name: steps for name, steps in self.steps.items()}
        if kind == "step" and procedure is not None and old in self.steps.get(procedure, ()):
            return {**self.steps, procedure: (self.steps[procedure] - {old}) | {new}}
        return self.steps
