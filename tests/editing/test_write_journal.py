"""A set of files killed mid-move (kill -9) is completed by the next load, which says so (issue 23, item 5)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SUPPORT_DESK
from tests.tui.conftest import running, told
from tests.waiting import wait_until
from workbench.cli import main
from workbench.editing.edit_session import EditSession
from workbench.editing.rename import Items, plan_rename
from workbench.editing.writes import FileWrite, write_set
from workbench.store import Kind, load_workspace

# A child that renames a connector and is killed (SIGKILL, no clean-up) after moving KILL_AFTER staged files
# (or, with a fifth argument, stops there until it is killed).
KILLED_RENAME = """
import os, signal, sys, time
from workbench.cli import main
from workbench.editing import writes
real_replace = os.replace
moved = []
def replace(source, target):
    if str(source).endswith(writes.SET_TEMP_SUFFIX):
        if len(moved) == int(sys.argv[4]):
            if len(sys.argv) > 5:
                print("stopped", flush=True)
                time.sleep(600)
            os.kill(os.getpid(), signal.SIGKILL)
        moved.append(target)
    real_replace(source, target)
os.replace = replace
main(["rename", sys.argv[1], "connector", sys.argv[2], sys.argv[3]])
"""
KILL_AFTER = 2


def _busiest_connector(root: Path) -> str:
    workspace = load_workspace(root)
    kinds: tuple[Kind, ...] = ("connector", "procedure")
    items: Items = {kind: {n: d.model for n, d in workspace.documents(kind).items()} for kind in kinds}
    return max(workspace.connectors, key=lambda name: len(plan_rename(items, "connector", name, name + " X").edits))


def _mentions(root: Path, name: str) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.json") if name in path.read_text())


def _killed_rename(tmp_path: Path) -> tuple[Path, str, str]:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    old = _busiest_connector(root)
    new = f"{old} renamed"
    child = subprocess.run([sys.executable, "-c", KILLED_RENAME, str(root), old, new, str(KILL_AFTER)], timeout=120)
    assert child.returncode == -signal.SIGKILL
    quoted = f'"{new}"'
    assert len(_mentions(root, quoted)) > 0, "the child was killed before it moved anything"
    assert any(f'"{old}"' in path.read_text() for path in root.rglob("*.json")), "the child finished its set"
    return root, old, new


def _consistent(root: Path, old: str, new: str) -> None:
    assert not [path for path in root.rglob("*.json") if f'"{old}"' in path.read_text()]
    workspace = load_workspace(root)
    assert new in workspace.connectors and old not in workspace.connectors and not workspace.problems
    assert not list(root.rglob(".*.tmp")) and not list(root.glob(".workbench-writes.*"))


def test_the_next_command_completes_a_rename_killed_mid_set_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, old, new = _killed_rename(tmp_path)
    assert main(["lint", str(root)]) == 0
    err = capsys.readouterr().err
    assert "completed an interrupted write" in err and f"Renamed connector {old} to {new}" in err
    _consistent(root, old, new)
    assert main(["rename", str(root), "connector", new, old]) == 0  # the workspace works again


def test_the_app_start_completes_it_and_keeps_the_message_to_show(tmp_path: Path) -> None:
    root, old, new = _killed_rename(tmp_path)
    session = EditSession.load(root)
    assert len(session.recovered) == 1 and "interrupted write" in session.recovered[0]
    _consistent(root, old, new)
    assert EditSession.load(root).recovered == []


async def test_the_app_says_so_when_it_starts(tmp_path: Path) -> None:
    root, old, new = _killed_rename(tmp_path)
    async with running(root) as pilot:
        app = pilot.app
        await wait_until(
            lambda: "completed an interrupted write" in told(app),
            pilot,
            what="the notification",
        )
    _consistent(root, old, new)


def test_a_set_killed_while_staging_changes_nothing_and_its_temporaries_go(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = {path: path.read_bytes() for path in root.rglob("*.json")}
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from pathlib import Path\n"
            "from workbench import jsonfile\n"
            "from workbench.editing import writes\n"
            "real = jsonfile.atomic_write\n"
            "def kill(*args): os.kill(os.getpid(), signal.SIGKILL)\n"
            "writes.atomic_write = kill\n"
            "path = Path(sys.argv[1])\n"
            "writes.write_set([writes.FileWrite(path, b'{}')], path.parent.parent)\n",
            str(next(root.glob("connectors/*.json"))),
        ],
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL and list(root.rglob(".*.set.tmp"))
    workspace = load_workspace(root)
    assert workspace.recovered == [] and not list(root.rglob(".*.tmp"))
    assert {path: path.read_bytes() for path in root.rglob("*.json")} == before


def test_a_set_that_fails_between_moves_is_put_back_and_leaves_no_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    paths = sorted(root.glob("connectors/*.json"))[:3]
    before = {path: path.read_bytes() for path in paths}
    unlink = Path.unlink

    def failing_unlink(self: Path, missing_ok: bool = False) -> None:
        if self == paths[1]:
            raise OSError(5, "Input/output error")
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", failing_unlink)
    writes = [FileWrite(path.with_name("moved-" + path.name), b"{}", path) for path in paths]
    with pytest.raises(OSError, match="Input/output error"):
        write_set(writes, root)
    monkeypatch.undo()
    assert {path: path.read_bytes() for path in paths} == before
    assert not list(root.glob("connectors/moved-*")) and not list(root.glob(".workbench-writes.*"))
    assert load_workspace(root).recovered == []


def test_a_journal_whose_process_id_now_names_another_process_is_still_finished(tmp_path: Path) -> None:
    root, old, new = _killed_rename(tmp_path)
    [journal] = root.glob(".workbench-writes.*.journal")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # the dead writer's id given to a process that runs now (as after a container restart)
        journal.rename(journal.with_name(journal.name.replace(journal.name.split(".")[2], str(alive.pid), 1)))
        assert len(load_workspace(root).recovered) == 1
    finally:
        alive.kill()
        alive.wait()
    _consistent(root, old, new)


def test_a_set_still_being_written_by_a_live_process_is_left_to_it(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    old = _busiest_connector(root)
    argv = [sys.executable, "-c", KILLED_RENAME, str(root), old, f"{old} renamed", str(KILL_AFTER), "stop"]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None
        assert b"stopped\n" in iter(child.stdout.readline, b"")  # after the plan it prints
        staged = sorted(root.rglob(".*.set.tmp"))
        assert staged and load_workspace(root).recovered == [] and sorted(root.rglob(".*.set.tmp")) == staged
    finally:
        child.kill()
        child.wait()
    assert len(load_workspace(root).recovered) == 1
    _consistent(root, old, f"{old} renamed")
