"""The pydantic models of the workspace files."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from workbench.model import (
    CodeWhen,
    CollectStep,
    ConditionStep,
    Connector,
    DescribeWhen,
    InstructionStep,
    Procedure,
    WorkspaceSettings,
)
from workbench.store import to_data


def _procedure(*steps: dict[str, Any]) -> Procedure:
    return Procedure.model_validate({"name": "P", "steps": list(steps)})


def _errors(call: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return str(caught.value)


NESTED = {
    "id": "check",
    "type": "condition",
    "branches": [
        {"when": {"code": "True"}, "steps": [{"id": "a", "type": "instruction", "text": "A"}]},
        {
            "when": {"describe": "Unhappy"},
            "steps": [{"id": "b", "type": "instruction", "text": "B", "on_error": [{"id": "b-failed", "type": "end"}]}],
        },
    ],
    "else": [{"id": "c", "type": "collect", "attribute": "Conversation > order_id"}],
}


def test_nested_branches_parse_into_their_step_types() -> None:
    procedure = _procedure(NESTED, {"id": "done", "type": "end", "outcome": "handoff"})
    condition = procedure.steps[0]
    assert isinstance(condition, ConditionStep)
    assert isinstance(condition.branches[0].when, CodeWhen)
    assert isinstance(condition.branches[1].when, DescribeWhen)
    assert isinstance(condition.else_[0], CollectStep)
    assert [step.id for step in procedure.all_steps()] == ["check", "a", "b", "b-failed", "c", "done"]
    assert isinstance(procedure.step("b"), InstructionStep)
    assert procedure.step("nope") is None


def test_duplicate_step_ids_are_rejected_even_when_nested() -> None:
    message = _errors(lambda: _procedure(NESTED, {"id": "b", "type": "end"}))
    assert "step id 'b' is used twice" in message


def test_unknown_step_type_names_the_expected_ones() -> None:
    message = _errors(lambda: _procedure({"id": "x", "type": "wait"}))
    assert "'wait'" in message and "instruction" in message


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ({"type": "instruction"}, "id"),
        ({"id": "x", "type": "subprocedure"}, "procedure"),
        ({"id": "x", "type": "collect"}, "attribute"),
        (
            {"id": "x", "type": "condition", "branches": [{"when": {}, "steps": []}]},
            "'code', 'attribute' or 'describe'",
        ),
    ],
)
def test_missing_keys_are_named(step: dict[str, Any], expected: str) -> None:
    assert expected in _errors(lambda: _procedure(step))


def test_collect_attribute_must_be_under_a_builtin_namespace() -> None:
    assert "User, Company, Conversation" in _errors(
        lambda: _procedure({"id": "x", "type": "collect", "attribute": "Get orders > id"})
    )


def test_step_ids_and_names_have_a_safe_alphabet() -> None:
    _errors(lambda: _procedure({"id": "has space", "type": "end"}))
    _errors(lambda: Procedure.model_validate({"name": "Orders (old)"}))
    _errors(lambda: Procedure.model_validate({"name": "A > B"}))


def test_unknown_keys_are_kept_in_nested_models() -> None:
    data = {"name": "P", "steps": [{"id": "x", "type": "instruction", "text": "", "note": "keep"}], "owner": "me"}
    assert to_data(Procedure.model_validate(data)) == data


def test_a_step_built_in_code_writes_its_type() -> None:
    procedure = Procedure(name="P", steps=[InstructionStep(id="x", text="Hi")])
    assert to_data(procedure)["steps"] == [{"id": "x", "type": "instruction", "text": "Hi"}]


def test_connector_inputs_are_unique_and_method_is_normalized() -> None:
    request = {"method": "post", "url": "http://127.0.0.1/x"}
    assert Connector.model_validate({"name": "C", "request": request}).request.method == "POST"
    inputs = [{"name": "email"}, {"name": "email"}]
    assert "input 'email' is defined twice" in _errors(
        lambda: Connector.model_validate({"name": "C", "request": request, "inputs": inputs})
    )


def test_sample_payload_prefers_the_example_then_the_first_rule() -> None:
    base = {"name": "C", "request": {"url": "x"}}
    rule = {"response": {"body": {"from": "rule"}}}
    assert Connector.model_validate({**base, "response": {"rules": [rule]}}).sample_payload() == {"from": "rule"}
    both = {"example": {"body": {"from": "example"}}, "rules": [rule]}
    assert Connector.model_validate({**base, "response": both}).sample_payload() == {"from": "example"}
    assert Connector.model_validate(base).sample_payload() is None


def test_workspace_settings_environments() -> None:
    settings = WorkspaceSettings.model_validate({"environments": {"local": {"base_url": "http://127.0.0.1:8787"}}})
    assert settings.environment() == {"base_url": "http://127.0.0.1:8787"}
    with pytest.raises(KeyError):
        settings.environment("staging")
    assert "default_environment 'prod'" in _errors(
        lambda: WorkspaceSettings.model_validate({"environments": {}, "default_environment": "prod"})
    )


def test_the_unknown_environment_problem_is_worded_once() -> None:
    settings = WorkspaceSettings(environments={"local": {}, "staging": {}})
    assert settings.unknown_environment("locl") == "unknown environment 'locl' (did you mean 'local'?)"
    assert settings.unknown_environment("prod") == "unknown environment 'prod' (known: local, staging)"
    assert (
        WorkspaceSettings().unknown_environment("prod") == "unknown environment 'prod' (known: none in workbench.json)"
    )
    assert [settings.unknown_environment(name) for name in ("local", None, "")] == [None, None, None]
