"""What real descriptions write: examples by ``$ref`` in every form, servers as environments, long markdown
descriptions cut to what the agent reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.importing import Spec, import_openapi, plan_import, write_plan
from workbench.importing.openapi import short_description
from workbench.store import load_workspace

ISSUE = {"number": 1347, "title": "Found a bug"}


def _spec(examples: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/issue": {
                "get": {
                    "summary": "Get an issue",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"number": {"type": "integer"}}},
                                    "examples": examples,
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {"examples": {"issue": {"summary": "An issue", "value": ISSUE}}},
        **extra,
    }


def _import(tmp_path: Path, spec: dict[str, Any]) -> Any:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    return import_openapi(Spec.load(path))


@pytest.mark.parametrize(
    "examples",
    [
        {"default": {"$ref": "#/components/examples/issue"}},
        {"default": {"summary": "Issue", "value": {"$ref": "#/components/examples/issue"}}},
        {"default": {"externalValue": "examples/issue.json"}},
        {"default": {"value": ISSUE}},
    ],
    ids=["example-ref", "value-ref", "external-value", "inline"],
)
def test_examples_given_by_ref_are_resolved(tmp_path: Path, examples: dict[str, Any]) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "issue.json").write_text(json.dumps(ISSUE))
    imported = _import(tmp_path, _spec(examples))
    assert imported.connectors[0].response.example.body == ISSUE
    assert imported.notes == [
        "the spec names no server host: URLs start with {{env.base_url}} (set it in workbench.json)"
    ]


@pytest.mark.parametrize(
    ("examples", "why"),
    [
        ({"default": {"$ref": "#/components/examples/nope"}}, "cannot be resolved: no 'nope'"),
        ({"default": {"externalValue": "../outside.json"}}, "is not a file under the spec's folder"),
        ({"default": {"externalValue": "https://example.com/issue.json"}}, "is on the network: not read"),
        ({"default": {"summary": "nothing"}}, "has no value"),
    ],
)
def test_an_unresolved_example_is_noted_and_the_schema_sample_used(
    tmp_path: Path, examples: dict[str, Any], why: str
) -> None:
    (tmp_path / "outside.json").write_text(json.dumps(ISSUE))
    folder = tmp_path / "spec"
    folder.mkdir()
    imported = _import(folder, _spec(examples))
    assert imported.connectors[0].response.example.body == {"number": 1}
    assert any(why in note and "the example is made from the schema instead" in note for note in imported.notes)


SERVERS = [
    {"url": "https://api.github.com", "description": ""},
    {
        "url": "https://{host}/api/v3",
        "description": "GitHub Enterprise",
        "variables": {"host": {"default": "ghe.example.com"}},
    },
    {"url": "http://127.0.0.1:8787"},
]


def test_servers_become_environments_written_with_the_connectors(tmp_path: Path, desk: Path) -> None:
    (desk / "workbench.json").write_text(json.dumps({"name": "desk"}))
    imported = _import(tmp_path, _spec({"default": {"value": ISSUE}}, servers=SERVERS))
    assert imported.connectors[0].request.url == "{{env.base_url}}/issue"
    assert imported.environments == {
        "api.github.com": {"base_url": "https://api.github.com"},
        "github-enterprise": {"base_url": "https://ghe.example.com/api/v3"},
        "127.0.0.1:8787": {"base_url": "http://127.0.0.1:8787"},
    }
    plan = plan_import(load_workspace(desk), imported)
    assert "env     api.github.com: base_url https://api.github.com (in workbench.json)" in plan.lines(desk)
    write_plan(plan)
    settings = load_workspace(desk).settings.model
    assert settings.default_environment == "api.github.com"
    assert settings.environment() == {"base_url": "https://api.github.com"}
    assert settings.name == "desk"


def test_existing_environments_are_left_alone_and_stay_in_use(tmp_path: Path, desk: Path) -> None:
    before = json.loads((desk / "workbench.json").read_text())
    servers = [{"url": "https://api.github.com"}, {"url": "http://127.0.0.1:9999", "description": "local"}]
    plan = plan_import(load_workspace(desk), _import(tmp_path, _spec({}, servers=servers)))
    assert any("environment 'local' exists in workbench.json: left as it is" in note for note in plan.notes)
    write_plan(plan)
    settings = load_workspace(desk).settings.model
    assert settings.environments == {**before["environments"], "api.github.com": {"base_url": "https://api.github.com"}}
    assert settings.default_environment == "local"


def test_a_broken_settings_file_is_not_overwritten(tmp_path: Path, desk: Path) -> None:
    (desk / "workbench.json").write_text('{"environments": [')
    plan = plan_import(load_workspace(desk), _import(tmp_path, _spec({}, servers=SERVERS)))
    assert plan.settings is None and any("add the environments by hand" in note for note in plan.notes)
    write_plan(plan)
    assert (desk / "workbench.json").read_text() == '{"environments": ['


LONG = (
    "The API returns a [`301 Moved Permanently` status](https://docs.github.com/x) if the issue was\n"
    "[transferred](https://docs.github.com/y) to another repository. If the issue was deleted, 410.\n\n"
    "> [!NOTE]\n> Pull requests are issues too.\n"
)


@pytest.mark.parametrize(
    ("summary", "description", "expected"),
    [
        (
            "Get an issue",
            LONG,
            "Get an issue. The API returns a 301 Moved Permanently status if the issue was transferred to another "
            "repository.",
        ),
        ("List the comments of an issue, oldest first", LONG, "List the comments of an issue, oldest first"),
        ("", "> [!NOTE]\n> x\n\nLists events. More text.", "Lists events."),
        ("Get an issue", "", "Get an issue"),
        ("Get an issue", "Get an issue", "Get an issue"),
    ],
)
def test_the_description_is_the_summary_and_a_first_sentence(summary: str, description: str, expected: str) -> None:
    assert short_description(summary, description) == expected


def test_the_whole_description_goes_to_the_connectors_notes(tmp_path: Path) -> None:
    spec = _spec({})
    spec["paths"]["/issue"]["get"]["description"] = LONG
    connector = _import(tmp_path, spec).connectors[0]
    assert connector.description.startswith("Get an issue. The API returns") and "\n" not in connector.description
    assert connector.notes == LONG.strip()
