"""The step kinds and the condition kinds, in one registry each: how each is made, what it holds and reads, how it
reads in one line.

Code that needs to treat kinds differently (the editing core, the engine, the linter, the outline and the form)
asks :data:`STEP_KINDS` and :data:`WHEN_KINDS` instead of testing ``isinstance`` one kind after another; they live
with the models so that all of them can. Registries kept elsewhere (the engine's performers, the form's builders)
are keyed by the same names and checked with :func:`require_every_kind` when they are imported: a new kind fails
loudly until every registry knows it.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from workbench import mentions
from workbench.model import (
    AnyStep,
    AttributeWhen,
    Branch,
    CodeStep,
    CodeWhen,
    CollectStep,
    ConditionStep,
    DescribeWhen,
    EndStep,
    InstructionStep,
    SubprocedureStep,
)

StepType = Literal["instruction", "condition", "collect", "subprocedure", "end", "code"]
WhenType = Literal["describe", "code", "attribute"]
AnyWhen = CodeWhen | AttributeWhen | DescribeWhen
S = TypeVar("S", bound=AnyStep)
W = TypeVar("W", bound=AnyWhen)
_SUMMARY_WIDTH = 38


class IncompleteRegistry(RuntimeError):
    """A registry lacks a kind (or holds one that does not exist)."""


def short(text: str, width: int = _SUMMARY_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Reads:
    """What a step reads besides the mentions in its words: connectors it calls; as ``(field, text)`` pairs, the
    sub-procedure it runs, attribute paths its tests compare, Python tests over ``inputs`` and code it runs."""

    calls: tuple[str, ...] = ()
    procedures: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    expressions: tuple[tuple[str, str], ...] = ()
    code: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StepKind(Generic[S]):
    """One kind of step (``name`` is its ``type`` in files).

    ``words`` names the field holding its free text (carried over when a step changes kind, read for
    mentions); ``calls`` says whether ``@call`` mentions there call connectors (elsewhere they are only
    words); ``first_field`` is the field an author fills right after adding one (``branches.0.when`` for a
    condition: its first test); ``summary`` is its line in the outline; ``reads`` what it reads;
    ``provides`` the roots of the attributes it makes available (the connectors it calls, a code step's name);
    ``error_cause`` when its error path runs, if not when a connector it calls fails.
    The steps it nests are the model's own (:meth:`~workbench.model.procedure.StepBase.arms`).
    """

    name: StepType
    model: type[S]
    create: Callable[[str], S]
    words: str | None
    first_field: str
    summary: Callable[[S], str]
    reads: Callable[[S], Reads] = field(default=lambda _step: Reads())
    provides: Callable[[S], tuple[str, ...]] = field(default=lambda _step: ())
    calls: bool = False
    error_cause: str = ""

    @property
    def error_path(self) -> bool:
        """Whether a step of this kind can have an ``on_error`` path."""
        return "on_error" in self.model.model_fields


@functools.lru_cache(maxsize=4096)
def _called_in(text: str) -> tuple[str, ...]:
    return tuple(mention.name for mention in mentions.parse(text).calls())


def _condition_summary(step: ConditionStep) -> str:
    count = len(step.branches)
    return f"{count} branch{'es' if count != 1 else ''} + else"


def _condition_reads(step: ConditionStep) -> Reads:
    attributes: list[tuple[str, str]] = []
    expressions: list[tuple[str, str]] = []
    for index, branch in enumerate(step.branches):
        where = f"branches.{index}.when"
        kind = when_kind(branch.when)
        attributes.extend((f"{where}.{name}", path) for name, path in kind.attributes(branch.when))
        expressions.extend((f"{where}.{name}", code) for name, code in kind.expressions(branch.when))
    return Reads(attributes=tuple(attributes), expressions=tuple(expressions))


STEP_KINDS: dict[str, StepKind[Any]] = {
    kind.name: kind
    for kind in (
        StepKind(
            "instruction",
            InstructionStep,
            lambda step_id: InstructionStep(id=step_id, text=""),
            "text",
            "text",
            summary=lambda step: short(step.text) or "(no text yet)",
            reads=lambda step: Reads(calls=_called_in(step.text)),
            provides=lambda step: _called_in(step.text),
            calls=True,
        ),
        StepKind(
            "condition",
            ConditionStep,
            lambda step_id: ConditionStep(id=step_id, branches=[Branch(when=DescribeWhen(describe=""), steps=[])]),
            None,
            "branches.0.when",
            summary=_condition_summary,
            reads=_condition_reads,
        ),
        StepKind(
            "collect",
            CollectStep,
            lambda step_id: CollectStep(id=step_id, attribute="Conversation > answer", prompt=""),
            "prompt",
            "attribute",
            summary=lambda step: f"ask → {step.attribute}",
        ),
        StepKind(
            "subprocedure",
            SubprocedureStep,
            lambda step_id: SubprocedureStep(id=step_id, procedure=""),
            None,
            "procedure",
            summary=lambda step: f"→ {step.procedure or '(choose a procedure)'}",
            reads=lambda step: Reads(procedures=(("procedure", step.procedure),)),
        ),
        StepKind(
            "end",
            EndStep,
            lambda step_id: EndStep(id=step_id, outcome="resolved"),
            "message",
            "outcome",
            summary=lambda step: step.outcome,
        ),
        StepKind(
            "code",
            CodeStep,
            lambda step_id: CodeStep(id=step_id, name=step_id.replace("-", " ").capitalize(), code=""),
            None,
            "code",
            summary=lambda step: f"code → {step.name}",
            reads=lambda step: Reads(code=(("code", step.code),)),
            provides=lambda step: (step.name,),
            error_cause="its code fails",
        ),
    )
}
STEP_TYPES: tuple[StepType, ...] = tuple(kind.name for kind in STEP_KINDS.values())


@dataclass(frozen=True)
class WhenKind(Generic[W]):
    """One kind of branch test (``name`` is the key that holds it in files, and its kind in run events).

    ``label`` names it where an author chooses one; ``first_field`` is the field an author fills; ``summary`` is the
    branch's line in the outline; ``agent_decides`` says the agent judges it (scenarios give decisions for such
    tests); ``attributes`` and ``expressions`` give the ``(field, text)`` of the attribute
    paths it compares and of the Python it evaluates.
    """

    name: WhenType
    model: type[W]
    create: Callable[[], W]
    label: str
    first_field: str
    summary: Callable[[W], str]
    agent_decides: bool = False
    attributes: Callable[[W], tuple[tuple[str, str], ...]] = field(default=lambda _when: ())
    expressions: Callable[[W], tuple[tuple[str, str], ...]] = field(default=lambda _when: ())


def _attribute_summary(when: AttributeWhen) -> str:
    value = "" if when.op in ("is_set", "is_not_set") else f" {when.value!r}"
    return short(f"if {when.attribute} {when.op}{value}", 40)


WHEN_KINDS: dict[str, WhenKind[Any]] = {
    kind.name: kind
    for kind in (
        WhenKind(
            "describe",
            DescribeWhen,
            lambda: DescribeWhen(describe=""),
            "described (the agent decides)",
            "describe",
            summary=lambda when: "if described: " + short(when.describe or "(describe the case)", 28),
            agent_decides=True,
        ),
        WhenKind(
            "code",
            CodeWhen,
            lambda: CodeWhen(code=""),
            "code (Python over inputs)",
            "code",
            summary=lambda when: "if code: " + short(when.code, 30),
            expressions=lambda when: (("code", when.code),),
        ),
        WhenKind(
            "attribute",
            AttributeWhen,
            lambda: AttributeWhen(attribute="", op="equals"),
            "attribute comparison",
            "attribute",
            summary=_attribute_summary,
            attributes=lambda when: (("attribute", when.attribute),),
        ),
    )
}
_WHEN_BY_MODEL: dict[type, WhenKind[Any]] = {kind.model: kind for kind in WHEN_KINDS.values()}


def kind_of(step: AnyStep) -> StepKind[Any]:
    """The registry entry of a step's kind."""
    return STEP_KINDS[step.type]


def when_kind(when: AnyWhen) -> WhenKind[Any]:
    """The registry entry of a branch test's kind."""
    return _WHEN_BY_MODEL[type(when)]


def words_of(step: AnyStep) -> str:
    """A step's free text (``""`` for kinds without one)."""
    field = kind_of(step).words
    return str(getattr(step, field) or "") if field else ""


def summary(step: AnyStep) -> str:
    """A few words saying what a step does (its line in the outline)."""
    return str(kind_of(step).summary(step))


def reads(step: AnyStep) -> Reads:
    """What a step reads (see :class:`Reads`)."""
    return kind_of(step).reads(step)


def provides(step: AnyStep) -> tuple[str, ...]:
    """The roots of the attributes a step makes available: the connectors it calls, or a code step's name."""
    return kind_of(step).provides(step)


def steps_of(steps: Iterable[AnyStep], model: type[S]) -> Iterator[S]:
    """The steps of one kind (given by its model class), in order."""
    return (step for step in steps if isinstance(step, model))


def as_kind(step: AnyStep | None, model: type[S]) -> S | None:
    """The step when it is of one kind (given by its model class), else ``None``."""
    return step if isinstance(step, model) else None


def tests_of(step: AnyStep, model: type[W]) -> Iterator[tuple[int, W]]:
    """``(index, test)`` of a condition step's branch tests of one kind (given by its model class)."""
    return (
        (index, branch.when) for index, branch in enumerate(branches_of(step) or []) if isinstance(branch.when, model)
    )


def branches_of(step: AnyStep) -> list[Branch] | None:
    """A condition step's branches (``None`` for a kind without branches)."""
    return step.branches if isinstance(step, ConditionStep) else None


def branch_when(step: AnyStep, index: int) -> AnyWhen | None:
    """The test of branch ``index`` of a condition step (``None``: not a condition, or no such branch)."""
    branches = branches_of(step) or []
    return branches[index].when if 0 <= index < len(branches) else None


def require_every_kind(
    registry: str, keys: Collection[str], kinds: Collection[str] | None = None, what: str = "step"
) -> None:
    """Fail loudly unless ``keys`` (those of the registry named ``registry``) are exactly the kinds: the step kinds
    of :data:`STEP_KINDS`, or ``kinds`` (e.g. :data:`WHEN_KINDS`'s, ``what`` then ``"condition"``). Registries call
    it when they are imported."""
    wanted = list(STEP_KINDS if kinds is None else kinds)
    problems = []
    if missing := [name for name in wanted if name not in keys]:
        problems.append(f"no entry for the {what} kind(s) {', '.join(map(repr, missing))}")
    if unknown := [name for name in keys if name not in wanted]:
        problems.append(f"an entry for the unknown {what} kind(s) {', '.join(map(repr, unknown))}")
    if problems:
        raise IncompleteRegistry(f"{registry}: {'; '.join(problems)}")


def check_models() -> None:
    """Fail loudly unless every step model and every branch test model has its kind here, and no other."""
    require_every_kind(
        "model.kinds.STEP_KINDS",
        [kind.model.__name__ for kind in STEP_KINDS.values()],
        [model.__name__ for model in typing.get_args(AnyStep)],
        "step model",
    )
    require_every_kind(
        "model.kinds.WHEN_KINDS",
        [kind.model.__name__ for kind in WHEN_KINDS.values()],
        [model.__name__ for model in typing.get_args(AnyWhen)],
        "condition model",
    )


check_models()
