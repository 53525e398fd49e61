"""The agent protocol: whoever answers for the customer and decides ``describe`` conditions.

The engine never talks to a screen; it asks an agent. The TUI's conversation pane, the scenario runner and
the CLI each provide one; a language-model agent can be added the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

InputKind = Literal["collect", "connector_input"]


class NoAnswer(Exception):
    """The agent has no answer to give; the run fails with an ``input`` error naming what was asked."""


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


class Agent(Protocol):
    """Answers for the customer and decides natural-language conditions."""

    async def answer(self, request: InputRequest) -> Any:
        """The customer's reply (raise :class:`NoAnswer` when there is none)."""
        ...

    async def decide(self, request: DecisionRequest) -> bool:
        """Whether the described condition holds (raise :class:`NoAnswer` when undecidable)."""
        ...
