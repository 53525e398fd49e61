"""The interactive agent waits for the author's reply."""

from __future__ import annotations

import asyncio

from workbench.agent.players import ConversationAgent, Question
from workbench.engine import DecisionRequest, InputRequest

ASK = InputRequest("P", "reason", "collect", "Conversation > reason", "Why?", "string")
DECIDE = DecisionRequest("P", "state", 1, "The customer would stay", ("a", "The customer would stay"))


async def test_an_answer_waits_for_the_reply() -> None:
    asked: list[Question] = []
    agent = ConversationAgent(asked.append)
    task = asyncio.create_task(agent.answer(ASK))
    await asyncio.sleep(0)
    assert asked == [ASK] and agent.pending == ASK
    assert agent.reply("Too expensive") is None
    assert await task == "Too expensive"
    assert agent.pending is None


async def test_a_decision_takes_yes_or_no_only() -> None:
    agent = ConversationAgent(lambda request: None)
    task = asyncio.create_task(agent.decide(DECIDE))
    await asyncio.sleep(0)
    assert agent.reply("maybe") == "answer yes or no"
    assert not task.done()
    assert agent.reply("No") is None
    assert await task is False


def test_a_reply_with_nothing_asked_is_refused() -> None:
    assert ConversationAgent(lambda request: None).reply("hello") == "nothing is being asked right now"
