"""Postman collections and HAR captures: every request a connector, saved or captured responses as examples."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from workbench.importing import ConversionError, import_har, import_postman
from workbench.store import serialize

COLLECTION: dict[str, Any] = {
    "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "variable": [{"key": "baseUrl", "value": "https://api.shop.example.com"}, {"key": "apiToken", "value": "tok-777"}],
    "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{apiToken}}"}]},
    "item": [
        {
            "name": "Orders",
            "item": [
                {
                    "name": "Get order",
                    "request": {
                        "method": "GET",
                        "url": {
                            "raw": "{{baseUrl}}/orders/:orderId?expand=items&region={{region}}",
                            "variable": [{"key": "orderId", "value": "1", "description": "The order"}],
                        },
                        "header": [
                            {"key": "Accept", "value": "application/json"},
                            {"key": "X-Off", "value": "1", "disabled": True},
                        ],
                    },
                    "response": [{"name": "ok", "code": 200, "body": '{"id": 1, "status": "paid"}'}],
                },
                {
                    "name": "Refund",
                    "request": {
                        "method": "POST",
                        "auth": {
                            "type": "apikey",
                            "apikey": [{"key": "key", "value": "X-Shop-Key"}, {"key": "value", "value": "k-1"}],
                        },
                        "url": "{{baseUrl}}/refunds",
                        "body": {"mode": "raw", "raw": '{"amount": {{amount}}, "reason": "{{reason}}"}'},
                    },
                },
            ],
        },
        {
            "name": "Upload",
            "request": {"method": "POST", "url": "{{baseUrl}}/files", "body": {"mode": "formdata", "formdata": []}},
        },
        {"name": "Get order", "request": "https://api.shop.example.com/legacy"},
    ],
}


def test_collection_requests_become_connectors() -> None:
    imported = import_postman(COLLECTION, "shop.json")
    by_name = {item.name: item for item in imported.connectors}
    assert list(by_name) == ["Get order", "Refund", "Upload", "Get order 2"]
    order = by_name["Get order"]
    assert order.request.url == "https://api.shop.example.com/orders/{{orderId}}"
    assert order.request.query == {"expand": "items", "region": "{{env.region}}"}
    assert order.request.headers == {"Accept": "application/json", "Authorization": "Bearer {{secret.SHOP_TOKEN}}"}
    assert [(item.name, item.required, item.description) for item in order.inputs] == [("orderId", True, "The order")]
    assert order.response.example.body == {"id": 1, "status": "paid"}
    refund = by_name["Refund"]
    assert refund.request.headers == {"X-Shop-Key": "{{secret.X_SHOP_KEY}}"}
    assert refund.request.body == {"amount": "{{env.amount}}", "reason": "{{env.reason}}"}
    assert by_name["Upload"].request.body is None
    assert any("formdata" in note for note in imported.notes) and any("twice" in note for note in imported.notes)
    assert "tok-777" not in "".join(serialize(item).decode() for item in imported.connectors)


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        ({"item": []}, "shop.json", "not a Postman collection"),
        (
            {"info": {"schema": "https://example.com/other.json"}, "item": []},
            "info.schema",
            "not a Postman collection schema",
        ),
        ({"info": {}, "item": [1]}, "item.0", "not an object"),
        (
            {"info": {}, "item": [{"name": "x", "request": {"url": {"host": ["a"]}}}]},
            "item.0.request.url",
            "no raw URL",
        ),
        (
            {
                "info": {},
                "item": [
                    {
                        "name": "x",
                        "request": {
                            "url": "https://a.example.com",
                            "method": "POST",
                            "body": {"mode": "raw", "raw": "a=1"},
                        },
                    }
                ],
            },
            "item.0.request.body",
            "not JSON",
        ),
        ({"info": {}, "item": []}, "shop.json", "holds no request"),
    ],
)
def test_bad_collections_are_located(data: Any, where: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        import_postman(data, "shop.json")
    assert where in str(caught.value) and message in caught.value.message


def _entry(
    method: str, url: str, body: Any = None, *, mime: str = "application/json", encoding: str | None = None
) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    content: dict[str, Any] = {"mimeType": mime, "text": text}
    if encoding:
        content["encoding"] = encoding
    return {
        "request": {
            "method": method,
            "url": url,
            "headers": [
                {"name": ":authority", "value": "api.shop.example.com"},
                {"name": "authorization", "value": "Bearer live-secret"},
                {"name": "user-agent", "value": "Mozilla"},
                {"name": "x-client", "value": "web"},
            ],
        },
        "response": {"status": 200, "content": content},
    }


def test_har_json_calls_become_connectors_with_real_examples() -> None:
    har = {
        "log": {
            "entries": [
                _entry("GET", "https://api.shop.example.com/orders?page=1", {"orders": [{"id": 1}]}),
                _entry("GET", "https://api.shop.example.com/orders?page=2", {"orders": []}),
                _entry("GET", "https://api.shop.example.com/logo.png", "x", mime="image/png"),
                _entry(
                    "GET",
                    "https://api.shop.example.com/me",
                    base64.b64encode(b'{"name": "Ada"}').decode(),
                    encoding="base64",
                ),
            ]
        }
    }
    imported = import_har(har, "cap.har")
    assert [item.name for item in imported.connectors] == ["GET /orders", "GET /me"]
    orders, me = imported.connectors
    assert orders.request.headers == {"authorization": "Bearer {{secret.SHOP_TOKEN}}", "x-client": "web"}
    assert orders.request.query == {"page": "1"} and orders.response.example.body == {"orders": [{"id": 1}]}
    assert me.response.example.body == {"name": "Ada"}
    assert imported.notes == ["1 entry without a JSON response skipped"]
    assert "live-secret" not in serialize(orders).decode()


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        (_entry("GET", "https://a.example.com/x", "{nope"), "log.entries.0.response.content.text", "is not JSON"),
        (
            _entry("GET", "https://a.example.com/x", "!!!", encoding="base64"),
            "log.entries.0.response.content.text",
            "base64",
        ),
        (
            _entry("GET", "https://a.example.com/x", base64.b64encode(b"<html>").decode(), encoding="base64"),
            "content.text",
            "is not JSON",
        ),
        (_entry("OPTIONS", "https://a.example.com/x", {}), "log.entries.0", "method OPTIONS is not supported"),
        ({"request": "x"}, "log.entries.0", "not a HAR entry"),
    ],
)
def test_bad_har_entries_are_located(entry: Any, where: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        import_har({"log": {"entries": [entry]}}, "cap.har")
    assert where in str(caught.value) and message in caught.value.message


def test_har_without_json_calls_or_entries() -> None:
    with pytest.raises(ConversionError, match=r"no log\.entries"):
        import_har({"log": {}}, "cap.har")
    with pytest.raises(ConversionError, match="no call that answered JSON"):
        import_har({"log": {"entries": [_entry("GET", "https://a.example.com/", "<p>", mime="text/html")]}}, "cap.har")
