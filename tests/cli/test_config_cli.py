"""``workbench schema config`` and ``workbench --print-config``: the user's settings, documented and shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_workbench
from workbench.settings.config_file import config_path
from workbench.settings.user_config import UserConfig, config_schema


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_schema_config_prints_the_settings_schema() -> None:
    result = run_workbench("schema", "config")
    assert result.returncode == 0
    assert json.loads(result.stdout) == config_schema()


def test_schema_lists_the_settings_file() -> None:
    result = run_workbench("schema")
    line = next(line for line in result.stdout.splitlines() if line.startswith("config"))
    assert str(config_path()) in line


def test_print_config_without_a_file_shows_the_defaults() -> None:
    result = run_workbench("--print-config")
    assert result.returncode == 0
    assert json.loads(result.stdout) == UserConfig().model_dump(mode="json")
    assert f"no {config_path()}" in result.stderr


def test_print_config_shows_the_file_with_the_defaults_filled_in() -> None:
    write_config('{"theme": "nord", "keymap": {"name": "portable"}}')
    result = run_workbench("--print-config")
    assert result.returncode == 0 and result.stderr == ""
    shown = json.loads(result.stdout)
    assert shown["theme"] == "nord" and shown["keymap"] == {"name": "portable", "bindings": {}}
    assert shown["lint_delay"] == UserConfig().lint_delay and UserConfig.model_validate(shown).theme == "nord"


def test_print_config_of_a_broken_file_names_each_problem_on_stderr() -> None:
    path = write_config('{\n  "lint_delay": 2,\n  "keymap": {"bindings": {"debug.nope": "f5"}}\n}')
    result = run_workbench("--print-config")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["lint_delay"] == 2  # the good part applies
    assert result.stderr.startswith(f'workbench: {path}:3:27: keymap.bindings["debug.nope"]: unknown binding id')
    write_config("{oops")
    result = run_workbench("--print-config")
    assert result.returncode == 1 and f"{path}:1:2:" in result.stderr
    assert json.loads(result.stdout) == UserConfig().model_dump(mode="json")


def test_opening_the_app_with_a_broken_file_repeats_its_problems_on_stderr(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.settings.user_config import load_config
    from workbench.tui.app import WorkbenchApp

    def run(app: WorkbenchApp) -> None:  # no terminal in a test: what the app does with the settings file
        app.config_problems = load_config()[1]

    monkeypatch.setattr(WorkbenchApp, "run", run)
    path = write_config('{"panes": {"debug": "wide"}}')
    result = run_workbench(desk_copy)
    assert result.returncode == 0 and result.stderr.startswith(f"workbench: {path}:1:12: panes.debug: ")
