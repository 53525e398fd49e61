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
