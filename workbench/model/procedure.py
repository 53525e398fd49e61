"""A procedure: ordered steps the support agent follows; conditions nest further steps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from workbench.model.base import FileModel

StepId = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")]
Outcome = Literal["resolved", "handoff", "escalated"]
AttributeOp = Literal["equals", "not_equals", "contains", "greater_than", "less_than", "is_set", "is_not_set"]
ValueType = Literal["string", "number", "integer", "boolean"]
OutputType = Literal["string", "number", "integer", "boolean", "object", "array", "null"]
"""The type of a code step's output (a JSON type)."""
NAME_PATTERN = r"^[^()>]*[^()>\s][^()>]*$"
"""A name that can start an attribute path or be mentioned: no parentheses or ``>``, not blank."""
BUILTIN_NAMESPACES = ("User", "Company", "Conversation")


class CodeWhen(FileModel):
    """A Python expression over ``inputs``, evaluated in the sandbox."""

    code: str


class AttributeWhen(FileModel):
    """A comparison of one attribute with a value."""

    attribute: str
    op: AttributeOp = "equals"
    value: Any = None


class DescribeWhen(FileModel):
    """A natural-language condition decided by the agent."""

    describe: str


def _when_kind(value: Any) -> str | None:
    data = value if isinstance(value, dict) else getattr(value, "__dict__", {})
    for key in ("code", "attribute", "describe"):
        if key in data:
            return key
    return None


When = Annotated[
    Annotated[CodeWhen, Tag("code")]
    | Annotated[AttributeWhen, Tag("attribute")]
    | Annotated[DescribeWhen, Tag("describe")],
    Discriminator(
        _when_kind,
        custom_error_type="when_kind",
        custom_error_message="a condition needs one of 'code', 'attribute' or 'describe'",
    ),
]


ArmPart = Literal["branch", "else", "on_error"]
_Step = TypeVar("_Step", bound="StepBase")


@dataclass(frozen=True)
class Arm:
    """A nested list of steps a step owns: a branch's body (``index`` its place), the else, or the error path."""

    part: ArmPart
    steps: list[AnyStep]
    index: int = 0


class StepBase(FileModel):
    """What every step has: a stable id, unique inside its procedure. A kind that nests steps says so through
    :meth:`arms` and :meth:`with_arm` (the structure :class:`Procedure` itself walks)."""

    id: StepId

    @model_validator(mode="after")
    def _always_write_type(self) -> StepBase:
        # ``type`` is the discriminator: it must be written even when the step was built in code.
        self.__pydantic_fields_set__.add("type")
        return self

    def arms(self) -> list[Arm]:
        """The nested step lists this step owns, in document order (none for most kinds)."""
        return []

    def with_arm(self, part: ArmPart, index: int, steps: list[AnyStep]) -> Self:
        """A copy whose arm ``part`` (branch ``index``) holds ``steps``; ``KeyError`` when it has no such arm."""
        raise KeyError(f"step {self.id!r} has no {part} {index}")


def _error_arms(on_error: list[AnyStep] | None) -> list[Arm]:
    return [] if on_error is None else [Arm("on_error", on_error)]


def _with_error_path(step: _Step, steps: list[AnyStep]) -> _Step:
    """A copy of a step of a kind with an error path, holding ``steps`` there (assigned: validated like an edit)."""
    copy = step.model_copy()
    setattr(copy, "on_error", steps)  # noqa: B010 (the kinds that have the field share no base declaring it)
    return copy


class InstructionStep(StepBase):
    """Text with ``@call(...)`` / ``@read(...)`` mentions; ``on_error`` runs when a connector it calls fails."""

    type: Literal["instruction"] = "instruction"
    text: str = ""
    on_error: list[Step] | None = None

    def arms(self) -> list[Arm]:
        """Its error path, when it has one."""
        return _error_arms(self.on_error)

    def with_arm(self, part: ArmPart, index: int, steps: list[AnyStep]) -> Self:
        """A copy with another error path."""
        return _with_error_path(self, steps) if part == "on_error" else super().with_arm(part, index, steps)


class Branch(FileModel):
    """One arm of a condition: its test and the steps it runs."""

    when: When
    steps: list[Step] = Field(default_factory=list)


class CodeOutput(FileModel):
    """A declared output of a code step: its path below the step's name (``amount``, ``detail > cents``) and type."""

    path: str = Field(min_length=1)
    type: OutputType = "string"


class CodeStep(StepBase):
    """Python run in the sandbox (a function body reading ``inputs`` as code conditions do) whose returned dict
    becomes attributes under ``name``: ``@read(name > key > sub)``. ``outputs`` declares them (optional);
    ``on_error`` runs when the code fails."""

    type: Literal["code"] = "code"
    name: str = Field(min_length=1, pattern=NAME_PATTERN)
    code: str = ""
    outputs: list[CodeOutput] | None = None
    on_error: list[Step] | None = None

    def arms(self) -> list[Arm]:
        """Its error path, when it has one."""
        return _error_arms(self.on_error)

    def with_arm(self, part: ArmPart, index: int, steps: list[AnyStep]) -> Self:
        """A copy with another error path."""
        return _with_error_path(self, steps) if part == "on_error" else super().with_arm(part, index, steps)


class ConditionStep(StepBase):
    """Runs the steps of the first branch whose ``when`` holds, else ``else``."""

    type: Literal["condition"] = "condition"
    branches: list[Branch] = Field(default_factory=list)
    else_: list[Step] = Field(default_factory=list, alias="else")

    def arms(self) -> list[Arm]:
        """Each branch's body, then the else."""
        return [Arm("branch", branch.steps, index) for index, branch in enumerate(self.branches)] + [
            Arm("else", self.else_)
        ]

    def with_arm(self, part: ArmPart, index: int, steps: list[AnyStep]) -> Self:
        """A copy with another branch body or else."""
        copy = self.model_copy()
        if part == "else":
            copy.else_ = steps
        elif part == "branch" and 0 <= index < len(self.branches):
            branches = list(self.branches)
            branches[index] = branches[index].model_copy(update={"steps": steps})
            copy.branches = branches
        else:
            return super().with_arm(part, index, steps)
        return copy


class CollectStep(StepBase):
    """Asks the customer for a value and stores it as a ``User``, ``Company`` or ``Conversation`` attribute."""

    type: Literal["collect"] = "collect"
    attribute: str
    prompt: str = ""
    value_type: ValueType = "string"

    @field_validator("attribute")
    @classmethod
    def _builtin_namespace(cls, path: str) -> str:
        head, _, rest = path.partition(">")
        if head.strip() not in BUILTIN_NAMESPACES or not rest.strip():
            raise ValueError(f"must be a path under {', '.join(BUILTIN_NAMESPACES)}, e.g. 'Conversation > order_id'")
        return path


class SubprocedureStep(StepBase):
    """Runs another procedure by name, sharing the context both ways."""

    type: Literal["subprocedure"] = "subprocedure"
    procedure: str


class EndStep(StepBase):
    """Finishes the run with an outcome."""

    type: Literal["end"] = "end"
    outcome: Outcome = "resolved"
    message: str | None = None


Step = Annotated[
    InstructionStep | ConditionStep | CollectStep | SubprocedureStep | EndStep | CodeStep,
    Field(discriminator="type"),
]
AnyStep = InstructionStep | ConditionStep | CollectStep | SubprocedureStep | EndStep | CodeStep


def error_path(step: AnyStep) -> list[AnyStep] | None:
    """A step's ``on_error`` steps (``None``: it has no error path, or its kind cannot have one)."""
    return next((arm.steps for arm in step.arms() if arm.part == "on_error"), None)


def child_lists(step: AnyStep) -> list[list[AnyStep]]:
    """The nested step lists a step owns (branch bodies, else, error path), in document order."""
    return [arm.steps for arm in step.arms()]


def walk_steps(steps: list[AnyStep]) -> Iterator[AnyStep]:
    """Every step of a list and of its nested lists, depth first, in document order."""
    for step in steps:
        yield step
        for children in child_lists(step):
            yield from walk_steps(children)


class Procedure(FileModel):
    """A procedure file (``procedures/*.json``)."""

    name: str = Field(min_length=1, pattern=NAME_PATTERN)
    description: str = ""
    steps: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Procedure:
        seen: set[str] = set()
        for step in walk_steps(self.steps):
            if step.id in seen:
                raise ValueError(f"step id {step.id!r} is used twice")
            seen.add(step.id)
        return self

    def all_steps(self) -> Iterator[AnyStep]:
        """Every step, nested ones included, in document order."""
        return walk_steps(self.steps)

    def step(self, step_id: str) -> AnyStep | None:
        """The step with this id, wherever it is nested."""
        return next((step for step in self.all_steps() if step.id == step_id), None)


for _model in (InstructionStep, Branch, ConditionStep, CodeStep):
    _model.model_rebuild()
