"""What scenarios could reach: every step, branch arm and connector outcome of the workspace's procedures, each
located in its file (the line and column of the JSON member, as load problems are located)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workbench.engine.runner import describe_when
from workbench.jsonfile import locate
from workbench.model import AnyStep, CollectStep, Connector, Procedure
from workbench.model.kinds import as_kind, branch_when, kind_of, reads, when_kind
from workbench.store import Document, Workspace

ItemKind = Literal["step", "arm", "outcome"]
KINDS: tuple[ItemKind, ...] = ("step", "arm", "outcome")
Loc = tuple[str | int, ...]
ELSE = "else"
ON_ERROR = "on_error"
SUCCESS = "success"
CALL_FAILURES = ("timeout", "network", "third_party_status", "response_mapping", "response_too_large")
"""The error reasons any call can end with, whatever its connector: the server is slow or gone, answers an error
status, a body that is not JSON, or one over the size cap. A configuration mistake (``request_configuration``) is
a bug to fix, not an outcome to rehearse, so it is not counted."""


def rule_outcome(index: int) -> str:
    """The outcome key of a connector's dynamic rule answering."""
    return f"rule {index}"


@dataclass(frozen=True)
class Item:
    """One thing a scenario can reach. ``key``: ``(step,)`` for a step, ``(step, arm)`` for an arm (a branch
    index, ``else`` or ``on_error``), ``(step, connector, outcome)`` for a call site's outcome (``success``, an
    error reason or ``rule N``); ``what`` names it in a sentence ("branch 1 of `route` (code: `x > 1`)")."""

    kind: ItemKind
    procedure: str
    key: tuple[str, ...]
    path: Path
    line: int
    column: int
    what: str

    @property
    def step(self) -> str:
        """The id of the step the item belongs to."""
        return self.key[0]


@dataclass(frozen=True)
class ValueSite:
    """A collect step or a ``describe`` condition: the scenarios' distinct answers or decisions there are counted."""

    procedure: str
    step: str
    kind: Literal["collect", "describe"]
    path: Path
    line: int
    column: int


@dataclass(frozen=True)
class ProcedureUniverse:
    """What one procedure holds: its items in document order and its value sites."""

    name: str
    path: Path
    items: list[Item]
    values: list[ValueSite]


def universe(workspace: Workspace) -> list[ProcedureUniverse]:
    """Every loaded procedure's universe, in file order."""
    connectors = workspace.connector_models()
    documents = sorted(workspace.procedures.values(), key=lambda document: str(document.path))
    return [_procedure_universe(document, connectors) for document in documents]


def _procedure_universe(document: Document[Procedure], connectors: dict[str, Connector]) -> ProcedureUniverse:
    text = (document.raw or b"").decode("utf-8", errors="replace")
    name = document.model.name
    items: list[Item] = []
    values: list[ValueSite] = []

    def item(kind: ItemKind, key: tuple[str, ...], loc: Loc, what: str) -> None:
        where = locate(text, loc)
        items.append(Item(kind, name, key, document.path, where.line, where.column, what))

    for step, loc in located_steps(document.model.steps, ("steps",)):
        item("step", (step.id,), (*loc, "id"), f"step `{step.id}` ({step.type})")
        kind = kind_of(step)
        for connector_name in dict.fromkeys(reads(step).calls):
            for outcome in outcomes(connectors.get(connector_name)):
                item(
                    "outcome",
                    (step.id, connector_name, outcome),
                    (*loc, kind.words or "id"),
                    f"`{connector_name}` at `{step.id}`: {_outcome_words(outcome, connectors.get(connector_name))}",
                )
        decided = False
        for arm in step.arms():
            when = branch_when(step, arm.index) if arm.part == "branch" else None
            if when is not None:
                decided = decided or when_kind(when).agent_decides
                test, expression = describe_when(when)
                item(
                    "arm",
                    (step.id, str(arm.index)),
                    (*loc, "branches", arm.index, "when"),
                    f"branch {arm.index} of `{step.id}` ({test}: `{_short(expression)}`)",
                )
            elif arm.part == "else":
                written = "else_" in step.model_fields_set  # else an empty else left out: point at the condition
                item("arm", (step.id, ELSE), (*loc, ELSE if written else "id"), f"else of `{step.id}`")
            elif arm.part == "on_error":
                cause = f" (when {kind.error_cause})" if kind.error_cause else ""
                item("arm", (step.id, ON_ERROR), (*loc, ON_ERROR), f"on_error path of `{step.id}`{cause}")
        if decided:
            values.append(_site(name, step.id, "describe", document.path, text, loc))
        if as_kind(step, CollectStep) is not None:
            values.append(_site(name, step.id, "collect", document.path, text, loc))
    return ProcedureUniverse(name, document.path, items, values)


def outcomes(connector: Connector | None) -> list[str]:
    """The outcomes a call of ``connector`` can have: success, every failure the engine can give it (the transform's
    and the token's only when it has them; a refused required input only when it validates missing attributes),
    and each of its dynamic rules answering. An unknown connector only fails (``procedure``), so it has none."""
    if connector is None:
        return []
    found = [SUCCESS, *CALL_FAILURES]
    if connector.transform:
        found.append("transform")
    if connector.auth:
        found.append("token_refresh")
    if connector.validate_missing_attributes and any(item.required and item.source for item in connector.inputs):
        found.append("input")
    found += [rule_outcome(index) for index in range(len(connector.response.rules))]
    return found


def _outcome_words(outcome: str, connector: Connector | None) -> str:
    if outcome == SUCCESS:
        return "a successful response"
    if outcome.startswith("rule ") and connector is not None:
        rule = connector.response.rules[int(outcome.removeprefix("rule "))]
        return f"dynamic {outcome}" + (f" (`{rule.name}`)" if rule.name else "") + " answering"
    return f"a `{outcome}` error"


def located_steps(steps: list[AnyStep], loc: Loc) -> Iterator[tuple[AnyStep, Loc]]:
    """Every step with its place in the file's JSON (``("steps", 0, "branches", 1, "steps", 0)``), depth first in
    document order, as :func:`workbench.model.procedure.walk_steps` walks them."""
    for index, step in enumerate(steps):
        here = (*loc, index)
        yield step, here
        for arm in step.arms():
            where = (*here, "branches", arm.index, "steps") if arm.part == "branch" else (*here, arm.part)
            yield from located_steps(arm.steps, where)


def _site(
    procedure: str, step: str, kind: Literal["collect", "describe"], path: Path, text: str, loc: Loc
) -> ValueSite:
    where = locate(text, (*loc, "id"))
    return ValueSite(procedure, step, kind, path, where.line, where.column)


def _short(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
