"""Each lint rule fires exactly once on ``sample_data/lint-examples``, at the right place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LINT_EXAMPLES
from workbench.connectors import ConnectorError, choose_mock
from workbench.lint import RULE_NAMES, Finding, lint_workspace
from workbench.store import load_workspace


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return lint_workspace(load_workspace(LINT_EXAMPLES))


def _only(findings: list[Finding], rule: str) -> Finding:
    matching = [finding for finding in findings if finding.rule == rule]
    assert len(matching) == 1, matching
    return matching[0]


def test_every_rule_fires_exactly_once(findings: list[Finding]) -> None:
    assert sorted(finding.rule for finding in findings) == sorted(RULE_NAMES)


# rule, file, step, field, the text the finding points at (its first character), suggestion
CASES = [
    ("unknown-reference", "procedures/unknown-reference.json", "lookup", "text", "@call(Get ordres)", "Get orders"),
    (
        "attribute-before-call",
        "procedures/attribute-before-call.json",
        "status",
        "text",
        "@read(Get orders > status)",
        "@call(Get orders)",
    ),
    (
        "array-child-attribute",
        "procedures/array-child-attribute.json",
        "lookup",
        "text",
        "@read(Get orders > items > name)",
        "Get orders > items",
    ),
    ("connector-called-twice", "procedures/connector-called-twice.json", "again", "text", "@call(Get orders)", None),
    (
        "multiple-connectors-in-step",
        "procedures/multiple-connectors-in-step.json",
        "both",
        "text",
        "@call(Get orders)",
        None,
    ),
    (
        "redundant-input-collection",
        "procedures/redundant-input-collection.json",
        "lookup",
        "text",
        "ask the customer for their email",
        "just @call(Get orders)",
    ),
    (
        "unchecked-index",
        "procedures/unchecked-index.json",
        "check",
        "branches.0.when.code",
        "0]",
        'len(inputs["temporary"]["Get orders"]["items"]) > 0 and ...',
    ),
    ("code-error", "procedures/code-error.json", "check", "branches.0.when.code", "(inputs", None),
]


def _text_of(path: Path, step: str, field: str) -> str:
    value: Any = next(s for s in _all_steps(json.loads(path.read_text())["steps"]) if s["id"] == step)
    for part in field.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return str(value)


def _all_steps(steps: list[dict]) -> list[dict]:
    found = []
    for step in steps:
        found.append(step)
        for branch in step.get("branches", []):
            found.extend(_all_steps(branch["steps"]))
        found.extend(_all_steps(step.get("else", []) + step.get("on_error", [])))
    return found


@pytest.mark.parametrize(("rule", "file", "step", "field", "points_at", "suggestion"), CASES, ids=[c[0] for c in CASES])
def test_rule_location(
    findings: list[Finding], rule: str, file: str, step: str, field: str, points_at: str, suggestion: str | None
) -> None:
    finding = _only(findings, rule)
    path = LINT_EXAMPLES / file
    text = _text_of(path, step, field)
    assert (finding.path, finding.step, finding.field) == (path, step, field)
    assert (finding.line, finding.column) == (1, text.lower().index(points_at.lower()) + 1)
    assert finding.suggestion == suggestion
    assert finding.severity == (
        "error"
        if rule in ("unknown-reference", "attribute-before-call", "array-child-attribute", "code-error")
        else "warning"
    )


def test_large_response(findings: list[Finding]) -> None:
    finding = _only(findings, "large-response")
    assert (finding.path, finding.step, finding.field) == (
        LINT_EXAMPLES / "connectors" / "get-catalogue.json",
        None,
        "response.example.body",
    )
    assert "30 attributes (budget 25)" in finding.message and finding.severity == "warning"


def test_rule_pattern_compiles_like_a_run_does(findings: list[Finding]) -> None:
    finding = _only(findings, "rule-pattern")
    assert (finding.path, finding.step, finding.field) == (
        LINT_EXAMPLES / "connectors" / "get-loyalty.json",
        None,
        "response.rules.0.when.0.value",
    )
    assert "is not supported" in finding.message and "RE2" in finding.message and finding.severity == "error"
    connector = load_workspace(LINT_EXAMPLES).connectors["Get loyalty"].model
    with pytest.raises(ConnectorError) as raised:  # the same words a run fails with
        choose_mock(connector, {"email": "aa@example.com"}, dynamic=True, flags={})
    assert raised.value.message.endswith(finding.message)


def test_mcp_tool(findings: list[Finding]) -> None:
    finding = _only(findings, "mcp-tool")
    assert (finding.path, finding.field) == (LINT_EXAMPLES / "connectors" / "lookup-tool.json", "mcp.server")
    assert "the MCP server 'orders' is not defined" in finding.message and finding.severity == "warning"


def test_load_error(findings: list[Finding]) -> None:
    finding = _only(findings, "load-error")
    assert (finding.path, finding.line, finding.column) == (LINT_EXAMPLES / "procedures" / "load-error.json", 5, 3)
    assert finding.severity == "error" and "invalid JSON" in finding.message


def test_messages_name_what_is_wrong(findings: list[Finding]) -> None:
    messages = {finding.rule: finding.message for finding in findings}
    assert messages["unknown-reference"] == "no connector is called 'Get ordres'; did you mean 'Get orders'?"
    assert messages["attribute-before-call"] == (
        "reads 'Get orders > status' but Get orders is not called before this step"
    )
    assert "Get customer and Get orders" in messages["multiple-connectors-in-step"]
    assert "'(' was never closed" in messages["code-error"]


def test_unreachable_step(findings: list[Finding]) -> None:
    finding = _only(findings, "unreachable-step")
    assert (finding.path, finding.step, finding.line) == (
        LINT_EXAMPLES / "procedures" / "unreachable-step.json",
        "after",
        None,
    )
    assert finding.severity == "warning" and "step 'handover' ends the run" in finding.message
