"""Class 4: special files named *.json (device links, FIFOs, directories, huge files) are located errors, unread."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.kit import calling, cli, load_error, write_workspace
from workbench.jsonfile import MAX_FILE_BYTES
from workbench.quick_index import quick_index


def device_link(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def fifo_link(path: Path) -> None:
    fifo(path.with_name("pipe"))
    path.symlink_to(path.with_name("pipe"))


def directory(path: Path) -> None:
    path.mkdir()


def huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk


def unix_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


MAKERS = {
    "zero": device_link("/dev/zero"),
    "urandom": device_link("/dev/urandom"),
    "null": device_link("/dev/null"),
    "fifo": fifo,
    "fifo-link": fifo_link,
    "directory": directory,
    "huge": huge,
    "socket": unix_socket,
}
PLACES = ["connectors/evil.json", "procedures/evil.json", "scenarios/evil.json", "workbench.json"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(MAKERS)), place=st.sampled_from(PLACES))
def test_special_files_are_located_errors(capsys: pytest.CaptureFixture[str], kind: str, place: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        connector = {"name": "C", "request": {"url": "http://127.0.0.1:9/c"}, "response": {"example": {"body": 1}}}
        scenario = {"name": "S", "procedure": "P", "expect": {"outcome": "resolved"}}
        root = write_workspace(Path(folder), connectors=[connector], procedures=[calling("C")], scenarios=[scenario])
        path = root / place
        path.unlink(missing_ok=True)
        MAKERS[kind](path)
        run = cli(capsys, "run", root, "P", limit_s=20)
        lint = cli(capsys, "lint", root, "--format", "json", limit_s=20)
        test = cli(capsys, "test", root, limit_s=20)
        names = {item.path.name: item.name for item in quick_index(root)}
    finding = load_error(lint, path)
    assert lint.code == 1 and (finding["line"], finding["column"]) == (1, 1)
    assert finding["message"].startswith("is ") and (
        "expected a JSON file" in finding["message"] or "larger" in finding["message"]
    )
    if place == "workbench.json":
        assert run.code == 2 and f"{path}:1:1: is " in run.err
    else:
        assert run.code == 0 and test.code in (0, 1)
        assert names.get("evil.json") == "evil"
    assert len(lint.out) < 10_000
