"""The scripted agent: answers and decisions keyed as in scenario files."""

from __future__ import annotations

import pytest

from workbench.engine import DecisionRequest, InputRequest, NoAnswer, ScriptedAgent
from workbench.engine.agent import InputKind


def ask(name: str, kind: InputKind = "collect", step: str = "s", attempt: int = 1) -> InputRequest:
    return InputRequest("P", step, kind, name, "?", "string", attempt=attempt, error="bad" if attempt > 1 else None)


async def test_answer_keys() -> None:
    agent = ScriptedAgent({"s": "by step", "Conversation >  id": "by path", "email": "bare", "Get orders > limit": "5"})
    assert await agent.answer(ask("Conversation > other")) == "by step"
    assert await agent.answer(ask("Conversation > id", step="t")) == "by path"
    assert await agent.answer(ask("Get orders > email", "connector_input")) == "bare"
    assert await agent.answer(ask("Get orders > limit", "connector_input")) == "5"
    with pytest.raises(NoAnswer, match="no answer given for 'Get orders > cursor'"):
        await agent.answer(ask("Get orders > cursor", "connector_input"))


async def test_rejected_answers_are_not_repeated_but_lists_give_new_attempts() -> None:
    agent = ScriptedAgent({"s": "x", "t": ["a", "b"]})
    with pytest.raises(NoAnswer, match="rejected: bad"):
        await agent.answer(ask("C > x", attempt=2))
    assert await agent.answer(ask("C > y", step="t", attempt=2)) == "b"
    with pytest.raises(NoAnswer, match="all 2 scripted answers"):
        await agent.answer(ask("C > y", step="t", attempt=3))


async def test_decisions() -> None:
    branches = ("Angry", "Happy")

    def decide(index: int) -> DecisionRequest:
        return DecisionRequest("P", "c", index, branches[index], branches)

    agent = ScriptedAgent(decisions={"c": 1})
    assert not await agent.decide(decide(0)) and await agent.decide(decide(1))
    assert await ScriptedAgent(decisions={"c": "happy"}).decide(decide(1))
    assert not await ScriptedAgent(decisions={"c": "Else"}).decide(decide(0))
    assert await ScriptedAgent(decisions={"c": True}).decide(decide(0))
    with pytest.raises(NoAnswer, match="not a branch index"):
        await ScriptedAgent(decisions={"c": 7}).decide(decide(0))
    with pytest.raises(NoAnswer, match="no decision given"):
        await ScriptedAgent().decide(decide(0))


async def test_recorded_messages_are_said_in_turn_then_the_step_text() -> None:
    from workbench.engine import MessageRequest
    from workbench.engine.scripted import ReplayingAgent, scripted_agent

    assert type(scripted_agent({"a": 1})) is ScriptedAgent
    assert isinstance(scripted_agent(messages={"s": "x"}), ReplayingAgent)

    agent = ReplayingAgent(messages={"greet": ["Hi!", "Hi again!"], "other": "Fixed"})
    request = MessageRequest("P", "greet", "Say hi", "Say hi")
    assert [await agent.say(request) for _ in range(3)] == ["Hi!", "Hi again!", "Say hi"]
    assert await agent.say(MessageRequest("P", "other", "x", "rendered")) == "Fixed"
    assert await agent.say(MessageRequest("P", "none", "x", "rendered")) == "rendered"
