"""``unknown-token``: a connector's ``auth`` that names no token of workbench.json's ``tokens``."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import mentions
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    tokens = ctx.settings.tokens
    for name, connector in ctx.checked_connectors():
        if connector.auth is not None and connector.auth not in tokens:
            hint = mentions.suggest(connector.auth, tokens)
            known = ", ".join(sorted(tokens)) or "none in workbench.json"
            yield RULE.finding(
                ctx.path_of("connector", name),
                f"auth names the token {connector.auth!r}, which does not exist (known: {known})"
                + (f"; did you mean {hint!r}?" if hint else ""),
                field="auth",
                suggestion=hint,
            )


RULE = Rule("unknown-token", "error", _check)
