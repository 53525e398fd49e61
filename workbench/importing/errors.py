"""The one error of importing and exporting: what went wrong and where, ready to print in one line."""

from __future__ import annotations


class ConversionError(Exception):
    """A source that cannot be imported, or a connector that cannot be exported.

    ``where`` names the place: ``spec.yaml:12:3``, ``paths./orders.get.parameters.0`` or ``curl word 3 (-F)``.
    """

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message
