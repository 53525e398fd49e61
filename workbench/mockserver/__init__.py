"""``workbench mock serve``: the workspace's mocked connectors as a real HTTP server (aiohttp), answering
through the same mock logic as the engine."""

from workbench.mockserver.log import format_record
from workbench.mockserver.records import LogRecord
from workbench.mockserver.routes import Route, RouteTable
from workbench.mockserver.server import MockServer, ServeError, serve_workspace
from workbench.mockserver.thread import BackgroundMockServer, default_address

__all__ = [
    "BackgroundMockServer",
    "LogRecord",
    "MockServer",
    "Route",
    "RouteTable",
    "ServeError",
    "default_address",
    "format_record",
    "serve_workspace",
]
