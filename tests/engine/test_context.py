"""The procedure context: inputs for code, resolving and setting attributes, stored calls."""

from __future__ import annotations

import pytest

from workbench.connectors import ConnectorResponse
from workbench.engine.context import ProcedureContext, StoredCall, call_key


def stored(body: object) -> StoredCall:
    return StoredCall(ConnectorResponse(200, {}, body, 10, 0.0, "example"), body)


def test_inputs_and_resolution() -> None:
    context = ProcedureContext({"User": {"email": "a@b"}})
    context.store("Get orders", call_key({"email": "a@b"}), stored({"status": "ok", "items": [{"q": 1}]}))
    assert context.inputs() == {
        "temporary": {"Get orders": {"status": "ok", "items": [{"q": 1}]}},
        "user": {"email": "a@b"},
        "company": {},
        "conversation": {},
    }
    assert context.resolve("Get orders >  status").value == "ok"
    assert context.resolve("Get orders > items > q").array_root == "Get orders > items"
    assert not context.resolve("Other > x").found
    assert context.values() == {"User > email": "a@b", "Get orders > status": "ok", "Get orders > items": [{"q": 1}]}


def test_setting_builtin_attributes_creates_objects() -> None:
    context = ProcedureContext()
    assert context.set("Conversation > address > city", "Oslo") == "Conversation"
    assert context.attributes["Conversation"] == {"address": {"city": "Oslo"}}
    with pytest.raises(ValueError, match="namespace"):
        context.set("User", "x")
    with pytest.raises(ValueError, match="not User"):
        context.set("Get orders > status", "x")


def test_editing_a_response_replaces_it_with_a_copy_that_reuse_sees() -> None:
    context = ProcedureContext()
    body = {"status": "ok", "items": [1]}
    key = call_key({"email": "a"})
    context.store("Get orders", key, stored(body))
    context.set("Get orders > status", "cancelled")
    assert body == {"status": "ok", "items": [1]}
    assert context.temporary["Get orders"]["status"] == "cancelled"
    assert context.recall("Get orders", key).value["status"] == "cancelled"
    with pytest.raises(ValueError, match="array"):
        context.set("Get orders > items > 0", 5)
    context.set("Get orders", [1, 2])
    assert context.temporary["Get orders"] == [1, 2]
    with pytest.raises(ValueError, match="one attribute"):
        context.set("Get orders > x", 1)


def test_call_keys_ignore_input_order() -> None:
    assert call_key({"a": 1, "b": 2}) == call_key({"b": 2, "a": 1}) != call_key({"a": 1})
