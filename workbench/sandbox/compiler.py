"""Compiling user code under the sandbox policy, cached by source text.

Pure and in-process: the linter calls `check_expression` / `check_transform` on every
keystroke, the API compiles before handing work to a worker (so bad code never costs a
round trip), and the worker compiles again from its own cache.
"""

from __future__ import annotations

import ast
import functools
import threading
import warnings
from dataclasses import dataclass
from types import CodeType
from typing import Literal

from .errors import SandboxCompileError, SandboxError
from .guards import BUILTIN_NAMES
from .modules import MODULE_NAMES
from .policy import Problem, SandboxPolicy
from .positions import char_column, end_column

Kind = Literal["condition", "transform", "code"]

FILENAME = "<user code>"
"""The file name user code is compiled under, to find its frames in a traceback."""

TRANSFORM_FUNCTION = "_transform"
"""The function a transform body is compiled into (a `_` name, so user code cannot touch it)."""

TRANSFORM_PARAMETERS = ("response", "status", "headers")

CODE_FUNCTION = "_code"
"""The function a code step's body is compiled into."""

CODE_PARAMETERS = ("inputs",)

_FUNCTIONS: dict[Kind, tuple[str, tuple[str, ...]]] = {
    "transform": (TRANSFORM_FUNCTION, TRANSFORM_PARAMETERS),
    "code": (CODE_FUNCTION, CODE_PARAMETERS),
}
"""The kinds compiled as a function body: the function's name and parameters."""

MAX_SOURCE_CHARS = 100_000

_KNOWN_NAMES: dict[Kind, frozenset[str]] = {
    "condition": BUILTIN_NAMES | {"inputs"},
    "transform": BUILTIN_NAMES | set(TRANSFORM_PARAMETERS),
    "code": BUILTIN_NAMES | set(CODE_PARAMETERS) | MODULE_NAMES,
}
_IMPORTABLE: dict[Kind, frozenset[str]] = {"code": MODULE_NAMES}
"""The modules each kind may import (code steps: :data:`~workbench.sandbox.modules.MODULES`; others none)."""

_WARNINGS_LOCK = threading.Lock()

_Finding = tuple[type[SandboxError], str, "int | None", "int | None"]


@dataclass(frozen=True)
class Program:
    """User code that passed the policy, ready to run with the guards' builtins.

    A condition's code evaluates to its value; a transform's code defines
    `TRANSFORM_FUNCTION(response, status, headers)`, a code step's `CODE_FUNCTION(inputs)`.
    """

    kind: Kind
    source: str
    code: CodeType


def compile_program(kind: Kind, source: str) -> Program:
    """Compile `source` as a condition or transform, or raise its first problem."""
    compiled = _compile(kind, source)
    if isinstance(compiled, Program):
        return compiled
    cls, message, line, column = compiled[0]
    raise cls(message, line, column)


def check_expression(expression: str) -> list[SandboxError]:
    """Every compile and policy problem of a code condition; [] when it is fine."""
    return _check("condition", expression)


def check_transform(code: str) -> list[SandboxError]:
    """Every compile and policy problem of a connector transform body; [] when it is fine."""
    return _check("transform", code)


def check_code(code: str) -> list[SandboxError]:
    """Every compile and policy problem of a code step's body; [] when it is fine."""
    return _check("code", code)


def _check(kind: Kind, source: str) -> list[SandboxError]:
    compiled = _compile(kind, source)
    if isinstance(compiled, Program):
        return []
    return [cls(message, line, column) for cls, message, line, column in compiled]


@functools.lru_cache(maxsize=1024)
def _compile(kind: Kind, source: str) -> Program | tuple[_Finding, ...]:
    if not source.strip():
        return ((SandboxCompileError, f"the {kind} is empty", None, None),)
    if len(source) > MAX_SOURCE_CHARS:
        message = f"the {kind} is too long ({len(source)} characters; the limit is {MAX_SOURCE_CHARS})"
        return ((SandboxCompileError, message, None, None),)
    too_nested = ((SandboxCompileError, f"the {kind} is nested too deeply", None, None),)
    mode = "eval" if kind == "condition" else "exec"
    # SyntaxWarning and friends are not ours to print. `catch_warnings` swaps global
    # state, so two threads compiling at once must not interleave it.
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source, FILENAME, mode)
        except SyntaxError as exc:
            return (_syntax_error(source, exc),)
        except ValueError as exc:  # e.g. a NUL character
            return ((SandboxCompileError, str(exc), None, None),)
        except (RecursionError, MemoryError):
            return too_nested
        policy = SandboxPolicy(_KNOWN_NAMES[kind], tree, _IMPORTABLE.get(kind, frozenset()))
        try:
            tree = policy.visit(tree)
        except RecursionError:
            return too_nested
        if policy.problems:
            return _findings(source, policy.problems)
        try:
            if kind in _FUNCTIONS:
                tree = _as_function(tree, *_FUNCTIONS[kind])
            code = compile(tree, FILENAME, mode, dont_inherit=True)
        except SyntaxError as exc:  # e.g. 'break' outside a loop; offsets here count bytes
            column = None if exc.offset is None else exc.offset - 1
            return _findings(source, [Problem(SandboxCompileError, exc.msg, exc.lineno, column)])
        except (RecursionError, MemoryError):
            return too_nested
    return Program(kind, source, code)


def _syntax_error(source: str, exc: SyntaxError) -> _Finding:
    """A parser error; its offset counts characters, but is 0 at the end of an expression."""
    column = exc.offset
    if exc.lineno and not column:
        column = end_column(source, exc.lineno)
    return (SandboxCompileError, exc.msg, exc.lineno, column)


def _findings(source: str, problems: list[Problem]) -> tuple[_Finding, ...]:
    """Problems in source order with character columns, one per position."""
    findings: dict[tuple[int, int], _Finding] = {}
    for problem in problems:
        column = None
        if problem.line is not None and problem.byte_column is not None:
            column = char_column(source, problem.line, problem.byte_column)
        key = (problem.line or 0, column or 0)
        findings.setdefault(key, (problem.kind, problem.message, problem.line, column))
    return tuple(findings[key] for key in sorted(findings))


def _as_function(body: ast.Module, name: str, parameter_names: tuple[str, ...]) -> ast.Module:
    """Wrap a body into `def name(parameters): <body>` (`_transform(response, status, headers)`,
    `_code(inputs)`), keeping the body's own line and column numbers."""
    parameters = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(parameter) for parameter in parameter_names],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    function = ast.FunctionDef(name=name, args=parameters, body=body.body, decorator_list=[], returns=None)
    return ast.fix_missing_locations(ast.Module(body=[function], type_ignores=[]))
