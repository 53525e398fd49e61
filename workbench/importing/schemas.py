"""OpenAPI's JSON Schema side: ``$ref`` resolution (this file and local files under its folder), input types
and example values generated from a schema, cycles cut and expansion within a :class:`Budget`."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from workbench.importing.budget import Budget
from workbench.importing.errors import ConversionError
from workbench.importing.sources import read_source

_MAX_DEPTH = 12
_FORMAT_SAMPLES = {
    "date-time": "2024-01-01T12:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "email": "user@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
}
_PRIMITIVES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


class Resolver:
    """Follows ``$ref``s: ``#/pointer`` in the document, ``file.yaml#/pointer`` in a file under the spec's folder.

    A spec given as text (no file) refers to no file. ``budget`` is what generated samples may still take
    (the importer starts a fresh one per operation).
    """

    def __init__(self, document: dict[str, Any], path: Path | None) -> None:
        self.documents: dict[str, Any] = {"": document}
        self.base = path.parent.resolve() if path is not None else None
        self.budget = Budget()

    def resolve(self, node: Any, where: str) -> tuple[Any, str]:
        """``node`` with its ``$ref`` chain followed, and the ref it came from (``""`` when none)."""
        seen: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise ConversionError(where, f"$ref loop: {' -> '.join([*seen, ref])}")
            seen.append(ref)
            node = self._target(ref, where)
        return node, seen[-1] if seen else ""

    def _target(self, ref: str, where: str) -> Any:
        file_part, _, pointer = ref.partition("#")
        if file_part.startswith(("http://", "https://", "//")):
            raise ConversionError(where, f"$ref {ref!r} points to the network: only local files are read")
        document = self.documents[""] if not file_part else self._external(file_part, where)
        node = document
        for token in [part for part in pointer.split("/")[1:]] if pointer else []:
            key = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise ConversionError(where, f"$ref {ref!r} cannot be resolved: no {key!r}")
        if file_part and isinstance(node, dict):
            node = _rebase(node, file_part)
        return node

    def _external(self, file_part: str, where: str) -> Any:
        if file_part not in self.documents:
            self.documents[file_part] = read_source(self.local_file(file_part, where), allow_yaml=True)
        return self.documents[file_part]

    def local_file(self, reference: str, where: str) -> Path:
        """The file ``reference`` names under the spec's folder; one error for missing and outside alike, so
        that it tells nothing about files elsewhere."""
        refused = ConversionError(
            where, f"file {reference!r} is not a file under the spec's folder (only those can be referred to)"
        )
        if self.base is None:
            raise ConversionError(where, f"file {reference!r}: a pasted spec cannot refer to files (import the file)")
        try:
            path = (self.base / unquote(reference)).resolve()
            if not path.is_relative_to(self.base) or not path.is_file():
                raise refused
        except (OSError, ValueError):
            raise refused from None
        return path


def _rebase(node: dict[str, Any], file_part: str) -> dict[str, Any]:
    """A node from another file with its own ``#/…`` refs made relative to that file."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                return {**value, "$ref": file_part + ref}
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(node)  # type: ignore[no-any-return]


def schema_type(resolver: Resolver, schema: Any, where: str) -> str:
    """The input type for a parameter schema: string, integer, number or boolean (anything else: string)."""
    schema, _ = resolver.resolve(schema, where)
    if not isinstance(schema, dict):
        return "string"
    declared = schema.get("type")
    if isinstance(declared, list):  # 3.1: ["integer", "null"]
        declared = next((item for item in declared if item != "null"), None)
    if isinstance(declared, str):
        return _PRIMITIVES.get(declared, "string")
    for key in ("oneOf", "anyOf", "allOf"):
        variants = schema.get(key)
        if isinstance(variants, list) and variants:
            types = {schema_type(resolver, item, f"{where}.{key}.{index}") for index, item in enumerate(variants)}
            return types.pop() if len(types) == 1 else "string"
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        first = schema["enum"][0]
        return {bool: "boolean", int: "integer", float: "number"}.get(type(first), "string")
    return "string"


def sample(resolver: Resolver, schema: Any, where: str, refs: tuple[str, ...] = ()) -> Any:
    """An example value for ``schema``: its own example, else one built from its type, formats and properties.

    A schema that refers back to itself is cut where it recurs (an empty list or a left-out property).
    """
    if len(refs) > _MAX_DEPTH:
        return None
    resolver.budget.spend(where)
    schema, ref = resolver.resolve(schema, where)
    if ref and ref in refs:
        return _CUT
    if ref:
        refs = (*refs, ref)
    if not isinstance(schema, dict):
        return None
    for key in ("example", "default", "const"):
        if key in schema:
            return resolver.budget.charge(schema[key], f"{where}.{key}")
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return resolver.budget.charge(examples[0], f"{where}.examples.0")
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return resolver.budget.charge(schema["enum"][0], f"{where}.enum.0")
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if isinstance(variants, list) and variants:
            value = sample(resolver, variants[0], f"{where}.{key}.0", refs)
            return None if value is _CUT else value
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {}
        for index, part in enumerate(schema["allOf"]):
            value = sample(resolver, part, f"{where}.allOf.{index}", refs)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((item for item in declared if item != "null"), None)
    if declared == "array" or "items" in schema:
        item = sample(resolver, schema.get("items", {}), f"{where}.items", refs)
        return [] if item is _CUT or item is None else [item]
    if declared == "object" or "properties" in schema:
        result = {}
        properties = schema.get("properties") or {}
        for name, child in properties.items() if isinstance(properties, dict) else ():
            value = sample(resolver, child, f"{where}.properties.{name}", refs)
            if value is not _CUT:
                result[name] = value
        return result
    minimum = schema.get("minimum")
    if declared == "integer":
        return int(minimum) if isinstance(minimum, (int, float)) and not isinstance(minimum, bool) else 1
    if declared == "number":
        return float(minimum) if isinstance(minimum, (int, float)) and not isinstance(minimum, bool) else 1.5
    if declared == "boolean":
        return True
    if declared == "string":
        return _FORMAT_SAMPLES.get(str(schema.get("format", "")), "string")
    return None


class _Cut:
    """A place where a recursive schema recurs."""


_CUT: Any = _Cut()
