"""Which scenarios an edit can change: a scenario depends on its procedure, the sub-procedures that procedure
reaches, the connectors any of them call, the workspace settings, and its own file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.attributes import step_calls
from workbench.model import Procedure
from workbench.model.kinds import reads

ItemKey = tuple[str, str]
"""An item of the workspace as ``(kind, name)``: ``("procedure", "Order status")``; settings are
``("workspace", ...)``."""


@dataclass(frozen=True)
class Dependencies:
    """What one procedure's runs can reach."""

    procedures: frozenset[str]
    connectors: frozenset[str]

    def touched_by(self, items: Iterable[ItemKey]) -> bool:
        """Whether an edit of any of ``items`` can change a run of the procedure."""
        for kind, name in items:
            if kind == "workspace":
                return True
            if (kind == "procedure" and name in self.procedures) or (kind == "connector" and name in self.connectors):
                return True
        return False


def dependencies(procedures: Mapping[str, Procedure], procedure: str) -> Dependencies:
    """The procedures (``procedure`` itself included, missing ones too: creating one changes the run) and the
    connectors a run of ``procedure`` can reach."""
    reached: set[str] = set()
    connectors: set[str] = set()
    pending = [procedure]
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        model = procedures.get(name)
        if model is None:
            continue
        for step in model.all_steps():
            connectors.update(step_calls(step))
            pending.extend(callee for _field, callee in reads(step).procedures)
    return Dependencies(frozenset(reached), frozenset(connectors))


def affected_procedures(procedures: Mapping[str, Procedure], items: Iterable[ItemKey]) -> set[str]:
    """The procedures whose runs an edit of ``items`` can change (each procedure's own reach decides)."""
    touched = list(items)
    return {name for name in procedures if dependencies(procedures, name).touched_by(touched)}
