"""How much data one imported connector may expand to: a YAML alias bomb or a ``$ref`` fan-out stops here.

Aliases and ``$ref``s let a few bytes stand for a value far larger once written out; every value an importer
keeps (an example body, a generated sample, a fixed body part) is charged to a :class:`Budget`, which raises
a located :class:`ConversionError` as soon as it is spent, without ever expanding the whole value.
"""

from __future__ import annotations

from typing import Any

from workbench.importing.errors import ConversionError

MAX_NODES = 200_000
MAX_CHARS = 8 * 1024 * 1024


class Budget:
    """The values (``nodes``) and characters one connector may still take."""

    def __init__(self, nodes: int = MAX_NODES, chars: int = MAX_CHARS) -> None:
        self.nodes = nodes
        self.chars = chars

    def spend(self, where: str, nodes: int = 1, chars: int = 0) -> None:
        """Take ``nodes`` values and ``chars`` characters; raises :class:`ConversionError` at ``where`` when spent."""
        self.nodes -= nodes
        self.chars -= chars
        if self.nodes < 0 or self.chars < 0:
            raise ConversionError(
                where,
                f"expands to more than {MAX_NODES:,} values or {MAX_CHARS:,} characters "
                "(YAML aliases or $refs repeating one part many times): trim it",
            )

    def charge(self, value: Any, where: str) -> Any:
        """Charge every value inside ``value`` (repeats counted each time, as writing it out would) and return it."""
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                self.spend(where, 1 + len(item), sum(len(key) for key in item if isinstance(key, str)))
                stack.extend(item.values())
            elif isinstance(item, list):
                self.spend(where, 1)
                stack.extend(item)
            else:
                self.spend(where, 1, len(item) if isinstance(item, str) else 8)
        return value
