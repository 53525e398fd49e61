"""An undeclared User / Company / Conversation attribute: the finding says how to declare it and offers the fix."""

from __future__ import annotations

import pytest

from tests.lint.test_lint_models import CONNECTORS, condition, proc, step
from workbench.lint import lint_models
from workbench.model import Procedure, WorkspaceSettings


def findings(settings: WorkspaceSettings, *steps: dict) -> list:
    procedure = Procedure.model_validate(proc(*steps))
    return lint_models(CONNECTORS, {"P": procedure}, settings)


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("User > loyalty_tier", step("say", "You are @read(User > loyalty_tier).")),
        ("Company > plan > seats", condition("big", {"attribute": "Company > plan > seats", "op": "is_set"})),
        ("Conversation > topic", step("say", "About @read(Conversation > topic).")),
    ],
)
def test_declaring_the_attribute_is_offered_and_clears_the_finding(path: str, where: dict) -> None:
    settings = WorkspaceSettings()
    [finding] = findings(settings, where)
    assert finding.rule == "unknown-reference" and finding.declare == path
    namespace = path.split(" > ")[0]
    assert f'under "attributes" > "{namespace}" in workbench.json' in finding.message
    declared = settings.with_attribute(finding.declare, "sample")
    assert findings(declared, where) == []
    assert declared.with_attribute(path, "other") == declared  # a declared attribute keeps its sample


def test_connector_paths_and_unknown_roots_offer_no_declaration() -> None:
    settings = WorkspaceSettings()
    found = findings(
        settings,
        step("lookup", "@call(Get orders)"),
        step("say", "@read(Get orders > nope) @read(Nobody > x)"),
    )
    assert len(found) == 2 and all(finding.declare is None for finding in found)


def test_only_builtin_attribute_paths_can_be_declared() -> None:
    settings = WorkspaceSettings.model_validate({"attributes": {"User": {"email": "a@b.c"}}})
    for bad in ("Get orders > status", "User", "User > ", "User > email > domain"):
        with pytest.raises(ValueError):
            settings.with_attribute(bad)
