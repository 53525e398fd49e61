"""``unchecked-index``: a code condition indexing an array at a fixed position without checking its length."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from workbench.lint.code import node_position, parse_expression, unchecked_indexes
from workbench.lint.context import LintContext, Rule, code_conditions
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    for name, procedure in ctx.checked_procedures():
        for step in procedure.all_steps():
            for field, code in code_conditions(step):
                tree = parse_expression(code)
                if tree is None:
                    continue
                for node in unchecked_indexes(tree):
                    line, column = node_position(code, node.slice)
                    sequence = ast.get_source_segment(code, node.value) or ast.unparse(node.value)
                    yield RULE.finding(
                        ctx.path_of("procedure", name),
                        f"index {ast.unparse(node.slice)} is read without checking the length first: "
                        f"it fails when {sequence} is shorter",
                        step=step.id,
                        field=field,
                        line=line,
                        column=column,
                        suggestion=f"len({sequence}) > {_needed(node.slice)} and ...",
                    )


def _needed(index: ast.expr) -> int:
    """The length check that makes a constant index safe: ``len(x) > 3`` for ``x[3]``, ``> 0`` for ``x[-1]``."""
    value: int = ast.literal_eval(index)
    return value if value >= 0 else -value - 1


RULE = Rule("unchecked-index", "warning", _check)
