"""Declared fields, mappings and tokens in the attribute catalog (the ``@`` menu), the flow analysis and lint."""

from __future__ import annotations

from typing import Any

from tests.conftest import LINT_EXAMPLES
from workbench.attributes import AttributeCatalog
from workbench.lint import lint_models, lint_workspace
from workbench.model import Connector, Procedure, WorkspaceSettings
from workbench.store import load_workspace

BODY = {"customer": {"email": "a@b.c", "tier": "gold"}, "total": 12, "items": [{"sku": "x"}]}


def catalog_parts(
    fields: list[dict[str, Any]] | None = None,
    mappings: list[dict[str, Any]] | None = None,
    steps: list[Any] | None = None,
) -> tuple[dict[str, Connector], dict[str, Procedure], WorkspaceSettings]:
    connector = Connector.model_validate(
        {
            "name": "Get customer",
            "request": {"url": "x"},
            "response": {"example": {"body": BODY}, "fields": fields or [], "mappings": mappings or []},
        }
    )
    procedure = Procedure.model_validate(
        {
            "name": "P",
            "steps": steps
            or [
                {"id": "before", "type": "instruction", "text": "Tier @read(User > tier)"},
                {"id": "call", "type": "instruction", "text": "@call(Get customer)"},
                {"id": "after", "type": "instruction", "text": "Tier @read(User > tier)"},
            ],
        }
    )
    settings = WorkspaceSettings.model_validate({"attributes": {"User": {"tier": None}}})
    return {"Get customer": connector}, {"P": procedure}, settings


def test_declared_types_and_redaction_drive_the_catalog() -> None:
    connectors, procedures, settings = catalog_parts(
        fields=[
            {"path": "total", "type": "decimal"},
            {"path": "customer > email", "type": "string", "redacted": True},
            {"path": "customer > since", "type": "datetime"},
        ]
    )
    attributes = {
        a.path: a for a in AttributeCatalog(connectors, procedures, settings).connector_attributes("Get customer")
    }
    assert attributes["Get customer > total"].type == "decimal"
    assert attributes["Get customer > customer > email"].sample == "***"
    assert attributes["Get customer > customer > since"].type == "datetime"
    assert attributes["Get customer > customer > tier"].type == "string"


def test_mapped_attributes_exist_after_the_call_only() -> None:
    connectors, procedures, settings = catalog_parts(mappings=[{"from": "customer > tier", "to": "User > tier"}])
    catalog = AttributeCatalog(connectors, procedures, settings)
    before = catalog.available_at("P", "before")
    after = catalog.available_at("P", "after")
    assert "User > tier" not in {a.path for a in before.available}
    assert any(u.attribute.path == "User > tier" and "Get customer's mapping" in u.reason for u in before.unavailable)
    tier = next(a for a in after.available if a.path == "User > tier")
    assert (tier.type, tier.sample) == ("string", "gold")
    findings = lint_models(connectors, procedures, settings)
    assert [(f.rule, f.step) for f in findings] == [("attribute-before-call", "before")]
    assert "which Get customer's mapping sets" in findings[0].message


def test_a_default_value_makes_a_mapped_attribute_always_available() -> None:
    connectors, procedures, _ = catalog_parts(mappings=[{"from": "customer > tier", "to": "User > tier"}])
    settings = WorkspaceSettings.model_validate({"attributes": {"User": {"tier": "bronze"}}})
    assert lint_models(connectors, procedures, settings) == []


def test_bad_mappings_and_fields_are_linted() -> None:
    connectors, procedures, settings = catalog_parts(
        fields=[{"path": "total", "type": "string"}, {"path": "items > sku", "type": "string"}],
        mappings=[{"from": "customer > nope", "to": "User > tier"}, {"from": "items > sku", "to": "Conversation > x"}],
        steps=[
            {"id": "s", "type": "instruction", "text": "@call(Get customer)"},
            {
                "id": "c",
                "type": "condition",
                "branches": [
                    {"when": {"attribute": "Get customer > total", "op": "greater_than", "value": 3}, "steps": []},
                    {
                        "when": {"attribute": "Get customer > customer > tier", "op": "contains", "value": "o"},
                        "steps": [],
                    },
                ],
            },
        ],
    )
    found = sorted((f.rule, f.field or "", f.message) for f in lint_models(connectors, procedures, settings))
    rules = [(rule, field) for rule, field, _ in found]
    assert rules == [
        ("object-mapping", "response.mappings.0.from"),
        ("object-mapping", "response.mappings.1.from"),
        ("object-mapping", "response.mappings.1.to"),
        ("response-field", "branches.0.when.op"),
        ("response-field", "response.fields.0.type"),
        ("response-field", "response.fields.1.path"),
    ]
    messages = " | ".join(message for _, _, message in found)
    assert "inside the array 'Get customer > items'" in messages
    assert "greater_than compares order, but 'Get customer > total' is declared string" in messages
    assert "declared string but the example has integer 12" in messages


def test_lint_examples_show_the_new_rules_once() -> None:
    findings = {f.rule: f for f in lint_workspace(load_workspace(LINT_EXAMPLES))}
    assert findings["unknown-token"].field == "auth" and findings["unknown-token"].severity == "error"
    assert findings["response-field"].field == "response.fields.2.path"
    assert findings["object-mapping"].field == "response.mappings.0.to"
