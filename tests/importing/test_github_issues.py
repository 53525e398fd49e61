"""GitHub's own OpenAPI description of the issues endpoints (trimmed from ``github/rest-api-description``):
it imports with real examples, an environment per server and short descriptions, and lints clean but for
what is true of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.lint import lint_workspace
from workbench.store import load_workspace

FIXTURE = Path(__file__).parent / "fixtures" / "github-issues.json"
SPEC = json.loads(FIXTURE.read_text())
ISSUE = SPEC["components"]["examples"]["issue"]["value"]


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "gh"
    assert main(["new", str(root), "--empty"]) == 0
    assert main(["import", "openapi", str(root), str(FIXTURE)]) == 0
    capsys.readouterr()
    return root


def test_the_examples_are_githubs_own(imported: Path) -> None:
    workspace = load_workspace(imported)
    assert workspace.connector("Get an issue").sample_payload() == ISSUE
    assert workspace.connector("Create an issue").response.example.status == 201
    assert workspace.connector("Create an issue").sample_payload() == ISSUE
    assert (
        workspace.connector("List repository issues").sample_payload()
        == SPEC["components"]["examples"]["issue-items"]["value"]
    )
    comments = workspace.connector("List issue comments").sample_payload()
    assert comments[0]["body"] == "Me too"


def test_an_environment_per_server_beside_the_mock_servers_which_stays_the_default(imported: Path) -> None:
    workspace = load_workspace(imported)
    settings = workspace.settings.model
    assert settings.environments == {
        "local": {"base_url": "http://127.0.0.1:8787"},  # ``workbench new``'s: the mock server
        "api.github.com": {"base_url": "https://api.github.com"},
    }
    assert settings.environment_name(None) == "local"
    urls = {connector.request.url for connector in (doc.model for doc in workspace.connectors.values())}
    assert all(url.startswith("{{env.base_url}}/repos/{{owner}}/{{repo}}/issues") for url in urls)


def test_the_first_server_is_the_default_of_a_workspace_without_environments(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    assert main(["new", str(root), "--empty"]) == 0
    (root / "workbench.json").write_text('{"name": "bare"}')
    assert main(["import", "openapi", str(root), str(FIXTURE)]) == 0
    settings = load_workspace(root).settings.model
    assert list(settings.environments) == ["api.github.com"] and settings.default_environment == "api.github.com"


def test_descriptions_are_short_and_the_rest_is_kept_in_notes(imported: Path) -> None:
    workspace = load_workspace(imported)
    descriptions = {name: doc.model.description for name, doc in workspace.connectors.items()}
    assert descriptions == {
        "List repository issues": "List repository issues. List issues in a repository.",
        "Create an issue": "Create an issue. Any user with pull access to a repository can create an issue.",
        "Get an issue": "Get an issue. The API returns a 301 Moved Permanently status if the issue was transferred "
        "to another repository.",
        "List issue comments": "List issue comments. You can use the REST API to list comments on issues and pull "
        "requests.",
    }
    assert "application/vnd.github.full+json" in workspace.connector("Get an issue").notes


def test_typed_inputs_and_lint_has_only_true_findings(imported: Path) -> None:
    workspace = load_workspace(imported)
    get = workspace.connector("Get an issue")
    assert [(item.name, item.type, item.required) for item in get.inputs] == [
        ("owner", "string", True),
        ("repo", "string", True),
        ("issue_number", "integer", True),
    ]
    findings = sorted((item.path.name, item.rule, item.severity) for item in lint_workspace(workspace))
    # a GitHub issue is 114 attributes: the large-response advice is true of it; nothing else is reported
    assert findings == [
        ("create-an-issue.json", "large-response", "warning"),
        ("get-an-issue.json", "large-response", "warning"),
    ]


def test_a_request_bodys_structured_parts_come_from_its_example(imported: Path) -> None:
    body = load_workspace(imported).connector("Create an issue").request.body
    assert body["labels"] == ["bug"] and body["assignees"] == ["octocat"]
    assert "issue_field_values" not in body  # GitHub's example leaves it out: no made-up value is sent
    assert body["title"] == "{{title}}" and body["milestone"] == "{{milestone}}"
