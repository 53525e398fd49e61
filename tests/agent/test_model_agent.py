"""The model agent and the simulated customer running procedures against a loopback chat-completions server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agent.chat_server import ChatServer, completion, hang, status, text, tool
from tests.agent.desk import SECRET, SECRETS, SSN, Roles, desk, happy_path, says
from workbench.agent.simulation import Simulator
from workbench.engine import Event
from workbench.model import Scenario


def scenario(**fields: Any) -> Scenario:
    data: dict[str, Any] = {
        "name": "sim",
        "procedure": "Help",
        "simulation": {
            "persona": "Ada, in a hurry",
            "goal": "know where order ORD-7 is",
            "facts": {"order_id": "ORD-7"},
        },
        "expect": {"criteria": ["the customer gets the tracking number"]},
    }
    data.update(fields)
    return Scenario.model_validate(data)


async def simulate(roles: Roles, played: Scenario | None = None, **settings: Any) -> tuple[Any, ChatServer]:
    async with ChatServer(roles) as server:
        simulator = Simulator(desk(), server.settings(**settings), secrets=SECRETS)
        run = await simulator.run(played or scenario())
    return run, server


def exchanges(events: list[Event]) -> list[dict[str, Any]]:
    return [event.payload.to_json() for event in events if event.type == "agent_exchange"]


async def test_every_step_type_under_the_model_agent() -> None:
    roles = happy_path()
    run, server = await simulate(roles)
    result = run.result
    assert run.problem is None and result.outcome == "resolved", result.error
    assert result.path == ["lookup", "mood", "thanks", "reason", "extra", "bye", "done"]
    assert result.messages == ["Model says (lookup)", "Model says (thanks)", "Model says (bye)"]
    assert result.answers == {"Get order > order_id": "ORD-7", "reason": "Nothing else, thanks!"}
    assert result.decisions == {"mood": 1}
    assert result.context.resolve("Conversation > reason").value == "Nothing else, thanks!"
    said = [(turn.role, turn.text) for turn in result.conversation]
    assert said == [
        ("customer", "Hi, where is my order?"),
        ("agent", "What is your order number?"),
        ("customer", "It is ORD-7."),
        ("agent", "Model says (lookup)"),
        ("agent", "Model says (thanks)"),
        ("agent", "What else can I do?"),
        ("customer", "Nothing else, thanks!"),
        ("agent", "Model says (bye)"),
    ]
    messages = [event for event in result.events if event.type == "message"]
    assert all(event.payload.composed for event in messages)
    purposes = [data["purpose"] for data in exchanges(result.events)]
    assert purposes == ["inputs", "customer", "inputs", "message", "decision", "message", "customer", "message"]
    # the inputs tool carries the inputs' JSON schema; the decision tool names the branches
    fill = roles.seen["inputs"][0]["tools"][0]["function"]["parameters"]["properties"]
    assert fill["order_id"] == {"type": "string", "description": "the order number"}
    enum = roles.seen["decision"][0]["tools"][0]["function"]["parameters"]["properties"]["branch"]["enum"]
    assert enum == ["the customer wants a refund", "the customer is happy", "else"]
    # the customer was told who they are; the judge saw the transcript
    assert "Ada, in a hurry" in roles.seen["customer"][0]["messages"][1]["content"]
    assert "Model says (lookup)" in roles.seen["judge"][0]["messages"][1]["content"]
    [verdict] = run.verdicts
    assert verdict.passed and verdict.reasoning == "the tracking number was given" and run.passed
    assert run.tokens == 18 * (len(purposes) + 2)  # the opening and the verdict are outside the run's events
    assert len(server.bodies) == len(purposes) + 2


async def test_an_exchange_event_shows_the_request_reply_tokens_and_latency() -> None:
    run, _ = await simulate(happy_path())
    first = exchanges(run.result.events)[0]
    assert first["step"] == "lookup" and first["procedure"] == "Help" and first["model"] == "test-model"
    assert first["request"]["tool_choice"] == {"type": "function", "function": {"name": "fill_inputs"}}
    assert first["request"]["messages"][0]["role"] == "system"
    assert first["reply"]["tool_calls"] == [
        {"name": "fill_inputs", "arguments": {"question": "What is your order number?"}}
    ]
    assert first["tokens"] == {"prompt": 11, "completion": 7} and first["latency_ms"] >= 0 and first["attempts"] == 1


async def test_no_secret_or_redacted_value_is_ever_sent() -> None:
    run, server = await simulate(happy_path())
    assert run.result.outcome == "resolved"
    wire = server.wire()
    assert SECRET.encode() not in wire and SSN.encode() not in wire
    message = next(body for body in server.bodies if "'lookup'" in body["messages"][-1]["content"])
    data = message["messages"][-1]["content"]
    assert '"Get order > ssn": "[redacted]"' in data and '"Get order > echo": "***"' in data
    assert '"Get order > tracking": "TRK-42"' in data
    decision = server.bodies[[Roles.role(body) for body in server.bodies].index("decision")]
    shown = decision["messages"][-1]["content"]
    assert '"Get order > ssn": "[redacted]"' in shown and '"Get order > status": "shipped"' in shown


async def test_an_end_message_with_a_redacted_value_is_masked_for_the_judge() -> None:
    workspace_roles = happy_path()
    workspace_roles.scripts["decision"] = [tool("choose_branch", {"branch": "the customer wants a refund"})]
    run, server = await simulate(workspace_roles)
    assert run.result.path[-1] == "refund" and run.result.outcome == "handoff"
    assert run.result.message == "A teammate takes over (ref ***)."  # a redacted field never shows, said or not
    assert SSN.encode() not in server.wire()
    assert "Agent: A teammate takes over (ref ***)." in workspace_roles.seen["judge"][0]["messages"][1]["content"]


async def test_429_then_success_inside_a_run() -> None:
    roles = happy_path()
    roles.scripts["message"] = [status(429, {"Retry-After": "0"}), says("Model says")]
    run, _ = await simulate(roles)
    assert run.result.outcome == "resolved"
    assert exchanges(run.result.events)[3]["attempts"] == 2


@pytest.mark.parametrize(
    ("role", "reply", "settings", "message"),
    [
        ("message", status(500, {"Retry-After": "0"}), {"max_retries": 1}, "answered 500"),  # retried at once
        ("message", hang(), {"timeout_s": 0.3}, "no reply from the model within 0.3s"),
        ("message", completion({"content": None, "refusal": "no"}), {}, "the model refused"),
        ("message", text("   "), {}, "empty message"),
        ("decision", tool("choose_branch", {"branch": "the customer is on fire"}), {}, "'the customer is on fire'"),
        ("decision", tool("choose_branch", "{broken"), {}, "did not call choose_branch properly"),
        ("inputs", tool("fill_inputs", '{"order_id": '), {}, "did not call fill_inputs properly"),
    ],
    ids=["500", "timeout", "refusal", "empty", "unknown-branch", "malformed-decision", "malformed-inputs"],
)
async def test_a_failing_model_fails_the_run_with_an_agent_error(
    role: str, reply: Any, settings: dict[str, Any], message: str
) -> None:
    roles = happy_path()
    roles.scripts[role] = [reply]
    run, _ = await simulate(roles, **settings)
    result = run.result
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "agent" and message in result.error.message
    failed = exchanges(result.events)[-1]
    assert failed["purpose"] == role


async def test_an_unknown_branch_error_lists_the_branches() -> None:
    roles = happy_path()
    roles.scripts["decision"] = [tool("choose_branch", {"branch": "maybe"})]
    run, _ = await simulate(roles)
    text_ = run.result.error.message
    assert "'the customer wants a refund'" in text_ and "'else'" in text_


async def test_branches_by_index_and_else() -> None:
    roles = happy_path()
    roles.scripts["decision"] = [tool("choose_branch", {"branch": "ELSE"})]
    run, _ = await simulate(roles)
    assert run.result.decisions == {"mood": "else"} and "thanks" not in run.result.path
    roles = happy_path()
    roles.scripts["decision"] = [tool("choose_branch", {"branch": 0})]
    run, _ = await simulate(roles)
    assert run.result.decisions == {"mood": 0} and run.result.outcome == "handoff"


async def test_an_input_never_found_fails_after_asking_twice() -> None:
    roles = happy_path()
    roles.scripts["inputs"] = [tool("fill_inputs", {"question": "Which order?"})]
    roles.scripts["customer"] = [text("Hello"), text("I don't know")]
    run, _ = await simulate(roles)
    result = run.result
    assert result.outcome == "failed" and result.error.reason == "input"
    assert "after asking 2 times" in result.error.message
    assert [turn.text for turn in result.conversation].count("Which order?") == 2


async def test_the_customer_stops_after_max_turns() -> None:
    played = scenario(simulation={"goal": "know where my order is", "max_turns": 2})
    run, _ = await simulate(happy_path(), played)
    result = run.result
    assert result.outcome == "failed" and result.path[-1] == "reason"
    assert "used its 2 turns" in result.error.message


async def test_without_a_simulation_the_scenario_answers_play_the_customer() -> None:
    roles = happy_path()
    roles.scripts["inputs"] = [
        tool("fill_inputs", {"question": "Order number?"}),
        tool("fill_inputs", {"order_id": "A-1"}),
    ]
    played = scenario(simulation=None, answers={"Get order > order_id": "A-1", "reason": "all good"})
    run, _ = await simulate(roles, played)
    result = run.result
    assert result.outcome == "resolved" and result.answers == {"Get order > order_id": "A-1", "reason": "all good"}
    assert "customer" not in roles.seen
    assert ("customer", "A-1") in [(turn.role, turn.text) for turn in result.conversation]


async def test_the_opening_failing_is_a_problem_not_a_crash() -> None:
    roles = happy_path()
    roles.scripts["customer"] = [status(400)]
    run, _ = await simulate(roles)
    assert run.result is None and run.outcome == "error" and "answered 400" in (run.problem or "")
    assert not run.passed and run.exchanges[0].error


async def test_a_missing_key_is_refused_before_any_call() -> None:
    from workbench.agent.errors import MissingKey

    async with ChatServer(happy_path()) as server:
        with pytest.raises(MissingKey, match="OPENAI_KEY"):
            Simulator(desk(), server.settings(api_key="{{secret.OPENAI_KEY}}"), secrets={})
    assert server.bodies == []
