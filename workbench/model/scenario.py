"""A scenario: one pinned run of a procedure with given attributes, answers, decisions and mocks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, NonNegativeInt

from workbench.model.base import FileModel
from workbench.model.connector import MockResponse, ResponseMode

Decision = bool | int | str
ConnectorMode = Literal["mock", "live", "block"]
ExpectedOutcome = Literal["resolved", "handoff", "escalated", "completed", "failed"]


class Expectations(FileModel):
    """What the run must show; a field left out is not checked.

    - ``path``: the step ids in the order they started, sub-procedure steps included; must match exactly.
    - ``calls``: a list is the exact sequence of connector calls (reused calls included, so a connector
      listed once was called once); an object ``{"Get orders": 1, "Issue refund": 0}`` checks only how often
      each named connector was called, in any order.
    - ``messages_contain``: each text must appear (case-sensitive) in at least one message said.
    - ``outcome``: how the run ended (``resolved``, ``handoff``, ``escalated``, ``completed``, ``failed``).
      With no ``outcome`` and no ``errors``, a run that ends ``failed`` still fails the scenario.
    - ``attributes``: ``{path: value}`` after the run (``"Conversation > reason"``,
      ``"Get orders > status"``); ``null`` expects the attribute unset. Scalars compare as conditions do
      (``5`` equals ``"5"``), objects and arrays exactly.
    - ``errors``: the run's ``error`` events, in order and as many: each entry matches an error by its
      reason (``timeout``, ``third_party_status``, ``input``, ...), its connector's name, or a case-insensitive
      part of its message. ``[]`` expects no error at all.
    - ``criteria``: success criteria in plain words ("the customer is told the tracking number"), judged by a
      language model after the run, with its reasoning shown. Only ``workbench simulate`` and
      ``workbench test --live-agent`` judge them; an offline replay checks the other expectations.
    """

    path: list[str] | None = None
    calls: list[str] | dict[str, NonNegativeInt] | None = None
    messages_contain: list[str] = Field(default_factory=list)
    outcome: ExpectedOutcome | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    errors: list[str] | None = None
    criteria: list[str] = Field(default_factory=list)


class Simulation(FileModel):
    """A simulated customer, played by a language model in ``workbench simulate``.

    ``persona``: who they are and how they write; ``goal``: what they want from the conversation; ``facts``:
    what they know and give when asked (``{"order_id": "ORD-1001"}`` or sentences); ``max_turns``: how many
    replies they give before the simulation stops asking. ``connectors`` sets, by connector name, how a
    simulation treats its calls: ``mock`` (its example or dynamic rules answer, never the network), ``live``
    (the environment's server answers) or ``block`` (a call fails the run). A connector of kind ``action`` not
    named here is mocked; the others run as the scenario says.
    """

    persona: str = ""
    goal: str = Field(min_length=1)
    facts: dict[str, Any] | list[str] = Field(default_factory=dict)
    max_turns: int = Field(default=10, ge=1, le=100)
    connectors: dict[str, ConnectorMode] = Field(default_factory=dict)


class Scenario(FileModel):
    """A scenario file (``scenarios/*.json``).

    ``attributes`` maps ``User`` / ``Company`` / ``Conversation`` to their values. ``answers`` are the
    customer's replies, keyed by collect step id, attribute path or connector input name (a list gives the
    replies to successive attempts, to rehearse a bad answer). ``decisions`` settle ``describe`` conditions by
    step id: ``true``/``false``, a branch index, or a branch's text (or ``"else"``). ``mocks`` override
    connectors' responses by connector name (a response, an error status or a ``fault``). ``messages`` are
    what a model agent said at instruction steps, by step id (a list for a step said more than once); a
    replay says them instead of the step's own text. ``simulation`` describes the customer a model plays
    in ``workbench simulate``; a saved simulation also holds the model's answers, decisions and messages,
    so it replays offline.
    ``stale_tokens`` names tokens (workbench.json ``tokens``) whose first value the API rejects with 401, to
    rehearse refresh-and-retry.

    A scenario never touches the network unless its ``mode`` is ``live``: otherwise connectors answer from
    their example or dynamic rules, and a connector configured ``live`` answers with its example response
    (a scenario reaching one that has none is an error). Simulated latency is skipped: it changes no behaviour.
    """

    name: str = Field(min_length=1)
    description: str = ""
    procedure: str
    mode: ResponseMode | None = None
    environment: str | None = None
    attributes: dict[Literal["User", "Company", "Conversation"], dict[str, Any]] = Field(default_factory=dict)
    answers: dict[str, Any] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)
    mocks: dict[str, MockResponse] = Field(default_factory=dict)
    messages: dict[str, str | list[str]] = Field(default_factory=dict)
    simulation: Simulation | None = None
    stale_tokens: list[str] = Field(default_factory=list)
    expect: Expectations = Field(default_factory=Expectations)
