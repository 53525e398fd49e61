"""The one error of importing and exporting: what went wrong and where, ready to print in one line."""

from __future__ import annotations

from typing import Any


class ConversionError(Exception):
    """A source that cannot be imported, or a connector that cannot be exported.

    ``where`` names the place: ``spec.yaml:12:3``, ``paths./orders.get.parameters.0`` or ``curl word 3 (-F)``.
    """

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


def as_object(value: Any, where: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else a :class:`ConversionError` at ``where``."""
    if not isinstance(value, dict):
        raise ConversionError(where, f"is not an object (found {_kind(value)})")
    return value


def as_list(value: Any, where: str) -> list[Any]:
    """``value`` if it is a JSON array, else a :class:`ConversionError` at ``where``."""
    if not isinstance(value, list):
        raise ConversionError(where, f"is not a list (found {_kind(value)})")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
