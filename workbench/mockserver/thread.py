"""The mock server on a thread of its own (its own event loop), for hosts whose loop must stay free: the app."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workbench.mockserver.records import LogRecord
from workbench.mockserver.server import MockServer, ServeError
from workbench.model import WorkspaceSettings

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8787
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def default_address(settings: WorkspaceSettings) -> tuple[str, int]:
    """Where to serve a workspace: the loopback host and port the ``base_url`` of its environment in use names
    (:meth:`WorkspaceSettings.environment_name`), else 127.0.0.1:8787."""
    parts = urlsplit(settings.environment().get("base_url", ""))
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.hostname in _LOOPBACK and port:
        return parts.hostname, port
    return DEFAULT_HOST, DEFAULT_PORT


class BackgroundMockServer:
    """A :class:`MockServer` running on its own thread; ``on_log`` is called on that thread."""

    def __init__(self, root: Path | str, *, on_log: Callable[[LogRecord], None] | None = None, **options: Any) -> None:
        self.root = Path(root)
        self.on_log = on_log
        self.options = options
        self.url = ""
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, timeout: float = 30.0) -> str:
        """Start listening (blocks until it does); returns the URL. Raises :class:`ServeError`."""
        if self.running:
            raise ServeError(f"the mock server is already running on {self.url}")
        ready = threading.Event()
        outcome: dict[str, Any] = {}

        async def main() -> None:
            self._loop, self._stopping = asyncio.get_running_loop(), asyncio.Event()
            try:
                server = MockServer(self.root, on_log=self.on_log, **self.options)
                await server.start(host, port)
            except Exception as error:  # ServeError, a workspace that no longer loads
                outcome["error"] = error
                ready.set()
                return
            outcome["url"] = server.url
            ready.set()
            try:
                await self._stopping.wait()
            finally:
                await server.stop()

        self._thread = threading.Thread(target=asyncio.run, args=(main(),), name="mock-server", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise ServeError(f"the mock server did not start within {timeout:g}s")
        if "error" in outcome:
            self._thread.join()
            self._thread = None
            error = outcome["error"]
            raise error if isinstance(error, ServeError) else ServeError(str(error))
        self.url = outcome["url"]
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and wait for its thread (held connections are closed)."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None or loop is None or stopping is None:
            return
        if thread.is_alive():
            loop.call_soon_threadsafe(stopping.set)
            thread.join(timeout)
        self._thread = None
