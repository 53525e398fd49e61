"""``attribute-before-call``: an attribute read where its connector has not been called (or its code step has not
run) on every path (a User / Conversation attribute that only a connector's object mapping sets counts as that
connector's)."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import mentions
from workbench.attributes import FlowState
from workbench.lint.context import LintContext, Reference, Rule
from workbench.lint.finding import Finding
from workbench.model import BUILTIN_NAMESPACES

_READ_KINDS = ("read", "attribute", "temporary")


def _check(ctx: LintContext) -> Iterator[Finding]:
    for reference in ctx.references:
        if reference.procedure is None or reference.step is None:
            continue
        if not ctx.flow.reachable(reference.procedure, reference.step):
            continue  # unreachable-step says why
        if reference.kind in _READ_KINDS and ctx.is_source(reference.root):
            state = ctx.flow.in_step(reference.procedure, reference.step)
            if reference.root not in state.called:
                what = "reads" if reference.kind != "attribute" else "tests"
                code = reference.root not in ctx.connectors
                yield _finding(reference, f"{what} {reference.name!r}", reference.root, state, code=code)
        elif reference.kind in _READ_KINDS and reference.root in BUILTIN_NAMESPACES:
            yield from _unmapped(ctx, reference)
        elif reference.kind == "call" and reference.name in ctx.connectors:
            yield from _unavailable_sources(ctx, reference)


def _unmapped(ctx: LintContext, reference: Reference) -> Iterator[Finding]:
    """A read of a User / Conversation attribute that only a connector's mapping sets, before that connector."""
    assert reference.procedure is not None and reference.step is not None
    path = mentions.normalize_path(reference.name)
    source = ctx.catalog.mapped_unset(path)
    if source is None:
        return
    state = ctx.flow.in_step(reference.procedure, reference.step)
    if path not in state.collected:
        what = "reads" if reference.kind != "attribute" else "tests"
        yield _finding(reference, f"{what} {reference.name!r}, which {source}'s mapping sets,", source, state)


def _unavailable_sources(ctx: LintContext, call: Reference) -> Iterator[Finding]:
    """The inputs of a called connector whose ``source`` is a connector attribute not fetched yet."""
    assert call.procedure is not None and call.step is not None
    state = ctx.flow.in_step(call.procedure, call.step)
    for item in ctx.connectors[call.name].inputs:
        if not item.source:
            continue
        root = mentions.split_path(item.source)[0]
        if root in ctx.connectors and root != call.name and root not in state.called:
            yield _finding(
                call, f"calls {call.name}, whose input {item.name!r} comes from {item.source!r},", root, state
            )


def _finding(reference: Reference, what: str, connector: str, state: FlowState, *, code: bool = False) -> Finding:
    """``code``: ``connector`` is a code step's name."""
    if connector in state.maybe_called:
        why = f"{_subject(connector, code)} on some paths to this step, not all"
    elif code:
        why = f"code step {connector} does not run before this step"
    else:
        why = f"{connector} is not called before this step"
    return RULE.finding(
        reference.path,
        f"{what} but {why}",
        step=reference.step,
        field=reference.field,
        line=reference.line,
        column=reference.column,
        suggestion=None if code else f"@call({connector})",
    )


def _subject(name: str, code: bool) -> str:
    return f"code step {name} runs" if code else f"{name} is called"


RULE = Rule("attribute-before-call", "error", _check)
