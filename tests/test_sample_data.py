"""The sample workspaces: every file loads, is in the project's format, and the support desk lints clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LINT_EXAMPLES, SAMPLE_DATA, SUPPORT_DESK
from workbench.lint import lint_workspace
from workbench.model import CodeWhen, CollectStep, ConditionStep, DescribeWhen, InstructionStep, SubprocedureStep
from workbench.store import SETTINGS_FILE, SchemaKind, load_document, load_workspace, serialize

DELIBERATELY_BROKEN = LINT_EXAMPLES / "procedures" / "load-error.json"
KIND_OF_FOLDER: dict[str, SchemaKind] = {"connectors": "connector", "procedures": "procedure", "scenarios": "scenario"}
SAMPLE_FILES = sorted(path for path in SAMPLE_DATA.rglob("*.json") if path != DELIBERATELY_BROKEN)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: str(path.relative_to(SAMPLE_DATA)))
def test_sample_file_loads_and_is_in_the_project_format(path: Path) -> None:
    kind: SchemaKind = "workspace" if path.name == SETTINGS_FILE else KIND_OF_FOLDER[path.parent.name]
    document = load_document(path, kind)
    assert serialize(document.model) == path.read_bytes()


def test_the_support_desk_lints_clean() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    assert workspace.problems == []
    assert lint_workspace(workspace) == []


def test_the_lint_examples_have_one_deliberately_broken_file() -> None:
    workspace = load_workspace(LINT_EXAMPLES)
    assert [problem.path for problem in workspace.problems] == [DELIBERATELY_BROKEN]


def test_the_support_desk_shows_every_feature() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    connectors = workspace.connector_models()
    assert len(connectors) >= 5
    assert {connector.kind for connector in connectors.values()} == {"read", "action"}
    assert {connector.request.method for connector in connectors.values()} >= {"GET", "POST"}
    dynamic = [connector for connector in connectors.values() if connector.response.mode == "dynamic"]
    assert any(rule.response.fault for connector in dynamic for rule in connector.response.rules)
    assert any(connector.transform for connector in connectors.values())
    steps = [step for procedure in workspace.procedure_models().values() for step in procedure.all_steps()]
    assert len(workspace.procedures) >= 4
    assert {step.type for step in steps} == {"instruction", "condition", "collect", "subprocedure", "end"}
    whens: set[type] = {
        type(branch.when) for step in steps if isinstance(step, ConditionStep) for branch in step.branches
    }
    assert CodeWhen in whens and DescribeWhen in whens
    assert any(isinstance(step, InstructionStep) and step.on_error for step in steps)
    assert any(isinstance(step, CollectStep) for step in steps)
    assert all(step.procedure in workspace.procedures for step in steps if isinstance(step, SubprocedureStep))
    assert workspace.settings.model.environments == {"local": {"base_url": "http://127.0.0.1:8787"}}


def test_every_procedure_has_a_scenario() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    tested = {document.model.procedure for document in workspace.scenarios.values()}
    called = {
        step.procedure
        for procedure in workspace.procedure_models().values()
        for step in procedure.all_steps()
        if isinstance(step, SubprocedureStep)
    }
    assert tested <= set(workspace.procedures)
    assert set(workspace.procedures) - called <= tested


def test_a_corrupted_copy_is_located_and_the_rest_still_loads(desk_copy: Path) -> None:
    intact = load_workspace(desk_copy)
    path = desk_copy / "procedures" / "order-status.json"
    lines = path.read_text().splitlines(keepends=True)
    lines[5] = lines[5].replace('"lookup",', '"lookup" "broken",')
    path.write_text("".join(lines))
    workspace = load_workspace(desk_copy)
    [problem] = workspace.problems
    assert (problem.path, problem.line, problem.column) == (path, 6, lines[5].index('"broken"') + 1)
    assert len(workspace.procedures) == len(intact.procedures) - 1
    assert len(workspace.connectors) == len(intact.connectors)
