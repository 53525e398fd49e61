"""Compile-time policy: what sandboxed source may contain.

`SandboxPolicy` is RestrictedPython's transformer (which rewrites attribute access,
subscripts, iteration and writes into guard calls, and refuses `_` names) made
stricter: no imports, classes, `global`, generators of one's own, and only the builtin
names and attribute names the runtime guards can ever allow.
"""

from __future__ import annotations

import ast
import builtins
import sys
from dataclasses import dataclass
from typing import cast

from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer

from .errors import SandboxCompileError, SandboxError, SandboxPolicyError
from .guards import ATTRIBUTE_NAMES
from .modules import MODULES

_PYTHON_BUILTINS = frozenset(dir(builtins))
_STDLIB_MODULES = frozenset(sys.stdlib_module_names)
_ATTRIBUTE_HINTS = {
    "format": "use an f-string instead",
    "format_map": "use an f-string instead",
}


@dataclass(frozen=True)
class Problem:
    """One finding about the source, at a 0-based UTF-8 byte column as `ast` counts."""

    kind: type[SandboxError]
    message: str
    line: int | None
    byte_column: int | None


def bound_names(tree: ast.AST) -> frozenset[str]:
    """Every name the code binds anywhere: assignments, loop and comprehension targets,
    parameters, function names, `except ... as` names."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef) or (isinstance(node, ast.ExceptHandler) and node.name):
            names.add(cast(str, node.name))  # an ExceptHandler's, checked just above
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
    return frozenset(names)


class SandboxPolicy(RestrictingNodeTransformer):
    """Checks and rewrites one parsed program; findings collect in `problems`.

    `known_names` are the names available without binding them: the sandbox builtins
    plus the program's inputs (`inputs`, or `response`, `status`, `headers`) and, for a
    code step, its pre-imported modules; `importable` the modules it may import.
    """

    def __init__(self, known_names: frozenset[str], tree: ast.AST, importable: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.problems: list[Problem] = []
        self._known = known_names | bound_names(tree)
        self._importable = importable

    def report(self, node: ast.AST, kind: type[SandboxError], message: str) -> None:
        """Record a finding at `node`: its start, or for an attribute, the attribute's name."""
        line: int | None
        column: int | None
        if isinstance(node, ast.Attribute) and node.end_col_offset is not None:
            line, column = node.end_lineno, node.end_col_offset - len(node.attr.encode())
        else:
            line, column = getattr(node, "lineno", None), getattr(node, "col_offset", None)
        self.problems.append(Problem(kind, message, line, column))

    def error(self, node: ast.AST, info: str) -> None:
        """RestrictedPython's own refusals are policy errors."""
        self.report(node, SandboxPolicyError, info.rstrip("."))

    def _refuse(self, node: ast.AST, message: str) -> ast.AST:
        self.report(node, SandboxPolicyError, message)
        return node

    def _not_importable(self, module: str) -> str:
        if not self._importable:
            return "imports are not allowed in the sandbox"
        return f"module '{module}' is not available in the sandbox (allowed: {', '.join(sorted(self._importable))})"

    def visit_Import(self, node: ast.Import) -> ast.AST:
        refused = [alias.name for alias in node.names if alias.name not in self._importable]
        if refused:
            return self._refuse(node, self._not_importable(refused[0]))
        return cast(ast.AST, super().visit_Import(node))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        module = node.module or ""
        if node.level or module not in self._importable:
            return self._refuse(node, self._not_importable("." * node.level + module))
        members = MODULES[module].members
        for alias in node.names:
            if alias.name != "*" and alias.name not in members:
                return self._refuse(node, f"'{module}.{alias.name}' is not available in the sandbox")
        return cast(ast.AST, super().visit_ImportFrom(node))

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return self._refuse(node, "class definitions are not allowed in the sandbox")

    def visit_Global(self, node: ast.Global) -> ast.AST:
        return self._refuse(node, "'global' is not allowed in the sandbox")

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        return self._refuse(node, "'yield' is not allowed in the sandbox")

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        return self._refuse(node, "'yield' is not allowed in the sandbox")

    def visit_TryStar(self, node: ast.AST) -> ast.AST:
        return self._refuse(node, "'except*' is not allowed in the sandbox")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        """Names must be bound by the code or known; an unknown builtin or module is a
        policy error, any other unknown name a compile error."""
        name = node.id
        if isinstance(node.ctx, ast.Load) and not name.startswith("_") and name not in self._known:
            if name in _PYTHON_BUILTINS:
                self.report(node, SandboxPolicyError, f"'{name}' is not available in the sandbox")
            elif name in _STDLIB_MODULES:
                self.report(node, SandboxPolicyError, f"module '{name}' is not available in the sandbox")
            else:
                self.report(node, SandboxCompileError, f"name '{name}' is not defined")
        return cast(ast.AST, super().visit_Name(node))

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        """Only attribute names that some plain data type allows."""
        name = node.attr
        if not name.startswith("_") and name not in INSPECT_ATTRIBUTES and name not in ATTRIBUTE_NAMES:
            hint = _ATTRIBUTE_HINTS.get(name)
            message = f"attribute '{name}' is not available in the sandbox"
            self.report(node, SandboxPolicyError, f"{message}; {hint}" if hint else message)
        return cast(ast.AST, super().visit_Attribute(node))
