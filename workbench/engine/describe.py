"""Events as one readable line each: shared by the CLI log, the TUI run log and scenario explanations."""

from __future__ import annotations

from typing import Any

from workbench.engine.values import display
from workbench.events import (
    AgentExchange,
    AttributesAvailable,
    CodeRan,
    ConditionEvaluated,
    ConnectorCalled,
    ConnectorRedirected,
    ConnectorResponded,
    Event,
    InputReceived,
    InputRequested,
    MessageSent,
    Paused,
    ResponseSource,
    RunError,
    RunFinished,
    RunStarted,
    RunWarning,
    StepStarted,
    SubprocedureEntered,
    SubprocedureExited,
    TokenReceived,
    TokenRequested,
)


def served_by(source: ResponseSource) -> str:
    """How a connector call was answered, in the words every transcript uses: ``live``, ``mocked`` (an example or
    dynamic rule) or ``cache`` (a response reused from earlier in the run)."""
    return source if source in ("live", "cache") else "mocked"


def source_label(source: ResponseSource) -> str:
    """:func:`served_by`, with the kind of mock rule that answered (``mocked: example``)."""
    served = served_by(source)
    return served if served == source else f"{served}: {source}"


def _short(value: Any, limit: int = 80) -> str:
    text = display(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(event: Event) -> str:
    """One event as a line of text (the readable log, the run log pane, scenario explanations)."""
    match event.payload:
        case RunStarted(procedure=procedure, mode=mode, environment=environment):
            return f"run {procedure!r} (mode: {mode or 'per connector'}, environment: {environment or 'none'})"
        case StepStarted(step=step, step_type=step_type):
            return f"step {step} ({step_type})"
        case ConnectorCalled() as call:
            return f"call {call.connector} [{served_by(call.mode)}]: {call.method} {call.url} {_short(call.inputs)}"
        case ConnectorResponded() as response:
            return (
                f"{response.connector} answered {response.status} in {response.elapsed_ms:g} ms, "
                f"{response.bytes:,} bytes [{source_label(response.source)}]"
            )
        case ConnectorRedirected() as hop:
            dropped = f", without {', '.join(hop.dropped)}" if hop.dropped else ""
            other = " (another origin" + dropped + ")" if hop.cross_origin else ""
            return f"{hop.token or hop.connector} redirected ({hop.status}) to {hop.to_url}{other}"
        case TokenRequested() as fetch:
            where = "simulated" if fetch.source == "mock" else f"{fetch.method} {fetch.url}"
            return f"token {fetch.token}: fetching ({fetch.reason}) {where}"
        case TokenReceived() as token:
            lifetime = f", expires in {token.expires_in:g} s" if token.expires_in is not None else ""
            return f"token {token.token}: received ({token.status}) in {token.elapsed_ms:g} ms{lifetime}"
        case AttributesAvailable() as available:
            how = " edited" if available.edited else " mapped" if available.mapped else ""
            return f"attributes{how}: {_short(', '.join(available.attributes), 120)}"
        case ConditionEvaluated() as condition:
            tests = "; ".join(f"{_short(test.expression, 60)} → {test.result}" for test in condition.tests)
            taken = "else" if condition.branch is None else f"branch {condition.branch}"
            return f"condition {condition.step}: {taken}" + (f" ({tests})" if tests else "")
        case CodeRan() as code:
            read = f" from {_short(', '.join(code.inputs), 60)}" if code.inputs else ""
            return f"code {code.name}{read} → {_short(code.outputs, 100)}"
        case MessageSent(text=text):
            return f"says: {text}"
        case InputRequested() as asked:
            question = asked.name if asked.prompt in ("", asked.name) else f"{asked.name}: {asked.prompt}"
            attempt = asked.attempt or 1
            return f"asks {question}" + (f" (attempt {attempt})" if attempt > 1 else "")
        case InputReceived() as received:
            return f"answer {received.name} = {_short(received.value)}" + (
                f" — rejected: {received.error}" if received.error else ""
            )
        case SubprocedureEntered(procedure=procedure):
            return f"enter sub-procedure {procedure!r}"
        case SubprocedureExited(procedure=procedure):
            return f"leave sub-procedure {procedure!r}"
        case AgentExchange() as exchange:
            return f"model {exchange.purpose} ({exchange.model}): {_exchange(exchange)}"
        case RunWarning(code=code, message=message):
            return f"warning [{code}] {message}"
        case RunError(reason=reason, message=message):
            return f"error [{reason}] {message}"
        case Paused(step=step, reason=reason):
            return f"paused before {step} ({reason})"
        case RunFinished(outcome=outcome, message=message):
            return f"finished: {outcome}" + (f" — {message}" if message else "")


def _exchange(exchange: AgentExchange) -> str:
    """What a model exchange came to: the tool called or the text replied, or the failure; tokens and time."""
    reply = exchange.reply
    if reply is None:
        return f"failed after {exchange.attempts} attempt(s): {exchange.error}"
    said = (
        "; ".join(f"{call.name}({_short(call.arguments, 60)})" for call in reply.tool_calls)
        if reply.tool_calls
        else _short(reply.content or "", 80)
    )
    return f"{said} — {exchange.tokens.total} tokens, {exchange.latency_ms:g} ms"
