"""``workbench import curl|openapi|postman|har|intercom WORKSPACE SOURCE`` and ``workbench import mcp WORKSPACE
(URL | --stdio "CMD ARGS")``: connectors from the real world.

The files are previewed, then written as one set (``--dry-run`` stops after the preview); connectors whose
name exists are skipped and named in a warning (exit 0) unless ``--replace``. Connectors that send secrets
are written only with the user's yes (asked on a terminal, else ``--yes``). ``import openapi … --check``
(and ``import mcp … --check``) writes nothing and exits 1 when imported connectors no longer match the spec (the
server's tools). Exit status 2 for a source
that cannot be imported (with where and why), nothing written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.cli import UsageError, open_workspace, output
from workbench.importing import (
    FORMATS,
    ConversionError,
    Imported,
    InputMark,
    Plan,
    check_drift,
    import_from,
    load_spec,
    plan_import,
    write_plan,
)
from workbench.lint import lint_workspace
from workbench.store import Workspace, load_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` command and its formats."""
    parser = subparsers.add_parser(
        "import",
        help="create connectors from curl, OpenAPI, Postman, HAR, Intercom or an MCP server",
        description="Create connectors from another tool's description of an API. Secrets become "
        "{{secret.NAME}} templates; the command says which variables to set.",
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name, help_text in FORMATS.items():
        sub = formats.add_parser(name, help=help_text, description=f"Create connectors from {help_text}.")
        sub.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
        if name == "curl":
            sub.add_argument("source", metavar="CURL", help="the curl command line, quoted as one argument")
            sub.add_argument("--name", help="the connector's name (default: method and path)")
            sub.add_argument(
                "--input",
                action="append",
                default=[],
                metavar="NAME[:TYPE]=VALUE",
                help="make a path segment, query value or body value an input (repeatable)",
            )
        else:
            sub.add_argument("source", metavar="FILE", help=f"{help_text}, a local file")
        if name == "openapi":
            sub.add_argument("--operation", action="append", default=[], metavar="ID", help="only this operationId")
            sub.add_argument("--tag", action="append", default=[], metavar="TAG", help="only operations with this tag")
            sub.add_argument("--check", action="store_true", help="report connectors that no longer match (exit 1)")
        _writing_options(sub)
    _register_mcp(formats)


def _writing_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--replace", action="store_true", help="overwrite connectors of the same name")
    sub.add_argument("--dry-run", action="store_true", help="show what would be created, write nothing")
    sub.add_argument("--yes", action="store_true", help="write connectors that send secrets without asking")
    sub.set_defaults(func=run)


def _register_mcp(formats: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = formats.add_parser(
        "mcp",
        help="the tools of an MCP server",
        description="Create one connector per tool an MCP server lists (initialize, then every page of "
        "tools/list), and the server's entry in workbench.json's mcp_servers.",
    )
    sub.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    sub.add_argument("source", metavar="URL", nargs="?", help="the server's streamable HTTP URL")
    sub.add_argument("--stdio", metavar='"CMD ARGS"', help="start the server with this command line (stdio)")
    sub.add_argument("--tool", action="append", default=[], metavar="NAME", help="only this tool (repeatable)")
    sub.add_argument("--server", metavar="NAME", help="its name in mcp_servers (default: from the URL or command)")
    sub.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'", help="send this header")
    sub.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="the stdio server's variable")
    sub.add_argument("--check", action="store_true", help="report connectors that no longer match (exit 1)")
    _writing_options(sub)


def run(args: argparse.Namespace) -> int:
    """Import (or, with ``--check``, compare) and report."""
    workspace = open_workspace(args.workspace)
    if args.format == "mcp":
        return _mcp(workspace, args)
    try:
        if getattr(args, "check", False):
            return _check(workspace, args.source)
        if args.format == "curl":
            marks = [InputMark.parse(text) for text in args.input]
            imported = import_from("curl", text=args.source, name=args.name, marks=marks)
        else:
            imported = import_from(
                args.format,
                path=Path(args.source),
                operations=getattr(args, "operation", ()),
                tags=getattr(args, "tag", ()),
            )
    except ConversionError as error:
        raise UsageError(str(error)) from None
    return _create(workspace, imported, args)


def _check(workspace: Workspace, source: str) -> int:
    spec = load_spec(path=Path(source))
    drifts, checked = check_drift(workspace, spec)
    nothing = f"No connector of {workspace.root} was imported from an OpenAPI spec: nothing to check."
    return _drift_report(drifts, checked, nothing, spec.name)


def _drift_report(drifts: Sequence[object], checked: int, nothing: str, source: str) -> int:
    """Print the drifts found and a summary line; exit status 1 when there are any."""
    for drift in drifts:
        output.say(drift)
    if not checked:
        output.say(nothing)
    elif drifts:
        output.say(f"{len(drifts)} difference{'s' if len(drifts) != 1 else ''} in {checked} connectors checked.")
    else:
        output.say(f"{checked} connector{'s' if checked != 1 else ''} match {source}.")
    return 1 if drifts else 0


def _mcp(workspace: Workspace, args: argparse.Namespace) -> int:
    """Import an MCP server's tools, or (``--check``) compare them with the connectors."""
    import asyncio

    from workbench.importing.mcp import McpSource, check_mcp_drift, import_mcp, read_tools

    try:
        source = McpSource.of(args.source, args.stdio, name=args.server, headers=args.header, env=args.env)
        tools = asyncio.run(read_tools(source))
        if not args.check:
            imported = import_mcp(source, tools, args.tool)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    if not args.check:
        return _create(workspace, imported, args)
    drifts, checked = check_mcp_drift(workspace, source.name, tools)
    nothing = f"No connector of {workspace.root} calls the MCP server {source.name!r}: nothing to check."
    return _drift_report(drifts, checked, nothing, f"the tools of {source.name!r}")


def _create(workspace: Workspace, imported: Imported, args: argparse.Namespace) -> int:
    try:
        plan = plan_import(workspace, imported, replace=args.replace)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    for line in plan.lines(workspace.root):
        output.say(line)
    if args.dry_run:
        output.say("Dry run: nothing written.")
        return 0
    if plan.secrets and not args.yes and not _agreed(plan):
        raise UsageError(
            f"nothing written: the connectors send the secrets {', '.join(plan.secrets)}; "
            "check where they go (above) and pass --yes to write them"
        )
    try:
        written = write_plan(plan)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    output.say(f"Wrote {len(written)} connector{'s' if len(written) != 1 else ''}.")
    if plan.clashes:
        names = ", ".join(repr(name) for name in plan.clashes)
        output.say(f"warning: skipped {names}: a connector of that name exists (--replace overwrites)", err=True)
    if plan.secrets:
        output.say("Set these environment variables before live calls: " + ", ".join(plan.secrets))
    findings = [item for item in lint_workspace(load_workspace(workspace.root)) if item.path in set(written)]
    for finding in findings:
        output.say(f"lint: {finding.path}: {finding.severity}: {finding.message} [{finding.rule}]")
    return 0


def _agreed(plan: Plan) -> bool:
    """The user's yes on a terminal to writing connectors that send secrets (no terminal: no)."""
    if not sys.stdin.isatty():
        return False
    answer = input(f"Write connectors that send {', '.join(plan.secrets)}? [y/N] ")
    return answer.strip().lower() in ("y", "yes")
