"""Run events: what the engine reports as a procedure runs (the ``--json`` stream and the TUI run log).

Every event has ``seq`` (from 1), ``t`` (seconds since the run started) and a ``type``; the rest is
type-specific ``data``, always JSON-safe and with secrets already masked. Fields by type:

- ``run_started``: procedure, mode, environment
- ``step_started``: procedure, step, step_type
- ``connector_called``: procedure, step, connector, method, url, inputs, mode (the transport: live, example
  or dynamic; scenario mocks count as example)
- ``connector_responded``: procedure, step, connector, status, elapsed_ms, bytes, source (live, example,
  dynamic or cache), body
- ``token_requested``: procedure, step, connector (the call that needs it), token, kind (request,
  oauth_client_credentials), reason (first, expired, refresh), method, url, source (live, or mock: simulated)
- ``token_received``: procedure, step, connector, token, status, elapsed_ms, expires_in (seconds or null), source;
  never the value
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
  response_mapping), message; ``response_mapping`` also carries connector and field (the declared path)
- ``error``: procedure, step, reason, message, and connector where one failed, status when a server answered
- ``paused``: procedure, step (about to run), reason (start, breakpoint, step, pause)
- ``run_finished``: outcome (resolved, handoff, escalated, completed, failed, stopped), message, path
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EventType = Literal[
    "run_started",
    "step_started",
    "connector_called",
    "connector_responded",
    "token_requested",
    "token_received",
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
]
"""Why an ``error`` event happened, after Fin's data-connector error types, plus the engine's own (``agent``: a
model agent failed: unreachable, out of time, a refusal or a malformed reply; ``token_refresh``: a token could not
be fetched, or the API still answered 401 after it was refreshed)."""


@dataclass(frozen=True)
class Event:
    """One thing that happened during a run."""

    seq: int
    t: float
    type: EventType
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def step(self) -> str | None:
        """The id of the step the event belongs to, if any."""
        return self.data.get("step")

    def to_json(self) -> dict[str, Any]:
        """The event as one flat JSON object (the ``--json`` line format)."""
        return {"seq": self.seq, "t": round(self.t, 6), "type": self.type, **self.data}
