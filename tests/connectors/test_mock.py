"""Example and dynamic mock responses: rule matching, templated bodies, latency and faults."""

from __future__ import annotations

import time

import pytest

from workbench.connectors import ConnectorError, TemplateScope, choose_rule, rule_matches, serve, templated
from workbench.model import DynamicRule, MockResponse, RuleMatch
from workbench.model.connector import RuleOp


def match(op: RuleOp, value: object, input: str = "email") -> RuleMatch:
    return RuleMatch(input=input, op=op, value=value)


def test_rule_operators() -> None:
    inputs = {"email": "ada@example.com", "count": 3}
    assert rule_matches(match("equals", "ada@example.com"), inputs)
    assert rule_matches(match("equals", "3", "count"), inputs)
    assert not rule_matches(match("equals", "bob@example.com"), inputs)
    assert rule_matches(match("contains", "@example"), inputs)
    assert rule_matches(match("regex", r"^ada@"), inputs)
    assert not rule_matches(match("regex", r"^bob"), inputs)
    assert rule_matches(match("exists", None), inputs)
    assert rule_matches(match("exists", False, "missing"), inputs)
    assert not rule_matches(match("equals", "x", "missing"), inputs)
    with pytest.raises(ConnectorError) as caught:
        rule_matches(match("regex", "("), inputs)
    assert caught.value.reason == "request_configuration"


def test_first_matching_rule_wins_and_templates_its_body() -> None:
    rules = [
        DynamicRule(name="vip", when=[match("contains", "vip")], response=MockResponse(body={"tier": "gold"})),
        DynamicRule(name="any", response=MockResponse(body={"email": "{{email}}", "note": "hi {{email}}"})),
    ]
    assert choose_rule(rules, {"email": "vip@x"}).name == "vip"
    rule = choose_rule(rules, {"email": "ada@x"})
    assert rule is not None and rule.name == "any"
    scope = TemplateScope(connector="C", inputs={"email": "ada@x"}, declared=["email"], strict=False)
    assert templated(rule.response, scope).body == {"email": "ada@x", "note": "hi ada@x"}
    assert choose_rule(rules[:1], {"email": "ada@x"}) is None


async def test_serve_gives_a_fresh_copy_after_the_latency() -> None:
    mock = MockResponse(body={"items": [1]}, latency_ms=50)
    started = time.perf_counter()
    response = await serve(mock, source="example", timeout_s=10, limit=1000)
    assert time.perf_counter() - started >= 0.05
    assert response.body == {"items": [1]} and response.body is not mock.body and response.source == "example"
    response.body["items"].append(2)
    assert mock.body == {"items": [1]}


@pytest.mark.parametrize(
    ("mock", "reason", "text"),
    [
        (MockResponse(fault="timeout"), "timeout", "simulated timeout"),
        (MockResponse(fault="disconnect"), "network", "simulated"),
        (MockResponse(fault="malformed_json"), "response_mapping", "not JSON"),
        (MockResponse(fault="empty_body"), "response_mapping", "empty body"),
        (MockResponse(body_text="<html>oops</html>"), "response_mapping", "oops"),
        (MockResponse(status=500, body={"error": "boom"}), "third_party_status", "HTTP 500"),
        (MockResponse(body="x" * 2000), "response_too_large", "1,024-byte cap"),
    ],
)
async def test_faults_fail_like_a_real_server(mock: MockResponse, reason: str, text: str) -> None:
    with pytest.raises(ConnectorError) as caught:
        await serve(mock, source="dynamic", timeout_s=10, limit=1024)
    assert caught.value.reason == reason and text in caught.value.message
