"""``multiple-connectors-in-step``: a step calling more than one connector (one unit of work per step)."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.lint.context import LintContext, Reference, Rule
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    calls: dict[tuple[str | None, str | None], list[Reference]] = {}
    for reference in ctx.references:
        if reference.kind == "call":
            calls.setdefault((reference.procedure, reference.step), []).append(reference)
    for step_calls in calls.values():
        first = step_calls[0].name
        other = next((call for call in step_calls if call.name != first), None)
        if other is None:
            continue
        names = list(dict.fromkeys(call.name for call in step_calls))
        yield RULE.finding(
            other.path,
            f"this step calls {', '.join(names[:-1])} and {names[-1]}: give each connector a step of its own",
            step=other.step,
            field=other.field,
            line=other.line,
            column=other.column,
        )


RULE = Rule("multiple-connectors-in-step", "warning", _check)
