"""The step kinds, in one registry: how each is made, which field holds its words, whether those words call
connectors, which field is filled next.

Code that needs to treat kinds differently (the editing core, the engine, the linter) asks :data:`STEP_KINDS`
instead of testing ``isinstance`` one kind after another; it lives with the models so that all of them can.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from workbench.model import (
    AnyStep,
    Branch,
    CodeStep,
    CollectStep,
    ConditionStep,
    DescribeWhen,
    EndStep,
    InstructionStep,
    SubprocedureStep,
)

StepType = Literal["instruction", "condition", "collect", "subprocedure", "end", "code"]


@dataclass(frozen=True)
class StepKind:
    """One kind of step (``name`` is its ``type`` in files).

    ``words`` names the field holding its free text (carried over when a step changes kind, read for
    mentions); ``calls`` says whether ``@call`` mentions there call connectors (elsewhere they are only
    words); ``first_field`` is the field an author fills right after adding one (``branches.0.when`` for a
    condition: its first test).
    """

    name: StepType
    model: type[AnyStep]
    create: Callable[[str], AnyStep]
    words: str | None
    first_field: str
    calls: bool = False


STEP_KINDS: dict[str, StepKind] = {
    kind.name: kind
    for kind in (
        StepKind(
            "instruction",
            InstructionStep,
            lambda step_id: InstructionStep(id=step_id, text=""),
            "text",
            "text",
            calls=True,
        ),
        StepKind(
            "condition",
            ConditionStep,
            lambda step_id: ConditionStep(id=step_id, branches=[Branch(when=DescribeWhen(describe=""), steps=[])]),
            None,
            "branches.0.when",
        ),
        StepKind(
            "collect",
            CollectStep,
            lambda step_id: CollectStep(id=step_id, attribute="Conversation > answer", prompt=""),
            "prompt",
            "attribute",
        ),
        StepKind(
            "subprocedure",
            SubprocedureStep,
            lambda step_id: SubprocedureStep(id=step_id, procedure=""),
            None,
            "procedure",
        ),
        StepKind("end", EndStep, lambda step_id: EndStep(id=step_id, outcome="resolved"), "message", "outcome"),
        StepKind(
            "code",
            CodeStep,
            lambda step_id: CodeStep(id=step_id, name=step_id.replace("-", " ").capitalize(), code=""),
            None,
            "code",
        ),
    )
}
STEP_TYPES: tuple[StepType, ...] = tuple(kind.name for kind in STEP_KINDS.values())


def kind_of(step: AnyStep) -> StepKind:
    """The registry entry of a step's kind."""
    return STEP_KINDS[step.type]


def words_of(step: AnyStep) -> str:
    """A step's free text (``""`` for kinds without one)."""
    field = kind_of(step).words
    return str(getattr(step, field) or "") if field else ""
