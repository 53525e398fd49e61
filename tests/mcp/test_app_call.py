"""The app's live test dialog (Ctrl+T) on an MCP connector: it calls the tool (over stdio, and in the connector
editor on the shared test server), shows the result and Ctrl+Y keeps it as the connector's example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from tests.mcp.build import LOOKUP
from tests.mcp.test_editor_call import SECRET, settings
from tests.mcp.test_mocks import write_workspace
from tests.quick_pilot import quick_test
from tests.tui.debug.test_live_request import ScreenApp, rendered
from tests.waiting import wait_until
from workbench.model import Connector
from workbench.tui.debug.live_request_screen import LiveRequestScreen, reply_summary


async def test_ctrl_t_calls_the_tool_and_ctrl_y_keeps_the_result() -> None:
    app = ScreenApp(LiveRequestScreen(Connector.model_validate(LOOKUP), settings(), None, {"ORDERS_KEY": SECRET}))
    async with quick_test(app, size=(110, 40)) as pilot:
        await pilot.pause()
        app.dialog.query_one("#input-order_id", Input).value = "A-5"
        await pilot.press("enter")
        await wait_until(lambda: app.dialog.reply is not None, pilot, timeout=60)
        await pilot.pause()
        reply = app.dialog.reply
        assert reply is not None
        shown = rendered(reply_summary(reply))
        await pilot.press("ctrl+y")
        await pilot.pause()
    assert "TOOL mcp://orders/lookup_order" in shown and "tool result · " in shown
    assert app.saved[0] is not None and app.saved[0].body["id"] == "A-5"


async def test_the_connector_editor_shows_the_tool_and_ctrl_t_ctrl_y_keep_its_result(
    tmp_path: Path, shared_server: dict[str, Any]
) -> None:
    from tests.tui.conftest import front_editor, open_item, running, settle, workbench_of
    from workbench.tui.widgets.connector_editor import ConnectorEditor

    write_workspace(tmp_path, shared_server)
    async with running(tmp_path, (130, 45)) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "connector", "Lookup order")
        editor = front_editor(app, ConnectorEditor)
        shown = str(editor.query_one("#mcp-tool", Static).render())
        assert "MCP tool lookup_order of server orders" in shown and "order_id: string, required" in shown
        assert not editor.query_one("#url-row").display
        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, LiveRequestScreen), pilot)
        dialog = app.screen
        assert isinstance(dialog, LiveRequestScreen)
        dialog.query_one("#input-order_id", Input).value = "A-3"
        await pilot.press("enter")
        await wait_until(lambda: dialog.reply is not None, pilot, timeout=60)
        reply = dialog.reply
        assert reply is not None and reply.ok, reply
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.session.find("connector", "Lookup order").model.response.example.body["id"] == "A-3"
