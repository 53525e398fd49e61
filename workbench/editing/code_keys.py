"""Completion of ``inputs["temporary"]["Connector"]["key"]`` subscripts inside code conditions and code steps
(a code step's outputs are under ``inputs["temporary"]["Its name"]``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from workbench.attributes import AttributeCatalog, value_type
from workbench.editing.completion import Candidate, preview
from workbench.model import BUILTIN_NAMESPACES

# ``inputs`` then complete subscripts, then an open string subscript being typed (at the end of the text).
_OPEN_SUBSCRIPT = re.compile(
    r"""\binputs((?:\s*\[\s*(?:"[^"\\\n]*"|'[^'\\\n]*'|-?\d+)\s*\])*)\s*\[\s*(["'])([^"'\\\[\]\n]*)$"""
)
_SUBSCRIPT = re.compile(r"""\[\s*(?:"([^"]*)"|'([^']*)'|(-?\d+))\s*\]""")


@dataclass(frozen=True)
class KeyContext:
    """An open string subscript of ``inputs`` before the cursor: the keys leading to it and what is typed."""

    keys: tuple[str | int, ...]
    quote: str
    typed: str

    @property
    def start(self) -> int:
        """How many characters before the cursor the typed key starts."""
        return len(self.typed)


def key_context(before_cursor: str) -> KeyContext | None:
    """The subscript being typed at the end of ``before_cursor``, if it is one of ``inputs``."""
    match = _OPEN_SUBSCRIPT.search(before_cursor)
    if match is None:
        return None
    keys: list[str | int] = []
    for double, single, number in _SUBSCRIPT.findall(match.group(1)):
        keys.append(int(number) if number else (double or single))
    return KeyContext(tuple(keys), match.group(2), match.group(3))


def key_candidates(context: KeyContext, catalog: AttributeCatalog, procedure: str, step_id: str) -> list[Candidate]:
    """The keys that can follow ``context``: namespaces, connectors (unavailable ones apart), response keys."""
    close = context.quote + "]"
    if not context.keys:
        names = ["temporary", *(namespace.lower() for namespace in BUILTIN_NAMESPACES)]
        return [Candidate(name, name + close, "key", "object") for name in names]
    head, *rest = context.keys
    if head == "temporary":
        if not rest:
            return _connector_candidates(catalog, procedure, step_id, close)
        connector, *inside = rest
        value = _walk(catalog.payload(str(connector)), inside)
    else:
        namespaces = {namespace.lower(): values for namespace, values in catalog.builtin_values().items()}
        value = _walk(namespaces.get(str(head)), rest)
    if not isinstance(value, dict):
        return []
    return [Candidate(str(key), f"{key}{close}", "key", value_type(item), preview(item)) for key, item in value.items()]


def _connector_candidates(catalog: AttributeCatalog, procedure: str, step_id: str, close: str) -> list[Candidate]:
    called = catalog.flow.in_step(procedure, step_id).called
    reasons = {item.attribute.source: item.reason for item in catalog.available_at(procedure, step_id).unavailable}
    candidates: list[Candidate] = []
    sources = {*catalog.connectors, *catalog.code_steps}  # a code step's outputs sit under its name, too
    for name in sorted(sources, key=lambda name: (name not in called, name.lower())):
        payload = catalog.payload(name)
        reason = "" if name in called else reasons.get(name, "not called before this step")
        candidates.append(
            Candidate(name, f"{name}{close}", "key", value_type(payload), preview(payload), not reason, reason)
        )
    return candidates


def _walk(value: Any, keys: list[str | int]) -> Any:
    """Follow subscripts into sample data; an index into a list takes that element (or the first one)."""
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and value:
            value = value[key] if -len(value) <= key < len(value) else value[0]
        else:
            return None
    return value
