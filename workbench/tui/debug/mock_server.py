"""The mock server in the app (:class:`MockServerControl`, owned by :class:`~workbench.tui.app.WorkbenchApp`):
started and stopped from the command palette, on a thread of its own, its request log in the run panel's
"Mock server" tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Log

from workbench.visible import visible

if TYPE_CHECKING:  # aiohttp and the server load only when it starts
    from pathlib import Path

    from workbench.mockserver import BackgroundMockServer, LogRecord
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
            self.write_line(visible(line))
        else:
            self._pending.append(line)

    def on_mount(self) -> None:
        self.write_lines([visible(line) for line in self._pending])
        self._pending.clear()


class MockServerLogged(Message):
    """A record of the mock server's log (a request, a reload), posted from the server's thread."""

    def __init__(self, record: LogRecord) -> None:
        super().__init__()
        self.record = record


class MockServerControl:
    """The app's mock server: started and stopped on a worker thread, its log shown in the run panel. The app
    owns one and forwards :class:`MockServerLogged` to :meth:`show_record`."""

    def __init__(self, app: WorkbenchApp) -> None:
        self._app = app
        self.server: BackgroundMockServer | None = None
        """The server while it listens (``None`` before it starts and once it stops)."""

    @property
    def running(self) -> bool:
        """Whether the app's mock server is listening."""
        return self.server is not None and self.server.running

    @property
    def url(self) -> str:
        """Where the server listens (empty when it does not)."""
        return self.server.url if self.server is not None and self.server.running else ""

    def start(self) -> None:
        """Start serving in a worker (no-op while loading or already serving)."""
        session = self._app.session
        if session is None or self.running:
            return
        root, settings = session.root, session.workspace_settings
        self._app.run_worker(
            lambda: self._serve(root, settings),
            name="start mock server",
            group="mock-server",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _serve(self, root: Path, settings: WorkspaceSettings) -> None:
        from workbench.mockserver import BackgroundMockServer, ServeError, default_address

        app = self._app
        host, port = default_address(settings)

        def logged(record: LogRecord) -> None:
            app.post_message(MockServerLogged(record))

        server = BackgroundMockServer(root, on_log=logged)
        try:
            url = server.start(host, port)
        except ServeError as error:
            app.call_from_thread(app.notify, str(error), title="Mock server", severity="error", timeout=8)
            return
        self.server = server
        line = f"Serving {root.name} on {url}"

        def started() -> None:
            app.show_run_panel()
            app.debug_control.mock_log(line)
            app.notify(f"{line} (palette: Stop mock server)", title="Mock server", timeout=5)

        app.call_from_thread(started)

    def stop(self) -> None:
        """Stop serving, in a worker: held connections take a moment to close."""
        if self.running:
            self._app.run_worker(
                self._stop,
                name="stop mock server",
                group="mock-server",
                thread=True,
                exclusive=True,
                exit_on_error=False,
            )

    def _stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
            self._app.call_from_thread(self._app.debug_control.mock_log, "Mock server stopped")

    def show_record(self, record: LogRecord) -> None:
        """Write one record of the server's log to the run panel's "Mock server" tab."""
        from workbench.mockserver.log import format_record

        self._app.debug_control.mock_log(format_record(record))

    def close(self) -> None:
        """Stop the server at once (the app is closing)."""
        if self.server is not None:
            self.server.stop()
