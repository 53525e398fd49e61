"""Flattening responses into attributes, and which attributes are available at a step."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import tricky_text
from workbench.attributes import (
    SEPARATOR,
    Attribute,
    AttributeCatalog,
    flatten,
    flatten_values,
    resolve,
    value_type,
)
from workbench.model import Connector, Procedure, WorkspaceSettings

ORDER = {
    "order_id": "ORD-1",
    "total": {"amount": 9.5, "currency": "USD"},
    "items": [{"name": "Mouse"}],
    "customer": {"address": {"city": "Oslo"}, "tags": [], "extra": {}},
    "paid": True,
    "note": None,
}


def test_nested_objects_continue_the_path_and_arrays_are_one_attribute() -> None:
    assert flatten("Get orders", ORDER) == [
        Attribute("Get orders > order_id", "string", "ORD-1"),
        Attribute("Get orders > total > amount", "number", 9.5),
        Attribute("Get orders > total > currency", "string", "USD"),
        Attribute("Get orders > items", "array", [{"name": "Mouse"}]),
        Attribute("Get orders > customer > address > city", "string", "Oslo"),
        Attribute("Get orders > customer > tags", "array", []),
        Attribute("Get orders > customer > extra", "object", {}),
        Attribute("Get orders > paid", "boolean", True),
        Attribute("Get orders > note", "null", None),
    ]


def test_a_root_array_or_scalar_is_one_attribute_named_after_the_connector() -> None:
    assert flatten("List", [1, 2]) == [Attribute("List", "array", [1, 2])]
    assert flatten("Count", 3) == [Attribute("Count", "integer", 3)]
    assert flatten("Empty", {}) == []
    assert flatten_values("Get orders", {"a": {"b": 1}}) == {"Get orders > a > b": 1}


def test_resolve_stops_at_arrays() -> None:
    assert resolve(ORDER, "Get orders", ["total", "amount"]).value == 9.5
    entered = resolve(ORDER, "Get orders", ["items", "name"])
    assert not entered.found and entered.array_root == "Get orders > items"
    assert not resolve(ORDER, "Get orders", ["colour"]).found


_KEY = tricky_text(exclude=">", max_size=8)
_SCALAR = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | tricky_text(max_size=5)
_JSON = st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEY, inner, max_size=4), max_leaves=30
)


def _reference(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """The obvious recursive definition that :func:`flatten` must agree with."""
    if isinstance(value, dict) and value:
        return [pair for key, item in value.items() for pair in _reference(f"{prefix}{SEPARATOR}{key}", item)]
    return [(prefix, value)]


@given(st.dictionaries(_KEY, _JSON, max_size=5))
def test_every_leaf_resolves_back_to_its_value_and_arrays_are_never_entered(payload: dict[str, Any]) -> None:
    attributes = flatten("C", payload)
    assert [(attribute.path, attribute.sample) for attribute in attributes] == (
        _reference("C", payload) if payload else []
    )
    for attribute in attributes:
        segments = attribute.path.split(SEPARATOR)[1:]
        assert resolve(payload, "C", segments).value is attribute.sample
        assert attribute.type == value_type(attribute.sample)
        assert not (isinstance(attribute.sample, dict) and attribute.sample)
        for depth in range(1, len(segments)):
            assert not isinstance(resolve(payload, "C", segments[:depth]).value, list)


def _connector(name: str, body: Any) -> Connector:
    return Connector.model_validate(
        {"name": name, "request": {"url": "http://127.0.0.1/x"}, "response": {"example": {"body": body}}}
    )


def _catalog(*procedures: dict[str, Any]) -> AttributeCatalog:
    connectors = {name: _connector(name, {"status": name.lower()}) for name in ("A", "B", "C")}
    models = {data["name"]: Procedure.model_validate(data) for data in procedures}
    return AttributeCatalog(
        connectors, models, WorkspaceSettings.model_validate({"attributes": {"User": {"tier": "gold"}}})
    )


def _step(step_id: str, text: str = "") -> dict[str, Any]:
    return {"id": step_id, "type": "instruction", "text": text}


def _called(catalog: AttributeCatalog, procedure: str, step: str) -> set[str]:
    return set(catalog.flow.in_step(procedure, step).called)


def _branches(*arms: list[dict[str, Any]], otherwise: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": "cond",
        "type": "condition",
        "else": otherwise or [],
        "branches": [{"when": {"describe": f"arm {index}"}, "steps": arm} for index, arm in enumerate(arms)],
    }


def test_a_connector_called_in_one_branch_is_not_available_after_it() -> None:
    catalog = _catalog({"name": "P", "steps": [_branches([_step("a", "@call(A)"), _step("in-a")]), _step("after")]})
    assert _called(catalog, "P", "in-a") == {"A"}
    assert _called(catalog, "P", "after") == set()
    assert catalog.flow.before("P", "after").maybe_called == {"A"}
    reasons = {item.attribute.path: item.reason for item in catalog.available_at("P", "after").unavailable}
    assert reasons["A > status"] == "called on some paths to this step, not all"


def test_called_on_every_branch_or_where_the_others_end() -> None:
    everywhere = _catalog(
        {
            "name": "P",
            "steps": [_branches([_step("a", "@call(A)")], otherwise=[_step("e", "@call(A)")]), _step("after")],
        }
    )
    assert _called(everywhere, "P", "after") == {"A"}
    ended = _catalog(
        {
            "name": "P",
            "steps": [_branches([_step("a", "@call(A)")], otherwise=[{"id": "stop", "type": "end"}]), _step("after")],
        }
    )
    assert _called(ended, "P", "after") == {"A"}


def test_sub_procedures_share_the_context_both_ways() -> None:
    catalog = _catalog(
        {
            "name": "Main",
            "steps": [
                _step("first", "@call(A)"),
                {"id": "sub", "type": "subprocedure", "procedure": "Sub"},
                _step("after"),
            ],
        },
        {"name": "Sub", "steps": [_step("inside", "@read(A > status)"), _step("fetch", "@call(B)")]},
    )
    assert _called(catalog, "Sub", "inside") == {"A"}
    assert _called(catalog, "Main", "after") == {"A", "B"}


def test_a_sub_procedure_gets_only_what_every_caller_fetched() -> None:
    catalog = _catalog(
        {"name": "One", "steps": [_step("x", "@call(A)"), {"id": "s", "type": "subprocedure", "procedure": "Sub"}]},
        {
            "name": "Two",
            "steps": [
                _step("y", "@call(A)"),
                _step("z", "@call(B)"),
                {"id": "s", "type": "subprocedure", "procedure": "Sub"},
            ],
        },
        {"name": "Sub", "steps": [_step("inside")]},
    )
    assert _called(catalog, "Sub", "inside") == {"A"}
    assert catalog.flow.before("Sub", "inside").maybe_called == {"A", "B"}


def test_recursive_sub_procedures_terminate() -> None:
    catalog = _catalog(
        {
            "name": "Loop",
            "steps": [_step("a", "@call(A)"), {"id": "again", "type": "subprocedure", "procedure": "Loop"}],
        }
    )
    assert _called(catalog, "Loop", "again") == {"A"}


def test_on_error_runs_without_the_failed_connector() -> None:
    recovering = {"id": "call", "type": "instruction", "text": "@call(A)", "on_error": [_step("sorry")]}
    catalog = _catalog({"name": "P", "steps": [recovering, _step("after")]})
    assert _called(catalog, "P", "sorry") == set()
    assert _called(catalog, "P", "after") == set()
    ending = {**recovering, "on_error": [{"id": "give-up", "type": "end", "outcome": "escalated"}]}
    assert _called(_catalog({"name": "P", "steps": [ending, _step("after")]}), "P", "after") == {"A"}


def test_available_at_lists_called_builtin_and_collected_attributes() -> None:
    catalog = _catalog(
        {
            "name": "P",
            "steps": [
                {"id": "ask", "type": "collect", "attribute": "Conversation > order_id"},
                _step("a", "@call(A)"),
                _step("b", "@call(B)"),
            ],
        }
    )
    availability = catalog.available_at("P", "a")
    paths = [attribute.path for attribute in availability.available]
    assert paths[0] == "A > status"
    assert {"User > email", "User > tier", "Conversation > order_id"} <= set(paths)
    reasons = {item.attribute.path: item.reason for item in availability.unavailable}
    assert reasons == {"B > status": "called only after this step", "C > status": "not called before this step"}


def test_resolve_knows_builtin_defaults_and_collected_paths() -> None:
    catalog = _catalog({"name": "P", "steps": [{"id": "ask", "type": "collect", "attribute": "Conversation > reason"}]})
    assert catalog.resolve("User > tier")[0].value == "gold"
    assert catalog.resolve("Conversation > reason")[0].found
    assert not catalog.resolve("User > shoe_size")[0].found
    assert catalog.resolve("A > status")[0].value == "a"
    assert catalog.resolve("Nothing > x") == (resolve(None, "Nothing", ["x"]), "Nothing")
