"""The plan of files an import creates: placed beside existing ones, clashes refused, written all or nothing."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from workbench.cli.new import run as new_workspace
from workbench.importing import ConversionError, Imported, import_curl, plan_import, write_plan
from workbench.store import load_workspace


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    new_workspace(argparse.Namespace(directory=str(root)))
    return root


def _imported(*lines: str) -> Imported:
    imported = Imported()
    for line in lines:
        connector, secrets = import_curl(line)
        imported.add(connector)
        imported.secrets.needed.update(secrets.needed)
    return imported


def test_new_names_get_free_slugs_and_a_preview(root: Path) -> None:
    (root / "connectors" / "get-x.json").write_text("{}")  # a broken file keeps its name taken
    imported = _imported("curl https://a.example.com/x -H 'Authorization: Bearer t'", "curl https://a.example.com/x")
    plan = plan_import(load_workspace(root), imported)
    assert [item.path.name for item in plan.files] == ["get-x-2.json", "get-x-2-2.json"]
    lines = plan.lines(root)
    assert lines[0].startswith("create connectors/get-x-2.json  'GET /x'  GET https://a.example.com/x")
    assert "secret  A_TOKEN: set it to the Bearer credential" in lines
    assert any("appears twice" in line for line in lines)


def test_clashes_are_skipped_and_named_the_rest_written_unless_replace(root: Path) -> None:
    imported = _imported("curl https://a.example.com/orders", "curl https://a.example.com/other")
    imported.connectors[0] = imported.connectors[0].model_copy(update={"name": "Get order"})
    before = (root / "connectors" / "get-order.json").read_bytes()
    plan = plan_import(load_workspace(root), imported)
    assert plan.clashes == ["Get order"] and [item.connector.name for item in plan.files] == ["GET /other"]
    assert any(line.startswith("skip    'Get order'") for line in plan.lines(root))
    assert write_plan(plan) == [root / "connectors" / "get-other.json"]
    assert (root / "connectors" / "get-order.json").read_bytes() == before
    imported.connectors.pop()
    written = write_plan(plan_import(load_workspace(root), imported, replace=True))
    assert written == [root / "connectors" / "get-order.json"]
    assert load_workspace(root).connector("Get order").request.url == "https://a.example.com/orders"


def test_a_failed_write_leaves_no_file_and_restores_replaced_ones(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    imported = _imported("curl https://a.example.com/one", "curl https://a.example.com/two")
    imported.connectors[0] = imported.connectors[0].model_copy(update={"name": "Get order"})
    original = (root / "connectors" / "get-order.json").read_bytes()
    before = sorted(os.listdir(root / "connectors"))
    real_replace = os.replace
    calls = []

    def failing_replace(source: str, target: Path) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr("workbench.editing.writes.os.replace", failing_replace)
    with pytest.raises(ConversionError, match="No space left"):
        write_plan(plan_import(load_workspace(root), imported, replace=True))
    monkeypatch.undo()
    assert sorted(os.listdir(root / "connectors")) == before
    assert (root / "connectors" / "get-order.json").read_bytes() == original
