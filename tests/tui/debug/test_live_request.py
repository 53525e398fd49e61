"""Live test requests from the connector pane, against a server on 127.0.0.1 started by the test."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, RenderableType
from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Static

from tests.connectors.server import LoopbackServer, json_reply, reply
from tests.quick_pilot import quick_test
from tests.waiting import wait_until
from workbench.editing.live_request import send_test_request, suggested_inputs, typed_inputs
from workbench.model import Connector, MockResponse, WorkspaceSettings
from workbench.tui.debug.live_request_screen import LiveRequestScreen, reply_summary
from workbench.tui.screens.pickers import ConfirmScreen

SECRET = "s3cr3t-token-value"


def connector(kind: str = "read", **request: Any) -> Connector:
    return Connector.model_validate(
        {
            "name": "Get orders",
            "kind": kind,
            "request": {
                "url": "{{env.base_url}}/orders/{{email}}",
                "headers": {"Authorization": "Bearer {{secret.TOKEN}}"},
                **request,
            },
            "inputs": [
                {"name": "email", "required": True, "source": "User > email"},
                {"name": "limit", "type": "integer"},
            ],
            "response": {"mode": "live", "example": {"status": 200, "latency_ms": 40, "body": {"old": True}}},
        }
    )


def settings(port: int) -> WorkspaceSettings:
    return WorkspaceSettings.model_validate(
        {
            "environments": {"local": {"base_url": f"http://127.0.0.1:{port}"}},
            "attributes": {"User": {"email": "ada@example.com"}},
        }
    )


def test_inputs_are_suggested_from_defaults_and_typed() -> None:
    assert suggested_inputs(connector(), settings(1)) == {"email": "ada@example.com"}
    assert typed_inputs(connector(), {"email": "a@b.c", "limit": "5"}) == {"email": "a@b.c", "limit": 5}


async def test_a_request_is_sent_and_secrets_are_masked() -> None:
    async with LoopbackServer({"/orders/ada@example.com": json_reply({"status": "shipped", "echo": SECRET})}) as server:
        result = await send_test_request(
            connector(), {"email": "ada@example.com", "limit": ""}, settings(server.port), "local", {"TOKEN": SECRET}
        )
    assert result.ok and result.status == 200 and result.size > 0
    assert server.received[0].headers["authorization"] == f"Bearer {SECRET}"
    assert result.body == {"status": "shipped", "echo": "***"}
    example = result.as_example(MockResponse(latency_ms=40))
    assert example.body == {"status": "shipped", "echo": "***"} and example.latency_ms == 40
    assert example.headers == {"content-type": "application/json"}


async def test_a_failed_request_says_why() -> None:
    async with LoopbackServer({"/orders/x": reply(b"not json", 200, {"Content-Type": "text/plain"})}) as server:
        bad_body = await send_test_request(connector(), {"email": "x"}, settings(server.port), "local", {"TOKEN": "t"})
        missing = await send_test_request(connector(), {"email": ""}, settings(server.port), "local", {"TOKEN": "t"})
        wrong_type = await send_test_request(
            connector(), {"email": "x", "limit": "many"}, settings(server.port), "local", {"TOKEN": "t"}
        )
    assert bad_body.error is not None and bad_body.error.reason == "response_mapping"
    assert missing.error is not None and missing.error.message == "'email' is required"
    assert wrong_type.error is not None and "'limit'" in wrong_type.error.message
    assert len(server.received) == 1


def rendered(renderable: RenderableType) -> str:
    console = Console(width=110, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


class ScreenApp(App[None]):
    def __init__(self, screen: LiveRequestScreen) -> None:
        super().__init__()
        self.dialog = screen
        self.saved: list[MockResponse | None] = []

    def compose(self) -> ComposeResult:
        yield Static("connector pane")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.saved.append)


async def test_the_dialog_sends_shows_and_saves_the_example() -> None:
    body = {"order_id": "ORD-7", "status": "shipped"}
    async with LoopbackServer({"/orders/ada@example.com": json_reply(body)}) as server:
        app = ScreenApp(LiveRequestScreen(connector(), settings(server.port), "local", {"TOKEN": SECRET}))
        async with quick_test(app, size=(110, 40)) as pilot:
            await pilot.pause()
            assert app.dialog.query_one("#input-email", Input).value == "ada@example.com"
            await pilot.press("enter")
            await wait_until(lambda: app.dialog.reply is not None, pilot)
            await pilot.pause()
            reply = app.dialog.reply
            assert reply is not None
            shown = rendered(reply_summary(reply))
            assert not app.dialog.query_one("#save", Button).disabled
            await pilot.press("ctrl+y")
            await pilot.pause()
    assert len(app.saved) == 1 and app.saved[0] is not None
    assert app.saved[0].body == body and app.saved[0].latency_ms == 40
    assert f"GET http://127.0.0.1:{server.port}/orders/ada@example.com" in shown
    assert "HTTP 200 · " in shown and " ms · 39 bytes" in shown and '"order_id": "ORD-7"' in shown


async def test_an_action_connector_asks_before_calling() -> None:
    async with LoopbackServer({"/orders/ada@example.com": json_reply({"cancelled": True})}) as server:
        app = ScreenApp(
            LiveRequestScreen(connector("action", method="POST"), settings(server.port), "local", {"TOKEN": "t"})
        )
        async with quick_test(app, size=(110, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(lambda: isinstance(app.screen, ConfirmScreen), pilot)
            await pilot.press("escape")
            await pilot.pause()
            assert app.dialog.reply is None and server.received == []
            await pilot.press("enter")
            await wait_until(lambda: isinstance(app.screen, ConfirmScreen), pilot)
            await pilot.press("y")
            await wait_until(lambda: app.dialog.reply is not None, pilot)
            reply = app.dialog.reply
            assert reply is not None and reply.ok and server.received[0].method == "POST"
