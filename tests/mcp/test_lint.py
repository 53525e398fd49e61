"""Lint of MCP connectors: every rule treats them like HTTP ones; ``mcp-tool`` finds an undefined server, a tool
missing from the server's last listing, an input the schema does not declare and an ``auth`` never sent."""

from __future__ import annotations

from tests.engine.build import procedure, workspace
from tests.mcp.build import mcp_connector
from workbench.lint import lint_workspace

SCHEMA = {"type": "object", "properties": {"order_id": {"type": "string"}}}


def messages(*connectors: dict, texts: tuple[str, ...] = ("@call(Lookup)",)) -> list[tuple[str, str | None, str]]:
    steps = [{"id": f"s{number}", "type": "instruction", "text": text} for number, text in enumerate(texts)]
    ws = workspace(list(connectors), [procedure("P", *steps)], {"mcp_servers": {"orders": {"command": "srv"}}})
    return [(finding.rule, finding.field, finding.message) for finding in lint_workspace(ws)]


def test_a_clean_mcp_connector_has_no_finding() -> None:
    clean = mcp_connector(
        "Lookup",
        "lookup_order",
        inputs=[{"name": "order_id"}],
        mcp={"server": "orders", "tool": "lookup_order", "input_schema": SCHEMA, "listed": ["lookup_order"]},
    )
    assert messages(clean) == []


def test_mcp_tool_findings() -> None:
    broken = mcp_connector(
        "Lookup",
        "x",
        inputs=[{"name": "order_id"}, {"name": "orderid"}],
        auth="shop",
        mcp={"server": "order", "tool": "lookup_ordr", "input_schema": SCHEMA, "listed": ["lookup_order", "greet"]},
    )
    found = sorted((rule, field, message) for rule, field, message in messages(broken) if rule == "mcp-tool")
    assert found == sorted(
        [
            ("mcp-tool", "mcp.server", "the MCP server 'order' is not defined (known: orders); did you mean 'orders'?"),
            (
                "mcp-tool",
                "mcp.tool",
                "the tool 'lookup_ordr' was not in the server's last listing (lookup_order, greet); did you mean 'lookup_order'?",
            ),
            (
                "mcp-tool",
                "inputs.1.name",
                "input 'orderid' is not an argument of the tool 'lookup_ordr' (its schema declares: order_id)",
            ),
            (
                "mcp-tool",
                "auth",
                "auth is not sent with an MCP call: name the token in the server's auth in workbench.json's mcp_servers",
            ),
        ]
    )


def test_other_rules_treat_mcp_connectors_like_http_ones() -> None:
    tool = mcp_connector("Lookup", "lookup_order", response={"mode": "example", "example": {"body": {"status": "ok"}}})
    found = messages(tool, texts=("@read(Lookup > status)", "@call(Lookup)"))
    assert [rule for rule, _, _ in found] == ["attribute-before-call"]
    found = messages(tool, texts=("@call(Lookp)",))
    assert [rule for rule, _, _ in found] == ["unknown-reference"]
