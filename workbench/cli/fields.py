"""``workbench fields WORKSPACE CONNECTOR [--dry-run]``: declare a connector's response fields from its example.

Every string, number, boolean and ISO 8601 date of the example (after the connector's transform) becomes a
field with its type; fields already declared keep their type, ``redacted`` flag and description. The connector
file is saved atomically. Exit status: 0 done, 2 bad usage (unknown connector, no example, a failing transform).
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench import fields
from workbench.cli import UsageError, open_workspace, output
from workbench.mentions import suggest
from workbench.model import Connector, Limits
from workbench.store import save_document


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fields`` command."""
    parser = subparsers.add_parser(
        "fields",
        help="declare a connector's response fields from its example",
        description="Declare the response fields of a connector from its example response (after its transform), "
        "keeping what is already declared. Exit status: 0 done, 2 bad usage.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument("connector", metavar="CONNECTOR", help="the connector's name")
    parser.add_argument("--dry-run", action="store_true", help="print the fields without saving them")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate, print and save the fields."""
    workspace = open_workspace(args.workspace)
    document = workspace.connectors.get(args.connector)
    if document is None:
        hint = suggest(args.connector, workspace.connectors)
        detail = f"did you mean {hint!r}?" if hint else f"known: {', '.join(sorted(workspace.connectors)) or 'none'}"
        raise UsageError(f"unknown connector {args.connector!r} ({detail})")
    connector = document.model
    generated, notes = fields.generate(connector, _payload(connector, workspace.settings.model.limits))
    for field in generated:
        flag = "  redacted" if field.redacted else ""
        output.say(f"{field.path:<40} {field.type}{flag}")
    for note in notes:
        output.say(f"workbench: note: {note}", err=True)
    if args.dry_run:
        return 0
    response = connector.response.model_copy(update={"fields": generated})
    response.__pydantic_fields_set__.add("fields")
    updated = connector.model_copy(update={"response": response})
    try:
        save_document(document, updated)
    except OSError as error:
        raise UsageError(f"{document.path}: cannot write it: {error.strerror or error}") from None
    output.say(f"workbench: {len(generated)} fields declared in {document.path}", err=True)
    return 0


def _payload(connector: Connector, limits: Limits) -> Any:
    """The sample the procedure would see: through the transform when there is one."""
    from workbench.connectors.samples import seen_payload
    from workbench.sandbox import SandboxError, SandboxLimits, shutdown

    sample = connector.sample()
    if sample is None:
        raise UsageError(f"connector {connector.name!r} has no example response to declare fields from")
    try:
        return seen_payload(connector, sample, SandboxLimits.of(limits))
    except SandboxError as error:
        raise UsageError(f"the transform of {connector.name!r} fails on its example: {error}") from None
    finally:
        shutdown()
