"""The in-memory lint entry point, and each rule's edge cases (what must fire and what must stay quiet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LINT_EXAMPLES
from workbench.lint import Finding, lint_models, workspace_paths
from workbench.model import Connector, Procedure, Scenario, WorkspaceSettings
from workbench.store import load_workspace

ORDER = {"order_id": "ORD-1", "status": "shipped", "total": {"amount": 5.0}, "items": [{"quantity": 1}]}


def connector(name: str, body: Any = None, inputs: list[dict[str, Any]] | None = None, **extra: Any) -> Connector:
    return Connector.model_validate(
        {
            "name": name,
            "request": {"url": "http://127.0.0.1:8787/x"},
            "inputs": inputs or [],
            "response": {"example": {"body": ORDER if body is None else body}},
            **extra,
        }
    )


EMAIL = {"name": "email", "required": True, "source": "User > email"}
CONNECTORS = {
    "Get orders": connector("Get orders", inputs=[EMAIL]),
    "Get customer": connector("Get customer", {"name": "Ada", "tier": "gold"}, inputs=[EMAIL]),
    "Issue refund": connector(
        "Issue refund",
        {"refund_id": "RF-1"},
        inputs=[
            {"name": "order_id", "required": True, "source": "Get orders > order_id"},
            {"name": "note", "required": False},
        ],
    ),
}


def step(step_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": step_id, "type": "instruction", "text": text, **extra}


def condition(step_id: str, when: dict[str, Any], steps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": step_id, "type": "condition", "branches": [{"when": when, "steps": steps or []}], "else": []}


def lint(*procedures: dict[str, Any], connectors: dict[str, Connector] | None = None, **options: Any) -> list[Finding]:
    models = {data["name"]: Procedure.model_validate(data) for data in procedures}
    return lint_models(CONNECTORS if connectors is None else connectors, models, WorkspaceSettings(), **options)


def proc(*steps: dict[str, Any], name: str = "P") -> dict[str, Any]:
    return {"name": name, "steps": list(steps)}


def rules(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


LOOKUP = step("lookup", "Look up @call(Get orders).")


def test_a_good_procedure_is_clean() -> None:
    assert (
        lint(
            proc(
                LOOKUP,
                step("say", "It is @read(Get orders > status)."),
                condition(
                    "big",
                    {
                        "code": 'len(inputs["temporary"]["Get orders"]["items"]) > 2 and '
                        'inputs["temporary"]["Get orders"]["items"][2]["quantity"] > 1'
                    },
                ),
                step("refund", "Refund it with @call(Issue refund)."),
            )
        )
        == []
    )


def test_paths_default_to_slugs_and_only_limits_the_findings() -> None:
    broken = proc(step("a", "@call(Nope)"), name="First one")
    other = proc(step("b", "@call(Nope)"), name="Second")
    findings = lint(broken, other, only={("procedure", "Second")})
    assert [(finding.path, finding.step) for finding in findings] == [(Path("procedures/second.json"), "b")]
    assert len(lint(broken, other)) == 2


def test_workspace_paths_map_every_loaded_document() -> None:
    workspace = load_workspace(LINT_EXAMPLES)
    paths = workspace_paths(workspace)
    assert paths[("connector", "Get orders")] == LINT_EXAMPLES / "connectors" / "get-orders.json"
    assert len(paths) == len(workspace.connectors) + len(workspace.procedures)


def test_findings_are_sorted_by_file_then_step_order_then_position() -> None:
    findings = lint(proc(step("z", "@read(Get orders > status) @read(Nope > x)"), step("a", "@call(Nope)")))
    assert [(finding.step, finding.column) for finding in findings] == [("z", 1), ("z", 28), ("a", 1)]


def test_finding_as_dict_and_location() -> None:
    [finding] = lint(proc(step("a", "Hi\n @call(Nope)")))
    assert finding.to_dict() == {
        "rule": "unknown-reference",
        "severity": "error",
        "file": "procedures/p.json",
        "step": "a",
        "field": "text",
        "line": 2,
        "column": 2,
        "message": "no connector is called 'Nope'",
        "suggestion": None,
        "declare": None,
    }
    assert finding.location == "procedures/p.json step a 2:2"


# unknown-reference


def test_unknown_references_of_every_kind() -> None:
    connectors = {
        **CONNECTORS,
        "Lookup": connector("Lookup", inputs=[{"name": "id", "source": "Get ordrs > order_id"}]),
    }
    findings = lint(
        proc(
            LOOKUP,
            condition("c1", {"attribute": "Get orders > stauts", "op": "equals", "value": "x"}),
            condition("c2", {"code": 'inputs["temporary"]["Get order"]["status"] == "x"'}),
            {"id": "sub", "type": "subprocedure", "procedure": "Refund flow"},
            step("bad", "Say @read(Get orders >)."),
            {"id": "end", "type": "end", "message": "Bye @read(User > favourite_colour)"},
        ),
        proc(step("x", "Done."), name="Refund flows"),
        connectors=connectors,
        scenarios={"S": Scenario.model_validate({"name": "S", "procedure": "p", "mocks": {"Get order": {}}})},
    )
    got = [(f.path.name, f.step, f.field, f.line, f.column, f.suggestion) for f in findings]
    assert got == [
        ("lookup.json", None, "inputs.0.source", None, None, "Get orders > order_id"),
        ("p.json", "c1", "branches.0.when.attribute", None, None, "Get orders > status"),
        ("p.json", "c2", "branches.0.when.code", 1, 21, "Get orders"),
        ("p.json", "sub", "procedure", None, None, "Refund flows"),
        ("p.json", "bad", "text", 1, 5, None),
        ("p.json", "end", "message", 1, 5, None),
        ("s.json", None, "mocks.Get order", None, None, "Get orders"),
        ("s.json", None, "procedure", None, None, "P"),
    ]
    assert {finding.rule for finding in findings} == {"unknown-reference"}


def test_paths_under_a_transformed_connector_are_checked_only_with_its_payload() -> None:
    connectors = {"Summary": connector("Summary", {"raw": [1, 2]}, transform="return {'count': len(response['raw'])}")}
    procedure = proc(step("a", "@call(Summary) gives @read(Summary > count) and @read(Summary > cuont)."))
    assert lint(procedure, connectors=connectors) == []
    [finding] = lint(procedure, connectors=connectors, payloads={"Summary": {"count": 2}})
    assert (finding.rule, finding.suggestion) == ("unknown-reference", "Summary > count")


# attribute-before-call


def test_reads_before_the_call_on_some_or_no_paths() -> None:
    maybe = {
        "id": "c",
        "type": "condition",
        "else": [],
        "branches": [{"when": {"describe": "wants it"}, "steps": [LOOKUP]}],
    }
    findings = lint(
        proc(
            maybe,
            step("say", "It is @read(Get orders > status)."),
            condition("check", {"code": 'inputs["temporary"]["Get customer"]["tier"] == "gold"'}),
            step("refund", "Refund with @call(Issue refund)."),
        )
    )
    assert [(f.rule, f.step, f.message) for f in findings] == [
        (
            "attribute-before-call",
            "say",
            "reads 'Get orders > status' but Get orders is called on some paths to this step, not all",
        ),
        ("attribute-before-call", "check", "reads 'Get customer' but Get customer is not called before this step"),
        (
            "attribute-before-call",
            "refund",
            "calls Issue refund, whose input 'order_id' comes from 'Get orders > order_id', but Get orders is called "
            "on some paths to this step, not all",
        ),
    ]


def test_a_sub_procedure_reads_what_its_caller_fetched_but_not_what_it_fetches_later() -> None:
    findings = lint(
        proc(LOOKUP, {"id": "sub", "type": "subprocedure", "procedure": "Sub"}),
        proc(
            step("read", "It is @read(Get orders > status) for @read(Get customer > name)."),
            step("later", "@call(Get customer)"),
            name="Sub",
        ),
    )
    assert [(f.rule, f.step, f.column) for f in findings] == [("attribute-before-call", "read", 38)]


def test_on_error_steps_cannot_read_the_failed_connector() -> None:
    findings = lint(proc(step("lookup", "@call(Get orders)", on_error=[step("sorry", "@read(Get orders > status)")])))
    assert [(f.rule, f.step) for f in findings] == [("attribute-before-call", "sorry")]


# array-child-attribute


def test_paths_into_arrays_in_text_conditions_and_sources() -> None:
    connectors = {
        **CONNECTORS,
        "Ship": connector("Ship", inputs=[{"name": "q", "source": "Get orders > items > quantity"}]),
    }
    findings = lint(
        proc(
            LOOKUP,
            step("say", "@read(Get orders > items > 0)"),
            condition("c", {"attribute": "Get orders > items > quantity", "op": "greater_than", "value": 1}),
        ),
        connectors=connectors,
    )
    assert [(f.rule, f.path.name, f.step) for f in findings] == [
        ("array-child-attribute", "ship.json", None),
        ("array-child-attribute", "p.json", "say"),
        ("array-child-attribute", "p.json", "c"),
    ]
    assert lint(proc(LOOKUP, step("say", "@read(Get orders > items)"))) == []


# connector-called-twice / multiple-connectors-in-step


def test_called_again_in_a_sub_procedure_or_in_the_same_step() -> None:
    findings = lint(
        proc(LOOKUP, {"id": "sub", "type": "subprocedure", "procedure": "Sub"}),
        proc(step("again", "@call(Get orders) and @call(Get orders)"), name="Sub"),
    )
    assert [(f.rule, f.step, f.column) for f in findings] == [
        ("connector-called-twice", "again", 1),
        ("connector-called-twice", "again", 23),
    ]
    assert "here or in a calling procedure" in findings[0].message
    assert "earlier in this step" in findings[1].message


def test_calls_in_separate_branches_are_not_twice() -> None:
    branches = {
        "id": "c",
        "type": "condition",
        "branches": [{"when": {"describe": "a"}, "steps": [LOOKUP]}],
        "else": [step("other", "@call(Get orders)")],
    }
    assert lint(proc(branches)) == []


def test_three_connectors_in_one_step_is_one_finding() -> None:
    findings = lint(proc(step("all", "@call(Get orders), @call(Get orders)? @call(Get customer) @call(Issue refund)")))
    multiple = [f for f in findings if f.rule == "multiple-connectors-in-step"]
    assert [(f.column, f.message) for f in multiple] == [
        (39, "this step calls Get orders, Get customer and Issue refund: give each connector a step of its own")
    ]


# redundant-input-collection


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("First ask the customer for their email, then @call(Get orders).", 7),
        ("Ask them for the e-mail address they used and @call(Get orders).", 1),
        ("Ask the customer what their email is, then @call(Get orders).", 1),
        ("Get the customer's email before you @call(Get orders).", 1),
    ],
)
def test_asking_for_a_value_the_connector_collects(text: str, column: int) -> None:
    [finding] = lint(proc(step("s", text)))
    assert (finding.rule, finding.line, finding.column) == ("redundant-input-collection", 1, column)


@pytest.mark.parametrize(
    "text",
    [
        "Ask the customer which order they mean, then @call(Get orders).",
        "Ask for their email, then thank them.",
        "Look up @call(Get orders) and email the customer the receipt.",
        "Ask for a note, then @call(Issue refund).",
        "Get their order details with @call(Get orders).",
    ],
)
def test_no_false_positives(text: str) -> None:
    findings = lint(proc(LOOKUP, step("s", text)))
    assert "redundant-input-collection" not in rules(findings)


def test_a_collect_step_right_before_the_call_that_takes_its_value() -> None:
    collect = {"id": "ask", "type": "collect", "attribute": "Conversation > order_id", "prompt": "Which order?"}
    findings = lint(proc(LOOKUP, collect, step("refund", "@call(Issue refund)")))
    assert [(f.rule, f.step, f.field) for f in findings] == [("redundant-input-collection", "ask", "attribute")]
    by_prompt = {**collect, "attribute": "Conversation > reference", "prompt": "What is your order number?"}
    assert rules(lint(proc(LOOKUP, by_prompt, step("refund", "@call(Issue refund)")))) == ["redundant-input-collection"]
    unrelated = {**collect, "attribute": "Conversation > reason", "prompt": "Why do you want a refund?"}
    assert lint(proc(LOOKUP, unrelated, step("refund", "@call(Issue refund)"))) == []


def test_collecting_the_attribute_an_input_takes_as_its_source_is_the_recommended_pattern() -> None:
    inputs = [{"name": "order_id", "required": True, "source": "Conversation > order_id"}]
    connectors = {**CONNECTORS, "Cancel order": connector("Cancel order", inputs=inputs)}
    collect = {"id": "ask", "type": "collect", "attribute": "Conversation > order_id", "prompt": "Which order number?"}
    findings = lint(proc(collect, step("cancel", "@call(Cancel order)")), connectors=connectors)
    assert "redundant-input-collection" not in rules(findings)
    elsewhere = {**collect, "attribute": "Conversation > reference"}  # the call reads another attribute
    findings = lint(proc(elsewhere, step("cancel", "@call(Cancel order)")), connectors=connectors)
    assert "redundant-input-collection" in rules(findings)


# large-response


def test_large_responses_without_a_transform() -> None:
    big = {f"field_{index}": "x" * 10 for index in range(70)}
    settings = WorkspaceSettings.model_validate({"limits": {"large_response_bytes": 500}})
    connectors = {
        "Big": connector("Big", big),
        "Trimmed": connector("Trimmed", big, transform="return {'a': 1}"),
        "Wide": connector("Wide", ["x" * 600]),
    }
    findings = lint_models(connectors, {}, settings)
    assert [(f.rule, f.path.name) for f in findings] == [
        ("large-response", "big.json"),
        ("large-response", "wide.json"),
    ]
    assert "bytes (budget 500) and 70 attributes (budget 60)" in findings[0].message


# unchecked-index


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ('inputs["user"]["tags"][-1] == "vip"', True),
        ('inputs["user"]["tags"][0] == "vip" or len(inputs["user"]["tags"]) > 0', False),
        ('inputs["user"]["tags"][:1] == ["vip"]', False),
        ('inputs["user"]["email"] == "x"', False),
        ('any(item["quantity"] > 3 for item in inputs["user"]["tags"])', False),
    ],
)
def test_constant_indexes_need_a_length_check(code: str, flagged: bool) -> None:
    findings = lint(proc(condition("c", {"code": code})))
    assert [f.rule for f in findings] == (["unchecked-index"] if flagged else [])


# code-error


def test_code_that_breaks_the_sandbox_policy() -> None:
    connectors = {"T": connector("T", transform="import os\nreturn response")}
    findings = lint(proc(condition("c", {"code": "inputs.__class__"})), connectors=connectors)
    assert [(f.rule, f.path.name, f.step, f.field, f.line) for f in findings] == [
        ("code-error", "t.json", None, "transform", 1),
        ("code-error", "p.json", "c", "branches.0.when.code", 1),
    ]
    assert all("not allowed in the sandbox" in f.message for f in findings)


# unreachable-step


def test_steps_after_every_path_ends_are_reported_once_and_not_linted_further() -> None:
    ending = {
        "id": "c",
        "type": "condition",
        "branches": [{"when": {"describe": "a"}, "steps": [{"id": "stop-a", "type": "end"}]}],
        "else": [{"id": "stop-b", "type": "end"}],
    }
    findings = lint(proc(ending, step("dead", "@read(Get orders > status)"), step("dead-too", "@call(Get orders)")))
    assert [(f.rule, f.step) for f in findings] == [("unreachable-step", "dead")]
    assert lint(proc({**ending, "else": []}, step("alive", "Hello."))) == []
