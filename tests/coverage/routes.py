"""A workspace built for coverage: a procedure of 6 steps with a 3-arm condition and an error path, and two
scenarios that reach exactly 4 of the steps and 2 of the arms."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from workbench.coverage import Hits
from workbench.jsonfile import dumps_pretty
from workbench.scenarios import ScenarioRunner, collect_cases
from workbench.store import Workspace, load_workspace

LATE = 'inputs["temporary"]["Get order"]["status"] == "late"'
PROCEDURE: dict[str, Any] = {
    "name": "Route",
    "steps": [
        {
            "id": "lookup",
            "type": "instruction",
            "text": "@call(Get order)",
            "on_error": [{"id": "failed", "type": "end", "outcome": "escalated"}],
        },
        {
            "id": "route",
            "type": "condition",
            "branches": [
                {
                    "when": {"attribute": "Get order > status", "op": "equals", "value": "shipped"},
                    "steps": [{"id": "shipped", "type": "instruction", "text": "It shipped."}],
                },
                {"when": {"code": LATE}, "steps": [{"id": "late", "type": "instruction", "text": "It is late."}]},
            ],
        },
        {"id": "done", "type": "end", "outcome": "resolved"},
    ],
}
CONNECTOR: dict[str, Any] = {
    "name": "Get order",
    "request": {"url": "https://shop.example/order"},
    "response": {"example": {"body": {"status": "shipped"}}},
}
SCENARIOS: dict[str, dict[str, Any]] = {
    "shipped": {"name": "Shipped", "procedure": "Route", "expect": {"path": ["lookup", "route", "shipped", "done"]}},
    "processing": {
        "name": "Processing",
        "procedure": "Route",
        "mocks": {"Get order": {"body": {"status": "processing"}}},
        "expect": {"path": ["lookup", "route", "done"]},
    },
}


def write_files(root: Path, files: dict[str, Any]) -> Path:
    """Write ``{relative path: JSON data}`` under ``root``; returns ``root``."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dumps_pretty(data))
    return root


def routes_workspace(root: Path, scenarios: dict[str, dict[str, Any]] | None = None) -> Path:
    """The coverage workspace at ``root`` (with other ``scenarios`` when given)."""
    files: dict[str, Any] = {
        "workbench.json": {"name": "Routes"},
        "connectors/get-order.json": CONNECTOR,
        "procedures/route.json": PROCEDURE,
    }
    files |= {f"scenarios/{stem}.json": data for stem, data in (SCENARIOS if scenarios is None else scenarios).items()}
    return write_files(root, files)


def run_scenarios(workspace: Workspace) -> Hits:
    """Run every scenario of the workspace and count what they reached."""
    reports = asyncio.run(ScenarioRunner(workspace).run_all(collect_cases(workspace)))
    assert all(report.passed for report in reports), [report.explanation() for report in reports]
    hits = Hits()
    for report in reports:
        assert report.result is not None
        hits.add_run(report.result.events)
    return hits


def line_of(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """(line, column) of the ``occurrence``-th line holding ``needle``, at its first character, 1-based."""
    found = [
        (number, line.index(needle) + 1)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if needle in line
    ]
    return found[occurrence - 1]


def load(root: Path) -> Workspace:
    """The workspace at ``root``, every file loaded."""
    workspace = load_workspace(root)
    assert not workspace.problems, workspace.problems
    return workspace
