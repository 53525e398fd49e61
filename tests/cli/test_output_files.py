"""Output files (``export -o``, ``test --junit``, ``--save-scenario``, ``mock serve --log``): a regular file is
replaced atomically, a FIFO or a device is written through and stays what it was, anything else is refused;
and every output goes through :mod:`workbench.outputs` (issue 23, item 11)."""

from __future__ import annotations

import ast
import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SUPPORT_DESK
from workbench.cli import main
from workbench.outputs import OutputError, open_output, write_output

WORKBENCH = Path(__file__).resolve().parents[2] / "workbench"


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A FIFO with its reading end open (non-blocking), so that a writer neither waits nor fills it."""
    path = tmp_path / "out.fifo"
    os.mkfifo(path)
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    yield path, reader
    os.close(reader)


def _drain(reader: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(reader, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "intercom", str(SUPPORT_DESK), "Get orders", "-o", "{out}"],
        ["test", str(SUPPORT_DESK), "-k", "big order ships", "--junit", "{out}"],
    ],
    ids=["export -o", "test --junit"],
)
def test_a_fifo_output_is_written_through_and_stays_a_fifo(
    fifo: tuple[Path, int], capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path, reader = fifo
    assert main([part.format(out=path) for part in command]) in (0, 1)
    capsys.readouterr()
    assert stat.S_ISFIFO(os.stat(path).st_mode)
    written = _drain(reader)
    assert written.startswith((b"{", b"<?xml")) and len(written) > 100
    assert [entry.name for entry in path.parent.iterdir()] == [path.name]  # no temporary left beside it


def test_stdout_of_a_process_is_written_through_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reading, writing = os.pipe()
    try:
        stdout = tmp_path / "stdout"  # what /dev/stdout is: a link to the process's open file descriptor
        stdout.symlink_to(f"/proc/self/fd/{writing}")
        assert main(["export", "intercom", str(SUPPORT_DESK), "Get orders", "-o", str(stdout)]) == 0
        capsys.readouterr()
        assert stdout.is_symlink() and os.readlink(stdout) == f"/proc/self/fd/{writing}"
        os.close(writing)
        assert os.read(reading, 65536).startswith(b"{")
    finally:
        os.close(reading)
        with contextlib.suppress(OSError):
            os.close(writing)


def test_a_character_device_is_written_through(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    null = tmp_path / "null"
    null.symlink_to(os.devnull)
    assert main(["export", "intercom", str(SUPPORT_DESK), "Get orders", "-o", str(null)]) == 0
    capsys.readouterr()
    assert null.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_directory_is_refused_with_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "intercom", str(SUPPORT_DESK), "Get orders", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a directory: not written" in err and len(err.splitlines()) == 1


def test_a_regular_file_is_replaced_atomically_and_a_link_to_it_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_output(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    write_output(tmp_path / "fresh.json", b"x")
    assert (tmp_path / "fresh.json").read_bytes() == b"x"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["fresh.json", "link.json", "real.json"]


def test_a_log_appends_to_a_file_and_writes_through_a_fifo(tmp_path: Path, fifo: tuple[Path, int]) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"1\n")
    with open_output(log) as handle:
        handle.write(b"2\n")
    assert log.read_bytes() == b"1\n2\n"
    path, reader = fifo
    with open_output(path) as handle:
        handle.write(b"line\n")
    assert _drain(reader) == b"line\n" and stat.S_ISFIFO(os.stat(path).st_mode)
    with pytest.raises(OutputError, match="directory"):
        open_output(tmp_path)


WRITERS = {"atomic_write", "write_bytes", "write_text", "os.replace", "os.rename", "mkstemp", "NamedTemporaryFile"}
"""Calls that write or move files."""
ALLOWED = {
    "jsonfile.py": {*WRITERS, "fdopen(mode)"},  # the atomic save itself
    "outputs.py": {"atomic_write", "os.open(write)", "fdopen(mode)"},  # output files
    "cli/output.py": {"os.open(write)"},  # /dev/null in place of a standard output whose reader went away
    "sandbox/worker.py": {"os.open(write)"},  # /dev/null as a worker's standard streams
    "tui/widgets/json_field.py": {"NamedTemporaryFile"},  # the text handed to the user's $EDITOR
    "store.py": {"atomic_write"},  # workspace documents
    "settings/config_file.py": {"atomic_write"},  # the user's settings
    "editing/writes.py": {"atomic_write", "os.replace", "write_bytes"},  # sets of workspace files
    "editing/recovery.py": {"atomic_write", "os.open(write)"},  # the recovery journal and its lock (state folder)
    "state_files.py": {"os.open(write)", "fdopen(mode)", "os.replace"},  # the private log, rolled over
    "agent/judge_cache.py": {"atomic_write"},  # the judge's verdicts (cache folder)
}


def _writes(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "os":
            name = f"os.{name}" if name in ("replace", "rename") else name
        if name in WRITERS:
            yield node.lineno, name
        elif name in ("open", "fdopen") and any(
            isinstance(arg, ast.Constant) and isinstance(arg.value, str) and set(arg.value) & set("wax+")
            for arg in [*node.args[1:2], *(keyword.value for keyword in node.keywords if keyword.arg == "mode")]
        ):
            yield node.lineno, f"{name}(mode)"
        elif name == "open" and any(
            isinstance(arg, ast.Attribute) and arg.attr in ("O_WRONLY", "O_RDWR", "O_CREAT") for arg in ast.walk(node)
        ):
            yield node.lineno, "os.open(write)"


def test_files_are_written_only_by_the_atomic_save_the_write_set_and_the_output_helper() -> None:
    """A new CLI output or a new file writer must go through workbench.outputs (or the workspace's saves)."""
    stray = []
    for path in sorted(WORKBENCH.rglob("*.py")):
        relative = path.relative_to(WORKBENCH).as_posix()
        allowed = ALLOWED.get(relative, set())
        for line, name in _writes(ast.parse(path.read_text(), str(path))):
            if name not in allowed:
                stray.append(f"workbench/{relative}:{line}: {name}")
    assert stray == []
