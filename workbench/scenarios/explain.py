"""Failures that explain themselves: expected against actual for every expectation, where the paths
diverged, and the last events before that point."""

from __future__ import annotations

from typing import Any

from workbench import jsoncodec
from workbench.engine import Event, RunResult
from workbench.engine.describe import describe
from workbench.scenarios.expectations import Mismatch, divergence

CONTEXT_EVENTS = 6
"""How many events before the divergence (or the end of the run) a failure shows."""
_WIDTH = 300


def show(value: Any) -> str:
    """A value as compact JSON, shortened when long."""
    text = jsoncodec.dumps(value).decode() if not isinstance(value, str) else repr(value)
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def explain_mismatches(mismatches: list[Mismatch], result: RunResult, expected_path: list[str] | None) -> str:
    """The body of a failure report: one block per unmet expectation, then the events leading up to it."""
    lines: list[str] = []
    for mismatch in mismatches:
        lines.append(f"{mismatch.expectation}: {mismatch.detail}")
        lines.extend(_expected_actual(mismatch))
    lines.extend(_context(result, expected_path))
    return "\n".join(lines)


def _expected_actual(mismatch: Mismatch) -> list[str]:
    if mismatch.expectation == "path":
        return [
            f"    expected: {' → '.join(mismatch.expected) or '(no step)'}",
            f"    actual:   {' → '.join(mismatch.actual) or '(no step)'}",
        ]
    if mismatch.expectation == "messages_contain":
        said = [f"      {index}. {show(text)}" for index, text in enumerate(mismatch.actual, 1)]
        return ["    messages said:", *(said or ["      (none)"])]
    if mismatch.expectation == "errors":
        return [
            f"    expected: {show(mismatch.expected)}",
            *(
                ["    actual:"] + [f"      {line}" for line in mismatch.actual]
                if mismatch.actual
                else ["    actual:   (no error)"]
            ),
        ]
    return [f"    expected: {show(mismatch.expected)}", f"    actual:   {show(mismatch.actual)}"]


def _context(result: RunResult, expected_path: list[str] | None) -> list[str]:
    """The last events before the paths diverged, else the last events of the run."""
    events = [event for event in result.events if event.type != "run_finished"]
    index = divergence(expected_path, result.path) if expected_path is not None else None
    heading = "last events of the run:"
    if index is not None and index < len(result.path):
        starts = [position for position, event in enumerate(events) if event.type == "step_started"]
        events = events[: starts[index]]
        heading = f"last events before the run went to {result.path[index]!r}:"
    shown = events[-CONTEXT_EVENTS:]
    return [heading, *(_event_line(event) for event in shown)] if shown else []


def _event_line(event: Event) -> str:
    text = describe(event)
    text = text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"
    return f"    {event.t:8.3f}s  {text}"
