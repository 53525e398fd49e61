"""``workbench [WORKSPACE]``: a folder that is no workspace gets a clear message and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_workbench_process
from workbench.cli import main


def test_a_folder_that_is_no_workspace_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "is not a workspace" in message
    assert "workbench sample_data/support-desk" in message and f"workbench new {tmp_path}" in message


def test_a_missing_folder_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["open", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_the_command_reports_a_missing_folder(tmp_path: Path) -> None:
    result = run_workbench_process(tmp_path / "nope")  # the smoke test: the real command in a child process
    assert result.returncode == 2 and result.stderr.startswith(f"workbench: {tmp_path / 'nope'}: no such folder")
