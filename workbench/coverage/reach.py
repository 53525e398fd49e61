"""A debug run that fills a coverage gap: for an arm no scenario takes, the scenario (mocks, attributes, decisions)
that leads there, where it can be derived, built over a scenario that reaches the arm's step when there is one.

- a ``describe`` branch (or the ``else`` of a condition of them): the decision;
- an attribute test: a value for the attribute that makes the test hold (and the earlier tests of the condition
  fail), checked with the engine's own comparison: a ``User``/``Company``/``Conversation`` attribute is set, a
  connector's field is written into a mock of its response (not for a connector with a transform);
- an ``on_error`` path: the step's first connector answers HTTP 500.

A ``code`` test cannot be derived: the run pauses at the condition, where the Context tab can set values.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.attributes import Resolution
from workbench.coverage.universe import ELSE, ON_ERROR, Item
from workbench.engine.values import compare
from workbench.mentions import split_path
from workbench.model import BUILTIN_NAMESPACES, MockResponse, Scenario
from workbench.model.kinds import as_kind, kind_of, reads, tests_of, when_kind
from workbench.model.procedure import AttributeWhen, CodeWhen, ConditionStep
from workbench.store import Workspace

_UNSET = object()
"""A candidate value meaning "leave the attribute unset"."""
_NONE = object()
"""No candidate value fits."""


class CannotReach(Exception):
    """Why no run leading to an arm can be derived."""


@dataclass
class Reach:
    """The scenario to debug, where to pause (``(procedure, step)``: the arm's step), and what it could not
    settle (to do by hand while paused)."""

    scenario: Scenario
    pause_at: tuple[str, str]
    notes: list[str] = field(default_factory=list)


def reach(workspace: Workspace, item: Item, base: Scenario | None = None) -> Reach:
    """A scenario whose run takes the arm ``item``, over ``base`` (a scenario reaching the arm's step; default: a
    run of the arm's own procedure). Raises :class:`CannotReach` saying why when there is none."""
    if item.kind != "arm":
        raise CannotReach("only a branch, an else or an error path can be reached this way")
    procedure = workspace.procedure(item.procedure)
    step = procedure.step(item.step) if procedure is not None else None
    if step is None:
        raise CannotReach(f"step {item.step!r} of {item.procedure!r} is gone")
    data = (base or Scenario(name="-", procedure=item.procedure)).model_dump(mode="json", by_alias=True)
    data["name"] = f"Reach {item.what}"[:200]
    data["expect"] = {}
    derived = Reach(Scenario.model_validate(data), (item.procedure, item.step))
    arm = item.key[1]
    kind = kind_of(step)
    if arm == ON_ERROR and kind.error_path and kind.error_cause:
        raise CannotReach(f"`{step.id}`'s error path runs when {kind.error_cause}, which no mock can make happen")
    if arm == ON_ERROR and kind.error_path:
        calls = reads(step).calls
        if not calls:
            raise CannotReach(f"`{step.id}` calls no connector, so its error path cannot be reached")
        derived.scenario.mocks[calls[0]] = MockResponse(status=500, body={"error": "simulated failure"})
        return derived
    condition = as_kind(step, ConditionStep)
    if condition is None:
        raise CannotReach(f"`{step.id}` has no arm {arm!r}")
    target = None if arm == ELSE else int(arm)
    _settle_condition(workspace, condition, target, derived)
    return derived


def _settle_condition(workspace: Workspace, step: ConditionStep, target: int | None, derived: Reach) -> None:
    """Make the branches before ``target`` fail and ``target`` hold (every branch fail for the else)."""
    wanted = step.branches if target is None else step.branches[: target + 1]
    if any(when_kind(branch.when).agent_decides for branch in wanted):
        derived.scenario.decisions[step.id] = "else" if target is None else target
    for index, _code in tests_of(step, CodeWhen):
        if index >= len(wanted):
            break
        if index == target:
            raise CannotReach(
                f"branch {index} of `{step.id}` is a code test: run to the condition and set the values it reads"
            )
        derived.notes.append(f"branch {index} of `{step.id}` (code) must not hold: check it while paused")
    constraints: dict[str, list[tuple[AttributeWhen, bool]]] = {}
    for index, when in tests_of(step, AttributeWhen):
        if index < len(wanted):
            constraints.setdefault(" > ".join(split_path(when.attribute)), []).append((when, index == target))
    for path, tests in constraints.items():
        value = next((value for value in _candidates(tests) if all(_judged(value, *test) for test in tests)), _NONE)
        if value is _NONE:
            raise CannotReach(f"no value of {path} makes the tests of `{step.id}` lead to this arm")
        _assign(workspace, derived.scenario, path, value)


def _candidates(tests: list[tuple[AttributeWhen, bool]]) -> Iterator[Any]:
    """Values worth trying for an attribute: the tested values, neighbours of them, unset, and a plain text."""
    for when, _ in tests:
        expected = when.value
        if expected is None:
            continue
        yield expected
        if isinstance(expected, bool):
            yield not expected
        elif isinstance(expected, int | float):
            yield from (expected + 1, expected - 1)
        else:
            yield f"not {expected}"
            yield [expected]
    yield _UNSET
    yield "set"


def _judged(value: Any, when: AttributeWhen, holds: bool) -> bool:
    """Whether the engine's comparison gives ``holds`` for ``value``."""
    resolution = Resolution() if value is _UNSET else Resolution(value)
    return compare(resolution, when.op, when.value)[0] == holds


def _assign(workspace: Workspace, scenario: Scenario, path: str, value: Any) -> None:
    """Give the attribute ``path`` this value in the scenario: an attribute of the conversation, or a field of a
    connector's mocked response."""
    root, *names = split_path(path)
    if not names:
        raise CannotReach(f"{path} is not an attribute")
    if root in BUILTIN_NAMESPACES:
        _set(scenario.attributes.setdefault(root, {}), names, value)  # type: ignore[arg-type]
        return
    connectors = workspace.connector_models()
    connector = connectors.get(root)
    if connector is None:
        raise CannotReach(f"{path}: there is no connector {root!r}")
    if connector.transform:
        raise CannotReach(f"{path} comes out of the transform of {root!r}: set it while paused")
    mock = scenario.mocks.get(root) or connector.response.example or MockResponse(body={})
    body = copy.deepcopy(mock.body) if isinstance(mock.body, dict) else {}
    _set(body, names, value)
    scenario.mocks[root] = mock.model_copy(update={"body": body, "status": 200, "fault": None, "body_text": None})


def _set(data: dict[str, Any], names: list[str], value: Any) -> None:
    """Set (or, for unset, remove) the value at ``names`` in nested objects, creating those missing."""
    for name in names[:-1]:
        child = data.get(name)
        if not isinstance(child, dict):
            child = data[name] = {}
        data = child
    if value is _UNSET:
        data.pop(names[-1], None)
    else:
        data[names[-1]] = value
