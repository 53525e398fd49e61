"""Sequences and state during a run: successive calls answer in turn, an action changes what a read answers."""

from __future__ import annotations

from tests.engine.build import connector, procedure, workspace
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.model import MockResponse

ID_INPUT = {"name": "id", "source": "Conversation > id"}


def calls(count: int, name: str = "Get item") -> list[dict[str, str]]:
    steps = []
    for index in range(count):
        # A different input each time, so the engine does not reuse the earlier response.
        steps += [
            {"id": f"ask{index}", "type": "collect", "attribute": "Conversation > id"},
            {"id": f"call{index}", "type": "instruction", "text": f"@call({name})"},
        ]
    return steps


def answers(count: int) -> dict[str, str]:
    return {f"ask{index}": f"id-{index}" for index in range(count)}


def bodies(result) -> list[object]:
    return [event.payload.body for event in result.events if event.type == "connector_responded"]


async def test_successive_calls_get_the_sequence_in_order() -> None:
    example = {"body": {"n": 1}, "then": [{"body": {"n": 2}}, {"body": {"n": 3}}]}
    ws = workspace(
        [connector("Get item", inputs=[ID_INPUT], response={"example": example})], [procedure("P", *calls(4))]
    )
    result = await run_procedure(ws, "P", ScriptedAgent(answers(4)), RunOptions())
    assert result.ok
    assert bodies(result) == [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 3}]


async def test_an_exhausted_sequence_fails_the_call() -> None:
    example = {"body": {"n": 1}, "exhausted": "fail"}
    ws = workspace(
        [connector("Get item", inputs=[ID_INPUT], response={"example": example})], [procedure("P", *calls(2))]
    )
    result = await run_procedure(ws, "P", ScriptedAgent(answers(2)), RunOptions())
    assert result.outcome == "failed"
    assert result.error is not None and result.error.reason == "third_party_status"
    assert "answers 1 call" in result.error.message


async def test_a_read_answers_differently_after_an_action_ran() -> None:
    getter = connector(
        "Get item",
        inputs=[ID_INPUT],
        response={
            "mode": "dynamic",
            "rules": [
                {"when_state": {"deleted": True}, "response": {"status": 404, "body": {"error": "gone"}}},
                {"response": {"body": {"id": "{{id}}"}}},
            ],
        },
    )
    deleter = connector("Delete item", {"ok": True}, kind="action")
    deleter["response"]["example"]["set_state"] = {"deleted": True}
    steps = [*calls(1), {"id": "delete", "type": "instruction", "text": "@call(Delete item)"}]
    steps += [{**step, "id": step["id"] + "b"} for step in calls(1)]
    ws = workspace([getter, deleter], [procedure("P", *steps)])
    result = await run_procedure(ws, "P", ScriptedAgent({"ask0": "a", "ask0b": "b"}), RunOptions(mode="dynamic"))
    assert bodies(result)[:2] == [{"id": "a"}, {"ok": True}]
    assert result.outcome == "failed" and result.error is not None and result.error.status == 404


async def test_each_run_starts_with_fresh_sequences_and_state() -> None:
    example = {"body": {"n": 1}, "then": [{"body": {"n": 2}}], "set_state": {"seen": True}}
    ws = workspace(
        [connector("Get item", inputs=[ID_INPUT], response={"example": example})], [procedure("P", *calls(1))]
    )
    for _ in range(2):
        result = await run_procedure(ws, "P", ScriptedAgent(answers(1)), RunOptions())
        assert bodies(result) == [{"n": 1}]


async def test_a_mock_override_sequence_wins_over_the_example() -> None:
    ws = workspace([connector("Get item", {"n": 0}, inputs=[ID_INPUT])], [procedure("P", *calls(2))])
    override = MockResponse(body={"o": 1}, then=[MockResponse(body={"o": 2})])
    result = await run_procedure(ws, "P", ScriptedAgent(answers(2)), RunOptions(mocks={"Get item": override}))
    assert bodies(result) == [{"o": 1}, {"o": 2}]
