"""The command-line entry point itself: behaviour shared by every command."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import SUPPORT_DESK


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    command = [sys.executable, "-m", "workbench", "run", str(SUPPORT_DESK), "Order status", "--json"]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout is not None and writer.stderr is not None
    first_line = writer.stdout.readline()
    writer.stdout.close()  # like `| head -1`
    errors = writer.stderr.read().decode()
    writer.wait(timeout=60)
    assert b'"type":"run_started"' in first_line
    assert "Traceback" not in errors
    assert writer.returncode in (0, 1)


def test_no_command_and_not_the_app_imports_the_mcp_sdk_before_a_server_is_reached() -> None:
    """The MCP SDK takes about a second to import: the CLI, the engine, the mock server and the app import it only
    when an MCP server is first reached (``workbench.connectors.mcp.connect``) or served (``mock serve --mcp``), so
    every command starts without it."""
    probe = (
        "import sys, workbench.cli, workbench.engine, workbench.mockserver, workbench.scenarios.runner\n"
        "import workbench.tui.app\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('mcp', 'mcp_types')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert loaded.stdout.strip() == "[]"
