"""Response fields derived from an example body, typed the way Intercom declares them."""

from __future__ import annotations

import re
from typing import Any

from workbench.attributes import value_type
from workbench.importing.credentials import is_secret_query

_INTERCOM_TYPES = {"string": "string", "integer": "integer", "number": "decimal", "boolean": "boolean"}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def field_type(value: Any) -> str:
    """Intercom's type of a value: string, integer, decimal, datetime, boolean or unknown."""
    kind = value_type(value)
    if kind == "string" and _DATETIME.match(value):
        return "datetime"
    return _INTERCOM_TYPES.get(kind, "unknown")


def response_fields(body: Any) -> list[dict[str, Any]]:
    """One field per leaf of the example's objects (dotted paths); an array is one field at its root.

    Fields whose key names a credential (token, secret, password…) are marked ``redacted``.
    """
    fields: list[dict[str, Any]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
            return
        if not prefix:
            return
        leaf = prefix.rsplit(".", 1)[-1]
        scalar = not isinstance(value, (dict, list))
        fields.append(
            {
                "path": prefix,
                "type": field_type(value),
                "example_value": value if scalar else None,
                "redacted": is_secret_query(leaf),
            }
        )

    walk("", body)
    return fields
