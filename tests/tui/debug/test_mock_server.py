"""The mock server in the app: started and stopped from the command palette, its log in the run panel."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest
from textual.widgets import Log, TabbedContent

from tests.tui.conftest import running, workbench_of
from tests.tui.debug.harness import from_palette
from tests.waiting import wait_until
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug.view import DebugView
from workbench.tui.widgets.debug_panel import DebugPanel


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_text(app: WorkbenchApp) -> str:
    found = app.query("#mock-server-log")
    return "\n".join(found.first(Log).lines) if found else ""


async def test_start_and_stop_the_mock_server_from_the_palette(desk_copy: Path) -> None:
    """A port taken is reported and no server runs; once free, the palette starts the server, its log is a tab F6
    goes round, it answers as mocked, the palette stops it; one started again stops when the app quits. (The
    taken port and the quit were a test of their own once, starting two apps.)"""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    settings = json.loads((desk_copy / "workbench.json").read_text())
    settings["environments"]["local"]["base_url"] = f"http://127.0.0.1:{port}"
    (desk_copy / "workbench.json").write_text(json.dumps(settings))
    async with running(desk_copy, size=(160, 40)) as pilot:
        app = workbench_of(pilot)
        with taken:
            await app.main.run_action("mock_server_start")
            await wait_until(lambda: any("cannot listen" in str(n.message) for n in app._notifications), pilot=pilot)
            assert not app.main.mock_server.running
        from_palette(app, "Start mock server")
        await wait_until(lambda: f"on http://127.0.0.1:{port}" in log_text(app), pilot=pilot)
        tabs = app.query_one("#debug-tabs", TabbedContent)
        assert tabs.get_tab("mock-server") is not None
        seen = []
        for _ in range(6):  # F6 goes round every tab, the server's too, and on from there
            await pilot.press("f6")
            seen.append(tabs.active)
        assert seen[seen.index("mock-server") + 1] == "run-log" and {"context", "scenarios"} <= set(seen)
        assert app.focused is not None and tabs.active_pane in app.focused.ancestors_with_self
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.get("/subscriptions", params={"email": "x-cancelled@example.com"})
        assert response.json()["status"] == "cancelled"
        await wait_until(lambda: "Get subscription [Already cancelled]  200" in log_text(app), pilot=pilot)
        from_palette(app, "Stop mock server")
        await wait_until(lambda: "Mock server stopped" in log_text(app), pilot=pilot)
        assert not app.main.mock_server.running
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            try:
                await client.get("/subscriptions")
            except httpx.ConnectError:
                pass
            else:
                raise AssertionError("the server still answers after it was stopped")
        await app.main.run_action("mock_server_start")
        await wait_until(lambda: app.main.mock_server.running, pilot=pilot)
        server = app.main.mock_server.server
    assert server is not None and not server.running


async def test_the_log_of_a_server_started_before_the_run_panel_loaded_waits_for_it(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    settings = json.loads((desk_copy / "workbench.json").read_text())
    settings["environments"]["local"]["base_url"] = f"http://127.0.0.1:{port}"
    (desk_copy / "workbench.json").write_text(json.dumps(settings))
    monkeypatch.setattr(DebugPanel, "load", lambda self: None)  # the run panel loads when the test says
    async with running(desk_copy, size=(160, 40)) as pilot:
        app = workbench_of(pilot)
        app.main.mock_server.action_mock_server_start()
        await wait_until(lambda: app.main.mock_server.running, pilot=pilot, what="the server")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.get("/subscriptions", params={"email": "x-cancelled@example.com"})
        assert response.status_code == 200 and not app.query(DebugView)
        app.main.debug_panel._import_view()
        await wait_until(lambda: "Get subscription [Already cancelled]  200" in log_text(app), pilot=pilot)
        assert f"Serving {desk_copy.name} on http://127.0.0.1:{port}" in log_text(app)
        assert app.main.debugger.run_bar.procedure is not None  # and it took in the workspace
        app.main.mock_server.close()
