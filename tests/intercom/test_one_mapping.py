"""Intercom's data connector shape is spelled in one module: every other part of workbench goes through it."""

from __future__ import annotations

import ast
from pathlib import Path

import workbench

MAPPING = Path(workbench.__file__).parent / "importing" / "intercom.py"
# Keys only a data connector's create/update body or detail has (generic ones such as "url" are left out).
SHAPE_KEYS = {
    "http_method",
    "data_inputs",
    "default_value",
    "token_ids",
    "mock_response",
    "response_fields",
    "object_mappings",
    "direct_fin_usage",
    "audiences",
    "intercom_object_type",
}


def test_only_the_mapping_module_spells_intercoms_connector_fields() -> None:
    offenders = []
    for path in sorted(Path(workbench.__file__).parent.rglob("*.py")):
        if path == MAPPING:
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        exported = {
            id(item)
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "__all__" for target in node.targets)
            for item in ast.walk(node.value)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in SHAPE_KEYS and id(node) not in exported:
                offenders.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_the_mapping_module_does_spell_them() -> None:
    constants = {
        node.value for node in ast.walk(ast.parse(MAPPING.read_text("utf-8"))) if isinstance(node, ast.Constant)
    }
    assert constants >= SHAPE_KEYS
