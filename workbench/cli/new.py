"""``workbench new DIR [--empty]``: create a minimal workspace that lints clean and whose scenario passes (or,
with ``--empty``, only its settings and folders), and say what it created."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from workbench.cli import UsageError, output
from workbench.editing.writes import FileWrite, write_set
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
        description="Create a workspace with a sample connector, procedure and scenario (--empty: only "
        "workbench.json, whose environment 'local' is the mock server's address, and the folders). Exit status 2 if DIR exists and is not empty.",
    )
    parser.add_argument("directory", metavar="DIR", help="the folder to create (may exist if empty)")
    parser.add_argument("--empty", action="store_true", help="no sample connector, procedure or scenario")
    parser.set_defaults(func=run)


MOCK_SERVER_URL = "http://127.0.0.1:8787"
"""The address ``workbench mock serve`` listens on by default."""


def run(args: argparse.Namespace) -> int:
    """Write the starter files and list them."""
    root = Path(args.directory)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: exists and is not a folder")
    if root.is_dir() and any(root.iterdir()):
        raise UsageError(f"{root}: exists and is not empty")
    empty = getattr(args, "empty", False)
    # ``local`` is where ``workbench mock serve`` listens by default: live runs meet the mock server until the
    # author adds (or imports) a real environment and chooses it.
    settings: dict[str, Any] = {"name": root.resolve().name, "environments": {"local": {"base_url": MOCK_SERVER_URL}}}
    files: list[tuple[Path, BaseModel, str]] = [
        (root / SETTINGS_FILE, WorkspaceSettings.model_validate(settings), _settings_note(settings))
    ]
    if not empty:
        files += [
            (_path(root, "connector", CONNECTOR), Connector.model_validate(CONNECTOR), "a sample connector"),
            (_path(root, "procedure", PROCEDURE), Procedure.model_validate(PROCEDURE), "a sample procedure"),
            (_path(root, "scenario", SCENARIO), Scenario.model_validate(SCENARIO), "a sample scenario"),
        ]
    writes = [FileWrite(path, serialize(model)) for path, model, _ in files]
    writes.append(FileWrite(root / ".gitignore", GITIGNORE))
    try:
        for folder in FOLDERS.values():
            (root / folder).mkdir(parents=True, exist_ok=True)
        write_set(writes, root, "new workspace")
    except OSError as error:
        raise UsageError(f"{root}: cannot write the workspace: {error.strerror or error}") from None
    created = [(path.relative_to(root).as_posix(), note) for path, _, note in files]
    created.append((".gitignore", "keeps .env (your secrets) out of git"))
    created += [(f"{folder}/", "empty") for folder in FOLDERS.values() if empty]
    width = max(len(name) for name, _ in created)
    output.say(f"Created {root}:")
    for name, note in created:
        output.say(f"  {name.ljust(width)}  {note}")
    if not empty:
        output.say("Delete the samples when you no longer need them (or start with 'workbench new DIR --empty').")
    output.say(f"Next: workbench lint {root}  ·  workbench {root}")
    return 0


def _settings_note(settings: dict[str, Any]) -> str:
    environments = settings.get("environments") or {}
    listed = ", ".join(f"{name} ({values['base_url']})" for name, values in environments.items())
    return f"the settings: environment {listed}" if listed else "the settings (no environment yet)"


def _path(root: Path, kind: str, data: dict[str, Any]) -> Path:
    return root / FOLDERS[kind] / f"{slugify(data['name'])}.json"  # type: ignore[index]
