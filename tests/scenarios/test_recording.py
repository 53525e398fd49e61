"""Recording a run as a scenario: it replays green, keeps secrets out, and is named sensibly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SUPPORT_DESK
from tests.connectors.server import LoopbackServer, json_reply
from tests.engine.build import Watcher, connector, procedure, workspace
from tests.events import payloads
from tests.scenarios.desk import run_file, sample
from tests.waiting import wait_until
from workbench.engine import Run, RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.events import ConnectorResponded
from workbench.model import Scenario
from workbench.scenarios import ScenarioRunner, record, save_recording
from workbench.scenarios.expectations import compare
from workbench.store import load_document, load_workspace

SECRET = "s3cr3t-Tok/en"
REPLAYED = [
    "cancel-with-a-reason",  # answers and a describe decision
    "damaged-parcel-is-refunded",  # sub-procedure, a decision by text
    "failed-cancellation-is-escalated",  # a handled connector error
    "already-cancelled-subscription",  # a dynamic rule's response
    "empty-cancellation-reason-is-asked-again",  # a rejected answer
    "customer-never-gives-the-postcode",  # an input failure
    "identity-check-times-out",  # a timeout fault
    "garbled-order-response-fails-the-run",  # a malformed body
    "order-history-without-orders-breaks-the-transform",
    "refund-eligibility-on-its-own-asks-for-the-order",
]
FAULTS = [
    {"status": 200, "fault": "disconnect"},
    {"status": 200, "fault": "empty_body"},
    {"status": 404, "body": {"error": "no order"}},
]


async def record_and_replay(desk: Path, scenario: Scenario, file: str) -> tuple[Scenario, Any]:
    runner = ScenarioRunner(load_workspace(desk))
    result = await runner.play(scenario)
    options = RunOptions(
        environment=scenario.environment,
        attributes={namespace: values for namespace, values in scenario.attributes.items()},
    )
    path, saved, _ = save_recording(file, runner.workspace, scenario.procedure, options, result)
    return saved, await run_file(desk, path)


@pytest.mark.parametrize("stem", REPLAYED)
async def test_a_recorded_run_replays_green(desk_copy: Path, stem: str) -> None:
    scenario = Scenario.model_validate(sample(stem))
    saved, report = await record_and_replay(desk_copy, scenario, f"recorded-{stem}")
    assert report.status == "passed", report.explanation()
    assert saved.expect.path == scenario.expect.path and saved.expect.outcome == scenario.expect.outcome
    assert saved.mode is None


@pytest.mark.parametrize("mock", FAULTS, ids=lambda mock: mock.get("fault") or str(mock["status"]))
async def test_a_recorded_connector_failure_replays_green(desk_copy: Path, mock: dict[str, Any]) -> None:
    scenario = Scenario.model_validate({"name": "x", "procedure": "Order status", "mocks": {"Get orders": mock}})
    saved, report = await record_and_replay(desk_copy, scenario, "recorded-failure")
    assert report.status == "passed", report.explanation()
    assert saved.expect.outcome == "failed" and saved.expect.errors


async def test_the_recording_holds_what_was_given_and_seen(desk_copy: Path) -> None:
    scenario = Scenario.model_validate(sample("cancel-with-a-reason"))
    saved, _ = await record_and_replay(desk_copy, scenario, "cancel-recorded")
    assert saved.name == "Cancel recorded"
    assert saved.attributes == {"User": {"email": "grace@example.com"}}
    assert saved.answers == {"reason": "Too expensive for me right now"}
    assert saved.decisions == {"state": "else"}
    assert set(saved.mocks) == {"Get subscription", "Cancel subscription"}
    assert saved.mocks["Cancel subscription"].body["effective_date"] == "2025-02-01"
    assert saved.expect.calls == ["Get subscription", "Cancel subscription"]
    assert "2025-02-01" in saved.expect.messages_contain and "Your subscription is cancelled." not in str(saved)
    assert saved.expect.errors is None
    on_disk = load_document(desk_copy / "scenarios" / "cancel-recorded.json", "scenario")
    assert on_disk.model == saved and list(on_disk.baseline or {}) == [
        "name",
        "description",
        "procedure",
        "attributes",
        "answers",
        "decisions",
        "mocks",
        "expect",
    ]


async def test_secrets_never_reach_the_recording(desk_copy: Path) -> None:
    route = "/customers/grace@example.com/orders/latest"
    body = {**sample("big-order-ships-in-parts")["mocks"]["Get orders"]["body"], "note": f"token {SECRET} used"}
    async with LoopbackServer({route: json_reply(body)}) as server:
        settings = desk_copy / "workbench.json"
        settings.write_text(settings.read_text().replace("http://127.0.0.1:8787", server.url("").rstrip("/")))
        desk = load_workspace(desk_copy)
        options = RunOptions(mode="live", attributes={"Conversation": {"note": SECRET}}, secrets={"SHOP_TOKEN": SECRET})
        result = await run_procedure(desk, "Order status", ScriptedAgent(), options)
    assert result.outcome == "resolved", result.error
    assert server.received[0].headers["authorization"] == f"Bearer {SECRET}"
    path, saved, _ = save_recording(desk_copy / "scenarios" / "live.json", desk, "Order status", options, result)
    text = path.read_text()
    assert SECRET not in text and "token *** used" in text and saved.attributes["Conversation"] == {"note": "***"}
    report = await run_file(desk_copy, path)
    assert report.status == "passed", report.explanation()


async def test_file_names_and_scenario_names(desk_copy: Path, tmp_path: Path) -> None:
    scenario = Scenario.model_validate(sample("order-in-transit-shows-tracking"))
    runner = ScenarioRunner(load_workspace(desk_copy))
    result = await runner.play(scenario)
    options = RunOptions()
    bare, first, _ = save_recording(
        "order-in-transit-shows-tracking", runner.workspace, "Order status", options, result
    )
    assert bare == desk_copy / "scenarios" / "order-in-transit-shows-tracking.json"
    assert first.name == "Order in transit shows tracking"  # the existing file keeps its name
    elsewhere, second, _ = save_recording(tmp_path / "big_order", runner.workspace, "Order status", options, result)
    assert elsewhere == tmp_path / "big_order.json" and second.name == "Big order"
    _clash, third, _ = save_recording(
        tmp_path / "big-order-ships-in-parts.json", runner.workspace, "Order status", options, result
    )
    assert third.name == "Big order ships in parts 2"


def _bodies(result: RunResult) -> list[tuple[str, Any]]:
    return [(response.connector, response.body) for response in payloads(result.events, ConnectorResponded)]


@pytest.mark.parametrize(
    ("replies", "kept"),
    [(["1", "2", "3"], 3), (["1", "1", "2"], 2), (["1", "2", "2"], 2), (["same", "same", "same"], 1)],
)
async def test_every_answer_of_a_repeated_call_is_recorded_and_replays_exactly(replies: list[str], kept: int) -> None:
    def desk(body: Any) -> Any:
        echo = connector(
            "Echo",
            None,
            inputs=[{"name": "q", "source": "Conversation > q"}],
            response={"mode": "dynamic", "rules": [{"response": {"body": body}}]},
        )
        steps = []
        for index in range(len(replies)):
            steps += [
                {"id": f"ask{index}", "type": "collect", "attribute": "Conversation > q"},
                {"id": f"call{index}", "type": "instruction", "text": "@call(Echo)"},
            ]
        return workspace([echo], [procedure("P", *steps)])

    answers = {f"ask{index}": reply for index, reply in enumerate(replies)}
    result = await run_procedure(desk({"q": "{{q}}"}), "P", ScriptedAgent(answers), RunOptions())
    scenario, notes = record(result, procedure="P", options=RunOptions(), name="Echo thrice")
    assert notes == []
    assert _bodies(result) == [("Echo", {"q": reply}) for reply in replies]
    assert 1 + len(scenario.mocks["Echo"].then) == kept
    # The replay answers from the recording, not from the (now different) connector.
    replay = await ScenarioRunner(desk({"q": "changed"})).play(scenario)
    assert _bodies(replay) == _bodies(result)
    assert compare(scenario.expect, replay) == []


async def test_a_stopped_run_is_not_recorded() -> None:
    run = Run(load_workspace(SUPPORT_DESK), "Order status", ScriptedAgent(), RunOptions(pause_at_start=True))
    task = asyncio.create_task(run.run())
    await wait_until(lambda: run.state == "paused")
    run.stop()
    result = await task
    with pytest.raises(ValueError, match="stopped"):
        record(result, procedure="Order status", options=RunOptions(), name="x")


async def run_with_an_edit(desk: Path, path: str, value: Any) -> tuple[RunOptions, RunResult]:
    """Order status paused before ``big-order``, ``path`` edited to ``value``, then run to the end."""
    watcher = Watcher()
    options = RunOptions(breakpoints={"big-order"}, attributes={"User": {"email": "grace@example.com"}})
    run = Run(load_workspace(desk), "Order status", ScriptedAgent(), options, on_event=watcher)
    task = asyncio.create_task(run.run())
    await watcher.next("paused")
    run.set_attribute(path, value)
    run.resume()
    return options, await task


async def test_a_response_edited_while_paused_is_mocked_as_the_later_steps_saw_it(desk_copy: Path) -> None:
    options, result = await run_with_an_edit(desk_copy, "Get orders > status", "cancelled")
    assert result.outcome == "handoff"
    path, saved, notes = save_recording("edited", load_workspace(desk_copy), "Order status", options, result)
    assert notes == [] and saved.mocks["Get orders"].body["status"] == "cancelled"
    assert "processing" not in saved.expect.messages_contain  # said before the edit; the replay says cancelled
    report = await run_file(desk_copy, path)
    assert report.status == "passed", report.explanation()


async def test_an_attribute_edited_while_paused_is_given(desk_copy: Path) -> None:
    options, result = await run_with_an_edit(desk_copy, "Conversation > tier", "gold")
    path, saved, notes = save_recording("given", load_workspace(desk_copy), "Order status", options, result)
    assert notes == [] and saved.attributes["Conversation"] == {"tier": "gold"}
    assert saved.attributes["User"] == {"email": "grace@example.com"}
    report = await run_file(desk_copy, path)
    assert report.status == "passed", report.explanation()


async def test_an_edit_of_what_a_transform_returned_is_noted(desk_copy: Path) -> None:
    _, result = await run_with_an_edit(desk_copy, "Get orders > status", "cancelled")
    scenario, notes = record(result, procedure="P", options=RunOptions(), name="x", transformed=["Get orders"])
    assert scenario.mocks["Get orders"].body["status"] == "processing"
    assert notes == [
        "Get orders > status was edited during the run; Get orders has a transform, so the scenario mocks the "
        "response as it arrived"
    ]


def reword(desk: Path, stem: str, old: str, new: str) -> None:
    file = desk / "procedures" / f"{stem}.json"
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new))


async def test_recorded_messages_pin_the_values_said_not_the_wording(desk_copy: Path) -> None:
    scenario = Scenario.model_validate(sample("order-in-transit-shows-tracking"))
    saved, report = await record_and_replay(desk_copy, scenario, "recorded-tracking")
    assert report.status == "passed", report.explanation()
    body = saved.mocks["Get orders"].body
    assert saved.expect.messages_contain[:2] == [body["status"], body["created_at"]]
    assert body["shipping"]["tracking_number"] in saved.expect.messages_contain
    path = desk_copy / "scenarios" / "recorded-tracking.json"
    reword(desk_copy, "order-status", "tell them it is", "let them know its status is")
    report = await run_file(desk_copy, path)
    assert report.status == "passed", report.explanation()
    reword(desk_copy, "order-status", "@read(Get orders > shipping > carrier)", "the carrier")
    report = await run_file(desk_copy, path)  # a value no longer said is a change of behaviour
    assert report.status == "failed" and body["shipping"]["carrier"] in report.explanation()
