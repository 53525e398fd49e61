"""Checking a scenario against its workspace before it runs: every name it uses must exist.

Each problem is a :class:`~workbench.store.LoadProblem` pointing at the offending key in the scenario file,
so a typo reads like a compiler error (``scenarios/x.json:12:7: decisions: unknown step 'stat' ...``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from workbench.attributes import code_steps, step_calls
from workbench.engine.scripted import fold
from workbench.jsonfile import locate
from workbench.mentions import normalize_path, split_path, suggest
from workbench.model import (
    BUILTIN_NAMESPACES,
    AnyStep,
    CollectStep,
    DescribeWhen,
    InstructionStep,
    Scenario,
)
from workbench.model.kinds import as_kind, branches_of, reads, steps_of, tests_of
from workbench.store import FOLDERS, Document, LoadProblem, Workspace


@dataclass(frozen=True)
class Reach:
    """What a run of a procedure can touch: procedures (it and its sub-procedures), steps by id, connectors."""

    procedures: frozenset[str]
    steps: dict[str, AnyStep]
    connectors: frozenset[str]


def reach(workspace: Workspace, procedure: str) -> Reach:
    """The procedures, steps and connectors reachable from ``procedure`` (unknown names are skipped)."""
    procedures: set[str] = set()
    steps: dict[str, AnyStep] = {}
    connectors: set[str] = set()
    todo = [procedure]
    while todo:
        name = todo.pop()
        model = workspace.procedure(name)
        if name in procedures or model is None:
            continue
        procedures.add(name)
        for step in model.all_steps():
            steps.setdefault(step.id, step)
            connectors.update(step_calls(step))
            todo.extend(callee for _field, callee in reads(step).procedures)
    return Reach(frozenset(procedures), steps, frozenset(connectors))


def check_scenario(document: Document[Scenario], workspace: Workspace) -> list[LoadProblem]:
    """Every problem that keeps the scenario from running as written, in the order they appear in the file."""
    return sorted(_Checker(document, workspace).problems, key=lambda problem: (problem.line, problem.column))


def _hint(name: str, candidates: Iterable[str]) -> str:
    close = suggest(name, candidates)
    return f" (did you mean {close!r}?)" if close else ""


class _Checker:
    def __init__(self, document: Document[Scenario], workspace: Workspace) -> None:
        self.path = document.path
        self.text = (document.raw or b"").decode("utf-8", errors="replace")
        self.workspace = workspace
        self.problems: list[LoadProblem] = []
        scenario = document.model
        self._unknown_keys(scenario, ())
        self._unknown_keys(scenario.expect, ("expect",))
        for connector, mock in scenario.mocks.items():
            self._unknown_keys(mock, ("mocks", connector))
            for index, item in enumerate(mock.then):
                self._unknown_keys(item, ("mocks", connector, "then", index))
        if scenario.simulation is not None:
            self._unknown_keys(scenario.simulation, ("simulation",))
        self._mocks(scenario)
        self._environment(scenario)
        self._stale_tokens(scenario)
        if scenario.procedure not in workspace.procedures:
            self._unknown_procedure(scenario.procedure)
            self._connector_names(scenario)
            return
        found = reach(workspace, scenario.procedure)
        self._decisions(scenario, found)
        self._answers(scenario, found)
        self._messages(scenario, found)
        self._path(scenario, found)
        self._connector_names(scenario)
        self._attributes(scenario)
        self._errors(scenario)
        self._live_connectors(scenario, found)

    def add(self, loc: tuple[str | int, ...], message: str) -> None:
        where = locate(self.text, loc) if self.text else None
        self.problems.append(LoadProblem(self.path, where.line if where else 1, where.column if where else 1, message))

    def _unknown_keys(self, model: BaseModel, loc: tuple[str | int, ...]) -> None:
        known = [field.alias or name for name, field in type(model).model_fields.items()]
        for key in model.model_extra or {}:
            place = ".".join(map(str, (*loc, key)))
            self.add((*loc, key), f"{place}: unknown key{_hint(key, known)}; known keys: {', '.join(known)}")

    def _unknown_procedure(self, name: str) -> None:
        folder = self.workspace.root / FOLDERS["procedure"]
        broken = [str(problem) for problem in self.workspace.problems if problem.path.parent == folder]
        detail = _hint(name, self.workspace.procedures)
        if broken:
            detail += "; procedure files that did not load: " + "; ".join(broken)
        elif not detail:
            detail = f" (known: {', '.join(sorted(self.workspace.procedures)) or 'none'})"
        self.add(("procedure",), f"procedure: unknown procedure {name!r}{detail}")

    def _environment(self, scenario: Scenario) -> None:
        problem = self.workspace.settings.model.unknown_environment(scenario.environment)
        if problem is not None:
            self.add(("environment",), f"environment: {problem}")

    def _stale_tokens(self, scenario: Scenario) -> None:
        known = self.workspace.settings.model.tokens
        for index, name in enumerate(scenario.stale_tokens):
            if name not in known:
                listed = ", ".join(known) or "none in workbench.json"
                self.add(
                    ("stale_tokens", index),
                    f"stale_tokens: unknown token {name!r}{_hint(name, known)} (known: {listed})",
                )

    def _mocks(self, scenario: Scenario) -> None:
        for name in scenario.mocks:
            if name not in self.workspace.connectors:
                self.add(("mocks", name), f"mocks: unknown connector {name!r}{_hint(name, self.workspace.connectors)}")
        for name in scenario.simulation.connectors if scenario.simulation else {}:
            if name not in self.workspace.connectors:
                hint = _hint(name, self.workspace.connectors)
                self.add(("simulation", "connectors", name), f"simulation.connectors: unknown connector {name!r}{hint}")

    def _decisions(self, scenario: Scenario, found: Reach) -> None:
        for step_id, decision in scenario.decisions.items():
            loc = ("decisions", step_id)
            step = found.steps.get(step_id)
            if step is None:
                self.add(
                    loc,
                    f"decisions: unknown step {step_id!r}{_hint(step_id, found.steps)} "
                    f"in {scenario.procedure!r} or its sub-procedures",
                )
                continue
            describes = [when.describe for _index, when in tests_of(step, DescribeWhen)]
            branches = branches_of(step) or []
            if not describes:
                self.add(
                    loc,
                    f"decisions: step {step_id!r} is a {step.type} step without a 'describe' branch: "
                    "only describe conditions take decisions",
                )
            elif isinstance(decision, bool):
                continue
            elif isinstance(decision, int) and not 0 <= decision < len(branches):
                self.add(
                    loc,
                    f"decisions: {step_id!r}: branch index {decision} is out of range "
                    f'(0-{len(branches) - 1}; use "else" for the else branch)',
                )
            elif isinstance(decision, str) and fold(decision) not in {"else", *map(fold, describes)}:
                choices = ", ".join(repr(text) for text in [*describes, "else"])
                self.add(loc, f"decisions: {step_id!r}: {decision!r} matches no branch (choose one of {choices})")

    def _answers(self, scenario: Scenario, found: Reach) -> None:
        keys: set[str] = set()
        for step in steps_of(found.steps.values(), CollectStep):
            keys.update((step.id, normalize_path(step.attribute)))
        for name in found.connectors:
            connector = self.workspace.connector(name)
            for spec in connector.inputs if connector else ():
                keys.update((spec.name, f"{name} > {spec.name}"))
        for key in scenario.answers:
            if normalize_path(key) not in keys:
                self.add(
                    ("answers", key),
                    f"answers: {key!r} is no collect step, collected attribute or input of a "
                    f"connector this procedure calls{_hint(key, keys)}",
                )

    def _messages(self, scenario: Scenario, found: Reach) -> None:
        for step_id in scenario.messages:
            step = found.steps.get(step_id)
            if as_kind(step, InstructionStep) is None:
                what = f"a {step.type} step" if step is not None else f"no step{_hint(step_id, found.steps)}"
                self.add(
                    ("messages", step_id),
                    f"messages: {step_id!r} is {what} in {scenario.procedure!r} or its sub-procedures; "
                    "recorded messages are said by instruction steps",
                )

    def _path(self, scenario: Scenario, found: Reach) -> None:
        for index, step_id in enumerate(scenario.expect.path or []):
            if step_id not in found.steps:
                self.add(
                    ("expect", "path", index),
                    f"expect.path[{index}]: unknown step {step_id!r}"
                    f"{_hint(step_id, found.steps)} in {scenario.procedure!r} "
                    "or its sub-procedures",
                )

    def _connector_names(self, scenario: Scenario) -> None:
        calls = scenario.expect.calls
        items: Iterable[tuple[str | int, str]] = (
            enumerate(calls) if isinstance(calls, list) else ((name, name) for name in calls or {})
        )
        for place, name in items:
            if name not in self.workspace.connectors:
                self.add(
                    ("expect", "calls", place),
                    f"expect.calls: unknown connector {name!r}{_hint(name, self.workspace.connectors)}",
                )

    def _attributes(self, scenario: Scenario) -> None:
        roots = [*BUILTIN_NAMESPACES, *self.workspace.connectors, *code_steps(self.workspace.procedure_models())]
        for path in scenario.expect.attributes:
            segments = split_path(path)
            if (len(segments) < 2 and segments[0] in BUILTIN_NAMESPACES) or segments[0] not in roots:
                self.add(
                    ("expect", "attributes", path),
                    f"expect.attributes: {path!r} is not an attribute path (a connector name, a code step's name or "
                    f"{', '.join(BUILTIN_NAMESPACES)}, then ' > ' and a key)"
                    f"{'' if segments[0] in roots else _hint(segments[0], roots)}",
                )

    def _errors(self, scenario: Scenario) -> None:
        for index, entry in enumerate(scenario.expect.errors or []):
            if not entry.strip():
                self.add(
                    ("expect", "errors", index),
                    f"expect.errors[{index}]: an empty entry matches nothing useful: "
                    "give an error reason, a connector name or part of a message",
                )

    def _live_connectors(self, scenario: Scenario, found: Reach) -> None:
        if scenario.mode is not None:
            return
        for name in sorted(found.connectors):
            connector = self.workspace.connector(name)
            if (
                connector is not None
                and connector.response.mode == "live"
                and connector.response.example is None
                and name not in scenario.mocks
            ):
                self.add(
                    ("procedure",),
                    f"connector {name!r} answers live and has no example response; a scenario "
                    'only calls the network with "mode": "live": add a mock for it under '
                    '"mocks", or an example response to the connector',
                )
