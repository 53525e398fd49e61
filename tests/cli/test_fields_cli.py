"""``workbench fields WORKSPACE CONNECTOR``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_workbench
from workbench.store import load_workspace


def desk(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    assert run_workbench("new", root).returncode == 0
    return root


def test_declares_the_example_fields_and_keeps_declared_ones(tmp_path: Path) -> None:
    root = desk(tmp_path)
    path = root / "connectors" / "get-order.json"
    data = json.loads(path.read_text())
    data["response"]["example"]["body"]["placed_at"] = "2025-01-12T14:23:00Z"
    data["response"]["example"]["body"]["total"] = 24.99
    data["response"]["fields"] = [{"path": "status", "type": "string", "redacted": True, "description": "kept"}]
    path.write_text(json.dumps(data))
    dry = run_workbench("fields", root, "Get order", "--dry-run")
    assert dry.returncode == 0 and "placed_at" in dry.stdout and json.loads(path.read_text()) == data
    result = run_workbench("fields", root, "Get order")
    assert result.returncode == 0, result.stderr
    assert "items: array, not declared" in result.stderr
    connector = load_workspace(root).connector("Get order")
    assert connector is not None
    assert [(f.path, f.type, f.redacted) for f in connector.response.fields] == [
        ("order_id", "string", False),
        ("status", "string", True),
        ("placed_at", "datetime", False),
        ("total", "decimal", False),
    ]
    assert connector.response.fields[1].description == "kept"
    assert run_workbench("lint", root).returncode == 0


def test_fields_follow_the_transform(tmp_path: Path) -> None:
    root = desk(tmp_path)
    path = root / "connectors" / "get-order.json"
    data = json.loads(path.read_text())
    data["transform"] = "return {'count': len(response['items']), 'shipped': response['status'] == 'shipped'}"
    path.write_text(json.dumps(data))
    result = run_workbench("fields", root, "Get order", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["count", "integer", "shipped", "boolean"]


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    root = desk(tmp_path)
    result = run_workbench("fields", root, "Get ordr")
    assert result.returncode == 2 and "did you mean 'Get order'?" in result.stderr
    path = root / "connectors" / "get-order.json"
    data = json.loads(path.read_text())
    data["transform"] = "return response['nope']"
    path.write_text(json.dumps(data))
    result = run_workbench("fields", root, "Get order")
    assert result.returncode == 2 and "fails on its example" in result.stderr and "Traceback" not in result.stderr


def test_the_transform_has_the_workspace_sandbox_limits(tmp_path: Path) -> None:
    """The same limits as lint and runs (SandboxLimits.of): a result over the workspace's size limit is refused."""
    root = desk(tmp_path)
    settings = root / "workbench.json"
    workspace = json.loads(settings.read_text())
    workspace["limits"] = {"max_response_bytes": 1024}
    settings.write_text(json.dumps(workspace))
    path = root / "connectors" / "get-order.json"
    data = json.loads(path.read_text())
    data["transform"] = "return {'notes': 'x' * 5000}"
    path.write_text(json.dumps(data))
    result = run_workbench("fields", root, "Get order", "--dry-run")
    assert result.returncode == 2 and "fails on its example" in result.stderr, result.stderr
