"""``workbench mock serve``: the workspace's mocked connectors as a real HTTP server (aiohttp), answering
through the same mock logic as the engine."""

from workbench.mockserver.routes import Route, RouteTable
from workbench.mockserver.server import LogRecord, MockServer, ServeError, serve_workspace

__all__ = ["LogRecord", "MockServer", "Route", "RouteTable", "ServeError", "serve_workspace"]
