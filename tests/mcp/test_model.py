"""The MCP connector kind in files: no HTTP request written, byte-stable round trips, edits keep it so; server
definitions name exactly one transport."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.mcp.build import LOOKUP
from workbench.model import Connector, McpServer, MockResponse
from workbench.store import serialize


def test_an_mcp_connector_is_written_without_a_request_and_round_trips() -> None:
    connector = Connector.model_validate(LOOKUP)
    assert connector.is_mcp and connector.request.url == "mcp://orders/lookup_order"
    written = serialize(connector)
    assert b'"request"' not in written
    assert serialize(Connector.model_validate_json(written)) == written
    dumped = Connector.model_validate(connector.model_dump(by_alias=True))  # a full dump, as importers make
    assert b'"request"' not in serialize(dumped)


def test_edits_keep_the_stand_in_out_of_the_file() -> None:
    connector = Connector.model_validate(LOOKUP)
    connector.description = "Looks an order up."
    connector.response.example = MockResponse(body={"status": "kept"})
    written = serialize(connector)
    assert b'"request"' not in written and b"Looks an order up." in written


def test_an_http_connector_still_needs_its_request() -> None:
    with pytest.raises(ValidationError, match="request"):
        Connector.model_validate({"name": "x"})


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"url": "http://x/mcp", "command": "srv"},
        {"url": "http://x/mcp", "env": {"A": "1"}},
        {"command": "s", "headers": {"A": "1"}},
    ],
)
def test_a_server_names_one_transport(data: dict) -> None:
    with pytest.raises(ValidationError):
        McpServer.model_validate(data)
