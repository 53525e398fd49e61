"""Coercing answers and comparing attributes."""

from __future__ import annotations

import pytest

from workbench.attributes import Resolution
from workbench.engine.values import coerce, compare, display


@pytest.mark.parametrize(
    ("value", "value_type", "expected"),
    [
        (" ada ", "string", "ada"),
        (42, "string", "42"),
        (True, "string", "true"),
        ("7", "integer", 7),
        (7.0, "integer", 7),
        ("2.5", "number", 2.5),
        ("3", "number", 3),
        (4, "number", 4),
        ("Yes", "boolean", True),
        ("n", "boolean", False),
        (0, "boolean", False),
        (True, "boolean", True),
    ],
)
def test_coerce_accepts(value: object, value_type: str, expected: object) -> None:
    assert coerce(value, value_type) == expected


@pytest.mark.parametrize(
    ("value", "value_type"),
    [
        ("", "string"),
        ("  ", "string"),
        (None, "string"),
        ([1], "string"),
        ("7.5", "integer"),
        (True, "integer"),
        ("nan", "number"),
        ("inf", "number"),
        ("abc", "number"),
        ("maybe", "boolean"),
        (2, "boolean"),
    ],
)
def test_coerce_rejects_with_a_reason(value: object, value_type: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        coerce(value, value_type)


def found(value: object) -> Resolution:
    return Resolution(value=value)


def test_compare_operators() -> None:
    assert compare(found("cancelled"), "equals", "cancelled") == (True, None)
    assert compare(found(5), "equals", "5")[0] and not compare(found(True), "equals", 1)[0]
    assert compare(found(True), "equals", "true")[0]
    assert compare(found("a"), "not_equals", "b")[0]
    assert compare(found([1, 2]), "contains", "2")[0] and compare(found("processing"), "contains", "cess")[0]
    assert compare(found({"k": 1}), "contains", "k")[0]
    assert compare(found("10"), "greater_than", 9)[0] and compare(found(3), "less_than", 3.5)[0]
    assert compare(found("2025-02-01"), "greater_than", "2025-01-31")[0]
    result, warning = compare(found({"a": 1}), "greater_than", 3)
    assert not result and warning and "cannot compare" in warning
    assert compare(found(None), "is_set", None) == (False, None)
    assert compare(Resolution(), "is_not_set", None) == (True, None)
    result, warning = compare(Resolution(), "equals", "x")
    assert not result and warning == "cannot test equals: it is not set"
    assert compare(Resolution(array_root="A > items"), "not_equals", "x")[0]


def test_display_is_text_or_compact_json() -> None:
    assert display("a b") == "a b" and display({"a": [1, None]}) == '{"a":[1,null]}' and display(False) == "false"
