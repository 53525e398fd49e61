"""``workbench export curl|intercom``: a connector as a runnable curl line, or as Intercom data connectors."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from workbench.cli import UsageError, check_environment, open_workspace, output
from workbench.editing.live_request import suggested_inputs
from workbench.importing import ConversionError, InputMark, export_curl, export_intercom
from workbench.importing.intercom import procedure_content_notes
from workbench.jsonfile import dumps_pretty
from workbench.model import Connector, WorkspaceSettings
from workbench.outputs import write_output
from workbench.store import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` command and its formats."""
    parser = subparsers.add_parser(
        "export",
        help="write connectors as curl lines or Intercom data connectors",
        description="Write connectors in another tool's format. Secrets never appear: curl reads them from "
        "shell variables ($NAME).",
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    curl = formats.add_parser("curl", help="a runnable curl line", description="Print a runnable curl line.")
    curl.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    curl.add_argument("connector", metavar="CONNECTOR", help="the connector's name")
    curl.add_argument("--input", action="append", default=[], metavar="NAME=VALUE", help="an input value (repeatable)")
    curl.add_argument("--env", metavar="NAME", help="the workbench.json environment for {{env.*}} values")
    curl.set_defaults(func=_run_curl)
    intercom = formats.add_parser(
        "intercom",
        help="Intercom's data connector shape (JSON)",
        description="Write connectors (all, or those named) as Intercom data connectors: each is exactly what "
        "'workbench intercom push' sends, plus 'workbench': what stays local (for 'import intercom').",
    )
    intercom.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    intercom.add_argument("connectors", metavar="CONNECTOR", nargs="*", help="connector names (default: all)")
    intercom.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    intercom.add_argument("--env", metavar="NAME", help="the workbench.json environment for {{env.*}} values")
    intercom.set_defaults(func=_run_intercom)


def _connector(workspace: Workspace, name: str) -> Connector:
    connector = workspace.connector(name)
    if connector is None:
        known = ", ".join(sorted(workspace.connectors)) or "none"
        raise UsageError(f"no connector {name!r} in {workspace.root} (known: {known})")
    return connector


def _run_curl(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.workspace)
    connector = _connector(workspace, args.connector)
    settings = workspace.settings.model
    check_environment(workspace, args.env)
    environment = settings.environment(args.env)
    try:
        values = {mark.name: mark.value for mark in map(InputMark.parse, args.input)}
        sampled = _sampled_inputs(connector, settings, given=values)
        values = {**sampled, **values}
        token = settings.tokens.get(connector.auth or "")
        line, variables = export_curl(
            connector,
            values,
            environment=environment,
            environment_name=settings.environment_name(args.env),
            token=token,
        )
    except ConversionError as error:
        raise UsageError(str(error)) from None
    output.say(line)
    for item in connector.inputs:
        if item.name in sampled:
            output.say(f"# --input {item.name}={sampled[item.name]} from the sample value of {item.source}", err=True)
    if variables:
        output.say(f"# reads {', '.join('$' + name for name in variables)} from the shell", err=True)
    return 0


def _sampled_inputs(connector: Connector, settings: WorkspaceSettings, given: Mapping[str, str]) -> dict[str, str]:
    """Values for the inputs not given that have neither a default nor a value but a ``source`` whose sample value
    workbench.json holds, as a run fills them."""
    suggested = suggested_inputs(connector, settings)
    return {
        item.name: suggested[item.name]
        for item in connector.inputs
        if item.name not in given and item.default is None and item.name in suggested
    }


def _run_intercom(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.workspace)
    check_environment(workspace, args.env)
    names = args.connectors or sorted(workspace.connectors)
    connectors = [_connector(workspace, name) for name in names]
    try:
        document, notes = export_intercom(connectors, workspace.settings.model, args.env)
    except ConversionError as error:
        raise UsageError(f"cannot export {error}") from None
    notes += procedure_content_notes(workspace.procedure_models())
    raw = dumps_pretty(document)
    if args.output:
        try:
            write_output(args.output, raw)
        except OSError as error:
            raise UsageError(f"{args.output}: cannot write: {error.strerror or error}") from None
        output.say(f"Wrote {len(connectors)} data connector{'s' if len(connectors) != 1 else ''} to {args.output}.")
    else:
        output.write_json(raw)
    for note in notes:
        output.say(f"note: {note}", err=True)
    return 0
