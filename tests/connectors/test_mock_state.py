"""Sequences and state in the mock logic every front door shares (engine, scenarios, ``mock serve``)."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.connectors import ConnectorError, MockState, TemplateScope, choose_mock
from workbench.model import Connector, MockResponse


def reader(**response: Any) -> Connector:
    return Connector.model_validate(
        {"name": "Get", "request": {"url": "http://x/{{id}}"}, "inputs": [{"name": "id"}], "response": response}
    )


def answers(state: MockState, connector: Connector, calls: int, *, dynamic: bool = False) -> list[Any]:
    result = []
    for _ in range(calls):
        choice = choose_mock(connector, {"id": "7"}, dynamic=dynamic, flags=state.flags)
        mock = state.take(choice, TemplateScope(connector.name, {"id": "7"}, strict=False))
        result.append((mock.status, mock.body))
    return result


@pytest.mark.parametrize("length", [1, 2, 5])
def test_the_nth_call_gets_the_nth_response_then_the_last_repeats(length: int) -> None:
    bodies = [{"n": index} for index in range(length)]
    example = {"body": bodies[0], "then": [{"body": body} for body in bodies[1:]]}
    got = answers(MockState(), reader(example=example), length + 3)
    assert got == [(200, body) for body in bodies] + [(200, bodies[-1])] * 3


@pytest.mark.parametrize("length", [1, 3])
def test_an_exhausted_failing_sequence_answers_http_500(length: int) -> None:
    example = {"body": 0, "then": [{"body": index} for index in range(1, length)], "exhausted": "fail"}
    got = answers(MockState(), reader(example=example), length + 2)
    assert [body for _, body in got[:length]] == list(range(length))
    for status, body in got[length:]:
        assert status == 500 and f"answers {length} call" in body["error"]


def test_sequences_count_per_connector_and_rule() -> None:
    rules = [
        {"name": "seven", "when": [{"input": "id", "value": "7"}], "response": {"body": "a", "then": [{"body": "b"}]}}
    ]
    state = MockState()
    one, two = (
        reader(mode="dynamic", rules=rules),
        reader(mode="dynamic", rules=rules).model_copy(update={"name": "Other"}),
    )
    assert answers(state, one, 1, dynamic=True) == [(200, "a")]
    assert answers(state, two, 1, dynamic=True) == [(200, "a")]
    assert answers(state, one, 2, dynamic=True) == [(200, "b"), (200, "b")]


def test_dynamic_sequences_template_the_inputs() -> None:
    rules = [{"response": {"body": {"first": "{{id}}"}, "then": [{"body": {"second": "{{id}}"}}]}}]
    assert answers(MockState(), reader(mode="dynamic", rules=rules), 2, dynamic=True) == [
        (200, {"first": "7"}),
        (200, {"second": "7"}),
    ]


def test_rules_depend_on_state_set_by_another_response() -> None:
    rules = [
        {"name": "gone", "when_state": {"deleted": True}, "response": {"status": 404, "body": {"error": "gone"}}},
        {"name": "there", "when_state": {"deleted": None}, "response": {"body": {"id": "{{id}}"}}},
    ]
    getter = reader(mode="dynamic", rules=rules)
    deleter = Connector.model_validate(
        {"name": "Delete", "request": {"url": "http://x"}, "response": {"example": {"set_state": {"deleted": True}}}}
    )
    state = MockState()
    assert answers(state, getter, 1, dynamic=True) == [(200, {"id": "7"})]
    state.take(choose_mock(deleter, {}, dynamic=False, flags=state.flags))
    assert state.flags == {"deleted": True}
    assert answers(state, getter, 2, dynamic=True) == [(404, {"error": "gone"})] * 2


def test_state_compares_scalars_as_text_and_none_means_unset() -> None:
    rules = [{"when_state": {"count": "2"}, "response": {"body": "two"}}]
    getter = reader(mode="dynamic", rules=rules, example={"body": "fallback"})
    assert answers(MockState(flags={"count": 2}), getter, 1, dynamic=True) == [(200, "two")]
    assert answers(MockState(flags={"count": 3}), getter, 1, dynamic=True) == [(200, "fallback")]
    assert answers(MockState(), getter, 1, dynamic=True) == [(200, "fallback")]


def test_no_rule_and_no_example_names_the_state() -> None:
    getter = reader(mode="dynamic", rules=[{"when_state": {"x": 1}, "response": {}}])
    with pytest.raises(ConnectorError, match="state"):
        choose_mock(getter, {"id": "7"}, dynamic=True, flags={"x": 2})


def test_an_override_wins_and_counts_apart() -> None:
    state = MockState()
    getter = reader(example={"body": "example"})
    override = MockResponse(status=503, then=[MockResponse(body="back")])
    got = [state.take(choose_mock(getter, {}, dynamic=False, flags={}, override=override)) for _ in range(2)]
    assert [(mock.status, mock.body) for mock in got] == [(503, None), (200, "back")]
    assert answers(state, getter, 1) == [(200, "example")]


def test_a_sequence_is_flat() -> None:
    with pytest.raises(ValueError, match="own 'then'"):
        MockResponse.model_validate({"then": [{"then": [{}]}]})
