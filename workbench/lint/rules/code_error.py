"""``code-error``: a code condition, transform or code step that does not compile or breaks the sandbox policy
(a code step: an import of a module outside the allowed ones, a name the sandbox does not offer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workbench.lint.context import LintContext, Rule, code_conditions
from workbench.lint.finding import Finding
from workbench.model.kinds import reads
from workbench.sandbox import SandboxError, SandboxPolicyError, check_code, check_expression, check_transform


def _check(ctx: LintContext) -> Iterator[Finding]:
    for name, connector in ctx.checked_connectors():
        if (connector.transform or "").strip():
            for error in check_transform(connector.transform or ""):
                yield _finding(ctx.path_of("connector", name), None, "transform", error)
    for name, procedure in ctx.checked_procedures():
        for step in procedure.all_steps():
            for field, code in code_conditions(step):
                for error in check_expression(code):
                    yield _finding(ctx.path_of("procedure", name), step.id, field, error)
            for field, code in reads(step).code:
                for error in check_code(code):
                    yield _finding(ctx.path_of("procedure", name), step.id, field, error)


def _finding(path: Path, step: str | None, field: str, error: SandboxError) -> Finding:
    what = "not allowed in the sandbox" if isinstance(error, SandboxPolicyError) else "does not compile"
    return RULE.finding(path, f"{what}: {error.message}", step=step, field=field, line=error.line, column=error.column)


RULE = Rule("code-error", "error", _check)
