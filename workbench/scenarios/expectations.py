"""Comparing what a run did with what a scenario expects: one :class:`Mismatch` per unmet expectation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from workbench.engine import RunResult
from workbench.engine.values import loosely_equal, unresolved
from workbench.events import RunError
from workbench.model import Expectations


@dataclass(frozen=True)
class Mismatch:
    """One expectation the run did not meet: which (``outcome``, ``path``, ``calls``, ``messages_contain``,
    ``attributes > PATH``, ``errors``), what was expected, what happened, and a one-line explanation."""

    expectation: str
    expected: Any
    actual: Any
    detail: str


def divergence(expected: list[str], actual: list[str]) -> int | None:
    """The index where two paths first differ (one may stop early), or ``None`` when they are equal."""
    for index, (wanted, got) in enumerate(zip(expected, actual, strict=False)):
        if wanted != got:
            return index
    return None if len(expected) == len(actual) else min(len(expected), len(actual))


def compare(expect: Expectations, result: RunResult) -> list[Mismatch]:
    """Every unmet expectation, in the order outcome, path, calls, messages, attributes, errors."""
    return [
        *_outcome(expect, result),
        *_path(expect, result),
        *_calls(expect, result),
        *_messages(expect, result),
        *_attributes(expect, result),
        *_errors(expect, result),
    ]


def _outcome(expect: Expectations, result: RunResult) -> list[Mismatch]:
    said = f": {result.message}" if result.message else ""
    if expect.outcome is not None and expect.outcome != result.outcome:
        return [Mismatch("outcome", expect.outcome, result.outcome, f"the run ended {result.outcome}{said}")]
    if expect.outcome is None and expect.errors is None and not result.ok:
        return [
            Mismatch(
                "outcome",
                "not failed",
                result.outcome,
                f"the run ended {result.outcome}{said} (expect an outcome or errors to pin a failure)",
            )
        ]
    return []


def _path(expect: Expectations, result: RunResult) -> list[Mismatch]:
    if expect.path is None:
        return []
    index = divergence(expect.path, result.path)
    if index is None:
        return []
    wanted = expect.path[index] if index < len(expect.path) else None
    got = result.path[index] if index < len(result.path) else None
    if got is None:
        detail = (
            f"step {index + 1}: expected {wanted!r}, the run ended after {result.path[-1]!r}"
            if result.path
            else f"step 1: expected {wanted!r}, no step ran"
        )
    elif wanted is None:
        detail = f"step {index + 1}: expected the run to end, it went on to {got!r}"
    else:
        detail = f"step {index + 1}: expected {wanted!r}, the run went to {got!r}"
    return [Mismatch("path", expect.path, result.path, f"the paths diverge at {detail}")]


def _calls(expect: Expectations, result: RunResult) -> list[Mismatch]:
    calls = expect.calls
    if calls is None:
        return []
    if isinstance(calls, list):
        if calls == result.calls:
            return []
        return [Mismatch("calls", calls, result.calls, "the connectors were not called as listed (order and count)")]
    counted = Counter(result.calls)
    wrong = {name: counted[name] for name, times in calls.items() if counted[name] != times}
    if not wrong:
        return []
    detail = "; ".join(
        f"{name}: expected {calls[name]} call{'s' * (calls[name] != 1)}, got {times}" for name, times in wrong.items()
    )
    return [Mismatch("calls", calls, {name: counted[name] for name in calls}, detail)]


def _messages(expect: Expectations, result: RunResult) -> list[Mismatch]:
    missing = [text for text in expect.messages_contain if not any(text in message for message in result.messages)]
    if not missing:
        return []
    listed = ", ".join(repr(text) for text in missing)
    return [Mismatch("messages_contain", missing, result.messages, f"no message contains {listed}")]


def _attributes(expect: Expectations, result: RunResult) -> list[Mismatch]:
    mismatches: list[Mismatch] = []
    for path, wanted in expect.attributes.items():
        found = result.context.resolve(path)
        actual = found.value if found.found else None
        if wanted is None and actual is None:
            continue
        if actual is not None and wanted is not None and loosely_equal(actual, wanted):
            continue
        detail = unresolved(found, "has another value" if actual is not None else "is not set")
        mismatches.append(Mismatch(f"attributes > {path}", wanted, result.context.shown(path, actual), detail))
    return mismatches


def error_matches(entry: str, error: RunError) -> bool:
    """Whether an ``expect.errors`` entry names this ``error`` event (reason, connector or part of the message)."""
    folded = entry.strip().casefold()
    return folded in (error.reason.casefold(), (error.connector or "").casefold()) or folded in error.message.casefold()


def _errors(expect: Expectations, result: RunResult) -> list[Mismatch]:
    if expect.errors is None:
        return []
    events = [event.payload for event in result.events if isinstance(event.payload, RunError)]
    shown = [f"[{error.reason}] {error.message}" for error in events]
    if len(events) != len(expect.errors):
        detail = f"expected {len(expect.errors)} error{'s' * (len(expect.errors) != 1)}, the run had {len(events)}"
        return [Mismatch("errors", expect.errors, shown, detail)]
    for index, (entry, event) in enumerate(zip(expect.errors, events, strict=False)):
        if not error_matches(entry, event):
            return [
                Mismatch("errors", expect.errors, shown, f"error {index + 1} does not match {entry!r}: {shown[index]}")
            ]
    return []
