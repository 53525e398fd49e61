"""Mocked calls: a connector's example response, or the first dynamic rule matching the inputs and state.

:func:`choose_mock` picks the response that answers a call and :meth:`MockState.take` the call's turn of it
(sequences) while keeping the state flags responses set; the engine, scenarios and ``workbench mock serve``
all answer through these two. Mocks go through the same checks as live calls (status, size cap, JSON
parsing), so a fault or a non-JSON ``body_text`` fails exactly as a real server would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench import jsoncodec
from workbench.connectors import patterns
from workbench.connectors.errors import ConnectorError
from workbench.connectors.response import ConnectorResponse, Source, finish
from workbench.connectors.templates import TemplateScope, format_value
from workbench.model import Connector, DynamicRule, MockResponse, RuleMatch

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
    problem = regex_problem(match)
    if problem is not None:
        raise ConnectorError("request_configuration", problem)
    return patterns.search(format_value(match.value), format_value(actual))


def regex_problem(match: RuleMatch) -> str | None:
    """Why the RE2 engine refuses a ``regex`` test's pattern (None when it compiles, or is no regex): what a
    run fails with, and what lint reports before any run."""
    if match.op != "regex":
        return None
    try:
        patterns.compile_pattern(format_value(match.value))
    except patterns.PatternError as error:
        return f"the regex {format_value(match.value)!r} on {match.input!r} {error}"
    return None


def state_holds(expected: Mapping[str, Any], flags: Mapping[str, Any]) -> bool:
    """Whether every flag has the expected value (``None``: not set); scalars compare as text, like ``equals``."""
    return all(
        flags.get(name) == value or (value is not None and format_value(flags.get(name)) == format_value(value))
        for name, value in expected.items()
    )


def choose_rule(
    rules: list[DynamicRule], inputs: Mapping[str, Any], flags: Mapping[str, Any] | None = None
) -> DynamicRule | None:
    """The first rule whose tests and state all hold (a rule without tests always matches); a refused regex is
    a ``request_configuration`` error naming its rule."""
    for number, rule in enumerate(rules, 1):
        if not state_holds(rule.when_state, flags or {}):
            continue
        try:
            if all(rule_matches(match, inputs) for match in rule.when):
                return rule
        except ConnectorError as error:
            label = f"dynamic rule {number}" + (f" ({rule.name!r})" if rule.name else "")
            raise ConnectorError(error.reason, f"{label}: {error.message}", status=error.status) from None
    return None


@dataclass(frozen=True)
class MockChoice:
    """The response that answers a call (maybe a sequence), where it comes from, and whether its body
    templates the inputs (dynamic rules)."""

    connector: str
    response: MockResponse
    source: Literal["example", "dynamic"]
    label: str
    templated: bool = False
    rule: int | None = None
    """The index of the dynamic rule that answers, when one does."""


def choose_mock(
    connector: Connector,
    inputs: Mapping[str, Any],
    *,
    dynamic: bool,
    flags: Mapping[str, Any],
    override: MockResponse | None = None,
) -> MockChoice:
    """Which response answers a mocked call: the ``override``, else the first dynamic rule that holds (falling
    back on the example), else the example. Raises :class:`ConnectorError` when there is none."""
    name = connector.name
    if override is not None:
        return MockChoice(name, override, "example", "override")
    example = connector.response.example
    if dynamic:
        rules = connector.response.rules
        rule = choose_rule(rules, inputs, flags)
        if rule is not None:
            index = rules.index(rule)
            return MockChoice(
                name, rule.response, "dynamic", rule.name or f"rule {index + 1}", templated=True, rule=index
            )
        if example is None:
            raise ConnectorError(
                "request_configuration",
                f"no dynamic rule of {name!r} matches the inputs {dict(inputs)}"
                + (f" and state {dict(flags)}" if flags else "")
                + " and it has no example response to fall back on",
            )
        return MockChoice(name, example, "dynamic", "example")
    if example is None:
        hint = " (it has dynamic rules: use the dynamic mode)" if connector.response.rules else ""
        raise ConnectorError("request_configuration", f"connector {name!r} has no example response{hint}")
    return MockChoice(name, example, "example", "example")


@dataclass
class MockState:
    """What mocks remember across the calls of one run (or one server): how often each response answered, for
    sequences, and the state flags responses set."""

    calls: dict[tuple[str, str], int] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)

    def take(self, choice: MockChoice, scope: TemplateScope | None = None) -> MockResponse:
        """The response for this call of ``choice``: its turn in the sequence (an HTTP 500 once a ``fail``
        sequence is used up), templated when it is a dynamic rule's; applies its ``set_state``."""
        key = (choice.connector, choice.label)
        index = self.calls.get(key, 0)
        self.calls[key] = index + 1
        response = choice.response.nth(index)
        if response is None:
            answered = 1 + len(choice.response.then)
            return MockResponse(
                status=500,
                body={
                    "error": f"the mock sequence of {choice.connector!r} ({choice.label}) answers {answered} "
                    f"call{'s' * (answered != 1)}; this is call {index + 1}"
                },
            )
        self.flags.update(response.set_state)
        return templated(response, scope) if choice.templated and scope is not None else response


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
    elapsed_ms = (time.perf_counter() - started) * 1000
    return await finish(
        mock.status, response_headers(mock), body_bytes(mock), elapsed_ms=elapsed_ms, source=source, limit=limit
    )


def body_bytes(mock: MockResponse) -> bytes:
    """The bytes a mock answers with (its ``malformed_json`` and ``empty_body`` faults included)."""
    if mock.fault == "malformed_json":
        return MALFORMED_JSON
    if mock.fault == "empty_body":
        return b""
    if mock.body_text is not None:
        return mock.body_text.encode()
    return jsoncodec.dumps(mock.body)


def response_headers(mock: MockResponse) -> dict[str, str]:
    """The headers a mock answers with: its own, with a JSON content type unless they name one."""
    if any(name.lower() == "content-type" for name in mock.headers):
        return dict(mock.headers)
    return {"content-type": "application/json", **mock.headers}
