"""Importing a large OpenAPI document, against ``json.loads`` of the same bytes.

A ~5 MB OpenAPI 3.1 document with 500 operations is generated here: 250 resources, each with a GET (path,
query and header parameters, a ``$ref``'d response schema with nested objects, arrays and a ``oneOf``) and
a POST (a JSON body of ``$ref``'d properties, an inline example response), plus long descriptions and
shared components, as real service specs have. One round of the import reads the bytes, builds every
connector (inputs, secrets, examples generated from schemas) and plans the files; the baseline parses the
bytes with ``json.loads``. Prints the median of each and the ratio import / json.loads.

    python bench/import_openapi.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from workbench.importing import Imported, Spec, import_openapi, plan_import
from workbench.importing.sources import parse_source
from workbench.store import load_workspace

RESOURCES = 250
TEXT = "Returns the resource as stored, with its nested records. " * 6


def resource_schema(index: int) -> dict[str, Any]:
    """A resource with nested objects, an array of items and a polymorphic payment."""
    return {
        "type": "object",
        "description": TEXT,
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "description": "Identifier"},
            "name": {"type": "string", "example": f"Resource {index}"},
            "created_at": {"type": "string", "format": "date-time"},
            "owner": {"$ref": "#/components/schemas/Owner"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
            "payment": {"oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Transfer"}]},
            **{f"field_{k}": {"type": "string", "description": TEXT[:80]} for k in range(40)},
        },
    }


def operations(index: int) -> dict[str, Any]:
    name = f"Resource{index}"
    example = {"id": index, "name": name, "records": [{"n": n, "note": TEXT[:60]} for n in range(110)]}
    return {
        "parameters": [{"$ref": "#/components/parameters/Tenant"}],
        "get": {
            "operationId": f"get{name}",
            "summary": f"Get resource {index}",
            "description": TEXT * 6,
            "tags": [f"group{index % 10}"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "expand", "in": "query", "schema": {"type": "boolean", "default": False}},
                {"name": "fields", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "X-Request-Id", "in": "header", "schema": {"type": "string", "format": "uuid"}},
            ],
            "responses": {
                "200": {
                    "description": "The resource",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                },
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
        "post": {
            "operationId": f"update{name}",
            "summary": f"Update resource {index}",
            "description": TEXT * 6,
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string"},
                                "quantity": {"type": "integer", "minimum": 1},
                                "owner": {"$ref": "#/components/schemas/Owner"},
                                "notify": {"type": "boolean"},
                            },
                        }
                    }
                }
            },
            "responses": {"200": {"description": "Updated", "content": {"application/json": {"example": example}}}},
        },
    }


def document() -> dict[str, Any]:
    """The generated spec: 250 resources, 500 operations."""
    schemas: dict[str, Any] = {f"Resource{index}": resource_schema(index) for index in range(RESOURCES)}
    schemas |= {
        "Owner": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "manager": {"$ref": "#/components/schemas/Owner"}},
        },
        "Line": {"type": "object", "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}}},
        "Card": {"type": "object", "properties": {"last4": {"type": "string", "example": "4242"}}},
        "Transfer": {"type": "object", "properties": {"iban": {"type": "string"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bench", "version": "1", "description": TEXT * 20},
        "servers": [{"url": "https://api.bench.example.com/v1"}],
        "security": [{"bearer": []}],
        "paths": {f"/resources{index}/{{id}}": operations(index) for index in range(RESOURCES)},
        "components": {
            "schemas": schemas,
            "parameters": {"Tenant": {"name": "X-Tenant", "in": "header", "schema": {"type": "string"}}},
            "responses": {"NotFound": {"description": "Not found"}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    raw = orjson.dumps(document())
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "connectors").mkdir()
        workspace = load_workspace(folder)
        imported = Imported()

        def run_import() -> None:
            nonlocal imported
            spec = Spec.from_data(parse_source(raw, "bench.json", allow_yaml=True), "bench.json")
            imported = import_openapi(spec)
            plan_import(workspace, imported)

        baseline = [_timed(lambda: json.loads(raw)) for _ in range(rounds)]
        importing = [_timed(run_import) for _ in range(rounds)]
    print(f"document: {len(raw) / 2**20:.1f} MiB, {len(imported.connectors)} operations imported")
    base, work = statistics.median(baseline), statistics.median(importing)
    print(f"json.loads: {base * 1000:.0f} ms   import (parse, map, plan): {work * 1000:.0f} ms   (median of {rounds})")
    print(f"ratio import / json.loads: {work / base:.2f}x")


def _timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
