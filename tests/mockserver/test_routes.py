"""Routes of the mock server: connector URL templates as patterns, and inputs read back from requests."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.mockserver.routes import Pattern, Route, RouteTable, path_template
from workbench.model import Connector


def make(url: str, method: str = "GET", **request: Any) -> Connector:
    inputs = request.pop("inputs", [{"name": "id"}, {"name": "email"}, {"name": "count", "type": "integer"}])
    return Connector.model_validate(
        {"name": f"{method} {url}", "request": {"url": url, "method": method, **request}, "inputs": inputs}
    )


@pytest.mark.parametrize(
    ("url", "environment", "path", "query"),
    [
        ("{{env.base_url}}/orders/{{id}}", {"base_url": "http://127.0.0.1:8787"}, "/orders/{{id}}", []),
        ("{{env.base_url}}/orders/{{id}}", {"base_url": "https://api.example.com/v2"}, "/v2/orders/{{id}}", []),
        ("{{env.base_url}}/orders/{{id}}", {}, "/orders/{{id}}", []),
        ("https://api.example.com/orders?id={{id}}&x=1", {}, "/orders", [("id", "{{id}}"), ("x", "1")]),
        ("https://api.example.com", {}, "/", []),
        ("orders/{{id}}#frag", {}, "/orders/{{id}}", []),
    ],
)
def test_the_path_of_a_url_template(url: str, environment: dict[str, str], path: str, query: list[Any]) -> None:
    assert path_template(url, environment) == (path, query)


def test_path_values_are_percent_decoded_and_stay_in_their_segment() -> None:
    pattern = Pattern.of("/customers/{{email}}/orders/{{id}}", ["email", "id"], segment=True)
    assert pattern.values("/customers/a%40b.c/orders/7", decode=True) == {"email": "a@b.c", "id": "7"}
    assert pattern.values("/customers/a%2Fb/orders/7", decode=True) == {"email": "a/b", "id": "7"}
    assert pattern.values("/customers/a/b/orders/7", decode=True) is None
    assert pattern.values("/customers/a/orders/7/extra", decode=True) is None


def test_the_most_specific_route_wins_and_other_methods_are_named() -> None:
    table = RouteTable(
        [make("/orders/{{id}}"), make("/orders/latest"), make("/orders/{{id}}", "DELETE")], {"base_url": ""}
    )
    route, values, _ = table.find("GET", "/orders/latest")
    assert route is not None and route.path == "/orders/latest" and values == {}
    route, values, _ = table.find("GET", "/orders/42")
    assert route is not None and route.path == "/orders/{id}" and values == {"id": "42"}
    route, _, allowed = table.find("PUT", "/orders/42")
    assert route is None and sorted(allowed) == ["DELETE", "GET"]
    assert table.find("GET", "/elsewhere") == (None, {}, [])
    assert {item["path"] for item in table.listing()} == {"/orders/{id}", "/orders/latest"}


def test_inputs_from_path_query_headers_and_body_take_their_types() -> None:
    connector = make(
        "/orders/{{id}}",
        "POST",
        query={"email": "{{email}}", "fixed": "1"},
        headers={"X-Count": "n={{count}}", "Authorization": "Bearer {{secret.TOKEN}}"},
        body={"nested": {"flag": "{{flag}}"}, "label": "order {{label}}!", "list": ["{{first}}"]},
        inputs=[
            {"name": "id"},
            {"name": "email"},
            {"name": "count", "type": "integer"},
            {"name": "flag", "type": "boolean"},
            {"name": "label"},
            {"name": "first", "type": "number"},
            {"name": "missing"},
        ],
    )
    route = Route.of(connector, {})
    assert route.reads_body
    inputs = route.inputs(
        {"id": "7"},
        {"email": "a@b.c", "fixed": "2"},
        {"x-count": "n=3", "authorization": "Bearer zzz"},
        {"nested": {"flag": True}, "label": "order big!", "list": [1.5], "other": 1},
    )
    assert inputs == {"id": "7", "email": "a@b.c", "count": 3, "flag": True, "label": "big", "first": 1.5}


def test_values_that_do_not_fit_their_type_are_kept_as_sent() -> None:
    route = Route.of(make("/orders/{{count}}"), {})
    assert route.inputs({"count": "many"}, {}, {}, None) == {"count": "many"}
    assert not route.reads_body


def test_a_body_of_another_shape_gives_no_inputs() -> None:
    route = Route.of(make("/x", "POST", body={"a": {"b": "{{id}}"}}), {})
    assert route.inputs({}, {}, {}, ["not", "an", "object"]) == {}
    assert route.inputs({}, {}, {}, {"a": "flat"}) == {}
