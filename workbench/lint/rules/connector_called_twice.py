"""``connector-called-twice``: a connector called again although the context already keeps its response."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    in_step: dict[tuple[str | None, str | None], set[str]] = {}
    for reference in ctx.references:
        if reference.kind != "call" or reference.name not in ctx.connectors or reference.procedure is None:
            continue
        assert reference.step is not None
        if not ctx.flow.reachable(reference.procedure, reference.step):
            continue
        seen = in_step.setdefault((reference.procedure, reference.step), set())
        where = None
        if reference.name in seen:
            where = "earlier in this step"
        elif reference.name in ctx.flow.before(reference.procedure, reference.step).maybe_called:
            where = "before this step (here or in a calling procedure)"
        seen.add(reference.name)
        if where is None:
            continue
        yield RULE.finding(
            reference.path,
            f"{reference.name} is already called {where}; its response stays in the context, read it instead",
            step=reference.step,
            field=reference.field,
            line=reference.line,
            column=reference.column,
        )


RULE = Rule("connector-called-twice", "warning", _check)
