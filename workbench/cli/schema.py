"""``workbench schema [KIND]``: print the JSON Schema of a workspace file kind (or of the user's settings, ``config``),
or list the kinds."""

from __future__ import annotations

import argparse
from typing import get_args

from workbench.cli import output
from workbench.jsonfile import dumps_pretty
from workbench.settings.config_file import config_path
from workbench.settings.user_config import config_schema
from workbench.store import FOLDERS, SETTINGS_FILE, SchemaKind, json_schema

KINDS: tuple[str, ...] = (*get_args(SchemaKind), "config")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` command."""
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a file kind",
        description="Print the JSON Schema of one file kind, for editors to validate against; "
        "with no KIND, list the kinds and the files they describe.",
    )
    parser.add_argument("kind", metavar="KIND", nargs="?", choices=KINDS, help=", ".join(KINDS))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print one schema, or the list of kinds."""
    if args.kind is None:
        files: dict[str, str] = {
            "workspace": SETTINGS_FILE,
            **{kind: f"{folder}/*.json" for kind, folder in FOLDERS.items()},
            "config": f"{config_path()} (your settings, for every workspace)",
        }
        for kind in KINDS:
            output.say(f"{kind:<10} {files[kind]}")
        output.say("Run 'workbench schema KIND' to print one schema.")
        return 0
    schema = config_schema() if args.kind == "config" else json_schema(args.kind)
    output.write_json(dumps_pretty(schema))
    return 0
