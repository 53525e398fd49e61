"""The file contract of tokens, declared response fields, object mappings and stale tokens, and its schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from workbench.model import Connector, OAuthClientCredentialsToken, RequestToken, Scenario, TextToken, WorkspaceSettings
from workbench.store import json_schema, load_document, serialize

TOKENS: dict[str, Any] = {
    "shop": {"type": "text", "value": "{{secret.SHOP_TOKEN}}", "header": "Authorization", "prefix": "Bearer "},
    "crm": {
        "type": "request",
        "request": {"method": "POST", "url": "{{env.base_url}}/auth", "body": {"key": "{{secret.CRM_KEY}}"}},
        "token_path": "access_token",
        "expires_in_path": "expires_in",
    },
    "billing": {
        "type": "oauth_client_credentials",
        "token_url": "{{env.base_url}}/oauth/token",
        "client_id": "{{secret.BILLING_ID}}",
        "client_secret": "{{secret.BILLING_SECRET}}",
        "scope": "read",
        "audience": None,
        "request_format": "form",
    },
}


def test_every_token_kind_loads_with_its_defaults() -> None:
    settings = WorkspaceSettings.model_validate({"tokens": TOKENS})
    shop, crm, billing = (settings.tokens[name] for name in ("shop", "crm", "billing"))
    assert isinstance(shop, TextToken) and shop.header == "Authorization"
    assert isinstance(crm, RequestToken) and crm.request.method == "POST" and crm.prefix == "Bearer "
    assert isinstance(billing, OAuthClientCredentialsToken) and billing.client_auth == "basic"


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ({"type": "magic"}, "tag"),
        ({"type": "text"}, "value"),
        ({"type": "request", "request": {"url": "x"}, "header": "Bad Header"}, "header"),
        (
            {
                "type": "oauth_client_credentials",
                "token_url": "x",
                "client_id": "a",
                "client_secret": "b",
                "request_format": "xml",
            },
            "request_format",
        ),
    ],
)
def test_bad_tokens_are_rejected(token: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError) as raised:
        WorkspaceSettings.model_validate({"tokens": {"t": token}})
    assert problem in str(raised.value)


def connector(**response: Any) -> dict[str, Any]:
    return {"name": "C", "request": {"url": "http://x"}, "auth": "crm", "response": response}


def test_fields_and_mappings_round_trip_byte_for_byte(tmp_path: Path) -> None:
    data = connector(
        fields=[{"path": "customer > email", "type": "string", "redacted": True, "description": "e-mail"}],
        mappings=[{"from": "customer > tier", "to": "User > tier"}],
    )
    data["validate_missing_attributes"] = True
    raw = serialize(Connector.model_validate(data))
    path = tmp_path / "c.json"
    path.write_bytes(raw)
    document = load_document(path, "connector")
    assert serialize(document.model) == raw
    assert document.model.response.mappings[0].from_ == "customer > tier"


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        ({"fields": [{"path": "a", "type": "float"}]}, "type"),
        ({"fields": [{"path": "a > b"}, {"path": "a>b"}]}, "declared twice"),
        ({"mappings": [{"from": "a", "to": "Company > plan"}]}, "User or Conversation"),
        ({"mappings": [{"from": "a", "to": "User"}]}, "User or Conversation"),
        ({"mappings": [{"to": "User > a"}]}, "from"),
    ],
)
def test_bad_fields_and_mappings_are_rejected(response: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Connector.model_validate(connector(**response))
    assert problem in str(raised.value)


def test_scenario_names_stale_tokens() -> None:
    assert Scenario.model_validate({"name": "s", "procedure": "p", "stale_tokens": ["crm"]}).stale_tokens == ["crm"]


def test_schemas_describe_the_new_keys() -> None:
    workspace, connector_schema = json_schema("workspace"), json_schema("connector")
    assert {"TextToken", "RequestToken", "OAuthClientCredentialsToken"} <= set(workspace["$defs"])
    assert "tokens" in workspace["properties"]
    assert {"auth", "validate_missing_attributes"} <= set(connector_schema["properties"])
    response = connector_schema["$defs"]["ResponseConfig"]["properties"]
    assert {"fields", "mappings"} <= set(response)
    field_type = connector_schema["$defs"]["ResponseField"]["properties"]["type"]
    assert set(field_type["enum"]) == {"string", "integer", "decimal", "boolean", "datetime"}
    assert "stale_tokens" in json_schema("scenario")["properties"]
