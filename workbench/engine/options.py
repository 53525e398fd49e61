"""What a run is given (:class:`RunOptions`) and what it gives back (:class:`RunResult`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.engine.agent import Turn
from workbench.engine.context import ProcedureContext
from workbench.engine.debugger import Breakpoint
from workbench.events import Event, RunError, RunOutcome
from workbench.model import MockResponse
from workbench.model.connector import ResponseMode

FINISHED_OUTCOMES: frozenset[str] = frozenset({"resolved", "handoff", "escalated", "completed"})
"""Outcomes of a run that went through (the others, ``failed`` and ``stopped``, did not)."""


@dataclass
class RunOptions:
    """How to run a procedure.

    ``mode`` forces one transport for every connector; ``modes`` (by connector name) win over it and ``mocks``
    (by connector name) over both. A call of a connector in ``blocked`` fails the run (reason ``blocked``).
    ``attributes`` are ``User`` / ``Company`` / ``Conversation`` values laid over workbench.json's defaults.
    ``secrets`` default to the process environment over the workspace's ``.env``
    (:func:`workbench.connectors.dotenv.run_secrets`). ``stale_tokens``: tokens whose first value the API rejects
    (401), to rehearse refresh-and-retry in mocked runs.
    """

    environment: str | None = None
    mode: ResponseMode | None = None
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    mocks: dict[str, MockResponse] = field(default_factory=dict)
    modes: dict[str, ResponseMode] = field(default_factory=dict)
    blocked: frozenset[str] = frozenset()
    breakpoints: set[Breakpoint] = field(default_factory=set)
    pause_at_start: bool = False
    secrets: Mapping[str, str] | None = None
    stale_tokens: frozenset[str] = frozenset()


@dataclass
class RunResult:
    """How a run ended and what it did.

    ``path``: step ids in the order they started (sub-procedure steps included); ``calls``: connector names in
    call order (reused calls included); ``messages``: the texts said; ``error``: the payload of the ``error`` event
    that ended the run. ``answers`` and ``decisions`` are what the agent gave, keyed as in a scenario file (collect step id
    or ``"Connector > input"``; condition step id -> branch index or ``"else"``), ready to save as a scenario.
    ``conversation`` is what the agent and the customer said, in order (collect prompts and answers included).
    """

    outcome: RunOutcome
    message: str | None
    path: list[str]
    calls: list[str]
    messages: list[str]
    events: list[Event]
    error: RunError | None
    context: ProcedureContext
    answers: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, int | str] = field(default_factory=dict)
    conversation: list[Turn] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the run went through (resolved, handoff, escalated or completed)."""
        return self.outcome in FINISHED_OUTCOMES
