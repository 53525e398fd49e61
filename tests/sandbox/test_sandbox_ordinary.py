"""Ordinary code conditions and transforms over realistic inputs."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.sandbox import (
    SandboxLimits,
    SandboxRuntimeError,
    check_expression,
    check_transform,
    evaluate,
    transform,
)

ITEMS = 'inputs["temporary"]["Get orders"]["items"]'

CONDITIONS = [
    # The example of the specification, and its parts.
    (f'len({ITEMS}) >= 4 and {ITEMS}[3]["quantity"] > 3', True),
    (f"len({ITEMS}) >= 5", False),
    (f'{ITEMS}[0]["name"]', "Wireless Mouse"),
    (f'{ITEMS}[-1]["product_id"]', "PROD-404"),
    (f"{ITEMS}[1:3][0]['quantity']", 1),
    ('inputs["temporary"]["Get orders"]["status"] == "processing"', True),
    ('inputs["temporary"]["Get orders"]["status"] in ("shipped", "delivered")', False),
    # Builtins over the array.
    (f'any(item["unit_price"] > 30 for item in {ITEMS})', True),
    (f'all(item["quantity"] >= 1 for item in {ITEMS})', True),
    (f'sum(item["quantity"] for item in {ITEMS})', 8),
    (f'round(sum(i["quantity"] * i["unit_price"] for i in {ITEMS}), 2)', 149.98),
    (f'max({ITEMS}, key=lambda item: item["unit_price"])["name"]', "Laptop Stand"),
    (f'min(item["unit_price"] for item in {ITEMS})', 12.0),
    (f'sorted(item["name"] for item in {ITEMS})[0]', "Desk Mat"),
    (f'sorted({ITEMS}, key=lambda i: i["quantity"], reverse=True)[0]["name"]', "Desk Mat"),
    (f'[i["product_id"] for i in {ITEMS} if i["quantity"] > 1]', ["PROD-310", "PROD-404"]),
    (f'{{i["product_id"]: i["quantity"] for i in {ITEMS}}}["PROD-310"]', 2),
    (f'"PROD-200" in [i["product_id"] for i in {ITEMS}]', True),
    (f'[n for n, item in enumerate({ITEMS}) if item["quantity"] == 1]', [0, 1]),
    (f'list(zip([1, 2], [i["name"] for i in {ITEMS}]))', [[1, "Wireless Mouse"], [2, "Laptop Stand"]]),
    (f"isinstance({ITEMS}, list) and not isinstance({ITEMS}, (dict, str))", True),
    (f"len(set(i['quantity'] for i in {ITEMS}))", 3),
    (f"sorted(set(i['quantity'] for i in {ITEMS}))", [1, 2, 4]),
    # Other namespaces, dict methods, strings.
    ('inputs["user"].get("plan", "free") == "pro"', True),
    ('inputs["user"].get("missing") is None', True),
    ('inputs["company"].get("seats", 0) > 10', True),
    ('inputs["user"]["email"].lower().endswith("@example.com")', True),
    ('inputs["user"]["email"].split("@")[1]', "Example.com"),
    ('"refund" in inputs["conversation"]["tags"]', True),
    ('[key for key, value in inputs["company"].items() if value]', ["name", "seats"]),
    ('sorted(inputs["user"].keys())', ["email", "name", "plan", "tags"]),
    (f'f\'{{inputs["user"]["name"]}} ordered {{len({ITEMS})}} items\'', "Ada ordered 4 items"),
    ('"%s/%d" % (inputs["user"]["name"], inputs["company"]["seats"])', "Ada/12"),
    # Conversions, arithmetic, other expression forms.
    ('int("42") + 1', 43),
    ('float("1.5") * 2', 3.0),
    ("str(12) + abs(-3) * 'x'", "12xxx"),
    ("bool([]) or bool(0)", False),
    ("tuple([1, 2])", [1, 2]),
    ("dict(a=1, b=2)", {"a": 1, "b": 2}),
    ("dict([('a', 1)])", {"a": 1}),
    ("list(range(2, 8, 3))", [2, 5]),
    ("2 ** 70", 2**70),
    ("7 // 2 + 7 % 2", 4),
    (f"(count := len({ITEMS})) > 2 and count", 4),
    (f'"many" if len({ITEMS}) > 3 else "few"', "many"),
    ("[*range(3), *[9]]", [0, 1, 2, 9]),
    ("{**inputs['company'], 'seats': 1}", {"name": "Acme", "seats": 1}),
    ("None", None),
]


@pytest.mark.parametrize(("expression", "expected"), CONDITIONS)
def test_conditions(expression: str, expected: Any, inputs: dict[str, Any]) -> None:
    assert check_expression(expression) == []
    assert evaluate(expression, inputs) == expected


def test_the_done_when_example() -> None:
    inputs = {"temporary": {"Get orders": {"items": [{"quantity": 1}] * 4}}}
    assert evaluate('len(inputs["temporary"]["Get orders"]["items"]) >= 4', inputs) is True


def test_a_condition_may_span_lines_inside_brackets(inputs: dict[str, Any]) -> None:
    expression = f'(\n    len({ITEMS}) >= 4\n    and {ITEMS}[3]["quantity"] > 3\n)'
    assert evaluate(expression, inputs) is True


TRANSFORMS = [
    ('return {"status": response["status"], "count": len(response["items"])}',
     {"status": "processing", "count": 4}),
    ("total = 0\nfor item in response['items']:\n    total += item['quantity'] * item['unit_price']\n"
     "return round(total, 2)", 149.98),
    ("names = []\nfor item in response['items']:\n    if item['quantity'] > 1:\n        names.append(item['name'])\n"
     "return names", ["USB-C Hub", "Desk Mat"]),
    ("def price(item):\n    return item['unit_price']\n\n"
     "return [i['product_id'] for i in sorted(response['items'], key=price)]",
     ["PROD-404", "PROD-310", "PROD-200", "PROD-122"]),
    ("first, *rest = response['items']\nreturn {'first': first['name'], 'others': len(rest)}",
     {"first": "Wireless Mouse", "others": 3}),
    ("for n, (a, b) in enumerate([(1, 2)]):\n    pass\nreturn [n, a, b]", [0, 1, 2]),
    ("try:\n    return response['coupon']\nexcept KeyError:\n    return None", None),
    ("return {'ok': status == 200, 'type': headers.get('content-type'), 'etag': headers.get('etag', '')}",
     {"ok": True, "type": "application/json", "etag": ""}),
    ("items = response['items']\nitems.sort(key=lambda i: -i['quantity'])\nreturn items[0]['name']", "Desk Mat"),
    ("x = 1\nwhile x < 100:\n    x *= 3\nreturn x", 243),
    ("summary = {}\nfor item in response['items']:\n    summary[item['product_id']] = item['quantity']\n"
     "del summary['PROD-200']\nreturn summary", {"PROD-122": 1, "PROD-310": 2, "PROD-404": 4}),
    ("if status != 200:\n    raise ValueError(f'unexpected status {status}')\nreturn True", True),
    ("response['items'] = response['items'][:1]\nreturn response['items']",
     [{"product_id": "PROD-200", "name": "Wireless Mouse", "quantity": 1, "unit_price": 24.99}]),
    ("pass", None),
]  # fmt: skip


@pytest.mark.parametrize(("code", "expected"), TRANSFORMS)
def test_transforms(code: str, expected: Any, order: dict[str, Any]) -> None:
    assert check_transform(code) == []
    assert transform(code, order, 200, {"content-type": "application/json"}) == expected


def test_a_transform_error_names_the_line_of_the_body(order: dict[str, Any]) -> None:
    code = "items = response['items']\n\nfirst = items[0]\nreturn first['coupon']"
    with pytest.raises(SandboxRuntimeError) as raised:
        transform(code, order, 200, {})
    assert (raised.value.line, raised.value.column) == (4, 8)
    assert str(raised.value) == "line 4, column 8: KeyError: 'coupon'"


def test_columns_count_characters_not_bytes() -> None:
    with pytest.raises(SandboxRuntimeError) as raised:
        evaluate('"é" + inputs["nope"]', {})
    assert (raised.value.line, raised.value.column) == (1, 7)
    (problem,) = check_expression('"é" + inputs.format()')
    assert (problem.line, problem.column) == (1, 14)


def test_default_limits_are_those_of_the_spec() -> None:
    assert SandboxLimits() == SandboxLimits(timeout_s=1.0, memory_mb=256, max_result_bytes=10 * 1024 * 1024)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout_s": 0}, ValueError),
        ({"timeout_s": "1"}, TypeError),
        ({"memory_mb": -1}, ValueError),
        ({"memory_mb": 1.5}, TypeError),
        ({"max_result_bytes": True}, TypeError),
    ],
)
def test_limits_are_validated(kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        SandboxLimits(**kwargs)


def test_inputs_must_be_json_data() -> None:
    with pytest.raises(TypeError, match="JSON-serializable"):
        evaluate("1", {"when": object()})


def test_check_returns_every_problem_in_source_order() -> None:
    problems = check_transform("import os\nx = y.__dict__\nreturn open(x)")
    assert [(type(p).__name__, p.line, p.column) for p in problems] == [
        ("SandboxPolicyError", 1, 1),
        ("SandboxCompileError", 2, 5),
        ("SandboxPolicyError", 2, 7),
        ("SandboxPolicyError", 3, 8),
    ]
    problems.clear()
    assert len(check_transform("import os\nx = y.__dict__\nreturn open(x)")) == 4
