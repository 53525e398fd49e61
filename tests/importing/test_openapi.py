"""OpenAPI documents written for the tests: every parameter location, $ref, oneOf, arrays, cycles, drift."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from workbench.importing import ConversionError, Spec, check_drift, import_openapi, plan_import, write_plan
from workbench.store import load_workspace

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://api.shop.example.com/{v}", "variables": {"v": {"default": "v2"}}}],
    "security": [{"bearer": []}],
    "paths": {
        "/customers/{customer-id}/orders": {
            "parameters": [{"$ref": "#/components/parameters/CustomerId"}],
            "get": {
                "operationId": "listOrders",
                "summary": "List orders",
                "tags": ["orders"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": ["integer", "null"], "default": 5}},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "shipped"]}},
                    {"name": "X-Locale", "in": "header", "schema": {"type": "string"}, "description": "Language"},
                    {"name": "X-Api-Key", "in": "header", "schema": {"type": "string"}},
                    {"name": "region", "in": "cookie", "required": True, "schema": {"type": "string"}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createOrder",
                "security": [{"key": []}],
                "requestBody": {"$ref": "#/components/requestBodies/NewOrder"},
                "responses": {
                    "201": {
                        "description": "made",
                        "content": {"application/json": {"examples": {"made": {"$ref": "#/components/examples/Made"}}}},
                    }
                },
            },
            "head": {"responses": {"200": {"description": "ok"}}},
        },
        "/categories/{id}": {
            "get": {
                "operationId": "getCategory",
                "security": [],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "number"}}],
                "responses": {"200": {"$ref": "#/components/responses/Category"}},
            }
        },
    },
    "components": {
        "parameters": {
            "CustomerId": {"name": "customer-id", "in": "path", "required": True, "schema": {"type": "string"}}
        },
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "query", "name": "api_key"},
        },
        "requestBodies": {
            "NewOrder": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["sku"],
                            "properties": {
                                "sku": {"type": "string", "description": "Product"},
                                "quantity": {"type": "integer", "default": 1},
                                "gift": {"type": "boolean"},
                                "customer-id": {"type": "string"},
                                "payment": {"$ref": "#/components/schemas/Payment"},
                                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
                                "id": {"type": "integer", "readOnly": True},
                            },
                        }
                    }
                }
            }
        },
        "examples": {"Made": {"value": {"id": 9, "status": "open"}}},
        "responses": {
            "Category": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Category"}}},
            }
        },
        "schemas": {
            "Payment": {
                "oneOf": [
                    {"type": "object", "properties": {"card": {"type": "string", "example": "4242"}}},
                    {"type": "object", "properties": {"iban": {"type": "string"}}},
                ]
            },
            "Order": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "placed": {"type": "string", "format": "date-time"},
                    "payment": {"$ref": "#/components/schemas/Payment"},
                },
            },
            "Category": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "example": "Shoes"},
                    "parent": {"$ref": "#/components/schemas/Category"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}},
                },
            },
        },
    },
}


def _write(tmp_path: Path, spec: dict[str, Any], name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False) if name.endswith(".yaml") else orjson.dumps(spec).decode())
    return path


@pytest.fixture
def imported(tmp_path: Path) -> dict[str, Any]:
    result = import_openapi(Spec.load(_write(tmp_path, SPEC)))
    return {"connectors": {item.name: item for item in result.connectors}, "result": result}


def test_every_parameter_location_becomes_an_input(imported: dict[str, Any]) -> None:
    connector = imported["connectors"]["List orders"]
    request = connector.request
    assert request.url == "{{env.base_url}}/customers/{{customer_id}}/orders"
    assert imported["result"].environments == {"api.shop.example.com": {"base_url": "https://api.shop.example.com/v2"}}
    assert request.query == {"limit": "{{limit}}", "status": "{{status}}", "tags": "{{tags}}"}
    assert request.headers == {
        "X-Locale": "{{X_Locale}}",
        "X-Api-Key": "{{secret.SHOP_X_API_KEY}}",
        "Authorization": "Bearer {{secret.SHOP_BEARER}}",
        "Cookie": "region={{region}}",
    }
    inputs = {item.name: (item.type, item.required, item.default) for item in connector.inputs}
    assert inputs == {
        "customer_id": ("string", True, None),
        "limit": ("integer", False, 5),
        "status": ("string", False, None),
        "X_Locale": ("string", False, None),
        "region": ("string", True, None),
        "tags": ("string", False, None),
    }
    assert connector.input("X_Locale").description == "Language"
    assert connector.kind == "read"


def test_array_response_example_is_generated_through_refs_and_oneof(imported: dict[str, Any]) -> None:
    example = imported["connectors"]["List orders"].response.example
    assert example.status == 200
    assert example.body == [{"id": 1, "placed": "2024-01-01T12:00:00Z", "payment": {"card": "4242"}}]


def test_json_body_properties_become_inputs(imported: dict[str, Any]) -> None:
    connector = imported["connectors"]["Create order"]
    assert connector.kind == "action" and connector.request.method == "POST"
    body = connector.request.body
    assert body["sku"] == "{{sku}}" and body["quantity"] == "{{quantity}}" and body["gift"] == "{{gift}}"
    assert body["customer-id"] == "{{body_customer_id}}"  # the path parameter took the plain name
    assert body["payment"] == {"card": "4242"} and body["lines"][0]["id"] == 1
    assert "id" not in body  # read-only
    assert connector.input("sku").required and connector.input("quantity").default == 1
    assert connector.request.query["api_key"] == "{{secret.SHOP_KEY}}"
    assert "Authorization" not in connector.request.headers
    assert connector.response.example.status == 201
    assert connector.response.example.body == {"id": 9, "status": "open"}


def test_cyclic_schema_is_cut_where_it_recurs(imported: dict[str, Any]) -> None:
    connector = imported["connectors"]["Get category"]
    assert connector.request.headers == {}  # security: [] overrides the global one
    assert connector.input("id").type == "number"
    assert connector.response.example.body == {"name": "Shoes", "children": []}


def test_head_is_skipped_with_a_note_and_secrets_listed(imported: dict[str, Any]) -> None:
    result = imported["result"]
    assert any("HEAD" in note for note in result.notes)
    assert set(result.secrets.needed) == {"SHOP_X_API_KEY", "SHOP_BEARER", "SHOP_KEY"}


def test_selection_by_operation_and_tag(tmp_path: Path) -> None:
    spec = Spec.load(_write(tmp_path, SPEC, "spec.json"))
    assert [c.name for c in import_openapi(spec, operations=["getCategory"]).connectors] == ["Get category"]
    assert [c.name for c in import_openapi(spec, operations=["POST /customers/{customer-id}/orders"]).connectors] == [
        "Create order"
    ]
    assert [c.name for c in import_openapi(spec, tags=["orders"]).connectors] == ["List orders"]
    with pytest.raises(ConversionError, match="no such operationId"):
        import_openapi(spec, operations=["nope"])


def test_no_server_uses_the_environment_base_url(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    del spec["servers"]
    result = import_openapi(Spec.load(_write(tmp_path, spec)), operations=["getCategory"])
    assert result.connectors[0].request.url == "{{env.base_url}}/categories/{{id}}"
    assert any("base_url" in note for note in result.notes)


def test_refs_into_a_local_file_beside_the_spec(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(
        yaml.safe_dump({"Pet": {"type": "object", "properties": {"tag": {"$ref": "#/Tag"}}}, "Tag": {"type": "string"}})
    )
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "common.yaml#/Pet"}}}}}
                }
            }
        },
    }
    result = import_openapi(Spec.load(_write(tmp_path, spec)))
    assert result.connectors[0].name == "GET /pets"
    assert result.connectors[0].response.example.body == {"tag": "string"}


def _broken(path: str, value: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    node = spec
    *parents, last = path.split("/")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    return spec


@pytest.mark.parametrize(
    ("spec", "where", "message"),
    [
        ({"swagger": "2.0"}, "swagger", "Swagger 2.0"),
        ({"title": "x"}, "openapi", "not an OpenAPI"),
        ({"openapi": "3.0.0"}, "paths", "missing"),
        (
            _broken("components/parameters/CustomerId", {"$ref": "#/components/parameters/Nope"}),
            "paths./customers/{customer-id}/orders.parameters.0",
            "cannot be resolved: no 'Nope'",
        ),
        (
            _broken("components/schemas/Payment", {"$ref": "#/components/schemas/Payment"}),
            "schema.items.properties.payment",
            "$ref loop",
        ),
        (
            _broken("components/requestBodies/NewOrder", {"$ref": "https://example.com/x.yaml#/B"}),
            "requestBody",
            "only local files",
        ),
        (
            _broken("components/parameters/CustomerId", {"name": "x", "in": "body"}),
            "paths./customers/{customer-id}/orders.parameters.0",
            "expected path, query, header or cookie",
        ),
        (_broken("security", [{"oauth": []}]), "security", "'oauth' is not defined"),
        (
            _broken("components/schemas/Order", {"$ref": "missing.yaml#/Order"}),
            "schema",
            "not a file under the spec's folder",
        ),
    ],
)
def test_broken_specs_are_located(tmp_path: Path, spec: dict[str, Any], where: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        import_openapi(Spec.load(_write(tmp_path, spec)))
    assert where in str(caught.value) and message in caught.value.message


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("openapi: 3.0.0\npaths:\n  /x: [unclosed\n")
    with pytest.raises(ConversionError) as caught:
        Spec.load(path)
    assert caught.value.where.startswith(f"{path}:4:") and "invalid YAML" in caught.value.message


def test_drift_reports_removed_retyped_and_new_required(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "connectors").mkdir(parents=True)
    write_plan(plan_import(load_workspace(root), import_openapi(Spec.load(_write(tmp_path, SPEC)))))
    workspace = load_workspace(root)
    assert check_drift(workspace, Spec.load(_write(tmp_path, SPEC))) == ([], 3)
    changed = copy.deepcopy(SPEC)
    listed = changed["paths"]["/customers/{customer-id}/orders"]["get"]["parameters"]
    listed[:] = [item for item in listed if item["name"] != "status"]
    listed[0]["schema"] = {"type": "string"}
    listed.append({"name": "since", "in": "query", "required": True, "schema": {"type": "string"}})
    del changed["paths"]["/categories/{id}"]
    drifts, checked = check_drift(workspace, Spec.load(_write(tmp_path, changed)))
    assert checked == 3
    assert sorted((drift.connector, drift.message) for drift in drifts) == [
        ("Get category", "operation 'getCategory' is no longer in the spec"),
        ("List orders", "input 'limit': type is string in the spec, integer here"),
        ("List orders", "input 'status': the parameter is no longer in the spec"),
        ("List orders", "new required parameter 'since' (string)"),
    ]
