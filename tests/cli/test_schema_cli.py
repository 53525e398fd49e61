"""``workbench schema [KIND]``."""

from __future__ import annotations

import json

from tests.conftest import run_workbench, run_workbench_process
from workbench.store import json_schema


def test_without_kind_lists_the_kinds() -> None:
    result = run_workbench_process("schema")  # the smoke test: the real command in a child process
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()[:4]] == [
        "workspace",
        "connector",
        "procedure",
        "scenario",
    ]


def test_prints_the_schema_of_a_kind() -> None:
    result = run_workbench("schema", "procedure")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json_schema("procedure")


def test_unknown_kind_exits_2() -> None:
    result = run_workbench("schema", "widget")
    assert result.returncode == 2 and "invalid choice: 'widget'" in result.stderr and "Traceback" not in result.stderr
