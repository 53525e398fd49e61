"""The scenario runner: the sample desk passes, every expectation kind catches a difference and explains it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SUPPORT_DESK
from tests.connectors.server import LoopbackServer, dead_port, json_reply
from tests.scenarios.desk import run_file, sample, write
from workbench.engine import run_procedure
from workbench.scenarios import ScenarioRunner, collect_cases, divergence
from workbench.scenarios import runner as runner_module
from workbench.store import load_workspace


async def test_every_sample_scenario_passes() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    cases = collect_cases(workspace)
    reports = await ScenarioRunner(workspace).run_all(cases, jobs=4)
    assert [report.case for report in reports] == cases
    assert {report.case.name: report.explanation() for report in reports if not report.passed} == {}
    procedures = {case.procedure for case in cases}
    assert procedures == set(workspace.procedures)
    assert {report.result.outcome for report in reports if report.result} >= {
        "resolved",
        "handoff",
        "escalated",
        "completed",
        "failed",
    }


def test_divergence_points_at_the_first_difference() -> None:
    assert divergence(["a", "b"], ["a", "b"]) is None
    assert divergence(["a", "b", "c"], ["a", "x", "c"]) == 1
    assert divergence(["a", "b"], ["a"]) == 1
    assert divergence(["a"], ["a", "b"]) == 1


BROKEN_EXPECTATIONS: list[tuple[dict[str, Any], str, list[str]]] = [
    ({"outcome": "handoff"}, "outcome", ["expected: 'handoff'", "actual:   'resolved'"]),
    (
        {"path": ["lookup", "state", "reason", "cancel", "kept"]},
        "path",
        [
            "the paths diverge at step 5: expected 'kept', the run went to 'done'",
            "last events before the run went to 'done':",
        ],
    ),
    ({"path": ["lookup", "state"]}, "path", ["step 3: expected the run to end, it went on to 'reason'"]),
    ({"calls": ["Get subscription"]}, "calls", ['actual:   ["Get subscription","Cancel subscription"]']),
    (
        {"calls": {"Get subscription": 1, "Cancel subscription": 0}},
        "calls",
        ["Cancel subscription: expected 0 calls, got 1"],
    ),
    (
        {"messages_contain": ["Pro", "Gold plan"]},
        "messages_contain",
        ["no message contains 'Gold plan'", "messages said:", "1. 'Look up the plan"],
    ),
    (
        {"attributes": {"Conversation > cancellation_reason": "Bored"}},
        "attributes > Conversation > cancellation_reason",
        ["has another value", "expected: 'Bored'", "actual:   'Too expensive for me right now'"],
    ),
    ({"attributes": {"Conversation > mood": "happy"}}, "attributes > Conversation > mood", ["is not set"]),
    (
        {"attributes": {"Get subscription > addons > name": "x"}},
        "attributes > Get subscription > addons > name",
        ["Get subscription > addons is an array"],
    ),
    ({"errors": ["timeout"]}, "errors", ["expected 1 error, the run had 0", "actual:   (no error)"]),
]


@pytest.mark.parametrize(
    ("change", "expectation", "shown"),
    BROKEN_EXPECTATIONS,
    ids=[f"{case[1]}-{index}" for index, case in enumerate(BROKEN_EXPECTATIONS)],
)
async def test_an_unmet_expectation_fails_with_expected_and_actual(
    desk_copy: Path, change: dict[str, Any], expectation: str, shown: list[str]
) -> None:
    data = sample("cancel-with-a-reason")
    data["expect"].update(change)
    report = await run_file(desk_copy, write(desk_copy, "cancel-with-a-reason", data))
    assert report.status == "failed"
    assert [mismatch.expectation for mismatch in report.mismatches] == [expectation]
    explanation = report.explanation()
    for text in shown:
        assert text in explanation
    assert report.headline.startswith(f"{expectation}: ")


async def test_the_divergence_context_shows_the_events_leading_to_it(desk_copy: Path) -> None:
    data = sample("cancel-with-a-reason")
    data["expect"]["path"] = ["lookup", "state", "offer", "kept"]
    report = await run_file(desk_copy, write(desk_copy, "cancel-with-a-reason", data))
    lines = report.explanation().splitlines()
    start = lines.index("last events before the run went to 'reason':")
    context = lines[start + 1 :]
    assert 0 < len(context) <= 6
    assert "condition state: else" in context[-1]
    assert not any("step reason" in line for line in context)


async def test_loose_expectations_pass(desk_copy: Path) -> None:
    data = sample("cancel-with-a-reason")
    data["expect"] = {
        "calls": {"Get subscription": 1, "Issue refund": 0},
        "errors": [],
        "attributes": {"Conversation > mood": None, "Get subscription > plan > price": 29},
    }
    report = await run_file(desk_copy, write(desk_copy, "cancel-with-a-reason", data))
    assert report.status == "passed", report.explanation()


@pytest.mark.parametrize("entry", ["third_party_status", "Cancel subscription", "BILLING UNAVAILABLE"])
async def test_expected_errors_match_by_reason_connector_or_message(desk_copy: Path, entry: str) -> None:
    data = sample("failed-cancellation-is-escalated")
    data["expect"]["errors"] = [entry]
    report = await run_file(desk_copy, write(desk_copy, "failed-cancellation-is-escalated", data))
    assert report.status == "passed", report.explanation()


async def test_a_wrong_expected_error_names_the_actual_one(desk_copy: Path) -> None:
    data = sample("failed-cancellation-is-escalated")
    data["expect"]["errors"] = ["timeout"]
    report = await run_file(desk_copy, write(desk_copy, "failed-cancellation-is-escalated", data))
    assert report.status == "failed"
    assert (
        "error 1 does not match 'timeout': [third_party_status] Cancel subscription: HTTP 503" in report.explanation()
    )


async def test_a_failed_run_fails_a_scenario_that_does_not_pin_the_failure(desk_copy: Path) -> None:
    data = sample("billing-timeout-fails-the-run")
    del data["expect"]["outcome"]
    report = await run_file(desk_copy, write(desk_copy, "billing-timeout-fails-the-run", data))
    assert report.status == "failed"
    assert "the run ended failed: Get subscription: no complete response" in report.explanation()
    assert "last events of the run:" in report.explanation()


async def test_simulated_latency_is_skipped(desk_copy: Path) -> None:
    data = sample("cancel-with-a-reason")
    data["mocks"] = {"Cancel subscription": {"status": 200, "latency_ms": 60_000, "body": {"effective_date": "soon"}}}
    data["expect"] = {"outcome": "resolved", "messages_contain": ["ends on soon"]}
    report = await run_file(desk_copy, write(desk_copy, "cancel-with-a-reason", data))
    assert report.status == "passed", report.explanation()
    assert report.result is not None
    elapsed = [event.payload.elapsed_ms for event in report.result.events if event.type == "connector_responded"]
    assert len(elapsed) == 2 and max(elapsed) < 1000


async def test_a_crashing_run_is_an_error_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = load_workspace(SUPPORT_DESK)
    cases = collect_cases(workspace, "order")
    real = run_procedure  # what the runner calls (it imports it from workbench.engine)

    async def flaky(workspace_: Any, procedure: str, *args: Any, **kwargs: Any) -> Any:
        if procedure == "Loyalty perks":
            raise RuntimeError("boom")
        return await real(workspace_, procedure, *args, **kwargs)

    monkeypatch.setattr(runner_module, "run_procedure", flaky)
    seen: list[int] = []
    reports = await ScenarioRunner(workspace).run_all(cases, jobs=2, on_report=lambda index, _: seen.append(index))
    crashed = [report for report in reports if report.status == "error"]
    assert crashed and all(report.case.procedure == "Loyalty perks" for report in crashed)
    assert "the run crashed: RuntimeError: boom" in crashed[0].explanation()
    assert all(report.passed for report in reports if report.case.procedure != "Loyalty perks")
    assert sorted(seen) == list(range(len(cases)))


def test_k_selects_by_name_file_or_procedure_and_globs() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    names = lambda pattern: {case.name for case in collect_cases(workspace, pattern)}  # noqa: E731
    assert names("BIG ORDER") == {"Big order ships in parts"}
    assert names("loyalty perks") == {
        "Loyal customer gets free shipping",
        "Newer customer is not gold yet",
        "Order history without orders breaks the transform",
    }
    assert names("identity-check*.json") == {"Identity check times out"}
    assert names("no such thing") == set()


def point_at(desk: Path, base_url: str) -> None:
    settings = desk / "workbench.json"
    settings.write_text(settings.read_text().replace("http://127.0.0.1:8787", base_url))


async def test_only_a_live_scenario_calls_the_network(desk_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TOKEN", "live-token")
    body = sample("big-order-ships-in-parts")["mocks"]["Get orders"]["body"]
    async with LoopbackServer({"/customers/grace@example.com/orders/latest": json_reply(body)}) as server:
        point_at(desk_copy, server.url("").rstrip("/"))
        data = sample("big-order-ships-in-parts")
        del data["mocks"]
        report = await run_file(desk_copy, write(desk_copy, "big-order-ships-in-parts", {**data, "mode": "live"}))
        offline = await run_file(desk_copy, desk_copy / "scenarios" / "order-in-transit-shows-tracking.json")
    assert report.status == "passed", report.explanation()
    assert offline.status == "passed", offline.explanation()
    assert [request.headers["authorization"] for request in server.received] == ["Bearer live-token"]
    assert report.result is not None and offline.result is not None
    sources = lambda result: [e.payload.source for e in result.events if e.type == "connector_responded"]  # noqa: E731
    assert sources(report.result) == ["live"] and sources(offline.result) == ["example"]


async def test_a_connector_configured_live_answers_with_its_example(desk_copy: Path) -> None:
    point_at(desk_copy, f"http://127.0.0.1:{dead_port()}")
    path = desk_copy / "connectors" / "get-orders.json"
    path.write_text(path.read_text().replace('"mode": "example"', '"mode": "live"'))
    report = await run_file(desk_copy, desk_copy / "scenarios" / "order-in-transit-shows-tracking.json")
    assert report.status == "passed", report.explanation()
