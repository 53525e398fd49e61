"""Helpers for scenario tests: scenario files written into a copy of the support desk, and running them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SUPPORT_DESK
from workbench.jsonfile import dumps_pretty
from workbench.scenarios import ScenarioReport, ScenarioRunner, collect_cases
from workbench.store import load_workspace


def sample(stem: str) -> dict[str, Any]:
    """A sample scenario's data, to vary."""
    return json.loads((SUPPORT_DESK / "scenarios" / f"{stem}.json").read_text())


def write(root: Path, stem: str, data: dict[str, Any]) -> Path:
    """Write a scenario file into the workspace copy at ``root``."""
    path = root / "scenarios" / f"{stem}.json"
    path.write_bytes(dumps_pretty(data))
    return path


async def run_file(root: Path, path: Path) -> ScenarioReport:
    """Load the workspace at ``root`` and run the scenario file at ``path``."""
    workspace = load_workspace(root)
    [case] = [case for case in collect_cases(workspace) if case.path == path]
    return await ScenarioRunner(workspace).run(case)


def location_of_key(path: Path, key: str) -> tuple[int, int]:
    """(line, column) of the first ``"key"`` in a file, 1-based, as problems point at keys."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if f'"{key}"' in line:
            return number, line.index(f'"{key}"') + 1
    raise AssertionError(f"{key!r} not in {path}")
