"""Rules over the package's source: each one a function ``(module, source) -> problems``, run on every module.

The package's text is read once per process and every source's tree parsed and walked once (:func:`nodes`),
whichever rule asks: the rules only read the trees."""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent
TESTS = Path(__file__).parent
Rule = Callable[[str, str], list[str]]
"""A rule: the problems of one module (its path under the package, and its text)."""


@functools.cache
def package_sources() -> tuple[tuple[str, str], ...]:
    """Every module of the package: its path under the package and its text, in path order."""
    return tuple(
        (str(path.relative_to(PACKAGE)), path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))
    )


@functools.cache
def nodes(source: str) -> tuple[ast.AST, ...]:
    """Every node of ``source``'s tree, in ``ast.walk`` order (parsed once per process; do not change them)."""
    return tuple(ast.walk(ast.parse(source)))


def broken(rule: Rule) -> list[str]:
    """Every problem ``rule`` finds in the package's modules."""
    return [problem for module, source in package_sources() for problem in rule(module, source)]


def broken_in_tests(rule: Rule) -> list[str]:
    """Every problem ``rule`` finds in the suite's own modules (each named by its path under tests/)."""
    return [
        problem
        for path in sorted(TESTS.rglob("*.py"))
        for problem in rule(str(path.relative_to(TESTS)), path.read_text(encoding="utf-8"))
    ]
