"""Rules with one home: the environment in use, a connector's template scope, sandbox limits from settings,
and the transformed samples that both the app and ``workbench lint`` lint with."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workbench.connectors import ConnectorError, TemplateScope
from workbench.editing.edit_session import EditSession
from workbench.lint import lint_workspace
from workbench.model import Connector, Limits, Request, WorkspaceSettings
from workbench.sandbox import SandboxLimits
from workbench.store import load_workspace


@pytest.mark.parametrize(
    ("environments", "default", "asked", "expected"),
    [
        ({"a": {}, "b": {}}, None, None, None),
        ({"a": {}, "b": {}}, "b", None, "b"),
        ({"a": {}, "b": {}}, "b", "a", "a"),
        ({"only": {}}, None, None, "only"),
        ({}, None, None, None),
    ],
)
def test_the_environment_in_use(
    environments: dict, default: str | None, asked: str | None, expected: str | None
) -> None:
    settings = WorkspaceSettings(environments=environments, default_environment=default)
    assert settings.environment_name(asked) == expected
    assert settings.environment(asked) == (environments[expected] if expected else {})


def test_a_connector_scope_uses_the_environment_in_use_and_names_an_unknown_one() -> None:
    connector = Connector(name="Ping", request=Request(method="GET", url="{{env.base_url}}/{{id}}"), inputs=[])
    settings = WorkspaceSettings(environments={"local": {"base_url": "http://127.0.0.1:1"}})
    scope = TemplateScope.of(connector, {"id": 3}, settings)
    assert scope.environment_name == "local" and scope.text("{{env.base_url}}") == "http://127.0.0.1:1"
    with pytest.raises(ConnectorError, match="unknown environment 'prod'"):
        TemplateScope.of(connector, {}, settings, "prod")


def test_sandbox_limits_come_from_the_settings() -> None:
    limits = Limits(sandbox_timeout_s=2.5, sandbox_memory_mb=64, max_response_bytes=4096)
    assert SandboxLimits.of(limits) == SandboxLimits(timeout_s=2.5, memory_mb=64, max_result_bytes=4096)


def test_the_app_and_workbench_lint_report_the_same_findings_under_a_transform(desk_copy: Path) -> None:
    path = desk_copy / "procedures" / "loyalty-perks.json"
    data = orjson.loads(path.read_bytes())
    # ``orders`` exists in the raw sample but the transform drops it: only a transformed lint sees the mistake.
    data["steps"][0]["text"] += " Mention @read(Get order history > orders) and @read(Get order history > order_count)."
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    from_the_command_line = lint_workspace(load_workspace(desk_copy))
    session = EditSession.load(desk_copy)
    in_the_app = lint_workspace(session.workspace(), payloads=session.transformed_payloads())
    assert from_the_command_line == in_the_app
    assert any(f.rule == "unknown-reference" and "orders" in f.message for f in from_the_command_line)


def test_the_app_and_workbench_lint_know_code_outputs_from_a_run_on_the_samples(desk_copy: Path) -> None:
    procedure = {
        "name": "Refund",
        "steps": [
            {"id": "lookup", "type": "instruction", "text": "@call(Get orders)"},
            {
                "id": "compute",
                "type": "code",
                "name": "Refund",
                "code": 'return {"amount": inputs["temporary"]["Get orders"]["total"]["amount"] / 2}',
            },
            {"id": "say", "type": "instruction", "text": "Offer @read(Refund > amont)."},
        ],
    }
    (desk_copy / "procedures" / "refund.json").write_bytes(orjson.dumps(procedure, option=orjson.OPT_INDENT_2))
    from_the_command_line = lint_workspace(load_workspace(desk_copy))
    session = EditSession.load(desk_copy)
    payloads = session.transformed_payloads()
    assert payloads["Refund"] == {"amount": 32.49}
    assert session.transformed_payloads()["Refund"] is payloads["Refund"]  # cached while code and inputs stay
    assert lint_workspace(session.workspace(), payloads=payloads) == from_the_command_line
    [finding] = from_the_command_line
    assert (finding.rule, finding.step, finding.suggestion) == ("unknown-reference", "say", "Refund > amount")
    session.payloads = payloads
    session.changed()
    offered = session.catalog().available_at("Refund", "say").available
    assert ("Refund > amount", "number", 32.49) in offered
