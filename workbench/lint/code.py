"""Python code in conditions, as the linter reads it: parsed with ``ast``, positions in characters."""

from __future__ import annotations

import ast
from functools import lru_cache

from workbench.sandbox.positions import char_column


@lru_cache(maxsize=2048)
def parse_expression(code: str) -> ast.Expression | None:
    """The syntax tree of a code condition, or ``None`` when it does not parse (``code-error`` reports why)."""
    try:
        return ast.parse(code, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def node_position(code: str, node: ast.expr) -> tuple[int, int]:
    """The 1-based line and character column of a node."""
    return node.lineno, char_column(code, node.lineno, node.col_offset)


def _constant_key(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def temporary_keys(tree: ast.AST) -> list[ast.Constant]:
    """The string nodes ``X`` of every ``inputs["temporary"]["X"]`` in a tree, in source order."""
    found: list[ast.Constant] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript) or _constant_key(node.slice) is None:
            continue
        inner = node.value
        if (
            isinstance(inner, ast.Subscript)
            and isinstance(inner.value, ast.Name)
            and inner.value.id == "inputs"
            and _constant_key(inner.slice) == "temporary"
        ):
            found.append(node.slice)  # type: ignore[arg-type]
    return sorted(found, key=lambda item: (item.lineno, item.col_offset))


def unchecked_indexes(tree: ast.AST) -> list[ast.Subscript]:
    """Subscripts at a constant integer position whose sequence has no ``len(...)`` in the same code."""
    measured = {
        ast.dump(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and node.args
    }
    found = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript) and _is_int_constant(node.slice) and ast.dump(node.value) not in measured
    ]
    return sorted(found, key=lambda item: (item.slice.lineno, item.slice.col_offset))


def _is_int_constant(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int
