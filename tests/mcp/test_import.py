"""``workbench import mcp``: the tools of a server (every page of tools/list) become connectors and the server
its mcp_servers entry, previewed and written as a set; ``--check`` reports drift (exit 1)."""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.mcp.server import TOOLS, http_server
from workbench.cli import main
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.jsonfile import dumps_pretty
from workbench.store import load_workspace

STDIO = f"{shlex.quote(sys.executable)} -m tests.mcp.server"


def import_stdio(desk: Path, *extra: str) -> int:
    """``workbench import mcp DESK --stdio <the test server> --server orders EXTRA…``."""
    return main(["import", "mcp", str(desk), "--stdio", STDIO, "--server", "orders", *extra])


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    assert main(["new", str(root)]) == 0
    return root


def test_import_over_stdio_makes_one_connector_per_tool_of_every_page(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = import_stdio(desk, "--env", "ORDERS_TOKEN=tok-12345678", "--yes")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "mcp     orders:" in out and "tool lookup_order of orders" in out
    assert "secret  ORDERS_ORDERS_TOKEN: set it to the ORDERS_TOKEN variable of the server's environment" in out
    workspace = load_workspace(desk)
    imported = {c.mcp.tool: c for c in workspace.connector_models().values() if c.mcp is not None}
    assert sorted(imported) == sorted(tool.name for tool in TOOLS)  # three pages of two
    lookup = imported["lookup_order"]
    assert lookup.name == "Lookup order" and lookup.description == "Look an order up by its id."
    assert [(i.name, i.type, i.required, i.description) for i in lookup.inputs] == [
        ("order_id", "string", True, "The order number"),
        ("verbose", "boolean", False, ""),
    ]
    assert lookup.mcp is not None and lookup.mcp.listed == [tool.name for tool in TOOLS]
    server = workspace.settings.model.mcp_servers["orders"]
    assert server.command == sys.executable and server.args == ["-m", "tests.mcp.server"]
    assert server.env["ORDERS_TOKEN"].startswith("{{secret.")  # the credential detector templated it
    raw = (desk / "workbench.json").read_text() + "".join(p.read_text() for p in (desk / "connectors").glob("*.json"))
    assert "tok-12345678" not in raw
    assert '"request"' not in (desk / "connectors" / "lookup-order.json").read_text()


def test_imported_connectors_run_live_over_http(desk: Path) -> None:
    with http_server() as url:
        assert main(["import", "mcp", str(desk), url, "--tool", "lookup_order", "--server", "orders"]) == 0
        workspace = load_workspace(desk)
        assert [c.name for c in workspace.connector_models().values() if c.is_mcp] == ["Lookup order"]
        assert workspace.settings.model.mcp_servers["orders"].url == url
        procedure = {
            "name": "P",
            "steps": [{"id": "a", "type": "instruction", "text": "@call(Lookup order) @read(Lookup order > status)"}],
        }
        (desk / "procedures" / "p.json").write_bytes(dumps_pretty(procedure))
        workspace = load_workspace(desk)
        agent = ScriptedAgent({"Lookup order > order_id": "A-1"})
        result = asyncio.run(run_procedure(workspace, "P", agent, RunOptions()))
    assert result.error is None, result.error
    assert result.messages[-1] == "Lookup order shipped"


def test_check_reports_a_removed_tool_and_a_changed_schema(
    desk: Path, capsys: pytest.CaptureFixture[str], shared_server: dict[str, Any]
) -> None:
    url = shared_server["url"]
    assert main(["import", "mcp", str(desk), url, "--server", "orders", "--tool", "greet", "--tool", "list_items"]) == 0
    assert main(["import", "mcp", str(desk), url, "--server", "orders", "--check"]) == 0
    assert "2 connectors match" in capsys.readouterr().out
    path = desk / "connectors" / "greet.json"
    data = json.loads(path.read_text())
    data["mcp"]["tool"] = "greet_everyone"
    path.write_bytes(dumps_pretty(data))
    path = desk / "connectors" / "list-items.json"
    data = json.loads(path.read_text())
    data["mcp"]["input_schema"]["properties"]["limit"]["type"] = "string"
    path.write_bytes(dumps_pretty(data))
    assert main(["import", "mcp", str(desk), url, "--server", "orders", "--check"]) == 1
    out = capsys.readouterr().out
    assert "no longer lists the tool 'greet_everyone'" in out
    assert "the input schema of 'list_items' changed: argument 'limit' changed" in out


def test_an_unknown_tool_or_an_unreachable_server_is_a_usage_error(
    desk: Path, capsys: pytest.CaptureFixture[str], shared_server: dict[str, Any]
) -> None:
    assert main(["import", "mcp", str(desk), shared_server["url"], "--tool", "nope"]) == 2
    assert "the server lists no tool 'nope'" in capsys.readouterr().err
    assert main(["import", "mcp", str(desk), "http://127.0.0.1:9/mcp"]) == 2
    assert "cannot reach MCP server" in capsys.readouterr().err
    assert not list((desk / "connectors").glob("*.json")) or all(
        "mcp" not in json.loads(p.read_text()) for p in (desk / "connectors").glob("*.json")
    )


def test_a_server_failing_at_start_is_quoted_with_its_credentials_masked(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crash = f'{shlex.quote(sys.executable)} -c \'import os, sys; sys.stderr.write("bad key " + os.environ["API_TOKEN"]); sys.exit(3)\''
    assert main(["import", "mcp", str(desk), "--stdio", crash, "--env", "API_TOKEN=tok-secret-98765"]) == 2
    err = capsys.readouterr().err
    assert "bad key ***" in err and "tok-secret-98765" not in err
