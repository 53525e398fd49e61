"""``workbench import curl|openapi|postman|har|intercom WORKSPACE SOURCE``: connectors from the real world.

The files are previewed, then written as one set (``--dry-run`` stops after the preview); connectors whose
name exists are reported and left alone unless ``--replace``. ``import openapi … --check`` writes nothing
and exits 1 when imported connectors no longer match the spec. Exit status 2 for a source that cannot be
imported (with where and why), nothing written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from workbench.cli import UsageError, open_workspace
from workbench.importing import (
    ConversionError,
    Imported,
    InputMark,
    Spec,
    check_drift,
    import_curl,
    import_har,
    import_intercom,
    import_openapi,
    import_postman,
    plan_import,
    read_source,
    write_plan,
)
from workbench.lint import lint_workspace
from workbench.store import Workspace, load_workspace

_FILE_FORMATS: dict[str, tuple[str, Callable[[object, str], Imported]]] = {
    "postman": ("a Postman collection (v2.1) file", import_postman),
    "har": ("a HAR file (a browser's network capture)", import_har),
    "intercom": ("a file written by 'workbench export intercom'", import_intercom),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` command and its formats."""
    parser = subparsers.add_parser(
        "import",
        help="create connectors from curl, OpenAPI, Postman, HAR or Intercom",
        description="Create connectors from another tool's description of an API. Secrets become "
        "{{secret.NAME}} templates; the command says which variables to set.",
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    curl = formats.add_parser("curl", help="one curl command line", description="Create a connector from a curl line.")
    _common(curl)
    curl.add_argument("source", metavar="CURL", help="the curl command line, quoted as one argument")
    curl.add_argument("--name", help="the connector's name (default: method and path)")
    curl.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME[:TYPE]=VALUE",
        help="make a path segment, query value or body value an input (repeatable)",
    )
    curl.set_defaults(func=_run_curl)
    openapi = formats.add_parser(
        "openapi",
        help="an OpenAPI 3.0/3.1 document (JSON or YAML)",
        description="Create one connector per operation. --check writes nothing and exits 1 on drift.",
    )
    _common(openapi)
    openapi.add_argument("source", metavar="SPEC", help="the OpenAPI file (local; $refs to local files only)")
    openapi.add_argument("--operation", action="append", default=[], metavar="ID", help="only this operationId")
    openapi.add_argument("--tag", action="append", default=[], metavar="TAG", help="only operations with this tag")
    openapi.add_argument("--check", action="store_true", help="report connectors that no longer match the spec")
    openapi.set_defaults(func=_run_openapi)
    for name, (help_text, _) in _FILE_FORMATS.items():
        sub = formats.add_parser(name, help=help_text, description=f"Create connectors from {help_text}.")
        _common(sub)
        sub.add_argument("source", metavar="FILE", help=help_text)
        sub.set_defaults(func=_run_file)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument("--replace", action="store_true", help="overwrite connectors of the same name")
    parser.add_argument("--dry-run", action="store_true", help="show what would be created, write nothing")


def _run_curl(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.workspace)
    try:
        marks = [InputMark.parse(text) for text in args.input]
        connector, secrets = import_curl(args.source, name=args.name, marks=marks)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    return _create(workspace, Imported([connector], secrets), args)


def _run_openapi(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.workspace)
    try:
        spec = Spec.load(Path(args.source))
        if args.check:
            return _check(workspace, spec)
        imported = import_openapi(spec, operations=args.operation, tags=args.tag)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    return _create(workspace, imported, args)


def _run_file(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.workspace)
    _, importer = _FILE_FORMATS[args.format]
    try:
        imported = importer(read_source(Path(args.source)), args.source)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    return _create(workspace, imported, args)


def _check(workspace: Workspace, spec: Spec) -> int:
    drifts, checked = check_drift(workspace, spec)
    for drift in drifts:
        print(drift)
    if not checked:
        print(f"No connector of {workspace.root} was imported from an OpenAPI spec: nothing to check.")
    elif drifts:
        print(f"{len(drifts)} difference{'s' if len(drifts) != 1 else ''} in {checked} connectors checked.")
    else:
        print(f"{checked} connector{'s' if checked != 1 else ''} match {spec.name}.")
    return 1 if drifts else 0


def _create(workspace: Workspace, imported: Imported, args: argparse.Namespace) -> int:
    plan = plan_import(workspace, imported, replace=args.replace)
    for line in plan.lines(workspace.root):
        print(line)
    if args.dry_run:
        print("Dry run: nothing written.")
        return 0
    try:
        written = write_plan(plan)
    except ConversionError as error:
        raise UsageError(str(error)) from None
    print(f"Wrote {len(written)} connector{'s' if len(written) != 1 else ''}.")
    if plan.secrets:
        print("Set these environment variables before live calls: " + ", ".join(plan.secrets))
    findings = [item for item in lint_workspace(load_workspace(workspace.root)) if item.path in set(written)]
    for finding in findings:
        print(f"lint: {finding.path}: {finding.severity}: {finding.message} [{finding.rule}]")
    return 0
