"""Mocked calls: a connector's example response, or the first dynamic rule matching the inputs.

Mocks go through the same checks as live calls (status, size cap, JSON parsing), so a fault or a non-JSON
``body_text`` fails exactly as a real server would.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping
from typing import Any

import orjson

from workbench.connectors.errors import ConnectorError
from workbench.connectors.response import ConnectorResponse, Source, finish
from workbench.connectors.templates import TemplateScope, format_value
from workbench.model import DynamicRule, MockResponse, RuleMatch

MALFORMED_JSON = b'{"simulated": "malformed JSON'


def rule_matches(match: RuleMatch, inputs: Mapping[str, Any]) -> bool:
    """Whether one test of a dynamic rule holds for the inputs; a bad regex is a configuration error."""
    present = inputs.get(match.input) is not None
    if match.op == "exists":
        return present == (match.value is None or bool(match.value))
    if not present:
        return False
    actual = inputs[match.input]
    if match.op == "equals":
        return actual == match.value or format_value(actual) == format_value(match.value)
    if match.op == "contains":
        return format_value(match.value) in format_value(actual)
    try:
        return re.search(str(match.value), format_value(actual)) is not None
    except re.error as error:
        raise ConnectorError(
            "request_configuration", f"dynamic rule regex {match.value!r} on {match.input!r} is invalid: {error}"
        ) from None


def choose_rule(rules: list[DynamicRule], inputs: Mapping[str, Any]) -> DynamicRule | None:
    """The first rule whose tests all hold (a rule without tests always matches)."""
    return next((rule for rule in rules if all(rule_matches(match, inputs) for match in rule.when)), None)


def templated(mock: MockResponse, scope: TemplateScope) -> MockResponse:
    """A dynamic rule's response with the inputs filled into its body (and ``body_text``)."""
    update: dict[str, Any] = {"body": scope.value(mock.body)}
    if mock.body_text is not None:
        update["body_text"] = scope.text(mock.body_text)
    return mock.model_copy(update=update)


async def serve(mock: MockResponse, *, source: Source, timeout_s: float, limit: int) -> ConnectorResponse:
    """Answer with ``mock`` after its latency, or fail the way its ``fault`` says."""
    started = time.perf_counter()
    if mock.latency_ms:
        await asyncio.sleep(mock.latency_ms / 1000)
    if mock.fault == "timeout":
        raise ConnectorError("timeout", f"no complete response within {timeout_s:g}s (simulated timeout)")
    if mock.fault == "disconnect":
        raise ConnectorError("network", "the server closed the connection without a response (simulated)")
    if mock.fault == "malformed_json":
        raw = MALFORMED_JSON
    elif mock.fault == "empty_body":
        raw = b""
    elif mock.body_text is not None:
        raw = mock.body_text.encode()
    else:
        raw = orjson.dumps(mock.body, option=orjson.OPT_NON_STR_KEYS)
    headers = dict(mock.headers) or {"content-type": "application/json"}
    elapsed_ms = (time.perf_counter() - started) * 1000
    return await finish(mock.status, headers, raw, elapsed_ms=elapsed_ms, source=source, limit=limit)
