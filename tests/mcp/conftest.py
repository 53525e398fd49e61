"""The test server shared over streamable HTTP, for the tests that need a live MCP server but not a process of
their own: how the server is started and reached is the point of the stdio tests, not of these."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.mcp.server import http_server


@pytest.fixture(scope="session")
def shared_server() -> Iterator[dict[str, Any]]:
    """An ``mcp_servers`` entry of the test server on a thread of this process, started once per process (its
    tools keep no state; never call ``crash`` or ``env_token`` on it, which would end or read this process)."""
    with http_server() as url:
        yield {"url": url, "timeout_s": 20}
