"""The mock server in the app (:class:`MockServerControl`, owned by the main screen): started and stopped from the
command palette, on a thread of its own, its request log in the run panel's "Mock server" tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # aiohttp and the server load only when it starts
    from pathlib import Path

    from workbench.mockserver import BackgroundMockServer, LogRecord
    from workbench.model import WorkspaceSettings
    from workbench.tui.ports import Workbench


class MockServerLogged(Message):
    """A record of the mock server's log (a request, a reload), posted from the server's thread."""

    def __init__(self, record: LogRecord) -> None:
        super().__init__()
        self.record = record


class MockServerControl:
    """The workspace's mock server: started and stopped on a worker thread, its log shown in the run panel. The
    main screen owns one and hands it :class:`MockServerLogged` (:meth:`on_mock_server_logged`)."""

    def __init__(self, host: Workbench) -> None:
        self._host = host
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

    def action_mock_server_start(self) -> None:
        """Serve the workspace's connectors (as saved on disk) on the loopback address of its environment in use, in
        a worker (no-op while loading or already serving)."""
        session = self._host.session
        if session is None or self.running:
            return
        root, settings = session.root, session.workspace_settings
        self._host.app.run_worker(
            lambda: self._serve(root, settings),
            name="start mock server",
            group="mock-server",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _serve(self, root: Path, settings: WorkspaceSettings) -> None:
        from workbench.mockserver import BackgroundMockServer, ServeError, default_address

        screen, app = self._host, self._host.app
        host, port = default_address(settings)

        def logged(record: LogRecord) -> None:
            screen.post_message(MockServerLogged(record))

        server = BackgroundMockServer(root, on_log=logged)
        try:
            url = server.start(host, port)
        except ServeError as error:
            app.call_from_thread(app.notify, str(error), title="Mock server", severity="error", timeout=8)
            return
        self.server = server
        line = f"Serving {root.name} on {url}"

        def started() -> None:
            screen.show_run_panel()
            screen.mock_log(line)
            screen.notify(f"{line} (palette: Stop mock server)", title="Mock server", timeout=5)

        app.call_from_thread(started)

    def action_mock_server_stop(self) -> None:
        """Stop the mock server, in a worker: held connections take a moment to close."""
        if self.running:
            self._host.app.run_worker(
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
            self._host.app.call_from_thread(self._host.mock_log, "Mock server stopped")

    def on_mock_server_logged(self, message: MockServerLogged) -> None:
        """Write one record of the server's log to the run panel's "Mock server" tab."""
        from workbench.mockserver.log import format_record

        self._host.mock_log(format_record(message.record))

    def close(self) -> None:
        """Stop the server at once (the app is closing)."""
        if self.server is not None:
            self.server.stop()
