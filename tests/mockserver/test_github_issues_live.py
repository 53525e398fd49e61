"""Issue 24's path end to end: GitHub's own description of its issues endpoints imported into an empty
workspace, linted, given dynamic rules, a procedure and scenarios as an author would, served by the mock server
with ``--mode dynamic`` and pinned by ``workbench test --mode live`` — with no hand edit of an imported file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.mockserver.helpers import running
from tests.mockserver.test_live_desk import point_at, workbench
from workbench.cli import main
from workbench.store import load_workspace

FIXTURE = Path(__file__).parents[1] / "importing" / "fixtures" / "github-issues.json"

PROCEDURE = {
    "name": "Issue status",
    "steps": [
        {"id": "lookup", "type": "instruction", "text": "Look up the issue with @call(Get an issue)."},
        {
            "id": "state",
            "type": "condition",
            "branches": [
                {
                    "when": {"attribute": "Get an issue > state", "op": "equals", "value": "closed"},
                    "steps": [
                        {"id": "closed", "type": "end", "outcome": "resolved", "message": "That issue is closed."}
                    ],
                }
            ],
            "else": [],
        },
        {"id": "open", "type": "end", "outcome": "resolved", "message": "That issue is still open."},
    ],
}


def _scenario(name: str, number: int, path: list[str], message: str) -> dict[str, object]:
    answers = {"Get an issue > owner": ["octocat"], "Get an issue > repo": ["hello-world"]}
    answers["Get an issue > issue_number"] = [str(number)]
    return {
        "name": name,
        "procedure": "Issue status",
        "answers": answers,
        "expect": {"path": path, "calls": ["Get an issue"], "messages_contain": [message], "outcome": "resolved"},
    }


def _author(root: Path) -> None:
    """What the author adds in the app: a dynamic rule answering issue 2 as closed, a procedure, two scenarios."""
    path = root / "connectors" / "get-an-issue.json"
    connector = json.loads(path.read_text())
    closed = {**connector["response"]["example"]["body"], "number": 2, "state": "closed"}
    connector["response"]["rules"] = [
        {"name": "closed", "when": [{"input": "issue_number", "value": 2}], "response": {"body": closed}}
    ]
    path.write_text(json.dumps(connector, indent=2))
    (root / "procedures" / "issue-status.json").write_text(json.dumps(PROCEDURE))
    scenarios = [
        _scenario("Open issue", 1347, ["lookup", "state", "open"], "still open"),
        _scenario("Closed issue", 2, ["lookup", "state", "closed"], "closed"),
    ]
    for scenario in scenarios:
        (root / "scenarios" / f"{str(scenario['name']).lower().replace(' ', '-')}.json").write_text(
            json.dumps(scenario)
        )


async def test_githubs_issues_description_runs_live_against_its_dynamic_mocks(tmp_path: Path) -> None:
    root = tmp_path / "issues"
    assert main(["new", str(root), "--empty"]) == 0
    assert main(["import", "openapi", str(root), str(FIXTURE), "--yes"]) == 0
    imported = {path.name: path.read_bytes() for path in (root / "connectors").glob("*.json")}
    settings = load_workspace(root).settings.model
    assert settings.default_environment == "local" and "api.github.com" in settings.environments
    assert main(["lint", str(root)]) == 0
    _author(root)
    assert main(["lint", str(root)]) == 0
    async with running(root, mode="dynamic") as server:
        point_at(root, server.url)  # the test's only liberty: a free port instead of the default 8787
        status, out, err = await workbench("test", root, "--mode", "live", "--env", "local")
    assert status == 0, out + err
    assert "2 passed" in out
    unchanged = {name: data for name, data in imported.items() if name != "get-an-issue.json"}
    assert unchanged == {name: (root / "connectors" / name).read_bytes() for name in unchanged}
