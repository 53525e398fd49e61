"""The agent protocol: whoever answers for the customer and decides ``describe`` conditions.

The engine never talks to a screen; it asks an agent. The TUI's conversation pane, the scenario runner and
the CLI each provide one; the language-model agent (``workbench.agent``) is another.

An agent may also implement :class:`Speaker`: the runner then gives it the run's :class:`AgentSession` at the
start (the conversation so far, the context, a way to emit events) and lets it write the message of each
instruction step. Agents without it say the step's own text with its mentions filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from workbench.connectors.secrets import Masker
    from workbench.engine.context import ProcedureContext
    from workbench.events import AnyPayload, Event

InputKind = Literal["collect", "connector_input"]
Role = Literal["agent", "customer"]


class NoAnswer(Exception):
    """The agent has no answer to give; the run fails with an ``input`` error naming what was asked."""


class AgentFailure(Exception):
    """The agent itself failed (a model unreachable, a refusal, a malformed reply); the run fails with an
    ``agent`` error."""


@dataclass(frozen=True)
class InputRequest:
    """A value the customer must provide.

    ``name`` is the attribute path of a collect step, or ``"Connector > input"`` for a required connector
    input. ``attempt`` counts from 1; after an invalid answer ``error`` says what was wrong with it.
    """

    procedure: str
    step_id: str
    kind: InputKind
    name: str
    prompt: str
    value_type: str
    attempt: int = 1
    error: str | None = None


@dataclass(frozen=True)
class DecisionRequest:
    """Whether the ``describe`` condition of branch ``branch_index`` of a condition step holds.

    ``branches`` shows every branch of the step, in order: its ``describe`` text, or its code or attribute test.
    """

    procedure: str
    step_id: str
    branch_index: int
    describe: str
    branches: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    """The kind of each branch's test (``describe``, ``code``, ``attribute``), in order."""


@dataclass(frozen=True)
class MessageRequest:
    """The message an instruction step says to the customer.

    ``instruction`` is the step's text as written (mentions included); ``rendered`` is that text with the
    mentions filled in (what a structural run says); ``attributes`` are the values the step reads
    (``{path: value}``, secrets masked; what is redacted is left out by the agent); ``calls`` the connectors
    it called.
    """

    procedure: str
    step_id: str
    instruction: str
    rendered: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    calls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One line of the conversation: who said it and what."""

    role: Role
    text: str


@dataclass
class AgentSession:
    """What the runner shares with a :class:`Speaker` agent for one run.

    ``conversation`` grows as the run goes (the agent may add its own questions and the customer's replies);
    ``emit(payload)`` records an event of the run (its secrets masked like every other event); ``masker`` is the
    run's one masker (see :func:`workbench.connectors.masking.run_masker`).
    """

    conversation: list[Turn]
    context: ProcedureContext
    emit: Callable[[AnyPayload], Event]
    masker: Masker

    def say(self, role: Role, text: str) -> None:
        """Add a turn to the conversation (secrets masked: it is shown, and sent to models)."""
        self.conversation.append(Turn(role, self.masker.text(text)))


class Agent(Protocol):
    """Answers for the customer and decides natural-language conditions."""

    async def answer(self, request: InputRequest) -> Any:
        """The customer's reply (raise :class:`NoAnswer` when there is none)."""
        ...

    async def decide(self, request: DecisionRequest) -> bool:
        """Whether the described condition holds (raise :class:`NoAnswer` when undecidable)."""
        ...


class Speaker(Protocol):
    """An agent that writes instruction steps' messages itself and follows the run's conversation."""

    def begin(self, session: AgentSession) -> None:
        """Called once as the run starts."""
        ...

    async def say(self, request: MessageRequest) -> str:
        """The message to say for an instruction step (raise :class:`AgentFailure` when it cannot)."""
        ...
