"""Bad scenarios are clear errors at their file and location, and never stop the other scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.desk import location_of_key, run_file, sample, write
from workbench.jsonfile import dumps_pretty
from workbench.scenarios import ScenarioRunner, collect_cases
from workbench.store import load_workspace

Change = Callable[[dict[str, Any]], None]


def rename(section: str, old: str, new: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        data[section][new] = data[section].pop(old)

    return change


def setting(*keys: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


BAD: list[tuple[str, Change, str, str]] = [
    (
        "procedure",
        setting("procedure", value="Refund requests"),
        "procedure: unknown procedure 'Refund requests' (did you mean 'Refund request'?)",
        "procedure",
    ),
    (
        "mock-connector",
        rename("mocks", "Get orders", "Get order"),
        "mocks: unknown connector 'Get order' (did you mean 'Get orders'?)",
        "Get order",
    ),
    (
        "simulation-connector",
        setting("simulation", value={"goal": "help", "connectors": {"Get order": "block"}}),
        "simulation.connectors: unknown connector 'Get order' (did you mean 'Get orders'?)",
        "Get order",
    ),
    (
        "decision-step",
        rename("decisions", "check-status", "check-stat"),
        "decisions: unknown step 'check-stat' (did you mean 'check-status'?)",
        "check-stat",
    ),
    (
        "decision-not-describe",
        setting("decisions", "verified", value=True),
        "step 'verified' is a condition step without a 'describe' branch",
        "verified",
    ),
    (
        "decision-index",
        setting("decisions", "check-status", value=5),
        "branch index 5 is out of range (0-1",
        "check-status",
    ),
    (
        "decision-text",
        setting("decisions", "check-status", value="It rained"),
        "'It rained' matches no branch (choose one of 'The customer says the parcel arrived damaged', 'else')",
        "check-status",
    ),
    (
        "answer",
        rename("answers", "postcode", "zip"),
        "answers: 'zip' is no collect step, collected attribute or input of a connector this procedure calls",
        "zip",
    ),
    (
        "path-step",
        setting("expect", "path", value=["verify", "verifed"]),
        "expect.path[1]: unknown step 'verifed' (did you mean 'verified'?)",
        "verifed",
    ),
    (
        "calls-list",
        setting("expect", "calls", value=["Verify identity", "Get ordres"]),
        "expect.calls: unknown connector 'Get ordres' (did you mean 'Get orders'?)",
        "Get ordres",
    ),
    (
        "calls-count",
        setting("expect", "calls", value={"Refund": 1}),
        "expect.calls: unknown connector 'Refund'",
        "Refund",
    ),
    (
        "attribute-root",
        setting("expect", "attributes", value={"Customer > email": "x"}),
        "expect.attributes: 'Customer > email' is not an attribute path",
        "Customer > email",
    ),
    (
        "attribute-namespace",
        setting("expect", "attributes", value={"Company": "x"}),
        "expect.attributes: 'Company' is not an attribute path (a connector name or User, Company, Conversation, "
        "then ' > ' and a key)\n",
        "Company",
    ),
    ("error-entry", setting("expect", "errors", value=[" "]), "expect.errors[0]: an empty entry", " "),
    ("top-level-key", setting("mock", value={}), "mock: unknown key (did you mean 'mocks'?)", "mock"),
    (
        "expect-key",
        setting("expect", "outcomes", value="resolved"),
        "expect.outcomes: unknown key (did you mean 'outcome'?)",
        "outcomes",
    ),
    (
        "mock-key",
        setting("mocks", "Get orders", "stauts", value=500),
        "mocks.Get orders.stauts: unknown key (did you mean 'status'?)",
        "stauts",
    ),
    (
        "environment",
        setting("environment", value="staging"),
        "environment: unknown environment 'staging' (known: local)",
        "environment",
    ),
    (
        "outcome-value",
        setting("expect", "outcome", value="resolvd"),
        "expect.outcome: Input should be 'resolved', 'handoff', 'escalated', 'completed' or 'failed'",
        "outcome",
    ),
    ("calls-type", setting("expect", "calls", value="Get orders"), "expect.calls", "calls"),
]


@pytest.mark.parametrize(("change", "message", "key"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
async def test_a_bad_scenario_is_an_error_at_its_location(
    desk_copy: Path, change: Change, message: str, key: str
) -> None:
    data = sample("damaged-parcel-is-refunded")
    change(data)
    path = write(desk_copy, "damaged-parcel-is-refunded", data)
    report = await run_file(desk_copy, path)
    assert report.status == "error" and report.result is None
    [problem] = report.problems
    line, column = location_of_key(path, key)
    assert problem.startswith(f"{path}:{line}:{column}: "), problem
    assert message in problem + "\n"


async def test_problems_are_listed_in_file_order(desk_copy: Path) -> None:
    data = sample("damaged-parcel-is-refunded")
    data["procedure"] = "Nope"
    data["expect"]["outcom"] = "resolved"
    data["mocks"]["Get ordrs"] = data["mocks"].pop("Get orders")
    report = await run_file(desk_copy, write(desk_copy, "damaged-parcel-is-refunded", data))
    lines = [int(problem.split(":")[1]) for problem in report.problems]
    assert len(lines) == 3 and lines == sorted(lines)


async def test_a_procedure_that_did_not_load_is_named(desk_copy: Path) -> None:
    (desk_copy / "procedures" / "order-status.json").write_text('{"name": "Order status", "steps": [}')
    report = await run_file(desk_copy, desk_copy / "scenarios" / "big-order-ships-in-parts.json")
    assert report.status == "error"
    assert "procedure files that did not load: " in report.problems[0]
    assert "order-status.json:1:" in report.problems[0]


async def test_a_live_connector_without_an_example_needs_a_mock(desk_copy: Path) -> None:
    path = desk_copy / "connectors" / "verify-identity.json"
    path.write_text(
        path.read_text().replace('"mode": "example"', '"mode": "live"').replace('"example": {', '"unused": {')
    )
    report = await run_file(desk_copy, desk_copy / "scenarios" / "refund-of-an-order-not-shipped-yet.json")
    assert report.status == "error"
    assert "connector 'Verify identity' answers live and has no example response" in report.problems[0]
    mocked = await run_file(desk_copy, desk_copy / "scenarios" / "unverified-customer-is-escalated.json")
    assert mocked.status == "passed", mocked.explanation()


async def test_unloadable_files_are_errors_and_the_rest_still_run(desk_copy: Path) -> None:
    scenarios = desk_copy / "scenarios"
    (scenarios / "broken.json").write_text('{"name": "Broken", "procedure": }')
    (scenarios / "empty.json").write_text("")
    (scenarios / "twin.json").write_bytes(dumps_pretty(sample("cancel-with-a-reason")))
    workspace = load_workspace(desk_copy)
    reports = await ScenarioRunner(workspace).run_all(collect_cases(workspace))
    errors = {report.case.path.name: report.problems[0] for report in reports if report.status == "error"}
    assert set(errors) == {"broken.json", "empty.json", "twin.json"}
    assert errors["broken.json"].startswith(f"{scenarios / 'broken.json'}:1:33: invalid JSON")
    assert "is empty" in errors["empty.json"]
    assert "scenario name 'Cancel with a reason' is already used by" in errors["twin.json"]
    assert sum(report.passed for report in reports) == len(reports) - 3
