"""``rule-pattern``: a dynamic rule's ``regex`` test whose pattern the RE2 engine refuses (a back-reference,
look-around, bad syntax, over the limits): checked the way a run compiles it, so it fails here, not mid-run."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.connectors.mock import regex_problem
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    for name, connector in ctx.checked_connectors():
        for number, rule in enumerate(connector.response.rules):
            for index, match in enumerate(rule.when):
                problem = regex_problem(match)
                if problem is not None:
                    yield RULE.finding(
                        ctx.path_of("connector", name), problem, field=f"response.rules.{number}.when.{index}.value"
                    )


RULE = Rule("rule-pattern", "error", _check)
