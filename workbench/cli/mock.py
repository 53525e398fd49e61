"""``workbench mock serve WORKSPACE [--mcp]``: serve the workspace's mocked connectors over HTTP until Ctrl-C (with
``--mcp``, its MCP connectors too, as an MCP server at ``/mcp``).

Each request is logged on the terminal (method, path, connector and rule, status, time) and, with ``--log``,
as JSON lines. Loopback only unless ``--host`` says otherwise. Exit status: 0 stopped with Ctrl-C, 2 bad usage
(no workspace, an unknown connector, the port taken).
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from workbench.cli import UsageError, check_environment, open_workspace, output

LOOPBACK = ("127.0.0.1", "::1", "localhost")
NO_ENVIRONMENT = (
    "no environment in use (several in workbench.json and no default_environment): the routes have an empty "
    "base URL; pass --env NAME to serve under one"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``mock`` command group and its ``serve`` command."""
    parser = subparsers.add_parser("mock", help="serve mocked connectors over HTTP", description="Mock servers.")
    commands = parser.add_subparsers(dest="mock_command", metavar="COMMAND", required=True)
    serve = commands.add_parser(
        "serve",
        help="answer each connector's route from its example or dynamic rules",
        description="Serve the workspace's connectors over HTTP: each connector's method and URL path (under "
        "the environment in use) answered from its example or dynamic rules, with their status, headers, "
        "latency, sequences, state and faults. Reloads when workspace files change; Ctrl-C stops it.",
    )
    serve.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    serve.add_argument("--port", type=_port, default=8787, help="the port (default 8787; 0 picks a free one)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument(
        "--connector",
        action="append",
        default=[],
        metavar="NAME",
        help="serve only this connector (repeatable; default: all)",
    )
    serve.add_argument("--log", metavar="FILE", help="also append every request to FILE as JSON lines")
    serve.add_argument(
        "--env", metavar="NAME", help="serve under this workbench.json environment's URLs (default: the one in use)"
    )
    serve.add_argument(
        "--mode",
        choices=("example", "dynamic"),
        help="answer every connector from its example or its dynamic rules (default: each connector's own mode)",
    )
    serve.add_argument(
        "--mcp",
        action="store_true",
        help="also serve the MCP connectors as an MCP server (streamable HTTP) at /mcp of the same port",
    )
    serve.set_defaults(func=run)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; returns the exit status."""
    from workbench.mockserver import MockServer, ServeError
    from workbench.mockserver.log import LineLog

    workspace = open_workspace(args.workspace)
    check_environment(workspace, args.env)
    terminal = LineLog(output.line_stream())
    try:
        server = MockServer(
            workspace.root,
            connectors=args.connector,
            on_log=terminal,
            log_file=args.log,
            mode=args.mode,
            environment=args.env,
            mcp=args.mcp,
        )
    except ServeError as error:
        raise UsageError(str(error)) from None
    try:
        environments = bool(workspace.settings.model.environments)
        asyncio.run(_serve(server, args.host, args.port, environments=environments))
    except ServeError as error:
        raise UsageError(str(error)) from None
    except KeyboardInterrupt:
        terminal.flush()
        output.say("workbench: mock server stopped", err=True)
    return 0


async def _serve(server: Any, host: str, port: int, *, environments: bool = False) -> None:
    """Start ``server`` and say where and what it serves; ``environments``: the workspace defines some (so none
    in use means several and no default)."""
    from workbench.mockserver.log import MODE_WIDTH
    from workbench.mockserver.server import served_mode

    await server.start(host, port)
    try:
        for problem in server.served.problems:
            output.say(f"workbench: note: {problem}", err=True)
        if server.served.environment is None and environments:
            output.say(f"workbench: note: {NO_ENVIRONMENT}", err=True)
        if host not in LOOPBACK:
            output.say(f"workbench: warning: listening on {host}: other machines can reach this server", err=True)
        output.say(f"Serving {server.root} on {server.url} (Ctrl-C stops)", flush=True)
        for route in server.served.table.routes:
            mode = served_mode(route.connector, server.mode)
            output.say(f"  {mode:<{MODE_WIDTH}}  {route.method:<6} {route.path}  -> {route.connector.name}", flush=True)
        if server.mcp:
            output.say(f"MCP server on {server.mcp_url}", flush=True)
            for tool, connector in server.served.tools.items():
                mode = served_mode(connector, server.mode)
                output.say(f"  {mode:<{MODE_WIDTH}}  tool   {tool}  -> {connector.name}", flush=True)
        await asyncio.Event().wait()
    finally:
        await server.stop()
