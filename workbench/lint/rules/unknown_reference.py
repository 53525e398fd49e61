"""``unknown-reference``: a mention, input source, condition attribute, code key or procedure that names nothing."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import mentions
from workbench.attributes import SEPARATOR
from workbench.lint.context import LintContext, Reference, Rule
from workbench.lint.finding import Finding
from workbench.model import BUILTIN_NAMESPACES


def _check(ctx: LintContext) -> Iterator[Finding]:
    for bad in ctx.malformed_mentions:
        yield RULE.finding(bad.path, bad.message, step=bad.step, field=bad.field, line=bad.line, column=bad.column)
    for reference in ctx.references:
        problem = _problem(ctx, reference)
        if problem is not None:
            message, suggestion = problem
            if suggestion is not None:
                message += f"; did you mean {suggestion!r}?"
            declare = reference.name if reference.kind not in _NAMED and reference.root in BUILTIN_NAMESPACES else None
            if declare is not None:
                message += (
                    f' Declare it with a sample value under "attributes" > "{reference.root}" in workbench.json '
                    "(the app's Problems list does it: f), or collect it in a step first."
                )
            yield RULE.finding(
                reference.path,
                message,
                step=reference.step,
                field=reference.field,
                line=reference.line,
                column=reference.column,
                suggestion=suggestion,
                declare=declare,
            )


_NAMED = ("subprocedure", "procedure", "call", "temporary", "mock")
"""Reference kinds that name a procedure or a connector, not an attribute."""


def _problem(ctx: LintContext, reference: Reference) -> tuple[str, str | None] | None:
    """``(message, suggestion)`` when the reference names nothing."""
    if reference.kind in ("subprocedure", "procedure"):
        if reference.name in ctx.procedures:
            return None
        return f"no procedure is called {reference.name!r}", mentions.suggest(reference.name, ctx.procedures)
    if reference.kind in ("call", "mock") or (reference.kind == "temporary" and not ctx.is_source(reference.name)):
        if reference.name in ctx.connectors:
            return None
        return f"no connector is called {reference.name!r}", mentions.suggest(reference.name, ctx.connectors)
    if reference.kind == "temporary":
        return None
    root = reference.root
    if not ctx.is_source(root) and root not in BUILTIN_NAMESPACES:
        what = f"{root!r} is neither a connector, a code step nor one of {', '.join(BUILTIN_NAMESPACES)}"
        return f"attribute {reference.name!r} names nothing: {what}", mentions.suggest(reference.name, ctx.known_paths)
    if not ctx.shape_known(root):
        return None
    resolution = ctx.resolve(reference.name)
    if resolution.found or resolution.array_root is not None:
        return None
    candidates = [path for path in ctx.known_paths if path.split(SEPARATOR, 1)[0] == root]
    if root in ctx.catalog.code_steps and root not in ctx.connectors:
        how = "declares" if ctx.catalog.code_steps[root].outputs is not None else "returned in a run on the samples"
        message = f"code step {root} never returns {reference.name!r} (outputs it {how}: {', '.join(candidates)})"
        return message, mentions.suggest(reference.name, candidates)
    return f"{root} has no attribute {reference.name!r}", mentions.suggest(reference.name, candidates)


RULE = Rule("unknown-reference", "error", _check)
