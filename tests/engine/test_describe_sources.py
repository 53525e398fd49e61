"""Each connector call's log line says how it was answered: ``live``, ``mocked`` or ``cache`` — the words of the
CLI's simulation transcript (``simulate -v``) and of results files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.events import json_event
from workbench.engine.describe import describe, served_by


def test_a_call_line_is_marked_with_the_transport_that_answers_it() -> None:
    base = {"procedure": "P", "step": "s", "connector": "Refund", "method": "POST", "url": "http://x/r", "inputs": {}}
    assert describe(json_event(1, 0, "connector_called", {**base, "mode": "example"})).startswith(
        "call Refund [mocked]: POST http://x/r"
    )
    assert describe(json_event(1, 0, "connector_called", {**base, "mode": "live"})).startswith("call Refund [live]:")


@pytest.mark.parametrize(
    ("source", "mark"),
    [("live", "[live]"), ("example", "[mocked: example]"), ("dynamic", "[mocked: dynamic]"), ("cache", "[cache]")],
)
def test_a_response_line_is_marked_live_mocked_or_reused(source: str, mark: str) -> None:
    fields = {"procedure": "P", "step": "s", "connector": "Refund", "status": 200, "elapsed_ms": 1.5, "bytes": 10}
    line = describe(json_event(2, 0, "connector_responded", {**fields, "source": source, "body": {}}))
    assert line == f"Refund answered 200 in 1.5 ms, 10 bytes {mark}"


def test_the_words_are_those_of_the_simulation_transcript() -> None:
    assert [served_by(source) for source in ("live", "example", "dynamic", "cache")] == [
        "live",
        "mocked",
        "mocked",
        "cache",
    ]


EVENT_NAMES = {"response", "responded", "payload", "call", "called", "event"}
"""What code names a ``connector_called`` / ``connector_responded`` event (or its payload)."""


def test_no_text_formats_how_a_call_was_answered_but_through_the_shared_words() -> None:
    """An f-string showing ``response.source`` or ``call.mode`` raw (``example``) bypasses :func:`served_by` /
    :func:`source_label`, and the transcripts would disagree on the words again."""
    root = Path(__file__).resolve().parents[2] / "workbench"
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FormattedValue) or not isinstance(node.value, ast.Attribute):
                continue
            shown = node.value
            base = shown.value.attr if isinstance(shown.value, ast.Attribute) else getattr(shown.value, "id", "")
            if shown.attr in ("source", "mode") and base in EVENT_NAMES:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {ast.unparse(shown)}")
    assert found == []
