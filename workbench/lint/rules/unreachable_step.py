"""``unreachable-step``: a step no path reaches, because every path before it ends the run.

An ``end`` step inside a sub-procedure ends the whole run, so the caller's steps after such a sub-procedure
never run either; this rule makes that visible. Only the first unreachable step of a list is reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.lint.context import LintContext, Rule, step_lists
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    for name, procedure in ctx.checked_procedures():
        for steps in step_lists(procedure):
            index = next((index for index, step in enumerate(steps) if not ctx.flow.reachable(name, step.id)), None)
            if index:  # not 0: a list's first step is reached whenever its parent is
                yield RULE.finding(
                    ctx.path_of("procedure", name),
                    f"never runs: every path through step {steps[index - 1].id!r} ends the run "
                    "(an end step inside a sub-procedure ends the whole run)",
                    step=steps[index].id,
                )


RULE = Rule("unreachable-step", "warning", _check)
