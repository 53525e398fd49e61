"""Attributes: flattening connector responses into paths, and which attributes exist at a given step.

This is the one place that decides availability; the editor's ``@`` menu, the linter and the engine all ask it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from workbench import mentions
from workbench.model import (
    BUILTIN_NAMESPACES,
    AnyStep,
    CodeStep,
    CollectStep,
    ConditionStep,
    Connector,
    EndStep,
    InstructionStep,
    Procedure,
    SubprocedureStep,
    WorkspaceSettings,
)
from workbench.model.kinds import provides, reads, require_every_kind, steps_of

SEPARATOR = mentions.PATH_SEPARATOR
STANDARD_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "User": {"name": "Ada Lovelace", "email": "ada@example.com", "user_id": "u_123", "phone": "+44 20 7946 0000"},
    "Company": {"name": "Analytical Engines Ltd", "company_id": "c_42", "plan": "pro"},
    "Conversation": {"id": "conv_1", "channel": "chat", "language": "en"},
}
_MISSING = object()
REDACTED = "***"
"""How a redacted field's value shows (the same mask as secrets)."""


class Attribute(NamedTuple):
    """One attribute: its full path, its type and a sample value (arrays keep their whole list).

    A named tuple, so that building hundreds of thousands of them for a large response stays cheap.
    """

    path: str
    type: str
    sample: Any

    @property
    def source(self) -> str:
        """The first segment: a connector name or a built-in namespace."""
        return self.path.split(SEPARATOR, 1)[0]


_TYPE_NAMES: dict[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


def value_type(value: Any) -> str:
    """The JSON type name of a value: string, integer, number, boolean, null, array or object."""
    name = _TYPE_NAMES.get(value.__class__)
    if name is not None:
        return name
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def flatten(root: str, payload: Any) -> list[Attribute]:
    """The attributes of a response named ``root``.

    Object keys continue the path; an array is one attribute at its root and is never entered; a payload
    that is not an object is one attribute named ``root``; an empty nested object is an ``object`` attribute.
    The cyclic garbage collector is paused meanwhile: flattening makes no cycles, and every collection it
    would trigger rescans the whole payload (most of the cost on large object-heavy responses).
    """
    if not isinstance(payload, dict):
        return [Attribute(root, value_type(payload), payload)]
    result: list[Attribute] = []
    append = result.append
    names = _TYPE_NAMES
    make = tuple.__new__  # skips the named tuple's Python-level __new__
    stack: list[tuple[str, Any]] = [(f"{root}{SEPARATOR}", iter(payload.items()))]
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        while stack:
            prefix, items = stack[-1]
            for key, value in items:
                kind = value.__class__
                if kind is dict and value:
                    stack.append((f"{prefix}{key}{SEPARATOR}", iter(value.items())))
                    break
                append(make(Attribute, (f"{prefix}{key}", names.get(kind) or value_type(value), value)))
            else:
                stack.pop()
    finally:
        if paused:
            gc.enable()
    return result


def flatten_values(root: str, payload: Any) -> dict[str, Any]:
    """``{path: value}`` for the attributes of a response (see :func:`flatten`)."""
    return {attribute.path: attribute.sample for attribute in flatten(root, payload)}


@dataclass(frozen=True)
class Resolution:
    """What a path names: a value, an array it tried to enter, or nothing."""

    value: Any = _MISSING
    array_root: str | None = None

    @property
    def found(self) -> bool:
        """Whether the path names a value."""
        return self.value is not _MISSING


def resolve(payload: Any, root: str, segments: Iterable[str]) -> Resolution:
    """Follow ``segments`` into ``payload`` (named ``root``) the way attribute paths do."""
    current = payload
    walked = [root]
    for segment in segments:
        if isinstance(current, list):
            return Resolution(array_root=SEPARATOR.join(walked))
        if not isinstance(current, dict) or segment not in current:
            return Resolution()
        current = current[segment]
        walked.append(segment)
    return Resolution(value=current)


@dataclass(frozen=True)
class FlowState:
    """What holds before a step: connectors called (and code steps run, by name) and attributes collected on every
    path, or on some."""

    called: frozenset[str] = frozenset()
    maybe_called: frozenset[str] = frozenset()
    collected: frozenset[str] = frozenset()
    maybe_collected: frozenset[str] = frozenset()

    def after(self, calls: Iterable[str] = (), collected: Iterable[str] = ()) -> FlowState:
        """This state with more connectors called and attributes collected."""
        calls, collected = frozenset(calls), frozenset(collected)
        return FlowState(
            self.called | calls, self.maybe_called | calls, self.collected | collected, self.maybe_collected | collected
        )


def meet(states: Iterable[FlowState | None]) -> FlowState | None:
    """Where paths join: what holds on all of them (``None`` stands for a path that ended)."""
    live = [state for state in states if state is not None]
    if not live:
        return None
    return FlowState(
        frozenset.intersection(*(state.called for state in live)),
        frozenset.union(*(state.maybe_called for state in live)),
        frozenset.intersection(*(state.collected for state in live)),
        frozenset.union(*(state.maybe_collected for state in live)),
    )


def step_calls(step: AnyStep) -> tuple[str, ...]:
    """The connectors a step calls itself, in text order (instruction steps only)."""
    return reads(step).calls


_REASONS = {
    True: ("called on some paths to this step, not all", "called only after this step", "not called before this step"),
    False: (
        "its code step runs on some paths to this step, not all",
        "its code step runs only after this step",
        "its code step does not run before this step",
    ),
}
"""Why a connector's (``True``) or a code step's (``False``) attributes are not available at a step."""


def step_sources(step: AnyStep) -> tuple[str, ...]:
    """The connectors a step calls, or the code step's name: the roots of the attributes it makes available."""
    return provides(step)


def code_steps(procedures: Mapping[str, Procedure]) -> dict[str, CodeStep]:
    """Every code step of the procedures by name (the first one when two share a name)."""
    found: dict[str, CodeStep] = {}
    for procedure in procedures.values():
        for step in steps_of(procedure.all_steps(), CodeStep):
            found.setdefault(step.name, step)
    return found


@dataclass
class _Analysis:
    """Flow states before every step of one procedure, and the states at its sub-procedure calls."""

    before: dict[str, FlowState] = field(default_factory=dict)
    calls_out: list[tuple[str, FlowState]] = field(default_factory=list)


class FlowAnalysis:
    """Which connectors are called, and attributes collected, on the paths reaching each step.

    A procedure used as a sub-procedure starts from what holds at every place that calls it.
    """

    def __init__(self, procedures: Mapping[str, Procedure], mapped: Mapping[str, Iterable[str]] | None = None) -> None:
        """``mapped``: per connector, the User / Conversation attributes its object mappings write."""
        self._procedures = procedures
        self._inside: dict[tuple[str, str], FlowState] = {}
        self._mapped = {name: tuple(paths) for name, paths in (mapped or {}).items()}
        self._entries: dict[str, FlowState] = {}
        self._analyses: dict[str, _Analysis] = {}
        self._callers: dict[str, list[str]] = {}
        for name, procedure in procedures.items():
            for step in procedure.all_steps():
                for _field, callee in reads(step).procedures:
                    if callee != name:
                        self._callers.setdefault(callee, []).append(name)
        self._entering: set[str] = set()

    def entry(self, procedure: str) -> FlowState:
        """What holds when ``procedure`` starts: the meet of its call sites, or nothing for a top-level one."""
        if procedure in self._entries:
            return self._entries[procedure]
        if procedure in self._entering:
            return FlowState()
        self._entering.add(procedure)
        sites: list[FlowState | None] = []
        for caller in dict.fromkeys(self._callers.get(procedure, [])):
            analysis = self._analysis(caller)
            sites.extend(state for callee, state in analysis.calls_out if callee == procedure)
        self._entering.discard(procedure)
        state = meet(sites) or FlowState()
        self._entries[procedure] = state
        return state

    def before(self, procedure: str, step_id: str) -> FlowState:
        """What holds just before the step runs (an unreachable step gets the procedure's entry state)."""
        return self._analysis(procedure).before.get(step_id) or self.entry(procedure)

    def reachable(self, procedure: str, step_id: str) -> bool:
        """Whether some path reaches the step (not every earlier path ends the run)."""
        return step_id in self._analysis(procedure).before

    def in_step(self, procedure: str, step_id: str) -> FlowState:
        """What holds inside a step: before it, plus the connectors the step itself calls."""
        key = (procedure, step_id)
        if key not in self._inside:
            state = self.before(procedure, step_id)
            model = self._procedures.get(procedure)
            step = model.step(step_id) if model else None
            self._inside[key] = self._called(state, step_calls(step)) if step is not None else state
        return self._inside[key]

    def _called(self, state: FlowState, calls: Sequence[str]) -> FlowState:
        """The state after calling connectors: they are called, and the attributes they map are set."""
        return state.after(calls, [path for name in calls for path in self._mapped.get(name, ())])

    def _analysis(self, procedure: str) -> _Analysis:
        if procedure not in self._analyses:
            analysis = _Analysis()
            self._analyses[procedure] = analysis
            model = self._procedures.get(procedure)
            if model is not None:
                self._run(model.steps, self.entry(procedure), analysis, stack=(procedure,))
        return self._analyses[procedure]

    def _run(
        self, steps: list[AnyStep], state: FlowState | None, analysis: _Analysis | None, stack: tuple[str, ...]
    ) -> FlowState | None:
        for step in steps:
            if state is None:
                return None
            if analysis is not None:
                analysis.before.setdefault(step.id, state)
            state = self._step(step, state, analysis, stack)
        return state

    def _step(
        self, step: AnyStep, state: FlowState, analysis: _Analysis | None, stack: tuple[str, ...]
    ) -> FlowState | None:
        return _FLOWS[step.type](self, step, state, analysis, stack)

    def _with_error_path(
        self,
        step: InstructionStep | CodeStep,
        done: FlowState,
        before: FlowState,
        analysis: _Analysis | None,
        stack: tuple[str, ...],
    ) -> FlowState | None:
        """After a step with an error path: what holds both when it did its work and when its error path ran."""
        if step.on_error is None:
            return done
        return meet([done, self._run(step.on_error, before, analysis, stack)])

    def _instruction(
        self, step: InstructionStep, state: FlowState, analysis: _Analysis | None, stack: tuple[str, ...]
    ) -> FlowState | None:
        return self._with_error_path(step, self._called(state, step_calls(step)), state, analysis, stack)

    def _code(
        self, step: CodeStep, state: FlowState, analysis: _Analysis | None, stack: tuple[str, ...]
    ) -> FlowState | None:
        # a code step's outputs are available after it like a called connector's response, under its name
        return self._with_error_path(step, state.after([step.name]), state, analysis, stack)

    def _condition(
        self, step: ConditionStep, state: FlowState, analysis: _Analysis | None, stack: tuple[str, ...]
    ) -> FlowState | None:
        return meet([self._run(arm.steps, state, analysis, stack) for arm in step.arms()])

    def _collect(
        self, step: CollectStep, state: FlowState, _analysis: _Analysis | None, _stack: tuple[str, ...]
    ) -> FlowState | None:
        return state.after(collected=[mentions.normalize_path(step.attribute)])

    def _subprocedure(
        self, step: SubprocedureStep, state: FlowState, analysis: _Analysis | None, stack: tuple[str, ...]
    ) -> FlowState | None:
        if analysis is not None:
            analysis.calls_out.append((step.procedure, state))
        callee = self._procedures.get(step.procedure)
        if callee is None or step.procedure in stack:
            return state
        return self._run(callee.steps, state, None, (*stack, step.procedure))

    def _end(
        self, _step: EndStep, _state: FlowState, _analysis: _Analysis | None, _stack: tuple[str, ...]
    ) -> FlowState | None:
        return None


_FLOWS: dict[str, Callable[[FlowAnalysis, Any, FlowState, _Analysis | None, tuple[str, ...]], FlowState | None]] = {
    "instruction": FlowAnalysis._instruction,
    "condition": FlowAnalysis._condition,
    "collect": FlowAnalysis._collect,
    "subprocedure": FlowAnalysis._subprocedure,
    "end": FlowAnalysis._end,
    "code": FlowAnalysis._code,
}
"""What holds after each kind of step, from what holds before it (``None``: the run ends there)."""
require_every_kind("attributes._FLOWS", _FLOWS)


@dataclass(frozen=True)
class Unavailable:
    """An attribute that exists in the workspace but not at this step, and why."""

    attribute: Attribute
    reason: str


@dataclass(frozen=True)
class Availability:
    """The attributes offered at a step, and those shown apart as not available there."""

    available: list[Attribute]
    unavailable: list[Unavailable]


class AttributeCatalog:
    """Every attribute a workspace knows: per connector (from its sample response) and built-in ones."""

    def __init__(
        self,
        connectors: Mapping[str, Connector],
        procedures: Mapping[str, Procedure],
        settings: WorkspaceSettings | None = None,
        payloads: Mapping[str, Any] | None = None,
    ) -> None:
        """``payloads`` overrides a connector's sample body (e.g. its example after the transform ran)."""
        self.connectors = connectors
        self.procedures = procedures
        self.settings = settings or WorkspaceSettings()
        self._payloads = dict(payloads or {})
        self._by_connector: dict[str, list[Attribute]] = {}
        self._collected: frozenset[str] | None = None
        self.mapped = mapped_attributes(connectors)
        self._unset: dict[str, str] | None = None
        self._mapped_types: dict[str, Attribute] | None = None
        self.flow = FlowAnalysis(procedures, {name: list(paths) for name, paths in self.mapped.items()})
        self.code_steps: dict[str, CodeStep] = code_steps(procedures)
        """Every code step by name (the root of its outputs); the first one when two share a name."""

    def payload(self, connector: str) -> Any:
        """The body that stands for a connector's response (or a code step's outputs: from a run, else none)."""
        if connector in self._payloads:
            return self._payloads[connector]
        model = self.connectors.get(connector)
        return model.sample_payload() if model else None

    def flattened(self, connector: str) -> list[Attribute]:
        """The attributes of one connector's sample response, flattened and cached."""
        if connector not in self._by_connector:
            self._by_connector[connector] = flatten(connector, self.payload(connector))
        return self._by_connector[connector]

    def connector_attributes(self, connector: str) -> list[Attribute]:
        """The attributes of one connector's response: its sample's, with the types of its declared fields (and
        declared fields the sample lacks); redacted ones show ``***`` as their sample."""
        step = self.code_steps.get(connector)
        if step is not None and connector not in self.connectors:
            return self.code_outputs(step)
        attributes = self.flattened(connector)
        model = self.connectors.get(connector)
        if model is None or not model.response.fields:
            return attributes
        return declared(connector, model, attributes)

    def code_outputs(self, step: CodeStep) -> list[Attribute]:
        """A code step's outputs: those it declares (with the sample a run gave, when one did), else what a run of
        it returned (``payloads``), else none known."""
        known = self._payloads.get(step.name)
        if step.outputs is None:
            return flatten(step.name, known) if isinstance(known, dict) else []
        result: list[Attribute] = []
        for output in step.outputs:
            segments = mentions.split_path(output.path)
            found = resolve(known, step.name, segments) if isinstance(known, dict) else Resolution()
            result.append(
                Attribute(mentions.join_path([step.name, *segments]), output.type, found.value if found.found else None)
            )
        return result

    def code_shape_known(self, name: str) -> bool:
        """Whether a code step's outputs are known: declared, or seen in a run."""
        step = self.code_steps.get(name)
        return step is not None and (step.outputs is not None or isinstance(self._payloads.get(name), dict))

    def builtin_values(self) -> dict[str, dict[str, Any]]:
        """Sample values of the built-in namespaces: the standard set, then the workspace's defaults."""
        values = {namespace: dict(STANDARD_ATTRIBUTES[namespace]) for namespace in BUILTIN_NAMESPACES}
        for namespace, defaults in self.settings.attributes.items():
            values[namespace].update(defaults)
        return values

    def builtin_attributes(self, collected: Iterable[str] = ()) -> list[Attribute]:
        """``User``, ``Company`` and ``Conversation`` attributes, plus collected and mapped ones (a mapped one with no
        default value only once collected: its connector called on every path)."""
        collected = frozenset(collected)
        types = self.mapped_types()
        result: list[Attribute] = []
        for namespace, values in self.builtin_values().items():
            for attribute in flatten(namespace, values):
                unset = self.mapped_unset(attribute.path) is not None
                if unset and attribute.path in collected:
                    result.append(types[attribute.path])
                elif not unset:
                    result.append(attribute)
        known = {attribute.path for attribute in result}
        result.extend(
            types.get(path, Attribute(path, "string", None)) for path in sorted(collected) if path not in known
        )
        return result

    def mapped_unset(self, path: str) -> str | None:
        """The connector whose mapping sets this built-in attribute when it has no value of its own, else ``None``."""
        if self._unset is None:
            values = self.builtin_values()
            self._unset = {}
            for name, paths in self.mapped.items():
                for target in paths:
                    root, *rest = mentions.split_path(target)
                    found = resolve(values.get(root, {}), root, rest)
                    if not found.found or found.value is None:
                        self._unset.setdefault(target, name)
        return self._unset.get(path)

    def mapped_types(self) -> dict[str, Attribute]:
        """The attributes object mappings write, typed like the response value they come from (worked out once)."""
        if self._mapped_types is None:
            self._mapped_types = {}
            for name in self.mapped:
                by_path = {attribute.path: attribute for attribute in self.connector_attributes(name)}
                for mapping in self.connectors[name].response.mappings:
                    source = by_path.get(mentions.join_path([name, *mentions.split_path(mapping.from_)]))
                    target = mentions.normalize_path(mapping.to)
                    kind, sample = (source.type, source.sample) if source else ("string", None)
                    self._mapped_types[target] = Attribute(target, kind, sample)
        return self._mapped_types

    def collected_anywhere(self) -> frozenset[str]:
        """Attribute paths any collect step of the workspace stores (worked out once, like the flow)."""
        if self._collected is None:
            self._collected = frozenset(
                mentions.normalize_path(step.attribute)
                for procedure in self.procedures.values()
                for step in steps_of(procedure.all_steps(), CollectStep)
            ) | {path for paths in self.mapped.values() for path in paths}
        return self._collected

    def resolve(self, path: str) -> tuple[Resolution, str]:
        """What an attribute path names, and the name of its source (connector or namespace)."""
        root, *rest = mentions.split_path(path)
        if root in BUILTIN_NAMESPACES:
            if mentions.normalize_path(path) in self.collected_anywhere():
                return Resolution(value=None), root
            return resolve(self.builtin_values()[root], root, rest), root
        if root in self.code_steps and root not in self.connectors:
            return self._resolve_output(root, rest), root
        if root not in self.connectors:
            return Resolution(), root
        found = resolve(self.payload(root), root, rest)
        if not found.found and found.array_root is None and self._declares(root, rest):
            return Resolution(value=None), root
        return found, root

    def _resolve_output(self, name: str, segments: list[str]) -> Resolution:
        """What a path under a code step names: a declared output (or an object holding some), else a value its
        run returned; anything when its outputs are not known."""
        if not self.code_shape_known(name):
            return Resolution(value=None)
        wanted = mentions.join_path([name, *segments])
        for attribute in self.code_outputs(self.code_steps[name]):
            if attribute.path == wanted or attribute.path.startswith(wanted + SEPARATOR):
                return Resolution(value=attribute.sample)
        if self.code_steps[name].outputs is None:
            return resolve(self._payloads.get(name), name, segments)
        return Resolution()

    def _declares(self, connector: str, segments: list[str]) -> bool:
        """Whether the connector declares a response field at this path (below its name)."""
        wanted = mentions.join_path(segments)
        fields = self.connectors[connector].response.fields
        return any(mentions.join_path(mentions.split_path(field.path)) == wanted for field in fields)

    def known_paths(self) -> list[str]:
        """Every attribute path the workspace knows, for suggestions."""
        paths = [attribute.path for attribute in self.builtin_attributes(self.collected_anywhere())]
        for connector in [*self.connectors, *self.code_steps]:
            paths.extend(attribute.path for attribute in self.connector_attributes(connector))
        return paths

    def available_at(self, procedure: str, step_id: str) -> Availability:
        """The attributes offered inside a step, and the others with the reason they are not."""
        state = self.flow.in_step(procedure, step_id)
        available = [attribute for name in sorted(state.called) for attribute in self.connector_attributes(name)]
        available.extend(self.builtin_attributes(state.collected))
        later = self._called_later(procedure, step_id)
        unavailable: list[Unavailable] = []
        for path, attribute in self.mapped_types().items():
            source = self.mapped_unset(path)
            if source is not None and path not in state.collected:
                reason = f"set by {source}'s mapping, not called on every path before this step"
                unavailable.append(Unavailable(attribute, reason))
        for name in sorted((set(self.connectors) | set(self.code_steps)) - state.called):
            some, after, never = _REASONS[name in self.connectors]
            reason = some if name in state.maybe_called else after if name in later else never
            unavailable.extend(Unavailable(attribute, reason) for attribute in self.connector_attributes(name))
        return Availability(available, unavailable)

    def _called_later(self, procedure: str, step_id: str) -> set[str]:
        model = self.procedures.get(procedure)
        if model is None:
            return set()
        steps = list(model.all_steps())
        index = next((i for i, step in enumerate(steps) if step.id == step_id), len(steps))
        return {name for step in steps[index + 1 :] for name in step_sources(step)}


def mapped_attributes(connectors: Mapping[str, Connector]) -> dict[str, tuple[str, ...]]:
    """Per connector with object mappings, the User / Conversation attribute paths they write."""
    return {
        name: tuple(mentions.normalize_path(mapping.to) for mapping in connector.response.mappings)
        for name, connector in connectors.items()
        if connector.response.mappings
    }


def declared(name: str, connector: Connector, attributes: list[Attribute]) -> list[Attribute]:
    """A connector's attributes with its declared fields' types, redacted samples as ``***``, and the declared
    fields its sample lacks."""
    fields = {
        mentions.join_path([name, *mentions.split_path(field.path)]): field for field in connector.response.fields
    }
    result: list[Attribute] = []
    for attribute in attributes:
        field = fields.pop(attribute.path, None)
        if field is None:
            result.append(attribute)
        else:
            result.append(Attribute(attribute.path, field.type, REDACTED if field.redacted else attribute.sample))
    result.extend(Attribute(path, field.type, REDACTED if field.redacted else None) for path, field in fields.items())
    return result
