"""Class 15: a save killed midway (kill -9) leaves a temporary that the next load or save removes; a save still
in progress in another process keeps its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.kit import cli, write_workspace
from tests.waiting import wait_until_sync
from workbench.jsonfile import STALE_AFTER_S
from workbench.store import load_workspace, save_document

# A child that starts saving the connector and blocks before the rename, as a save would be caught by kill -9.
HANGING_SAVE = """
import os, sys, time
from pathlib import Path
from workbench import jsonfile
os.fsync = lambda fd: time.sleep(3600)
jsonfile.atomic_write(Path(sys.argv[1]), b'{"half": ')
"""
CONNECTOR = {"name": "C", "request": {"url": "http://127.0.0.1:9/c"}, "response": {"example": {"body": 1}}}


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def hanging_save(target: Path) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-c", HANGING_SAVE, str(target)])
    wait_until_sync(lambda: temporaries(target.parent) or child.poll() is not None, timeout=30, what="the save")
    assert temporaries(target.parent), "the child never started its save"
    return child


@pytest.mark.parametrize("then", ["load", "save", "lint"])
def test_a_killed_save_leaves_nothing_behind(capsys: pytest.CaptureFixture[str], tmp_path: Path, then: str) -> None:
    root = write_workspace(tmp_path, connectors=[CONNECTOR])
    target = root / "connectors" / "item-0.json"
    before = target.read_bytes()
    child = hanging_save(target)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert temporaries(target.parent) and target.read_bytes() == before
    if then == "lint":
        assert cli(capsys, "lint", root).code == 0
    else:
        workspace = load_workspace(root)
        if then == "save":
            document = workspace.connectors["C"]
            save_document(document, document.model.model_copy(update={"description": "saved"}))
    assert temporaries(target.parent) == []


def test_a_save_in_progress_elsewhere_keeps_its_temporary(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, connectors=[CONNECTOR])
    target = root / "connectors" / "item-0.json"
    child = hanging_save(target)
    try:
        load_workspace(root)
        assert len(temporaries(target.parent)) == 1
    finally:
        child.kill()
        child.wait(10)


def test_old_temporaries_without_a_process_id_go_once_they_are_old(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, connectors=[CONNECTOR])
    old, young = root / "connectors" / ".item-0.json.abcd1234.tmp", root / "connectors" / ".item-0.json.wxyz9876.tmp"
    for path in (old, young):
        path.write_text("{")
    os.utime(old, (time.time() - STALE_AFTER_S - 5,) * 2)
    load_workspace(root)
    assert temporaries(root / "connectors") == [young]
