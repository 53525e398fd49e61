"""``array-child-attribute``: a path into an array's elements; only the array itself is an attribute."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding

_PATH_KINDS = ("read", "attribute", "source")


def _check(ctx: LintContext) -> Iterator[Finding]:
    for reference in ctx.references:
        if reference.kind not in _PATH_KINDS or not ctx.shape_known(reference.root):
            continue
        array_root = ctx.resolve(reference.name).array_root
        if array_root is None:
            continue
        yield RULE.finding(
            reference.path,
            f"{reference.name!r} reaches into the array {array_root!r}: only the array itself is an attribute "
            "(read the array, or test its elements in a code condition)",
            step=reference.step,
            field=reference.field,
            line=reference.line,
            column=reference.column,
            suggestion=array_root,
        )


RULE = Rule("array-child-attribute", "error", _check)
