"""Intercom's data connector shape: export then import gives the same connector, for every connector it can hold."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.importing import ConversionError, Imported, export_intercom, import_intercom, response_fields
from workbench.importing.sources import parse_source
from workbench.jsonfile import dumps_pretty
from workbench.model import Connector, WorkspaceSettings

_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_TYPES = {
    "string": _TEXT,
    "integer": st.integers(-(10**6), 10**6),
    "number": st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: x + 0.5),
    "boolean": st.booleans(),
}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | _TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_NAME, children, max_size=3),
    max_leaves=8,
)


@st.composite
def connectors(draw: st.DrawFn) -> Connector:
    """Connectors within what Intercom's shape holds: kind follows the method, default timeout, no transform/rules."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    names = draw(st.lists(_NAME, unique=True, max_size=4))
    inputs = []
    for name in names:
        type_ = draw(st.sampled_from(sorted(_TYPES)))
        item: dict[str, Any] = {
            "name": name,
            "type": type_,
            "description": draw(_TEXT),
            "required": draw(st.booleans()),
        }
        if draw(st.booleans()):
            item["default"] = draw(_TYPES[type_].filter(lambda value: value != ""))
        if draw(st.booleans()):
            item["source"] = "User > email"
        inputs.append(item)
    query = draw(
        st.dictionaries(_NAME, _TEXT | st.sampled_from([f"{{{{{name}}}}}" for name in names] or ["x"]), max_size=3)
    )
    body = None
    if method != "GET" and draw(st.booleans()):
        body = draw(
            st.dictionaries(_NAME, _JSON | st.sampled_from([f"{{{{{name}}}}}" for name in names] or ["y"]), max_size=4)
        )
    data: dict[str, Any] = {
        "name": draw(st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,15}[a-z]", fullmatch=True)),
        "description": draw(_TEXT),
        "kind": "read" if method == "GET" else "action",
        "request": {
            "method": method,
            "url": "https://api.example.com/v1/" + "/".join(f"{{{{{name}}}}}" for name in names[:1]),
            "headers": draw(
                st.dictionaries(st.sampled_from(["Accept", "X-Trace", "Authorization"]), _TEXT, max_size=2)
            ),
            "query": query,
            "body": body,
        },
        "inputs": inputs,
    }
    if draw(st.booleans()):
        data["response"] = {
            "mode": "example",
            "example": {
                "status": 200,
                "headers": {"content-type": "application/json"},
                "body": draw(_JSON.filter(lambda v: v is not None)),
            },
        }
    holder = Imported()
    return holder.add(Connector.model_validate(data))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(connectors())
def test_export_then_import_gives_the_same_connector(connector: Connector) -> None:
    document, _ = export_intercom([connector], WorkspaceSettings())
    written = dumps_pretty(document)  # through the file's bytes, as a user would
    back = import_intercom(parse_source(written, "export.json"), "export.json").connectors
    assert [_full(item) for item in back] == [_full(connector)]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    connectors(),
    st.sampled_from(["GET", "POST"]),
    st.one_of(st.none(), _TEXT),
    st.sampled_from([10, 30.5]),
    st.sampled_from(["example", "dynamic"]),
    _TEXT,
)
def test_what_intercom_cannot_hold_comes_back_from_the_export_too(
    connector: Connector, method: str, transform: str | None, timeout: float, mode: str, notes: str
) -> None:
    """Kind against the method, a transform, a timeout, the mode, notes, rules and {{env.*}}: kept in 'workbench'."""
    data = connector.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(kind="read" if method == "POST" else "action", transform=transform, notes=notes)
    data["request"].update(timeout_s=timeout, url="{{env.base_url}}/v1/x")
    data["response"] = {**data.get("response", {}), "mode": mode, "rules": [{"response": {"status": 503}}]}
    rich = Connector.model_validate(data)
    environment = WorkspaceSettings.model_validate({"environments": {"prod": {"base_url": "https://api.example.com"}}})
    document, notes_said = export_intercom([rich], environment)
    assert document["data_connectors"][0]["url"].startswith("https://api.example.com/v1/x")
    assert any("its dynamic rules" in note for note in notes_said)
    back = import_intercom(parse_source(dumps_pretty(document), "export.json"), "export.json").connectors
    assert [_full(item) for item in back] == [_full(rich)]


def _full(connector: Connector) -> dict[str, Any]:
    return connector.model_dump(mode="json", by_alias=True)


def test_shape_matches_intercom() -> None:
    connector = Imported().add(
        Connector.model_validate(
            {
                "name": "Get order",
                "request": {
                    "method": "POST",
                    "url": "https://shop.example.com/orders/{{order_id}}",
                    "headers": {"Authorization": "Bearer {{secret.SHOP_TOKEN}}"},
                    "query": {"expand": "items"},
                    "body": {"qty": "{{qty}}", "note": "{{note}}"},
                },
                "kind": "action",
                "inputs": [
                    {"name": "order_id", "type": "string", "required": True, "source": "Conversation > id"},
                    {"name": "qty", "type": "number", "default": 1.5},
                    {"name": "note"},
                ],
                "response": {
                    "example": {
                        "body": {
                            "status": "paid",
                            "at": "2024-05-01T10:00:00Z",
                            "total": 9.5,
                            "lines": [1],
                            "token": "x",
                        }
                    }
                },
            }
        )
    )
    document, notes = export_intercom([connector], WorkspaceSettings())
    (item,) = document["data_connectors"]
    assert item["http_method"] == "post"
    assert item["url"] == "https://shop.example.com/orders/{{order_id}}?expand=items"
    assert item["headers"] == []  # a secret never goes: Intercom attaches secrets through tokens
    assert "'Get order': not sent: header 'Authorization' (it sends a secret" in notes[0]
    assert item["body"] == '{"qty":{{qty}},"note":"{{note}}"}'
    assert item["data_inputs"][0] == {
        "name": "order_id",
        "type": "string",
        "description": "",
        "required": True,
        "default_value": "",
    }
    assert item["workbench"]["request.headers"] == {"Authorization": "Bearer {{secret.SHOP_TOKEN}}"}
    assert item["data_inputs"][1]["type"] == "decimal" and item["data_inputs"][1]["default_value"] == "1.5"
    assert item["mock_response"]["status"] == "paid" and "response_fields" not in item


def test_what_the_shape_cannot_hold_is_noted() -> None:
    connector = Connector.model_validate(
        {
            "name": "Search",
            "kind": "read",
            "transform": "return response",
            "request": {"method": "POST", "url": "https://a.example.com", "timeout_s": 30},
        }
    )
    _, notes = export_intercom([connector], WorkspaceSettings())
    assert notes == [
        "'Search': stays local: its kind (Intercom's follows the method), its timeout, its transform",
    ]


def test_nested_fields_have_dotted_paths() -> None:
    assert [field["path"] for field in response_fields({"order": {"id": 1, "items": []}, "empty": {}})] == [
        "order.id",
        "order.items",
        "empty",
    ]


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        ({"foo": 1}, "in.json", "not an Intercom data connector export"),
        ({"data_connectors": []}, "in.json", "holds no data connector"),
        (
            {"data_connectors": [{"name": "A", "http_method": "head", "url": "https://a"}]},
            "data_connectors.0.http_method",
            "'head'",
        ),
        (
            {"data_connectors": [{"name": "A", "url": "https://a", "data_inputs": [{"name": "x", "type": "date"}]}]},
            "data_inputs.0.type",
            "'date'",
        ),
        (
            {"data_connectors": [{"name": "A", "url": "https://a", "body": "{oops"}]},
            "data_connectors.0.body",
            "is not JSON",
        ),
        ({"data_connectors": [{"name": "A(b)", "url": "https://a"}]}, "data_connectors.0.name", "pattern"),
        (
            {
                "data_connectors": [
                    {
                        "name": "A",
                        "url": "https://a",
                        "data_inputs": [{"name": "n", "type": "integer", "default_value": "x"}],
                    }
                ]
            },
            "default_value",
            "not a valid integer",
        ),
    ],
)
def test_bad_exports_are_located(data: Any, where: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        import_intercom(data, "in.json")
    assert where in str(caught.value) and message in caught.value.message
