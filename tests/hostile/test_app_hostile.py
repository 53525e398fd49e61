"""Classes 1 and 4 in the app: a backtracking rule never freezes a run, and special files named *.json open as
located problems while the rest of the workspace works."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.hostile.kit import calling, write_workspace
from tests.quick_pilot import quick_test
from tests.tui.conftest import running, workbench_of
from tests.tui.debug.harness import DebugApp, finished
from tests.waiting import wait_until


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)*$", "(.*a.*)*b", "(\\w)\\1"])
async def test_a_backtracking_rule_never_freezes_a_run(tmp_path: Path, pattern: str) -> None:
    connector = {
        "name": "Lookup",
        "request": {"url": "http://127.0.0.1:9/x"},
        "inputs": [{"name": "q", "type": "string", "default": "a" * 40_000 + "!"}],
        "response": {
            "mode": "dynamic",
            "rules": [
                {"name": "trap", "when": [{"input": "q", "op": "regex", "value": pattern}], "response": {"body": 1}},
                {"name": "rest", "response": {"body": {"ok": True}}},
            ],
        },
    }
    root = write_workspace(tmp_path, connectors=[connector], procedures=[calling("Lookup")])
    app = DebugApp(root, "P")
    async with quick_test(app, size=(100, 30)) as pilot:
        started = time.monotonic()
        await pilot.press("f5")
        await finished(pilot, app.view, timeout=30)
        assert time.monotonic() - started < 30
        result = app.view.debug_run.result
    assert result is not None
    if pattern == "(\\w)\\1":
        assert result.outcome == "failed" and "dynamic rule 1 ('trap')" in (result.message or "")
    else:
        assert result.outcome == "resolved"


async def test_special_files_open_as_located_problems(tmp_path: Path) -> None:
    connector = {"name": "C", "request": {"url": "http://127.0.0.1:9/c"}, "response": {"example": {"body": 1}}}
    root = write_workspace(tmp_path, connectors=[connector], procedures=[calling("C")])
    (root / "connectors" / "zero.json").symlink_to("/dev/zero")
    os.mkfifo(root / "procedures" / "pipe.json")
    (root / "scenarios" / "folder.json").mkdir()
    async with running(root) as pilot:
        app = workbench_of(pilot)
        await wait_until(
            lambda: app.session is not None and app.session.find("procedure", "P") is not None, pilot=pilot
        )
        problems = {path.name: problem.message for path, problem in app.session.problems.items()}
    assert set(problems) == {"zero.json", "pipe.json", "folder.json"}
    assert all(message.startswith("is ") and "expected a JSON file" in message for message in problems.values())
