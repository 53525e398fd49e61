"""``response-field``: a declared response field the example does not have or contradicts, and an attribute
condition whose comparison does not suit the field's declared type."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import fields, mentions
from workbench.attributes import value_type
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding
from workbench.model import AnyStep, AttributeWhen, Connector, FieldType
from workbench.model.kinds import tests_of

_ORDERED: frozenset[FieldType] = frozenset({"integer", "decimal", "datetime"})


def _check(ctx: LintContext) -> Iterator[Finding]:
    for name, connector in ctx.checked_connectors():
        if connector.response.fields and ctx.shape_known(name):
            yield from _declarations(ctx, name, connector)
    for name, procedure in ctx.checked_procedures():
        for step in procedure.all_steps():
            yield from _comparisons(ctx, name, step)


def _declarations(ctx: LintContext, name: str, connector: Connector) -> Iterator[Finding]:
    payload = ctx.catalog.payload(name)
    path = ctx.path_of("connector", name)
    for index, field in enumerate(connector.response.fields):
        found = ctx.catalog.resolve(mentions.join_path([name, *fields.segments(field.path)]))[0]
        where = {"field": f"response.fields.{index}.path"}
        if found.array_root is not None:
            yield RULE.finding(
                path,
                f"field {field.path!r} is inside the array {found.array_root!r}: only its root is an attribute",
                **where,
            )
            continue
        present, value = fields.lookup(payload, field.path)
        if not present:
            yield RULE.finding(path, f"field {field.path!r} is not in the example response", **where)
        elif not fields.matches(field.type, value):
            shown = "***" if field.redacted else repr(value)
            yield RULE.finding(
                path,
                f"field {field.path!r} is declared {field.type} but the example has {value_type(value)} {shown}",
                field=f"response.fields.{index}.type",
                suggestion=fields.infer(value),
            )


def _declared_type(ctx: LintContext, attribute: str) -> FieldType | None:
    root, *rest = mentions.split_path(attribute)
    connector = ctx.connectors.get(root)
    if connector is None:
        return None
    wanted = mentions.join_path(rest)
    return next(
        (f.type for f in connector.response.fields if mentions.join_path(fields.segments(f.path)) == wanted), None
    )


def _comparisons(ctx: LintContext, procedure: str, step: AnyStep) -> Iterator[Finding]:
    for index, when in tests_of(step, AttributeWhen):
        if when.op not in ("greater_than", "less_than", "contains"):
            continue
        kind = _declared_type(ctx, when.attribute)
        if kind is None or (kind == "string" if when.op == "contains" else kind in _ORDERED):
            continue
        why = "compares order" if when.op != "contains" else "looks for text"
        yield RULE.finding(
            ctx.path_of("procedure", procedure),
            f"{when.op} {why}, but {when.attribute!r} is declared {kind}",
            step=step.id,
            field=f"branches.{index}.when.op",
        )


RULE = Rule("response-field", "warning", _check)
