"""Declared response fields: their types checked against responses, values of ``redacted`` ones masked, and
fields generated from an example.

A field's ``path`` is an attribute path below its connector (``customer > email``), over what the procedure
sees (the response after the transform). A ``datetime`` is an ISO 8601 string; a ``decimal`` any JSON number;
``null`` matches every type (a field may be empty).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from workbench.attributes import SEPARATOR, flatten
from workbench.connectors.secrets import MASK
from workbench.mentions import join_path, split_path
from workbench.model import Connector, FieldType, ResponseField

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
MIN_MASKED_CHARS = 4
"""Redacted text values at least this long are also masked wherever they reappear (messages, inputs, errors);
shorter ones (and numbers, booleans) are masked where their path is known."""


def is_datetime(value: Any) -> bool:
    """Whether ``value`` is an ISO 8601 date or date-time string."""
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return False
    text = value.strip().replace("Z", "+00:00")
    try:
        (datetime if len(text) > 10 else date).fromisoformat(text)
    except ValueError:
        return False
    return True


def matches(kind: FieldType, value: Any) -> bool:
    """Whether a value fits a declared type (``None`` fits every type)."""
    if value is None:
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "decimal":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return is_datetime(value)


def infer(value: Any) -> FieldType | None:
    """The declared type a sample value suggests (``None`` for arrays, objects and nulls, which are not fields)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "decimal"
    if isinstance(value, str):
        return "datetime" if is_datetime(value) else "string"
    return None


def segments(path: str) -> tuple[str, ...]:
    """A field path's segments (``"a >b"`` -> ``("a", "b")``)."""
    return split_path(path)


def lookup(payload: Any, path: str) -> tuple[bool, Any]:
    """``(found, value)`` of a field in a payload (arrays are never entered)."""
    current = payload
    for segment in segments(path):
        if not isinstance(current, dict) or segment not in current:
            return False, None
        current = current[segment]
    return True, current


def mismatches(connector: Connector, payload: Any) -> Iterator[tuple[ResponseField, Any]]:
    """The declared fields whose value in ``payload`` does not fit their type, with that value."""
    for field in connector.response.fields:
        found, value = lookup(payload, field.path)
        if found and not matches(field.type, value):
            yield field, value


def redacted_paths(connector: Connector) -> list[str]:
    """The full attribute paths (``Get orders > customer > email``) of the connector's redacted fields."""
    return [join_path([connector.name, *segments(field.path)]) for field in connector.response.fields if field.redacted]


def redact(connector: Connector, payload: Any) -> Any:
    """A copy of ``payload`` with the values of redacted fields as ``***`` (``payload`` itself when none is there)."""
    result = payload
    for field in connector.response.fields:
        if field.redacted and lookup(payload, field.path)[0]:
            result = _replaced(result, list(segments(field.path)))
    return result


def _replaced(data: Any, path: list[str]) -> Any:
    copy = dict(data)
    head = path[0]
    copy[head] = MASK if len(path) == 1 else _replaced(copy[head], path[1:])
    return copy


def redacted_texts(connector: Connector, payload: Any) -> list[str]:
    """The text values of redacted fields long enough to be masked wherever they reappear."""
    texts: list[str] = []
    for field in connector.response.fields:
        if field.redacted:
            found, value = lookup(payload, field.path)
            if found:
                texts.extend(_texts(value))
    return [text for text in texts if len(text) >= MIN_MASKED_CHARS]


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def generate(connector: Connector, payload: Any) -> tuple[list[ResponseField], list[str]]:
    """Fields for every scalar attribute of ``payload`` (kept as declared when they already are), and notes on the
    attributes that cannot be fields (arrays, objects, nulls) and on declared fields the payload lacks."""
    declared = {join_path(segments(field.path)): field for field in connector.response.fields}
    fields: list[ResponseField] = []
    notes: list[str] = []
    for attribute in flatten(connector.name, payload):
        if attribute.path == connector.name:
            notes.append("the response is not an object: it has no fields to declare")
            break
        path = attribute.path.split(SEPARATOR, 1)[1]
        if not _nameable(payload, path, attribute.sample):
            notes.append(
                f"{path!r}: a key that an attribute path cannot name (empty, holding '>' or spaces at its ends)"
            )
            continue
        if path in declared:
            fields.append(declared.pop(path))
            continue
        kind = infer(attribute.sample)
        if kind is None:
            notes.append(f"{path}: {attribute.type}, not declared (fields are strings, numbers, booleans, dates)")
            continue
        fields.append(ResponseField(path=path, type=kind))
    for path, field in declared.items():
        notes.append(f"{path}: declared but not in the example; kept")
        fields.append(field)
    return fields, notes


def _nameable(payload: Any, path: str, sample: Any) -> bool:
    """Whether the attribute path ``path`` names exactly the value ``sample`` of ``payload`` (keys such as ``""``
    or ``"a > b"`` make paths that name nothing, or something else)."""
    found, value = lookup(payload, path)
    return found and value is sample and all(segments(path))
