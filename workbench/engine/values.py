"""Values at run time: coercing answers to an input type, comparing attributes, showing values in text."""

from __future__ import annotations

import math
from typing import Any

from workbench import jsoncodec
from workbench.attributes import Resolution

_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})


def display(value: Any) -> str:
    """A value as it reads in a message: strings as they are, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return jsoncodec.dumps(value).decode()


def json_safe(value: Any) -> Any:
    """``value`` if it is JSON data, else its text (answers come from agents, which may return anything)."""
    try:
        jsoncodec.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def coerce(value: Any, value_type: str) -> Any:
    """``value`` converted to ``value_type`` (string, number, integer, boolean); raises ``ValueError`` saying why not."""
    if value is None or isinstance(value, (dict, list)):
        raise ValueError(f"expected a {value_type}, got {display(value)}")
    if value_type == "boolean":
        return _boolean(value)
    if value_type == "integer":
        return _integer(value)
    if value_type == "number":
        return _number(value)
    text = display(value).strip()
    if not text:
        raise ValueError("an answer is required")
    return text


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"expected yes or no, got {display(value)!r}")


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a whole number, got {display(value)!r}")


def _number(value: Any) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
    raise ValueError(f"expected a number, got {display(value)!r}")


def loosely_equal(actual: Any, expected: Any) -> bool:
    """Equality that forgives JSON spelling: ``5 == "5"``, ``True == "true"``, ``1 == 1.0`` (but not ``True == 1``)."""
    if isinstance(actual, bool) == isinstance(expected, bool) and actual == expected:
        return True
    return not isinstance(actual, (dict, list)) and display(actual) == display(expected)


def unresolved(resolution: Resolution, otherwise: str) -> str:
    """Why a path has no value: the array it tried to enter, else ``otherwise``."""
    if resolution.array_root:
        return f"{resolution.array_root} is an array: only its root is an attribute"
    return otherwise


def _as_number(value: Any) -> float | None:
    try:
        return float(_number(value))
    except ValueError:
        return None


def compare(resolution: Resolution, op: str, expected: Any) -> tuple[bool, str | None]:
    """The result of an attribute test, and a warning when it could not be judged properly."""
    is_set = resolution.found and resolution.value is not None
    if op == "is_set":
        return is_set, None
    if op == "is_not_set":
        return not is_set, None
    if not is_set:
        return op == "not_equals", f"cannot test {op}: {unresolved(resolution, 'it is not set')}"
    actual = resolution.value
    if op == "equals":
        return loosely_equal(actual, expected), None
    if op == "not_equals":
        return not loosely_equal(actual, expected), None
    if op == "contains":
        if isinstance(actual, list):
            return any(loosely_equal(item, expected) for item in actual), None
        if isinstance(actual, dict):
            return display(expected) in actual, None
        return display(expected) in display(actual), None
    left, right = _as_number(actual), _as_number(expected)
    if left is None or right is None:
        if not (isinstance(actual, str) and isinstance(expected, str)):
            return False, f"cannot compare {display(actual)} with {display(expected)}"
        left, right = actual, expected  # type: ignore[assignment]
    return (left > right if op == "greater_than" else left < right), None  # type: ignore[operator]
