"""``workbench new DIR``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_workbench, run_workbench_process
from workbench.store import load_workspace, serialize


def test_creates_a_workspace_that_lints_clean(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    result = run_workbench_process("new", target)  # the smoke test: the real command in a child process
    assert result.returncode == 0, result.stderr
    workspace = load_workspace(target)
    assert workspace.problems == []
    assert (len(workspace.connectors), len(workspace.procedures), len(workspace.scenarios)) == (1, 1, 1)
    assert workspace.settings.model.environments == {"local": {"base_url": "http://127.0.0.1:8787"}}
    for kind in ("connector", "procedure", "scenario"):
        for document in workspace.documents(kind).values():
            assert document.raw == serialize(document.model)
    assert run_workbench("lint", target).returncode == 0


def test_an_existing_empty_folder_is_fine(tmp_path: Path) -> None:
    assert run_workbench("new", tmp_path).returncode == 0
    assert (tmp_path / "workbench.json").is_file()


def test_refuses_a_folder_that_is_not_empty_or_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = run_workbench("new", tmp_path)
    assert (result.returncode, result.stderr) == (2, f"workbench: {tmp_path}: exists and is not empty\n")
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
    result = run_workbench("new", tmp_path / "notes.txt")
    assert (result.returncode, result.stderr) == (
        2,
        f"workbench: {tmp_path / 'notes.txt'}: exists and is not a folder\n",
    )


def test_says_what_it_created(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    result = run_workbench("new", target)
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    created = sorted(path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file())
    assert sorted(listed) == created
    assert "--empty" in result.stdout


def test_empty_creates_settings_and_folders_only(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    result = run_workbench("new", target, "--empty")
    assert result.returncode == 0, result.stderr
    workspace = load_workspace(target)
    assert workspace.problems == []
    assert (len(workspace.connectors), len(workspace.procedures), len(workspace.scenarios)) == (0, 0, 0)
    assert workspace.settings.model.environments == {"local": {"base_url": "http://127.0.0.1:8787"}}  # mock serve
    assert sorted(path.name for path in target.iterdir()) == [
        ".gitignore",
        "connectors",
        "procedures",
        "scenarios",
        "workbench.json",
    ]
    assert "connectors/     empty" in result.stdout
    assert run_workbench("lint", target).returncode == 0
