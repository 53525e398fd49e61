"""Run events: what the engine reports as a procedure runs (the ``--json`` stream and the TUI run log).

Every event has ``seq`` (from 1), ``t`` (seconds since the run started) and a ``type``; the rest is its
*payload*, one frozen dataclass per type (below), always JSON-safe and with secrets already masked. Its JSON
form is one flat object, ``seq``, ``t``, ``type``, then the payload's fields in the order its class declares them.
Fields by type (one said to be carried "also" or "when" is left out of the JSON when it does not apply):

- ``run_started``: procedure, mode, environment
- ``step_started``: procedure, step, step_type
- ``connector_called``: procedure, step, connector, method, url, inputs, mode (the transport: live, example
  or dynamic; scenario mocks count as example); also rule (the index of the dynamic rule that answers it)
- ``connector_responded``: procedure, step, connector, status, elapsed_ms, bytes, source (live, example,
  dynamic or cache), body
- ``token_requested``: procedure, step, connector (the call that needs it), token, kind (request,
  oauth_client_credentials), reason (first, expired, refresh), method, url, source (live, or mock: simulated)
- ``token_received``: procedure, step, connector, token, status, elapsed_ms, expires_in (seconds or null), source;
  never the value
- ``connector_redirected``: procedure, step, connector, status, from_url, to_url, cross_origin, dropped (the
  names of the headers left off because the redirect changed origin); also token when the hop was the token fetch
- ``attributes_available``: procedure, step, connector, attributes ({path: value}); after an edit made while
  paused: ``edited: true``, connector is the path's root (a connector or User/Company/Conversation); after a
  call's object mappings wrote User/Conversation attributes: ``mapped: true``. Redacted fields show as ``***``
- ``condition_evaluated``: procedure, step, branch (index taken, or null for else), tests
  ([{branch, kind, expression, result}])
- ``message``: procedure, step, text, reads (``{path: value}`` of the attributes read into the text);
  ``composed: true`` when the agent wrote it (a model agent, or a replay of one)
- ``input_requested``: procedure, step, name, prompt, kind (collect, connector_input, decision), value_type;
  answers also carry attempt (from 1) and error (why the previous answer was refused, or null); decisions
  carry branch (the index of the ``describe`` branch asked about)
- ``input_received``: procedure, step, name, value; answers also attempt, and error when the value was refused
  (value is then the reply as given) or answer (the reply as given, before it was coerced to its type);
  decisions also branch
- ``subprocedure_entered`` / ``subprocedure_exited``: procedure (the callee), step (the calling step), depth
- ``agent_exchange``: procedure, step, purpose (message, decision, inputs, customer), model, request (messages,
  tools, tool_choice), reply (content, tool_calls, finish_reason; null when the call failed), tokens (prompt,
  completion), latency_ms, attempts, error (null, or why the call failed)
- ``warning``: procedure, step, code (connector_reused, missing_attribute, condition_attribute, env_file,
  short_secret, response_mapping, token_rejected), message; ``response_mapping`` also carries connector and field (the declared path)
- ``error``: procedure, step, reason, message, and connector where one failed, status when a server answered
- ``paused``: procedure, step (about to run), reason (start, breakpoint, step, pause)
- ``run_finished``: outcome (resolved, handoff, escalated, completed, failed, stopped), message, path
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, ClassVar, Literal, Self, TypeVar, dataclass_transform

from pydantic import ConfigDict, TypeAdapter, ValidationError

EventType = Literal[
    "run_started",
    "step_started",
    "connector_called",
    "connector_responded",
    "token_requested",
    "token_received",
    "connector_redirected",
    "attributes_available",
    "condition_evaluated",
    "message",
    "input_requested",
    "input_received",
    "subprocedure_entered",
    "subprocedure_exited",
    "agent_exchange",
    "warning",
    "error",
    "paused",
    "run_finished",
]
EVENT_TYPES: tuple[EventType, ...] = EventType.__args__  # type: ignore[attr-defined]

RunOutcome = Literal["resolved", "handoff", "escalated", "completed", "failed", "stopped"]
"""``completed``: the steps ran out with no end step; ``failed``: an error ended the run; ``stopped``: by the user."""

ErrorReason = Literal[
    "request_configuration",
    "network",
    "timeout",
    "third_party_status",
    "response_mapping",
    "response_too_large",
    "transform",
    "token_refresh",
    "condition",
    "input",
    "procedure",
    "agent",
    "blocked",
]
"""Why an ``error`` event happened, after Fin's data-connector error types, plus the engine's own (``agent``: a
model agent failed: unreachable, out of time, a refusal or a malformed reply; ``token_refresh``: a token could not
be fetched, or the API still answered 401 after it was refreshed; ``blocked``: a simulation blocks the connector)."""

Transport = Literal["live", "example", "dynamic"]
ResponseSource = Literal["live", "example", "dynamic", "cache"]
WarningCode = Literal[
    "connector_reused",
    "missing_attribute",
    "condition_attribute",
    "env_file",
    "short_secret",
    "response_mapping",
    "token_rejected",
]
PauseReason = Literal["start", "breakpoint", "step", "pause"]
InputKind = Literal["collect", "connector_input", "decision"]
TestKind = Literal["code", "attribute", "describe"]
Number = int | float
"""A JSON number kept as it came (an ``int`` stays an ``int``, so the JSON round-trips byte for byte)."""

R = TypeVar("R", bound=type)
Mask = Callable[[Any], Any]
"""Masks secrets in JSON-like data (:meth:`workbench.connectors.Masker.mask`)."""


@dataclass_transform(frozen_default=True, kw_only_default=True)
def record(cls: R) -> R:
    """Makes a record class a dataclass with slots and keyword-only fields; immutable for the type checker (mypy
    rejects an assignment), not at run time: a frozen dataclass is three times slower to create, and events are
    made on hot paths."""
    return dataclass(slots=True, kw_only=True)(cls)  # type: ignore[return-value]


def _writer(cls: type[Record]) -> Callable[[Record, dict[str, Any]], dict[str, Any]]:
    """A function adding the JSON fields of a ``cls`` instance to a dict (generated once per class, as
    :mod:`dataclasses` generates ``__init__``: writing events is a hot path)."""
    lines = ["def write(self, data):"]
    for field in fields(cls):  # type: ignore[arg-type]
        name = field.name
        value = f"_encode(self.{name})" if name in cls.NESTED else f"self.{name}"
        put = f"data[{name!r}] = {value}"
        if name in cls.OMIT_NONE:
            put = f"if self.{name} is not None: {put}"
        elif name in cls.OMIT_FALSE:
            put = f"if self.{name} is not False: {put}"
        lines.append(f"    {put}")
    lines.append("    return data")
    namespace: dict[str, Any] = {"_encode": _encode}
    exec("\n".join(lines), namespace)  # the text is made of field names only
    return namespace["write"]  # type: ignore[no-any-return]


def _encode(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_json()
    if isinstance(value, list):
        return [item.to_json() for item in value]
    return value


def _masked(value: Any, mask: Mask) -> Any:
    if isinstance(value, Record):
        return value.masked(mask)
    if isinstance(value, list):
        items = [item.masked(mask) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    return value


class Record:
    """A typed part of an event, with its JSON form: fields in declared order, those in ``OMIT_NONE`` left out
    when ``None`` and those in ``OMIT_FALSE`` when ``False``; ``NESTED`` names the fields holding records (or
    lists of them)."""

    __slots__ = ()
    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")
    OMIT_NONE: ClassVar[frozenset[str]] = frozenset()
    OMIT_FALSE: ClassVar[frozenset[str]] = frozenset()
    NESTED: ClassVar[frozenset[str]] = frozenset()
    _write: ClassVar[Callable[[Record, dict[str, Any]], dict[str, Any]]]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of these fields."""
        return self.write_json({})

    def write_json(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add the JSON fields to ``data`` (after what it holds) and return it."""
        return type(self)._write(self, data)

    def masked(self, mask: Mask) -> Self:
        """A copy with ``mask`` applied to every field (``self`` when nothing changed)."""
        names = [field.name for field in fields(self)]  # type: ignore[arg-type]
        old = [getattr(self, name) for name in names]
        new = [
            _masked(value, mask) if name in self.NESTED else mask(value) for name, value in zip(names, old, strict=True)
        ]
        if all(after is before for after, before in zip(new, old, strict=True)):
            return self
        return type(self)(**dict(zip(names, new, strict=True)))


class Payload(Record):
    """What one type of event says (its ``TYPE``)."""

    __slots__ = ()
    TYPE: ClassVar[EventType]


@record
class Located(Payload):
    """A payload that happened in a procedure, at a step (``None``: before any step)."""

    procedure: str
    step: str | None


@dataclass(frozen=True, slots=True)
class CallSite:
    """Where a connector is called: the events of the call (and of its token) carry these three fields."""

    procedure: str
    step: str
    connector: str


# -- the payloads, one per event type ---------------------------------------------------------------------------


@record
class RunStarted(Payload):
    """``run_started``: ``mode`` is the transport forced for every connector, if any."""

    TYPE: ClassVar[EventType] = "run_started"
    procedure: str
    mode: Transport | None
    environment: str | None


@record
class StepStarted(Located):
    """``step_started``."""

    TYPE: ClassVar[EventType] = "step_started"
    step: str
    step_type: str


@record
class ConnectorCalled(Located):
    """``connector_called``: the request (its URL with secrets masked), the transport that answers it and the
    dynamic ``rule`` that does, when one does (its index)."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"rule"})
    TYPE: ClassVar[EventType] = "connector_called"
    step: str
    connector: str
    method: str
    url: str
    inputs: dict[str, Any]
    mode: ResponseSource
    rule: int | None = None


@record
class ConnectorResponded(Located):
    """``connector_responded``: the status, time, size and source of a response, and its body."""

    TYPE: ClassVar[EventType] = "connector_responded"
    step: str
    connector: str
    status: int
    elapsed_ms: Number
    bytes: int
    source: ResponseSource
    body: Any


@record
class TokenRequested(Located):
    """``token_requested``: a token fetch starts (``source`` ``mock``: simulated)."""

    TYPE: ClassVar[EventType] = "token_requested"
    step: str
    connector: str
    token: str
    kind: str
    reason: Literal["first", "expired", "refresh"]
    method: str
    url: str
    source: Literal["live", "mock"]


@record
class TokenReceived(Located):
    """``token_received``: a token arrived (never its value)."""

    TYPE: ClassVar[EventType] = "token_received"
    step: str
    connector: str
    token: str
    status: int
    elapsed_ms: Number
    expires_in: Number | None
    source: Literal["live", "mock"]


@record
class ConnectorRedirected(Located):
    """``connector_redirected``: a live call followed one redirect (to another origin: without its credentials)."""

    TYPE: ClassVar[EventType] = "connector_redirected"
    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"token"})
    step: str
    connector: str
    status: int
    from_url: str
    to_url: str
    cross_origin: bool
    dropped: list[str]
    token: str | None = None


@record
class AttributesAvailable(Located):
    """``attributes_available``: values by path; ``edited`` by the user while paused, ``mapped`` by a call's object
    mappings."""

    OMIT_FALSE: ClassVar[frozenset[str]] = frozenset({"edited", "mapped"})
    TYPE: ClassVar[EventType] = "attributes_available"
    connector: str
    attributes: dict[str, Any]
    edited: bool = False
    mapped: bool = False


@record
class ConditionTest(Record):
    """One branch test of a condition and its result."""

    branch: int
    kind: TestKind
    expression: str
    result: Any


@record
class ConditionEvaluated(Located):
    """``condition_evaluated``: the branch taken (``None``: else) and the tests made."""

    TYPE: ClassVar[EventType] = "condition_evaluated"
    NESTED: ClassVar[frozenset[str]] = frozenset({"tests"})
    step: str
    branch: int | None
    tests: list[ConditionTest]


@record
class MessageSent(Located):
    """``message``: what the agent says, the attribute values read into it, and whether the agent ``composed`` it."""

    OMIT_FALSE: ClassVar[frozenset[str]] = frozenset({"composed"})
    TYPE: ClassVar[EventType] = "message"
    step: str
    text: str
    reads: dict[str, Any]
    composed: bool = False


@record
class InputRequested(Located):
    """``input_requested``: a decision carries ``branch``; an answer ``attempt`` and ``error`` (why the previous
    answer was refused, or ``None``)."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"branch", "attempt"})
    TYPE: ClassVar[EventType] = "input_requested"
    step: str
    name: str
    branch: int | None = None
    prompt: str
    kind: InputKind
    value_type: str
    attempt: int | None = None
    error: str | None = None

    def write_json(self, data: dict[str, Any]) -> dict[str, Any]:
        type(self)._write(self, data)
        if self.attempt is None:
            del data["error"]
        return data


@record
class InputReceived(Located):
    """``input_received``: a decision carries ``branch``; an answer ``attempt``, and either ``answer`` (the reply
    as given, before coercion) or ``error`` (why it was refused; ``value`` is then the reply as given)."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"branch", "attempt", "error"})
    TYPE: ClassVar[EventType] = "input_received"
    step: str
    name: str
    branch: int | None = None
    value: Any
    answer: Any = None
    attempt: int | None = None
    error: str | None = None

    @property
    def has_answer(self) -> bool:
        """Whether ``answer`` is carried: an answer that was taken."""
        return self.attempt is not None and self.error is None

    @property
    def as_given(self) -> Any:
        """The reply as the customer gave it (``"yes"``, not ``true``)."""
        return self.answer if self.has_answer else self.value

    def write_json(self, data: dict[str, Any]) -> dict[str, Any]:
        type(self)._write(self, data)
        if not self.has_answer:
            del data["answer"]
        return data


@record
class SubprocedureEntered(Located):
    """``subprocedure_entered``: ``procedure`` is the callee, ``step`` the calling step."""

    TYPE: ClassVar[EventType] = "subprocedure_entered"
    step: str
    depth: int


@record
class SubprocedureExited(Located):
    """``subprocedure_exited``: ``procedure`` is the callee, ``step`` the calling step."""

    TYPE: ClassVar[EventType] = "subprocedure_exited"
    step: str
    depth: int


@record
class ModelRequest(Record):
    """What was sent to the model: chat messages, and the tools offered (and the one forced) when any."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"tools", "tool_choice"})
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None
    tool_choice: dict[str, Any] | None = None


@record
class ModelToolCall(Record):
    """A tool call in the model's reply."""

    name: str
    arguments: Any


@record
class ModelReply(Record):
    """What the model replied."""

    NESTED: ClassVar[frozenset[str]] = frozenset({"tool_calls"})

    content: str | None
    tool_calls: list[ModelToolCall]
    finish_reason: str | None


@record
class TokenUsage(Record):
    """The model tokens an exchange used."""

    prompt: int
    completion: int

    @property
    def total(self) -> int:
        """Prompt and completion together."""
        return self.prompt + self.completion


@record
class AgentExchange(Payload):
    """``agent_exchange``: one request to a model and its reply (``None`` when the call failed, ``error`` says
    why); ``procedure`` and ``step`` are left out for exchanges outside any step (a customer's opening)."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"procedure", "step"})
    TYPE: ClassVar[EventType] = "agent_exchange"
    NESTED: ClassVar[frozenset[str]] = frozenset({"request", "reply", "tokens"})
    procedure: str | None = None
    step: str | None = None
    purpose: str
    model: str
    request: ModelRequest
    reply: ModelReply | None
    tokens: TokenUsage
    latency_ms: Number
    attempts: int
    error: str | None


@record
class RunWarning(Located):
    """``warning``: ``response_mapping`` warnings also name the ``connector`` and the declared ``field``."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"connector", "field"})
    TYPE: ClassVar[EventType] = "warning"
    code: WarningCode
    connector: str | None = None
    field: str | None = None
    message: str


@record
class RunError(Located):
    """``error``: why and what; the ``connector`` that failed and the ``status`` a server answered, when any."""

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"connector", "status"})
    TYPE: ClassVar[EventType] = "error"
    reason: ErrorReason
    message: str
    connector: str | None = None
    status: int | None = None


@record
class Paused(Located):
    """``paused``: before ``step``."""

    TYPE: ClassVar[EventType] = "paused"
    step: str
    reason: PauseReason


@record
class RunFinished(Payload):
    """``run_finished``: the outcome, the end step's message, and the steps run in order."""

    TYPE: ClassVar[EventType] = "run_finished"
    outcome: RunOutcome
    message: str | None
    path: list[str]


AnyPayload = (
    RunStarted
    | StepStarted
    | ConnectorCalled
    | ConnectorResponded
    | TokenRequested
    | TokenReceived
    | ConnectorRedirected
    | AttributesAvailable
    | ConditionEvaluated
    | MessageSent
    | InputRequested
    | InputReceived
    | SubprocedureEntered
    | SubprocedureExited
    | AgentExchange
    | RunWarning
    | RunError
    | Paused
    | RunFinished
)
PAYLOADS: dict[EventType, type[AnyPayload]] = {
    cls.TYPE: cls
    for cls in (
        RunStarted,
        StepStarted,
        ConnectorCalled,
        ConnectorResponded,
        TokenRequested,
        TokenReceived,
        ConnectorRedirected,
        AttributesAvailable,
        ConditionEvaluated,
        MessageSent,
        InputRequested,
        InputReceived,
        SubprocedureEntered,
        SubprocedureExited,
        AgentExchange,
        RunWarning,
        RunError,
        Paused,
        RunFinished,
    )
}
"""The payload class of every event type."""

for _class in (*PAYLOADS.values(), ConditionTest, ModelRequest, ModelToolCall, ModelReply, TokenUsage):
    _class._write = _writer(_class)


def steps_started(events: Iterable[Event]) -> list[tuple[str, str]]:
    """The ``(procedure, step id)`` of every step the events say started, in order."""
    return [(event.payload.procedure, event.payload.step) for event in events if isinstance(event.payload, StepStarted)]


@cache
def _adapter(cls: type[AnyPayload]) -> TypeAdapter[AnyPayload]:
    return TypeAdapter(cls)


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened during a run: its number, time and typed payload."""

    seq: int
    t: float
    payload: AnyPayload

    @property
    def type(self) -> EventType:
        """The event's type (its payload's)."""
        return self.payload.TYPE

    @property
    def step(self) -> str | None:
        """The id of the step the event belongs to, if any."""
        return getattr(self.payload, "step", None)

    def to_json(self) -> dict[str, Any]:
        """The event as one flat JSON object (the ``--json`` line format)."""
        return self.payload.write_json({"seq": self.seq, "t": round(self.t, 6), "type": self.payload.TYPE})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Event:
        """An event from its JSON object; ``ValueError`` naming the type and field when it does not fit."""
        fields = dict(data)
        seq, t, kind = fields.pop("seq", None), fields.pop("t", None), fields.pop("type", None)
        payload_class = PAYLOADS.get(kind) if isinstance(kind, str) else None  # type: ignore[call-overload]
        if payload_class is None:
            raise ValueError(f"unknown event type {kind!r}")
        if not isinstance(seq, int) or not isinstance(t, int | float):
            raise ValueError(f"{kind} event: seq must be an integer and t a number")
        try:
            payload = _adapter(payload_class).validate_python(fields)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, problem['loc'])) or 'fields'}: {problem['msg']}" for problem in error.errors()
            )
            raise ValueError(f"{kind} event #{seq}: {problems}") from None
        return cls(seq, float(t), payload)
