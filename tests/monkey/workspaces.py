"""The workspaces a monkey walks: a copy of the sample desk, and one of awkward content written here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import SUPPORT_DESK
from workbench.store import slugify

WORKSPACES = ("sample", "awkward")

LONG = "Look up the customer's [bold]orders[/] and their parcels — Größe 漢字 😀 " * 2
"""A long connector name with markup-like brackets, non-ASCII letters and a character outside the BMP."""
CONNECTORS = (LONG.strip(), "Ticket [/] lookup", "Ünïcödé ✓ client")
PROCEDURES = ("Handle [red]angry[/red] customer — Ω", "Où est mon colis ✗1 [/]")


def make_workspace(kind: str, parent: Path) -> Path:
    """A fresh workspace of ``kind`` (``sample`` or ``awkward``) under ``parent``; returns its root."""
    if kind == "sample":
        return Path(shutil.copytree(SUPPORT_DESK, parent / "support-desk"))
    if kind == "awkward":
        return _awkward(parent / "awkward [desk] ✓")
    raise ValueError(f"no workspace {kind!r} (one of {', '.join(WORKSPACES)})")


def snapshot_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes (what a byte-for-byte check compares)."""
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _big_example() -> dict[str, Any]:
    """A response body of about 6 KB whose keys hold brackets, quotes and other scripts."""
    items = [
        {
            "[id]": f"ORD-{number}",
            "[/]": "[bold]not markup[/bold]",
            'note "quoted"': "ünïcödé 漢字 😀 " * 3,
            "tags": ["[red]", "[/red]", "\\[escaped]"],
        }
        for number in range(30)
    ]
    return {"status": 200, "headers": {"x-trace": "[/] [bold]x[/bold]"}, "body": {"orders [all]": items, "total": 30}}


def _awkward(root: Path) -> Path:
    _write(
        root / "workbench.json",
        {
            "name": "Awkward [desk] — ✓",
            "environments": {"local": {"base_url": "http://127.0.0.1:9"}},
            "default_environment": "local",
            "attributes": {"User": {"name": "Zoë [admin]", "email": "zoe@example.com", "[/]": "bracket key"}},
        },
    )
    for number, name in enumerate(CONNECTORS):
        _write(
            root / "connectors" / f"{slugify(name)}.json",
            {
                "name": name,
                "description": f"Connector {number}: [italic]not markup[/italic] ✓",
                "request": {
                    "method": "GET",
                    "url": "{{env.base_url}}/orders/{{order_id}}/[items]?q=" + "x" * 120,
                    "headers": {"X-[Trace]": "[/]"},
                },
                "inputs": [
                    {"name": "order_id", "type": "string", "required": True, "description": "Ö [b]id[/b]"},
                ],
                "response": {"mode": "example", "example": _big_example()},
            },
        )
    first, second = PROCEDURES
    _write(
        root / "procedures" / f"{slugify(first)}.json",
        {
            "name": first,
            "description": "[bold]Every step kind[/bold], with text that looks like markup: [/] [link=x]y[/link]",
            "steps": [
                {
                    "id": "look-up",
                    "type": "instruction",
                    "text": f"Call @call({CONNECTORS[1]}) and say [b]{{{{x}}}}[/b] — 漢字 😀 'quotes' \"double\"",
                    "on_error": [{"id": "sorry", "type": "end", "outcome": "escalated", "message": "[/] sorry"}],
                },
                {
                    "id": "which",
                    "type": "condition",
                    "branches": [
                        {"when": {"code": "return inputs.get('[x]') == \"[/]\""}, "steps": []},
                        {"when": {"attribute": "User > name", "op": "equals", "value": "Zoë [admin]"}, "steps": []},
                        {"when": {"describe": "The customer is [red]angry[/red]"}, "steps": []},
                    ],
                    "else": [{"id": "calm", "type": "instruction", "text": "Stay calm ✓"}],
                },
                {
                    "id": "ask",
                    "type": "collect",
                    "attribute": "Conversation > [reason]",
                    "prompt": "Why? [/]",
                    "value_type": "string",
                },
                {"id": "sub", "type": "subprocedure", "procedure": second},
                {"id": "done", "type": "end", "outcome": "resolved", "message": "Bye [bold]now[/] 👋"},
            ],
        },
    )
    _write(
        root / "procedures" / f"{slugify(second)}.json",
        {
            "name": second,
            "steps": [
                {"id": "x", "type": "instruction", "text": "Tout va bien [/] — ça marche"},
                {"id": "y", "type": "end", "outcome": "handoff"},
            ],
        },
    )
    _write(
        root / "scenarios" / "angry-customer.json",
        {
            "name": "Angry [customer] 😠",
            "procedure": first,
            "attributes": {"User": {"email": "zoe@example.com"}},
            "answers": {"ask": "Because [/]"},
            "expect": {"outcome": "resolved"},
        },
    )
    return root
