"""Trying inputs against a connector's dynamic rules: which rule answers, what, and why the others do not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from workbench.connectors.errors import ConnectorError
from workbench.connectors.mock import rule_matches, templated
from workbench.connectors.templates import TemplateScope
from workbench.model import Connector, DynamicRule, MockResponse, RuleMatch


@dataclass(frozen=True)
class RuleTrial:
    """What a connector's dynamic rules answer to some inputs.

    ``rule`` is the index of the first rule whose tests all hold (``None``: none does, so the example answers,
    if there is one); ``response`` what answers (inputs filled into the rule's body), ``None`` when nothing
    does; ``held`` tells, rule by rule, which of its tests held (to show why a rule did not match).
    """

    rule: int | None
    response: MockResponse | None
    held: list[list[bool]]


def try_rules(connector: Connector, inputs: Mapping[str, Any]) -> RuleTrial:
    """Try ``inputs`` against the dynamic rules of ``connector`` as a dynamic-mode call would; raises
    :class:`ConnectorError` for a rule with a bad regex."""
    held = [[rule_matches(match, inputs) for match in rule.when] for rule in connector.response.rules]
    index = next((number for number, tests in enumerate(held) if all(tests)), None)
    if index is None:
        return RuleTrial(None, connector.response.example, held)
    scope = TemplateScope.mock(connector, inputs)
    return RuleTrial(index, templated(connector.response.rules[index].response, scope), held)


def describe_test(match: RuleMatch) -> str:
    """One test of a rule as a phrase: ``email contains 'cancelled'``."""
    if match.op == "exists":
        return f"{match.input} {'is set' if match.value is None or match.value else 'is not set'}"
    return f"{match.input} {match.op} {match.value!r}"


def explain_trial(connector: Connector, inputs: Mapping[str, Any], body_limit: int = 400) -> str:
    """What :func:`try_rules` found, in words: why each rule before the answering one did not match, then what
    answers (status, latency, fault, the body cut at ``body_limit`` characters)."""
    try:
        trial = try_rules(connector, inputs)
    except ConnectorError as error:
        return f"✗ {error}"
    rules = connector.response.rules
    tried = len(rules) if trial.rule is None else trial.rule
    lines = [
        f"{_title(index, rules[index])} does not match: "
        + "; ".join(
            describe_test(match) for match, held in zip(rules[index].when, trial.held[index], strict=True) if not held
        )
        for index in range(tried)
    ]
    response = trial.response
    if response is None:
        lines.append("no rule matches and there is no example response: the call fails")
        return "\n".join(lines)
    which = f"{_title(trial.rule, rules[trial.rule])} answers" if trial.rule is not None else "the example answers"
    fault = f", fault {response.fault}" if response.fault else ""
    lines.append(f"→ {which}: status {response.status}, {response.latency_ms} ms{fault}")
    if response.body is not None:
        text = orjson.dumps(response.body).decode()
        lines.append(text if len(text) <= body_limit else text[: body_limit - 1] + "…")
    return "\n".join(lines)


def _title(index: int, rule: DynamicRule) -> str:
    return f"rule {index + 1}" + (f" ({rule.name})" if rule.name else "")
