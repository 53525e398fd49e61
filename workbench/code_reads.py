"""Which attributes a code step's code reads: its ``inputs["…"]["…"]…`` subscripts of constant keys, as paths.

``inputs["temporary"]["Get order"]["total"]`` reads ``Get order > total``; ``inputs["user"]["email"]`` reads
``User > email``. The engine reports the values read (the ``code_ran`` event), the linter checks them against
the attributes available at the step, the Try panel asks for them.
"""

from __future__ import annotations

import ast
import functools
import warnings
from dataclasses import dataclass

from workbench.mentions import join_path
from workbench.model import BUILTIN_NAMESPACES

_NAMESPACES = {namespace.lower(): namespace for namespace in BUILTIN_NAMESPACES}


@dataclass(frozen=True)
class CodeRead:
    """One attribute path the code reads, where: the 1-based line and 0-based UTF-8 column of the key naming its
    root (the connector's or code step's name under ``temporary``, else the namespace)."""

    path: str
    line: int
    byte_column: int


@functools.lru_cache(maxsize=1024)
def parse_body(code: str) -> ast.Module | None:
    """The syntax tree of a code step's body (``return`` allowed at its top level), or ``None`` when it does not
    parse (the sandbox's compile check says why)."""
    wrapped = "def _code(inputs):\n" + "".join(f" {line}" for line in code.splitlines(keepends=True))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(wrapped)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):  # back to the body's own positions
        if hasattr(node, "lineno") and hasattr(node, "col_offset"):
            node.lineno -= 1
            node.col_offset = max(node.col_offset - 1, 0)
    return tree


def _key(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _chain(node: ast.Subscript) -> list[tuple[str, ast.expr]] | None:
    """``inputs[k1][k2]…`` as its constant keys with their nodes (``None`` for any other subscript)."""
    keys: list[tuple[str, ast.expr]] = []
    current: ast.expr = node
    while isinstance(current, ast.Subscript):
        key = _key(current.slice)
        if key is None:
            keys.clear()  # a computed key: only the constant keys before it count
        else:
            keys.append((key, current.slice))
        current = current.value
    if not (isinstance(current, ast.Name) and current.id == "inputs") or not keys:
        return None
    keys.reverse()
    return keys


def code_reads(code: str) -> list[CodeRead]:
    """Every attribute path the code reads (the longest constant chain of each subscript), in source order."""
    tree = parse_body(code)
    if tree is None:
        return []
    inner: set[int] = set()
    found: dict[tuple[str, int, int], CodeRead] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript) or id(node) in inner:
            continue
        inner.update(id(child) for child in ast.walk(node.value) if isinstance(child, ast.Subscript))
        chain = _chain(node)
        if chain is None or len(chain) < 2:
            continue
        (namespace, namespace_node), *rest = chain
        if namespace == "temporary":
            path, where = join_path([key for key, _ in rest]), rest[0][1]  # at the connector's (or code step's) name
        elif namespace in _NAMESPACES:
            path, where = join_path([_NAMESPACES[namespace], *(key for key, _ in rest)]), namespace_node
        else:
            continue
        read = CodeRead(path, where.lineno, where.col_offset)
        found.setdefault((path, read.line, read.byte_column), read)
    return sorted(found.values(), key=lambda read: (read.line, read.byte_column))
