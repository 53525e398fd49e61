"""Rules over the package's source: each one a function ``(module, source) -> problems``, run on every module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent
Rule = Callable[[str, str], list[str]]
"""A rule: the problems of one module (its path under the package, and its text)."""


def broken(rule: Rule) -> list[str]:
    """Every problem ``rule`` finds in the package's modules."""
    return [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in rule(str(path.relative_to(PACKAGE)), path.read_text(encoding="utf-8"))
    ]
