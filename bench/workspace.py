"""Loading and linting a large workspace (200 connectors, 200 procedures, generated here).

Prints the time of ``load_workspace`` and of ``lint_workspace`` against a baseline measured in the same run:
reading the same files and parsing them with ``orjson.loads``. Target: load + lint well under one second.

    python bench/workspace.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from workbench.jsonfile import dumps_pretty
from workbench.lint import lint_workspace
from workbench.store import load_workspace, slugify

CONNECTORS = 200
PROCEDURES = 200
ROUNDS = 3


def connector(index: int) -> dict[str, Any]:
    """A read connector with a nested example response."""
    return {
        "name": f"Get record {index}",
        "description": f"Record {index} of the customer.",
        "kind": "read" if index % 4 else "action",
        "request": {
            "method": "GET" if index % 4 else "POST",
            "url": f"{{{{env.base_url}}}}/records/{index}/{{{{email}}}}",
            "headers": {"Authorization": "Bearer {{secret.TOKEN}}"},
            "query": {},
            "body": None,
            "timeout_s": 10,
        },
        "inputs": [
            {
                "name": "email",
                "type": "string",
                "description": "The customer's e-mail",
                "required": True,
                "source": "User > email",
            }
        ],
        "response": {
            "mode": "example",
            "rules": [],
            "example": {
                "status": 200,
                "headers": {},
                "latency_ms": 0,
                "body": {
                    "id": f"REC-{index}",
                    "status": "open",
                    "owner": {"name": "Ada", "team": {"name": "Support", "region": "EU"}},
                    "totals": {"amount": index * 1.5, "currency": "USD"},
                    "lines": [{"sku": f"SKU-{line}", "quantity": line} for line in range(5)],
                },
            },
        },
        "transform": None,
    }


def procedure(index: int) -> dict[str, Any]:
    """Calls, reads, every condition kind, a collect step, and a sub-procedure or an end."""
    first, second = f"Get record {index % CONNECTORS}", f"Get record {(index + CONNECTORS // 2) % CONNECTORS}"
    items = f'inputs["temporary"]["{first}"]["lines"]'
    steps: list[dict[str, Any]] = [
        {
            "id": "fetch",
            "type": "instruction",
            "text": f"Look it up with @call({first}) and say @read({first} > status).",
        },
        {
            "id": "check",
            "type": "condition",
            "branches": [
                {
                    "when": {"code": f"len({items}) >= 4 and {items}[3]['quantity'] > 2"},
                    "steps": [{"id": "many", "type": "instruction", "text": f"Mention @read({first} > lines)."}],
                },
                {
                    "when": {"attribute": f"{first} > owner > team > region", "op": "equals", "value": "EU"},
                    "steps": [{"id": "eu", "type": "instruction", "text": "Mention the EU team."}],
                },
                {
                    "when": {"describe": "The customer is upset"},
                    "steps": [{"id": "upset", "type": "end", "outcome": "handoff", "message": "A teammate will help."}],
                },
            ],
            "else": [],
        },
        {
            "id": "more",
            "type": "instruction",
            "text": f"Fetch @call({second}) and compare @read({second} > totals > amount) with @read({first} > totals > amount).",
            "on_error": [{"id": "sorry", "type": "end", "outcome": "escalated"}],
        },
        {"id": "ask", "type": "collect", "attribute": "Conversation > note", "prompt": "Anything else?"},
    ]
    if index % 10 != 9:  # chains of ten: procedure 0 calls 1, which calls 2, ... up to 9
        steps.append({"id": "sub", "type": "subprocedure", "procedure": f"Procedure {index + 1}"})
    if index % 10 == 0:  # only the head of a chain ends the run
        steps.append({"id": "done", "type": "end", "outcome": "resolved", "message": f"Done: @read({first} > id)."})
    return {"name": f"Procedure {index}", "description": "Generated.", "steps": steps}


def generate(root: Path) -> list[Path]:
    """Write the workspace; returns every file written."""
    files = [
        (root / "workbench.json", {"name": "Bench", "environments": {"local": {"base_url": "http://127.0.0.1:8787"}}})
    ]
    files += [
        (root / "connectors" / f"{slugify(data['name'])}.json", data) for data in map(connector, range(CONNECTORS))
    ]
    files += [
        (root / "procedures" / f"{slugify(data['name'])}.json", data) for data in map(procedure, range(PROCEDURES))
    ]
    for path, data in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dumps_pretty(data))
    return [path for path, _ in files]


def best(function: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of a few runs, in seconds, and the last result."""
    timings, result = [], None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = generate(root)
        baseline, _ = best(lambda: [orjson.loads(path.read_bytes()) for path in paths])
        load, workspace = best(lambda: load_workspace(root))
        lint, findings = best(lambda: lint_workspace(workspace))
    assert not workspace.problems, workspace.problems[:3]
    total = load + lint
    print(f"{CONNECTORS} connectors + {PROCEDURES} procedures, {len(findings)} findings")
    print(f"baseline (read + orjson.loads) {baseline * 1000:7.1f} ms")
    print(f"load_workspace                 {load * 1000:7.1f} ms  {load / baseline:5.1f}x baseline")
    print(f"lint_workspace                 {lint * 1000:7.1f} ms  {lint / baseline:5.1f}x baseline")
    print(f"load + lint                    {total * 1000:7.1f} ms  ({'under' if total < 1 else 'OVER'} the 1 s budget)")


if __name__ == "__main__":
    main()
