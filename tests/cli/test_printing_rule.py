"""Everything the CLI prints goes through :mod:`workbench.cli.output`, which shows control characters instead of
sending them to the terminal: an AST rule finds code that writes to the terminal any other way."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"
PRINTER = PACKAGE / "cli" / "output.py"
STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}
ECHOES = {"echo", "secho", "pprint"}


def _offences(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module prints other than through the printer: ``print``, ``sys.stdout``/``sys.stderr`` (but for
    their ``fileno()``: a worker's pipes), a rich ``Console`` of its own, ``click.echo``-like calls, ``os.write``
    to descriptors 1 and 2."""
    found = []
    fileno_streams = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fileno"
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if (isinstance(func, ast.Name) and name in ("print", "Console")) or name in ECHOES:
                found.append((node.lineno, f"{name}(…)"))
            elif ast.unparse(func) == "os.write" and node.args and ast.unparse(node.args[0]) in ("1", "2"):
                found.append((node.lineno, "os.write to a terminal descriptor"))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in STREAMS
            and ast.unparse(node.value) == "sys"
            and id(node) not in fileno_streams
            and not _buffer_fileno(tree, node)
        ):
            found.append((node.lineno, f"sys.{node.attr}"))
    return found


def _buffer_fileno(tree: ast.AST, stream: ast.Attribute) -> bool:
    """Whether ``stream`` is used as ``sys.stdout.buffer.fileno()``."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "fileno"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.value is stream
        for node in ast.walk(tree)
    )


def test_only_the_printer_writes_to_the_terminal() -> None:
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PRINTER:
            continue
        tree = ast.parse(path.read_text(), str(path))
        offences += [f"{path.relative_to(PACKAGE.parent)}:{line}: {what}" for line, what in _offences(tree)]
    assert offences == [], "print through workbench.cli.output (say, console, write_json):\n" + "\n".join(offences)


def test_the_rule_finds_each_way_to_print() -> None:
    source = """
import os, sys
print("x")
sys.stdout.write("x")
sys.stderr.buffer.write(b"x")
console = Console()
click.echo("x")
os.write(2, b"x")
sys.stdout.fileno()
sys.stdout.buffer.fileno()
os.write(fd, b"x")
"""
    assert sorted(line for line, _ in _offences(ast.parse(source))) == [3, 4, 5, 6, 7, 8]
