"""The turn of a mock that answers one request, for the HTTP routes and the MCP endpoint alike."""

from __future__ import annotations

import asyncio
from typing import Any

from workbench.connectors import MockState, TemplateScope, choose_mock
from workbench.mockserver.records import RequestRecord
from workbench.model import Connector, MockResponse


async def take_mock(
    connector: Connector,
    inputs: dict[str, Any],
    state: MockState,
    *,
    dynamic: bool,
    entry: RequestRecord,
    hold_s: float,
) -> MockResponse:
    """The mock answering ``inputs`` (its turn of a sequence, templated for a dynamic rule), after its latency,
    and after ``hold_s`` for a ``timeout`` fault; its rule and fault are written into the log ``entry``. Raises
    :class:`~workbench.connectors.ConnectorError` when no mock answers."""
    choice = choose_mock(connector, inputs, dynamic=dynamic, flags=state.flags)
    entry["rule"] = choice.label
    mock = state.take(choice, TemplateScope.mock(connector, inputs) if choice.templated else None)
    if mock.fault:
        entry["fault"] = mock.fault
    if mock.latency_ms:
        await asyncio.sleep(mock.latency_ms / 1000)
    if mock.fault == "timeout":
        await asyncio.sleep(hold_s)
    return mock
