"""Trying inputs against a connector's dynamic rules, as a dynamic-mode call chooses."""

from __future__ import annotations

import pytest

from tests.conftest import SUPPORT_DESK
from workbench.connectors import ConnectorError, explain_trial, try_rules
from workbench.model import Connector
from workbench.store import load_workspace


def subscription() -> Connector:
    connector = load_workspace(SUPPORT_DESK).connector("Get subscription")
    assert connector is not None
    return connector


def test_the_first_matching_rule_answers_with_its_inputs_filled_in() -> None:
    connector = subscription()
    trial = try_rules(connector, {"email": "timeout@example.com"})
    assert trial.rule == 0 and trial.response == connector.response.rules[0].response
    assert trial.held[0] == [True]
    trial = try_rules(connector, {"email": "ada.cancelled@example.com"})
    assert trial.rule == 1 and trial.held[:2] == [[False], [True]]


def with_response(connector: Connector, **changes: object) -> Connector:
    return connector.model_copy(update={"response": connector.response.model_copy(update=changes)})


def test_a_rule_without_tests_answers_anything_and_no_match_falls_back_on_the_example() -> None:
    connector = subscription()
    assert connector.response.rules[2].when == []
    assert try_rules(connector, {"email": "grace@example.com"}).rule == 2
    tested = with_response(connector, rules=connector.response.rules[:2])
    trial = try_rules(tested, {"email": "grace@example.com"})
    assert trial.rule is None and trial.response == connector.response.example and trial.held == [[False], [False]]
    assert try_rules(with_response(tested, example=None), {"email": "grace@example.com"}).response is None


def test_templates_in_the_rule_body_take_the_inputs() -> None:
    connector = Connector.model_validate(
        {
            "name": "Echo",
            "request": {"url": "http://127.0.0.1/echo"},
            "inputs": [{"name": "q"}],
            "response": {
                "mode": "dynamic",
                "rules": [{"when": [{"input": "q", "op": "exists"}], "response": {"body": {"said": "{{q}}"}}}],
            },
        }
    )
    trial = try_rules(connector, {"q": "hello"})
    assert trial.rule == 0 and trial.response is not None and trial.response.body == {"said": "hello"}
    assert try_rules(connector, {}).rule is None


def test_a_bad_regex_is_a_configuration_error() -> None:
    connector = Connector.model_validate(
        {
            "name": "Bad",
            "request": {"url": "http://127.0.0.1/"},
            "response": {"rules": [{"when": [{"input": "q", "op": "regex", "value": "("}], "response": {}}]},
        }
    )
    with pytest.raises(ConnectorError, match="regex"):
        try_rules(connector, {"q": "x"})


def test_the_trial_explains_why_earlier_rules_did_not_match() -> None:
    text = explain_trial(subscription(), {"email": "ada.cancelled@example.com"})
    lines = text.splitlines()
    assert lines[0] == "rule 1 (Billing system times out) does not match: email equals 'timeout@example.com'"
    assert lines[1] == "→ rule 2 (Already cancelled) answers: status 200, 0 ms"
    assert '"status":"cancelled"' in lines[2]
