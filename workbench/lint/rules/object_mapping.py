"""``object-mapping``: a mapping from a path the example response does not have, or to a User / Conversation
attribute the workspace does not declare (in workbench.json ``attributes`` or the standard ones)."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import fields, mentions
from workbench.attributes import resolve
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    declared = ctx.catalog.builtin_values()
    for name, connector in ctx.checked_connectors():
        path = ctx.path_of("connector", name)
        for index, mapping in enumerate(connector.response.mappings):
            if ctx.shape_known(name):
                found = ctx.catalog.resolve(mentions.join_path([name, *fields.segments(mapping.from_)]))[0]
                if not found.found:
                    inside = f" (inside the array {found.array_root!r})" if found.array_root else ""
                    yield RULE.finding(
                        path,
                        f"mapping from {mapping.from_!r}: the example response has no such path{inside}",
                        field=f"response.mappings.{index}.from",
                    )
            root, *rest = mentions.split_path(mapping.to)
            if not resolve(declared[root], root, rest).found:
                target = mentions.normalize_path(mapping.to)
                example = f'"{root}": {{"{rest[-1]}": null}}'
                yield RULE.finding(
                    path,
                    f"mapping to {target!r}: the workspace does not declare this attribute "
                    f"(add it to workbench.json attributes, e.g. {example})",
                    field=f"response.mappings.{index}.to",
                )


RULE = Rule("object-mapping", "error", _check)
