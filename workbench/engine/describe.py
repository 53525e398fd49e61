"""Events as one readable line each: shared by the CLI log, the TUI run log and scenario explanations."""

from __future__ import annotations

from typing import Any

from workbench.engine.events import Event
from workbench.engine.values import display


def _short(value: Any, limit: int = 80) -> str:
    text = display(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(event: Event) -> str:
    """One event as a line of text (the readable log, the run log pane, scenario explanations)."""
    data = event.data
    kind = event.type
    if kind == "run_started":
        mode = data.get("mode") or "per connector"
        return f"run {data['procedure']!r} (mode: {mode}, environment: {data.get('environment') or 'none'})"
    if kind == "step_started":
        return f"step {data['step']} ({data['step_type']})"
    if kind == "connector_called":
        return f"call {data['connector']}: {data['method']} {data['url']} {_short(data['inputs'])}"
    if kind == "connector_responded":
        return (
            f"{data['connector']} answered {data['status']} in {data['elapsed_ms']:g} ms, "
            f"{data['bytes']:,} bytes ({data['source']})"
        )
    if kind == "token_requested":
        where = "simulated" if data["source"] == "mock" else f"{data['method']} {data['url']}"
        return f"token {data['token']}: fetching ({data['reason']}) {where}"
    if kind == "token_received":
        lifetime = f", expires in {data['expires_in']:g} s" if data.get("expires_in") is not None else ""
        return f"token {data['token']}: received ({data['status']}) in {data['elapsed_ms']:g} ms{lifetime}"
    if kind == "attributes_available":
        names = ", ".join(data["attributes"])
        how = " edited" if data.get("edited") else " mapped" if data.get("mapped") else ""
        return f"attributes{how}: {_short(names, 120)}"
    if kind == "condition_evaluated":
        tests = "; ".join(f"{_short(test['expression'], 60)} → {test['result']}" for test in data["tests"])
        taken = "else" if data["branch"] is None else f"branch {data['branch']}"
        return f"condition {data['step']}: {taken}" + (f" ({tests})" if tests else "")
    if kind == "message":
        return f"says: {data['text']}"
    if kind == "input_requested":
        asked = data["name"] if data["prompt"] in ("", data["name"]) else f"{data['name']}: {data['prompt']}"
        return f"asks {asked}" + (f" (attempt {data['attempt']})" if data.get("attempt", 1) > 1 else "")
    if kind == "input_received":
        return f"answer {data['name']} = {_short(data['value'])}" + (
            f" — rejected: {data['error']}" if data.get("error") else ""
        )
    if kind in ("subprocedure_entered", "subprocedure_exited"):
        return f"{'enter' if kind == 'subprocedure_entered' else 'leave'} sub-procedure {data['procedure']!r}"
    if kind == "agent_exchange":
        return f"model {data['purpose']} ({data['model']}): {_exchange(data)}"
    if kind == "warning":
        return f"warning [{data['code']}] {data['message']}"
    if kind == "error":
        return f"error [{data['reason']}] {data['message']}"
    if kind == "paused":
        return f"paused before {data['step']} ({data['reason']})"
    return f"finished: {data['outcome']}" + (f" — {data['message']}" if data.get("message") else "")


def _exchange(data: dict[str, Any]) -> str:
    """What a model exchange came to: the tool called or the text replied, or the failure; tokens and time."""
    reply = data.get("reply")
    if reply is None:
        return f"failed after {data.get('attempts', 1)} attempt(s): {data.get('error')}"
    calls = reply.get("tool_calls") or []
    said = (
        "; ".join(f"{call['name']}({_short(call.get('arguments'), 60)})" for call in calls)
        if calls
        else _short(reply.get("content") or "", 80)
    )
    tokens = data.get("tokens") or {}
    used = (tokens.get("prompt") or 0) + (tokens.get("completion") or 0)
    return f"{said} — {used} tokens, {data.get('latency_ms', 0):g} ms"
