"""What the detail pane shows for each kind of event."""

from __future__ import annotations

import io

from rich.console import Console

from tests.events import json_event
from workbench.connectors import RenderedRequest
from workbench.engine import Event
from workbench.tui.debug.event_detail import pretty_json, render_event


def text_of(event: Event, preview: RenderedRequest | None = None) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(render_event(event, preview))
    return console.export_text()


def test_a_call_shows_the_request_with_secrets_masked() -> None:
    event = json_event(
        3,
        0.01,
        "connector_called",
        {
            "procedure": "P",
            "step": "lookup",
            "connector": "Get orders",
            "method": "GET",
            "url": "http://127.0.0.1:8787/orders?email=ada%40example.com",
            "inputs": {"email": "ada@example.com"},
            "mode": "example",
        },
    )
    preview = RenderedRequest("GET", "http://127.0.0.1:8787/orders", {}, {"Authorization": "Bearer ***"}, None, 10)
    shown = text_of(event, preview)
    assert "GET http://127.0.0.1:8787/orders?email=ada%40example.com" in shown
    assert "Authorization Bearer ***" in shown
    assert '"email": "ada@example.com"' in shown


def test_a_response_shows_status_time_size_and_the_pretty_body() -> None:
    event = json_event(
        4,
        0.02,
        "connector_responded",
        {
            "procedure": "P",
            "step": "lookup",
            "connector": "Get orders",
            "status": 200,
            "elapsed_ms": 12.5,
            "bytes": 1234,
            "source": "live",
            "body": {"order": {"status": "shipped"}},
        },
    )
    shown = text_of(event)
    assert "200" in shown and "12.5 ms" in shown and "1,234 bytes" in shown and "live" in shown
    assert '  "order": {\n    "status": "shipped"\n  }' in shown


def test_a_condition_shows_each_test_and_the_branch_taken() -> None:
    event = json_event(
        6,
        0.03,
        "condition_evaluated",
        {
            "procedure": "P",
            "step": "big-order",
            "branch": 1,
            "tests": [
                {"branch": 0, "kind": "code", "expression": "len(items) >= 4", "result": False},
                {
                    "branch": 1,
                    "kind": "attribute",
                    "expression": "Get orders > status equals cancelled",
                    "result": True,
                },
            ],
        },
    )
    shown = text_of(event)
    assert "taken branch 1" in shown
    assert "code: len(items) >= 4" in shown and "False" in shown
    assert "attribute: Get orders > status equals cancelled" in shown and "True" in shown


def test_an_error_shows_its_reason() -> None:
    event = json_event(
        5,
        0.04,
        "error",
        {
            "procedure": "P",
            "step": "lookup",
            "reason": "timeout",
            "connector": "Get orders",
            "message": "Get orders: no complete response within 10s",
        },
    )
    shown = text_of(event)
    assert "reason    timeout" in shown
    assert "message   Get orders: no complete response within 10s" in shown


def test_long_bodies_are_cut() -> None:
    text = pretty_json(list(range(1000)), max_lines=10).plain
    assert text.count("\n") == 10
    assert text.endswith("… 992 more lines")


def _call(mode: str) -> Event:
    fields = {"procedure": "P", "step": "s", "connector": "Refund", "method": "POST", "url": "http://x/r"}
    return json_event(3, 0.01, "connector_called", {**fields, "inputs": {}, "mode": mode})


def _answer(source: str) -> Event:
    fields = {"procedure": "P", "step": "s", "connector": "Refund", "status": 200, "elapsed_ms": 1, "bytes": 2}
    return json_event(4, 0.02, "connector_responded", {**fields, "source": source, "body": {}})


def test_each_call_and_response_is_marked_mocked_or_live_as_the_cli_transcript_says() -> None:
    """The detail says ``mocked`` (with the rule kind) or ``live``, the words of ``simulate -v``."""
    assert "mode      mocked: example" in text_of(_call("example"))
    assert "mode      live" in text_of(_call("live"))
    assert "source    mocked: dynamic" in text_of(_answer("dynamic"))
    assert "source    live" in text_of(_answer("live"))
    assert "source    cache" in text_of(_answer("cache"))
