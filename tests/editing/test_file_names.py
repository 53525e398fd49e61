"""A name whose file name would be too long or a Windows device name is refused, clearly, by rename, import
and creation alike — never an ``OSError`` traceback, not even with ``--dry-run`` (issue 23, item 5 and Low)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SUPPORT_DESK
from tests.tui.conftest import running, settle
from workbench.cli import main
from workbench.editing.edit_session import EditSession, starter_model
from workbench.store import MAX_FILE_NAME_BYTES, load_workspace, name_problem
from workbench.tui.screens.pickers import NewItemScreen

LONG = "Get " + "o" * 296
BAD_NAMES = [
    (LONG, "too long: its file name would be 305 bytes"),
    ("CON", "reserved"),
    ("nul", "reserved"),
    ("Com1", "reserved"),
    ("LPT9", "reserved"),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))


def _files(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize(("name", "why"), BAD_NAMES)
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_rename_refuses_a_name_that_cannot_be_a_file(
    root: Path, capsys: pytest.CaptureFixture[str], name: str, why: str, dry_run: list[str]
) -> None:
    before = _files(root)
    old = sorted(load_workspace(root).connectors)[0]
    assert main(["rename", str(root), "connector", old, name, *dry_run]) == 2
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert _files(root) == before


@pytest.mark.parametrize(("name", "why"), BAD_NAMES)
def test_import_refuses_it_too(root: Path, capsys: pytest.CaptureFixture[str], name: str, why: str) -> None:
    before = _files(root)
    code = main(["import", "curl", str(root), "curl https://a.example.com/x", "--name", name])
    assert code == 2 and why in capsys.readouterr().err
    assert _files(root) == before


def test_a_name_just_under_the_limit_is_fine_and_one_over_is_not() -> None:
    assert name_problem("connector", "a" * (MAX_FILE_NAME_BYTES - len(".json"))) is None
    assert name_problem("connector", "a" * (MAX_FILE_NAME_BYTES - len(".json") + 1))
    assert name_problem("connector", "Console") is None and name_problem("connector", "Con 2") is None


async def test_the_new_item_dialog_refuses_it(root: Path) -> None:
    async with running(root) as pilot:
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewItemScreen)
        await pilot.press(*"nul", "enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, NewItemScreen)
        assert "reserved on Windows" in str(screen.query_one("#new-error").render())


def test_an_item_renamed_in_the_app_to_such_a_name_keeps_its_file(root: Path) -> None:
    session = EditSession.load(root)
    entry = next(entry for entry in session.entries if entry.kind == "connector")
    before = entry.path
    for name in ("CON", LONG):
        entry.model.name = name
        session.save(entry)
        assert entry.path == before and load_workspace(root).connector(name) is not None
    created = session.create("procedure", starter_model("procedure", "nul", []))
    assert created.path.name == "procedure.json"
