# mypy: disable-error-code="misc"
# (a mixin: its methods declare ``self: WorkbenchApp``, which mypy checks them against but cannot prove)
"""The mock server in the app (mixed into :class:`~workbench.tui.app.WorkbenchApp`): started and stopped from
the command palette, on a thread of its own, its request log in the run panel's "Mock server" tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.widgets import Log

if TYPE_CHECKING:  # aiohttp and the server load only when it starts
    from pathlib import Path

    from workbench.mockserver import BackgroundMockServer
    from workbench.model import WorkspaceSettings
    from workbench.tui.app import WorkbenchApp


MOCK_LOG_LINES = 2000
"""The app keeps the last lines of the mock server's log only."""


class MockServerLog(Log):
    """The "Mock server" tab: the server's log lines (those written before it is mounted are kept)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_lines=MOCK_LOG_LINES, id=id)
        self._pending: list[str] = []

    def add(self, line: str) -> None:
        """Append one line."""
        if self.is_mounted:
            self.write_line(line)
        else:
            self._pending.append(line)

    def on_mount(self) -> None:
        self.write_lines(self._pending)
        self._pending.clear()


class MockServerLogged(Message):
    """A record of the mock server's log (a request, a reload), posted from the server's thread."""

    def __init__(self, record: dict[str, Any]) -> None:
        super().__init__()
        self.record = record


class MockServerApp:
    """Mixed into the app: start/stop the mock server of the workspace, show its log. Expects ``session``,
    ``debugger`` and ``_show_debugger`` of the app."""

    mock_server: BackgroundMockServer | None = None

    @property
    def mock_server_running(self) -> bool:
        """Whether the app's mock server is listening."""
        return self.mock_server is not None and self.mock_server.running

    def action_mock_server_start(self: WorkbenchApp) -> None:
        """Serve the workspace's connectors (as saved on disk) on its default environment's loopback address."""
        if self.session is None or self.mock_server_running:
            return
        self._start_mock_server(self.session.root, self.session.workspace_settings)

    @work(thread=True, exclusive=True, group="mock-server", exit_on_error=False)
    def _start_mock_server(self: WorkbenchApp, root: Path, settings: WorkspaceSettings) -> None:
        from workbench.mockserver import BackgroundMockServer, ServeError, default_address

        host, port = default_address(settings)

        def logged(record: dict[str, Any]) -> None:
            self.post_message(MockServerLogged(record))

        server = BackgroundMockServer(root, on_log=logged)
        try:
            url = server.start(host, port)
        except ServeError as error:
            self.call_from_thread(self.notify, str(error), title="Mock server", severity="error", timeout=8)
            return
        self.mock_server = server
        line = f"Serving {root.name} on {url}"

        def started() -> None:
            self._show_debugger()
            self.debugger.mock_log(line)
            self.notify(f"{line} (palette: Stop mock server)", title="Mock server", timeout=5)

        self.call_from_thread(started)

    def action_mock_server_stop(self: WorkbenchApp) -> None:
        """Stop the mock server (off the UI loop: held connections take a moment to close)."""
        if self.mock_server_running:
            self._stop_mock_server()

    @work(thread=True, exclusive=True, group="mock-server", exit_on_error=False)
    def _stop_mock_server(self: WorkbenchApp) -> None:
        server, self.mock_server = self.mock_server, None
        if server is not None:
            server.stop()
            self.call_from_thread(self.debugger.mock_log, "Mock server stopped")

    def on_mock_server_logged(self: WorkbenchApp, message: MockServerLogged) -> None:
        from workbench.mockserver.log import format_record

        self.debugger.mock_log(format_record(message.record))

    def on_unmount(self) -> None:
        if self.mock_server is not None:
            self.mock_server.stop()
