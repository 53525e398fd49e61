"""``mcp-tool``: an MCP connector whose server is not in workbench.json's ``mcp_servers``, whose tool the server
did not list when it was last imported, with an input its tool's input schema does not declare, or with an
``auth`` (which an MCP call does not send: a server names its token in its own ``auth``)."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import mentions
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding


def _check(ctx: LintContext) -> Iterator[Finding]:
    servers = ctx.settings.mcp_servers
    for name, connector in ctx.checked_connectors():
        mcp = connector.mcp
        if mcp is None:
            continue
        path = ctx.path_of("connector", name)
        if mcp.server not in servers:
            hint = mentions.suggest(mcp.server, servers)
            known = ", ".join(sorted(servers)) or "none in workbench.json"
            yield RULE.finding(
                path,
                f"the MCP server {mcp.server!r} is not defined (known: {known})"
                + (f"; did you mean {hint!r}?" if hint else ""),
                field="mcp.server",
                suggestion=hint,
            )
        if mcp.listed and mcp.tool not in mcp.listed:
            hint = mentions.suggest(mcp.tool, mcp.listed)
            yield RULE.finding(
                path,
                f"the tool {mcp.tool!r} was not in the server's last listing ({', '.join(mcp.listed)})"
                + (f"; did you mean {hint!r}?" if hint else ""),
                field="mcp.tool",
                suggestion=hint,
            )
        declared = mcp.declared_inputs()
        for index, item in enumerate(connector.inputs):
            if declared is not None and item.name not in declared:
                yield RULE.finding(
                    path,
                    f"input {item.name!r} is not an argument of the tool {mcp.tool!r} "
                    f"(its schema declares: {', '.join(sorted(declared)) or 'none'})",
                    field=f"inputs.{index}.name",
                )
        if connector.auth is not None:
            yield RULE.finding(
                path,
                "auth is not sent with an MCP call: name the token in the server's auth in workbench.json's mcp_servers",
                field="auth",
            )


RULE = Rule("mcp-tool", "warning", _check)
