"""Code steps' names and outputs: ``code-step-name``, a name that is also a connector's or another code step's
(their attributes would mix); ``unused-code-output``, a code step whose outputs no step reads."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.folders import name_key
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding
from workbench.model import CodeStep
from workbench.model.kinds import steps_of

_READ_KINDS = ("read", "attribute", "temporary")


def _code_steps(ctx: LintContext) -> Iterator[tuple[str, CodeStep]]:
    """The code steps of the checked procedures, with their procedure's name."""
    for name, procedure in ctx.checked_procedures():
        for step in steps_of(procedure.all_steps(), CodeStep):
            yield name, step


def _clashes(ctx: LintContext) -> Iterator[Finding]:
    connectors = {name_key(connector) for connector in ctx.connectors}
    first: dict[str, tuple[str, str]] = {}
    for name, procedure in ctx.procedures.items():
        for step in steps_of(procedure.all_steps(), CodeStep):
            first.setdefault(name_key(step.name), (name, step.id))
    for name, step in _code_steps(ctx):
        key = name_key(step.name)
        if key in connectors:
            message = f"code step name {step.name!r} is also a connector's: its outputs and the response would mix"
        elif first[key] != (name, step.id):
            message = f"code step name {step.name!r} is already used by step {first[key][1]!r} of {first[key][0]!r}"
        else:
            continue
        yield NAME.finding(ctx.path_of("procedure", name), message, step=step.id, field="name")


def _unused(ctx: LintContext) -> Iterator[Finding]:
    read = {
        reference.root
        for name, procedure in ctx.procedures.items()
        for reference in ctx.procedure_references(name, procedure)
        if reference.kind in _READ_KINDS
    }
    for name, step in _code_steps(ctx):
        if step.name not in read:
            yield UNUSED.finding(
                ctx.path_of("procedure", name),
                f"nothing reads the outputs of code step {step.name!r}: read them as @read({step.name} > key) in a "
                "later step, or remove the step",
                step=step.id,
                field="name",
            )


NAME = Rule("code-step-name", "error", _clashes)
UNUSED = Rule("unused-code-output", "warning", _unused)
