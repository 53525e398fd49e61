"""The editor's live test (Ctrl+T) of an MCP connector calls its tool in a session of its own; the reply is
masked and can become the connector's example (Ctrl+Y). The secret in a stdio server's environment needs a server
of its own; the plain call goes to the shared test server."""

from __future__ import annotations

from typing import Any

from tests.mcp.build import LOOKUP, mcp_connector, stdio_server
from workbench.editing.live_request import send_test_request
from workbench.model import Connector, WorkspaceSettings

SECRET = "mcp-secret-Zt55"


def settings() -> WorkspaceSettings:
    return WorkspaceSettings.model_validate(
        {"mcp_servers": {"orders": stdio_server(env={"ORDERS_TOKEN": "{{secret.ORDERS_KEY}}"})}}
    )


async def test_the_test_call_answers_with_the_tool_result_ready_to_keep(shared_server: dict[str, Any]) -> None:
    connector = Connector.model_validate(LOOKUP)
    shared = WorkspaceSettings.model_validate({"mcp_servers": {"orders": shared_server}})
    reply = await send_test_request(connector, {"order_id": "A-9"}, shared, None, {})
    assert reply.ok and (reply.method, reply.url) == ("TOOL", "mcp://orders/lookup_order")
    assert reply.body["id"] == "A-9"
    assert reply.as_example(None).body == reply.body


async def test_secrets_are_masked_and_failures_are_replies() -> None:
    token = Connector.model_validate(mcp_connector("Token", "env_token"))
    reply = await send_test_request(token, {}, settings(), None, {"ORDERS_KEY": SECRET})
    assert reply.ok and reply.body == {"token": "***"}
    broken = Connector.model_validate(mcp_connector("Broken", "fail"))
    reply = await send_test_request(broken, {}, settings(), None, {"ORDERS_KEY": SECRET})
    assert not reply.ok and reply.error is not None and reply.error.reason == "third_party_status"
    missing = await send_test_request(broken, {}, settings(), None, {})
    assert missing.error is not None and "ORDERS_KEY" in missing.error.message
