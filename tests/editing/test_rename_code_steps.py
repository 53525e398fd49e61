"""Renaming a code step's name (the root of its outputs) and renaming around code steps."""

from __future__ import annotations

import pytest

from workbench.editing.rename import Items, RenameError, plan_rename
from workbench.model import Connector, Procedure, Scenario

CONNECTOR = Connector.model_validate({"name": "Get order", "request": {"url": "http://127.0.0.1:1/x"}})
PROCEDURE = Procedure.model_validate(
    {
        "name": "P",
        "steps": [
            {"id": "fetch", "type": "instruction", "text": "@call(Get order)"},
            {"id": "c", "type": "code", "name": "Refund", "code": 'return {"a": inputs["temporary"]["Get order"]}'},
            {"id": "d", "type": "code", "name": "Again", "code": "return {'b': inputs['temporary']['Refund']['a']}"},
            {
                "id": "check",
                "type": "condition",
                "branches": [{"when": {"attribute": "Refund > a", "op": "is_set"}, "steps": []}],
            },
            {"id": "say", "type": "instruction", "text": "@read(Refund > a) and @read(Again > b)"},
        ],
    }
)
SCENARIO = Scenario.model_validate({"name": "S", "procedure": "P", "expect": {"attributes": {"Refund > a": 1}}})
ITEMS: Items = {"connector": {"Get order": CONNECTOR}, "procedure": {"P": PROCEDURE}, "scenario": {"S": SCENARIO}}


def test_a_code_step_name_is_renamed_wherever_its_outputs_are_read() -> None:
    plan = plan_rename(ITEMS, "code", "Refund", "Refund offer")
    [procedure] = [edit.after for edit in plan.edits if edit.kind == "procedure"]
    [scenario] = [edit.after for edit in plan.edits if edit.kind == "scenario"]
    assert isinstance(procedure, Procedure) and isinstance(scenario, Scenario)
    steps = {step.id: step for step in procedure.all_steps()}
    assert steps["c"].name == "Refund offer"
    assert steps["d"].code == "return {'b': inputs['temporary']['Refund offer']['a']}"
    assert steps["check"].branches[0].when.attribute == "Refund offer > a"
    assert steps["say"].text == "@read(Refund offer > a) and @read(Again > b)"
    assert list(scenario.expect.attributes) == ["Refund offer > a"]


def test_a_connector_rename_reaches_code_steps() -> None:
    plan = plan_rename(ITEMS, "connector", "Get order", "Fetch order")
    [procedure] = [edit.after for edit in plan.edits if edit.kind == "procedure"]
    assert isinstance(procedure, Procedure)
    assert procedure.step("c").code == 'return {"a": inputs["temporary"]["Fetch order"]}'


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("Nope", "X", "no code step is called 'Nope'"),
        ("Refund", "get order", "a connector or another code step is called"),
        ("Refund", "Again", "a connector or another code step is called"),
        ("Refund", "A > b", "may not hold"),
    ],
)
def test_a_code_step_rename_that_cannot_be_done(old: str, new: str, words: str) -> None:
    with pytest.raises(RenameError, match=words):
        plan_rename(ITEMS, "code", old, new)
