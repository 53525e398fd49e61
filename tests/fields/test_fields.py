"""Declared response fields (types, redaction, generation), object mappings and "validate missing attributes"."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.engine.build import procedure, workspace
from workbench import fields
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.model import Connector, Expectations, FieldType
from workbench.scenarios import compare

EMAIL = "vip.customer@example.com"
BODY: dict[str, Any] = {
    "customer": {"email": EMAIL, "tier": "gold", "pin": 4711},
    "total": "12",
    "created_at": "2025-01-12T14:23:00Z",
    "items": [{"sku": EMAIL}],
}
FIELDS = [
    {"path": "customer > email", "type": "string", "redacted": True},
    {"path": "customer > pin", "type": "integer", "redacted": True},
    {"path": "customer > tier", "type": "string"},
    {"path": "total", "type": "integer"},
    {"path": "created_at", "type": "datetime"},
]


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("string", ["x", ""], [1, True, {}]),
        ("integer", [1, -5], [1.5, True, "1"]),
        ("decimal", [1, 2.5], [False, "2.5"]),
        ("boolean", [True, False], [0, "true"]),
        (
            "datetime",
            ["2025-01-12", "2025-01-12T14:23:00Z", "2025-01-12T14:23:00.5+02:00", "2025-01-12 14:23"],
            ["yesterday", "2025-13-01", "2025-01-12T25:00:00", 20250112],
        ),
    ],
)
def test_types_match_their_values(kind: FieldType, good: list[Any], bad: list[Any]) -> None:
    assert all(fields.matches(kind, value) for value in [*good, None])
    assert not any(fields.matches(kind, value) for value in bad)


def test_generate_from_the_example_keeps_what_is_declared() -> None:
    connector = Connector.model_validate(
        {
            "name": "C",
            "request": {"url": "x"},
            "response": {
                "fields": [
                    {"path": "customer > email", "type": "string", "redacted": True},
                    {"path": "gone", "type": "boolean"},
                ]
            },
        }
    )
    generated, notes = fields.generate(connector, {**BODY, "ratio": 0.5, "flag": False, "nothing": None})
    assert [(field.path, field.type, field.redacted) for field in generated] == [
        ("customer > email", "string", True),
        ("customer > tier", "string", False),
        ("customer > pin", "integer", False),
        ("total", "string", False),
        ("created_at", "datetime", False),
        ("ratio", "decimal", False),
        ("flag", "boolean", False),
        ("gone", "boolean", False),
    ]
    assert any(note.startswith("items: array") for note in notes) and any("gone" in note for note in notes)
    assert fields.generate(connector, [1, 2])[1][0].startswith("the response is not an object")


def fin_connector(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Get customer",
        "request": {"url": "{{env.base_url}}/c/{{email}}"},
        "inputs": [{"name": "email", "required": True, "source": "User > email"}],
        "response": {
            "mode": "example",
            "example": {"status": 200, "body": BODY},
            "fields": FIELDS,
            "mappings": [
                {"from": "customer > tier", "to": "User > tier"},
                {"from": "customer > email", "to": "Conversation > contact"},
                {"from": "customer > missing", "to": "User > other"},
            ],
        },
        **extra,
    }


async def run(steps: list[dict[str, Any]], attributes: dict[str, Any] | None = None, **extra: Any) -> RunResult:
    ws = workspace([fin_connector(**extra)], [procedure("P", *steps)])
    options = RunOptions(attributes=attributes if attributes is not None else {"User": {"email": "a@b.c"}})
    return await run_procedure(ws, "P", ScriptedAgent(), options)


def everything(result: RunResult) -> str:
    return b"\n".join(orjson.dumps(event.to_json()) for event in result.events).decode()


STEPS: list[dict[str, Any]] = [
    {
        "id": "look",
        "type": "instruction",
        "text": "@call(Get customer) Mail @read(Get customer > customer > email), pin @read(Get customer > customer > pin)",
    },
    {
        "id": "vip",
        "type": "condition",
        "branches": [
            {
                "when": {"attribute": "Get customer > customer > email", "op": "equals", "value": EMAIL},
                "steps": [{"id": "known", "type": "instruction", "text": "Known @read(User > tier)"}],
            }
        ],
        "else": [],
    },
]


async def test_redacted_fields_never_show_but_conditions_use_them() -> None:
    result = await run(STEPS)
    assert result.ok, result.message
    assert result.path == ["look", "vip", "known"]  # the condition saw the real value
    assert result.messages == ["Get customer Mail ***, pin ***", "Known gold"]
    text = everything(result)
    assert EMAIL not in text and "4711" not in text
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.body["customer"] == {"email": "***", "tier": "gold", "pin": "***"}
    assert result.context.temporary["Get customer"]["customer"]["email"] == EMAIL


async def test_a_type_mismatch_is_a_response_mapping_warning_naming_the_field() -> None:
    result = await run(STEPS)
    warnings = [
        event.payload.to_json()
        for event in result.events
        if event.type == "warning" and event.payload.code == "response_mapping"
    ]
    assert [(item["connector"], item["field"]) for item in warnings] == [
        ("Get customer", "total"),
        ("Get customer", "customer > missing"),
    ]
    assert "declared integer, the response has string 12" in warnings[0]["message"]


async def test_mappings_write_user_and_conversation_attributes_and_scenarios_expect_them() -> None:
    result = await run(STEPS)
    mapped = next(event for event in result.events if event.payload.to_json().get("mapped"))
    assert mapped.payload.attributes == {"User > tier": "gold", "Conversation > contact": "***"}
    assert result.context.resolve("User > tier").value == "gold"
    assert result.context.resolve("Conversation > contact").value == EMAIL
    assert compare(Expectations(attributes={"User > tier": "gold", "Conversation > contact": EMAIL}), result) == []
    wrong = compare(Expectations(attributes={"Conversation > contact": "other@example.com"}), result)
    assert wrong[0].actual == "***"


async def test_validate_missing_attributes_stops_before_the_call() -> None:
    asked = await run(STEPS[:1], attributes={}, validate_missing_attributes=False)
    assert asked.error is not None and asked.error.reason == "input"  # asked, and no answer scripted
    assert any(event.type == "input_requested" for event in asked.events)
    for email in (None, "  "):
        result = await run(STEPS[:1], attributes={"User": {"email": email}}, validate_missing_attributes=True)
        assert result.error is not None and result.error.reason == "input"
        assert "validate missing attributes" in result.error.message
        assert "User > email" in result.error.message
        assert not any(event.type in ("connector_called", "input_requested") for event in result.events)
