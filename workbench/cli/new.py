"""``workbench new DIR``: create a minimal workspace that lints clean and whose scenario passes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from workbench.cli import UsageError, output
from workbench.jsonfile import atomic_write
from workbench.model import Connector, Procedure, Scenario, WorkspaceSettings
from workbench.store import FOLDERS, SETTINGS_FILE, serialize, slugify

CONNECTOR: dict[str, Any] = {
    "name": "Get order",
    "description": "The customer's most recent order. Use when they ask where their order is.",
    "kind": "read",
    "request": {
        "method": "GET",
        "url": "{{env.base_url}}/customers/{{email}}/orders/latest",
        "headers": {"Accept": "application/json"},
        "query": {},
        "body": None,
        "timeout_s": 10,
    },
    "inputs": [
        {
            "name": "email",
            "type": "string",
            "description": "The customer's e-mail address",
            "required": True,
            "source": "User > email",
        },
    ],
    "response": {
        "mode": "example",
        "example": {
            "status": 200,
            "headers": {"content-type": "application/json"},
            "latency_ms": 0,
            "body": {
                "order_id": "ORD-1001",
                "status": "processing",
                "items": [{"name": "Wireless Mouse", "quantity": 1}],
            },
        },
        "rules": [],
    },
    "transform": None,
}
PROCEDURE: dict[str, Any] = {
    "name": "Order status",
    "description": "The customer asks where their order is.",
    "steps": [
        {
            "id": "lookup",
            "type": "instruction",
            "text": "Look up the order with @call(Get order) and tell the customer it is @read(Get order > status).",
        },
        {"id": "done", "type": "end", "outcome": "resolved", "message": "Glad I could help."},
    ],
}
SCENARIO: dict[str, Any] = {
    "name": "Order is processing",
    "procedure": "Order status",
    "attributes": {"User": {"email": "ada@example.com"}},
    "expect": {
        "path": ["lookup", "done"],
        "calls": ["Get order"],
        "messages_contain": ["processing"],
        "outcome": "resolved",
    },
}


GITIGNORE = b"# secrets ({{secret.NAME}} values) stay out of git\n.env\n"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``new`` command."""
    parser = subparsers.add_parser(
        "new",
        help="create a minimal workspace",
        description="Create a workspace with one connector, one procedure and one scenario. "
        "Exit status 2 if DIR exists and is not empty.",
    )
    parser.add_argument("directory", metavar="DIR", help="the folder to create (may exist if empty)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the starter files."""
    root = Path(args.directory)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: exists and is not a folder")
    if root.is_dir() and any(root.iterdir()):
        raise UsageError(f"{root}: exists and is not empty")
    settings = {"name": root.resolve().name, "environments": {"local": {"base_url": "http://127.0.0.1:8787"}}}
    files: list[tuple[Path, BaseModel]] = [
        (root / SETTINGS_FILE, WorkspaceSettings.model_validate(settings)),
        (_path(root, "connector", CONNECTOR), Connector.model_validate(CONNECTOR)),
        (_path(root, "procedure", PROCEDURE), Procedure.model_validate(PROCEDURE)),
        (_path(root, "scenario", SCENARIO), Scenario.model_validate(SCENARIO)),
    ]
    try:
        for path, model in files:
            atomic_write(path, serialize(model))
        atomic_write(root / ".gitignore", GITIGNORE)
    except OSError as error:
        raise UsageError(f"{root}: cannot write the workspace: {error.strerror or error}") from None
    output.say(
        f"Created {root} with {len(files) - 1} files, {SETTINGS_FILE} and a .gitignore that keeps .env out of git."
    )
    output.say(f"Next: workbench lint {root}  ·  workbench {root}")
    return 0


def _path(root: Path, kind: str, data: dict[str, Any]) -> Path:
    return root / FOLDERS[kind] / f"{slugify(data['name'])}.json"  # type: ignore[index]
