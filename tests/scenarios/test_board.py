"""The scenario board: which scenarios an edit touches, statuses, badges, and accepting a new behaviour."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SUPPORT_DESK
from tests.scenarios.desk import sample, write
from workbench.model import Expectations, Procedure
from workbench.scenarios import ScenarioReport, ScenarioRunner, collect_cases
from workbench.scenarios.accept import accepted_expectations, expectations_diff
from workbench.scenarios.affected import dependencies
from workbench.scenarios.background import BackgroundRunner
from workbench.scenarios.board import ScenarioBoard, Verdict, turning_step
from workbench.scenarios.expectations import compare
from workbench.store import load_workspace


def procedures_of(root: Path) -> dict[str, Procedure]:
    return {name: document.model for name, document in load_workspace(root).procedures.items()}


def test_a_procedure_reaches_its_sub_procedures_and_every_connector_they_call() -> None:
    reach = dependencies(procedures_of(SUPPORT_DESK), "Refund request")
    assert {"Refund request", "Refund eligibility"} <= reach.procedures
    assert {"Verify identity", "Get orders", "Issue refund"} <= reach.connectors
    assert "Cancel subscription" not in reach.connectors
    alone = dependencies(procedures_of(SUPPORT_DESK), "Refund eligibility")
    assert "Refund request" not in alone.procedures and "Verify identity" not in alone.connectors


def test_an_edit_selects_exactly_the_scenarios_whose_run_it_can_change() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    board = ScenarioBoard()
    board.sync(workspace)
    by_procedure = {row.name: row.procedure for row in board.rows.values()}

    sub = {row.name for row in board.affected(workspace, [("procedure", "Refund eligibility")])}
    assert sub == {
        name for name, procedure in by_procedure.items() if procedure in ("Refund eligibility", "Refund request")
    }

    issued = {row.name for row in board.affected(workspace, [("connector", "Issue refund")])}
    assert issued == sub  # only the refund procedures call it

    cancel = {row.name for row in board.affected(workspace, [("connector", "Cancel subscription")])}
    assert cancel and all(by_procedure[name] == "Cancel subscription" for name in cancel)

    assert len(board.affected(workspace, [("workspace", "workbench.json")])) == len(board.rows)
    one = next(iter(board.rows.values()))
    assert [row.name for row in board.affected(workspace, [("scenario", one.name)])] == [one.name]


def test_verdicts_from_the_child_process_set_statuses_and_badges_and_a_stale_one_is_dropped(desk_copy: Path) -> None:
    data = sample("order-in-transit-shows-tracking")
    data["name"] = "wrong path"
    data["expect"]["path"] = data["expect"]["path"][:1]
    write(desk_copy, "wrong-path", data)
    workspace = load_workspace(desk_copy)
    board = ScenarioBoard()
    board.sync(workspace)
    order_rows = [row for row in board.rows.values() if row.procedure == "Order status"]
    assert board.badge("Order status") == ""

    first, _ = board.queue(order_rows)
    assert board.badge("Order status") == "…"
    second, cases = board.queue(order_rows)
    verdicts: list[Verdict] = []
    runner = BackgroundRunner(batch=2)
    try:
        runner.run(workspace, cases, verdicts.extend)
    finally:
        runner.close()
    assert sorted(verdict.path for verdict in verdicts) == sorted(case.path for case in cases)
    assert all(board.finish(verdict, first) is None for verdict in verdicts)  # queued again since: stale
    assert all(board.finish(verdict, second) is not None for verdict in verdicts)
    failed = board.rows["wrong-path.json"].verdict
    assert failed is not None and failed.turning == ("Order status", "lookup")
    assert failed.accepted is not None and failed.accepted.path == ["lookup", "big-order", "tracking", "done"]
    assert "the paths diverge" in failed.explanation

    assert board.rows["wrong-path.json"].status == "failed"
    assert all(row.status == "passed" for row in order_rows if row.name != "wrong path")
    assert board.badge("Order status") == "✗1"
    assert board.badges() == {procedure: board.badge(procedure) for procedure in {"Order status", *board.badges()}}
    assert board.counts()["failed"] == 1
    assert [row.name for row in board.visible("wrong fail")] == ["wrong path"]


def test_sync_keeps_statuses_and_follows_added_and_deleted_files(desk_copy: Path) -> None:
    board = ScenarioBoard()
    board.sync(load_workspace(desk_copy))
    row = board.rows["order-in-transit-shows-tracking.json"]
    row.status = "passed"
    (desk_copy / "scenarios" / "cancel-with-a-reason.json").unlink()
    (desk_copy / "scenarios" / "broken.json").write_text("{not json")
    board.sync(load_workspace(desk_copy))
    assert board.rows["order-in-transit-shows-tracking.json"].status == "passed"
    assert "cancel-with-a-reason.json" not in board.rows
    broken = board.rows["broken.json"]
    assert broken.status == "not run" and broken.case.document is None


async def test_accepting_rewrites_only_what_the_scenario_checks_in_its_form(desk_copy: Path) -> None:
    data = sample("order-in-transit-shows-tracking")
    expected_calls = {name: 5 for name in (data["expect"].get("calls") or ["Get orders"])}
    data["expect"] = {
        "path": data["expect"]["path"][:1],
        "calls": expected_calls,
        "messages_contain": ["this text is said nowhere"],
        "outcome": "escalated",
    }
    data["name"] = "to accept"
    path = write(desk_copy, "to-accept", data)
    workspace = load_workspace(desk_copy)
    [scenario] = [document.model for document in workspace.scenarios.values() if document.path == path]
    result = await ScenarioRunner(workspace).play(scenario)

    accepted = accepted_expectations(scenario.expect, result)
    assert accepted.path == result.path
    assert accepted.calls == {name: result.calls.count(name) for name in expected_calls}
    assert accepted.messages_contain == []
    assert accepted.outcome == result.outcome
    assert accepted.attributes == {} and accepted.errors is None  # not checked before, not checked now

    diff = expectations_diff(scenario.expect, accepted)
    assert any(line.startswith("-") and "said nowhere" in line for line in diff)
    assert any(line.startswith("+") and result.path[-1] in line for line in diff)
    assert expectations_diff(accepted, accepted) == []

    replay = await ScenarioRunner(workspace).play(scenario.model_copy(update={"expect": accepted}))
    assert compare(accepted, replay) == []


async def test_a_failed_run_that_nothing_pinned_gets_its_outcome() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    scenario = workspace.scenarios["Garbled order response fails the run"].model
    result = await ScenarioRunner(workspace).play(scenario)
    assert not result.ok
    accepted = accepted_expectations(Expectations(), result)
    assert accepted.outcome == "failed" and accepted.path is None


async def test_the_turning_step_is_the_last_step_shared_with_the_expected_path(desk_copy: Path) -> None:
    data = sample("order-in-transit-shows-tracking")  # expects lookup → big-order → tracking → done
    data["name"] = "turns"
    data["expect"]["path"] = ["lookup", "big-order", "elsewhere-not-taken"]
    write(desk_copy, "turns", data)
    workspace = load_workspace(desk_copy)
    runner = ScenarioRunner(workspace)
    case = next(case for case in collect_cases(workspace) if case.name == "turns")
    scenario = case.document.model
    result = await runner.play(scenario)
    report = ScenarioReport(case, "failed", 0.0, result=result)
    assert turning_step(report) == ("Order status", "big-order")

    data["expect"]["path"] = ["somewhere-else"]
    write(desk_copy, "turns", data)
    case = next(case for case in collect_cases(load_workspace(desk_copy)) if case.name == "turns")
    assert turning_step(ScenarioReport(case, "failed", 0.0, result=result)) == ("Order status", "lookup")

    del data["expect"]["path"]
    write(desk_copy, "turns", data)
    case = next(case for case in collect_cases(load_workspace(desk_copy)) if case.name == "turns")
    assert turning_step(ScenarioReport(case, "failed", 0.0, result=result)) == ("Order status", "done")
    assert turning_step(ScenarioReport(case, "error", 0.0)) is None
