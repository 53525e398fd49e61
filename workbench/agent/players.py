"""Who plays the agent in a debug run: the author (the engine's questions wait for their reply, which the app's
conversation pane gives), a language model, or a scenario's script that asks the author what it lacks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from workbench.engine import (
    Agent,
    AgentFailure,
    AgentSession,
    DecisionRequest,
    InputRequest,
    MessageRequest,
    NoAnswer,
)
from workbench.engine.scripted import ReplayingAgent
from workbench.engine.values import coerce
from workbench.model import Scenario
from workbench.store import Workspace

Question = InputRequest | DecisionRequest
Player = Callable[["ConversationAgent"], Agent]
"""Makes a run's agent around the author's :class:`ConversationAgent`."""
YOU = "you"
MODEL = "model"
SCRIPTED = "scenario:"
"""Agent choices: the author answers and decides; a language model plays the agent (the author is the
customer); ``scenario:NAME`` replays a scenario's answers, decisions and messages and asks the author the rest."""


class ConversationAgent:
    """Implements the engine's :class:`~workbench.engine.Agent`: each request is handed to ``on_ask`` and waits
    until :meth:`reply` gives it an answer (or the run is stopped)."""

    def __init__(self, on_ask: Callable[[Question], None]) -> None:
        self._on_ask = on_ask
        self.pending: Question | None = None
        self._future: asyncio.Future[Any] | None = None

    async def answer(self, request: InputRequest) -> Any:
        """The customer's reply, as the author types it (the engine checks its type and asks again if needed)."""
        return await self._wait(request)

    async def decide(self, request: DecisionRequest) -> bool:
        """Whether the described condition holds, as the author decides it."""
        return bool(await self._wait(request))

    async def _wait(self, request: Question) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending, self._future = request, future
        self._on_ask(request)
        try:
            return await future
        finally:
            self.pending = self._future = None

    def reply(self, text: str) -> str | None:
        """Answer the pending request; returns why the reply was not taken (nothing asked, or not yes/no)."""
        if self._future is None or self._future.done():
            return "nothing is being asked right now"
        value: Any = text
        if isinstance(self.pending, DecisionRequest):
            try:
                value = coerce(text, "boolean")
            except ValueError:
                return "answer yes or no"
        self._future.set_result(value)
        return None


class ScriptedThenAuthor:
    """Plays a scenario's script (answers, decisions, recorded messages); whatever it lacks is asked of the author."""

    def __init__(self, scripted: ReplayingAgent, author: ConversationAgent) -> None:
        self.scripted = scripted
        self.author = author

    def begin(self, session: AgentSession) -> None:
        self.scripted.begin(session)

    async def say(self, request: MessageRequest) -> str:
        return await self.scripted.say(request)

    async def answer(self, request: InputRequest) -> Any:
        try:
            return await self.scripted.answer(request)
        except NoAnswer:
            return await self.author.answer(request)

    async def decide(self, request: DecisionRequest) -> bool:
        try:
            return await self.scripted.decide(request)
        except NoAnswer:
            return await self.author.decide(request)


def player_for(choice: str, workspace: Workspace) -> Player | None:
    """The player of a run bar agent choice (``None``: the author plays); raises ``ValueError`` saying why it
    cannot play (no model configured, a missing key, an unknown scenario)."""
    if choice == MODEL:
        from workbench.agent.simulation import Simulator, agent_settings

        try:
            return Simulator(workspace, agent_settings(workspace)).interactive
        except AgentFailure as error:
            raise ValueError(str(error)) from None
    if choice.startswith(SCRIPTED):
        name = choice[len(SCRIPTED) :]
        document = workspace.scenarios.get(name)
        if document is None:
            raise ValueError(f"no scenario {name!r} to script the agent")
        return scenario_player(document.model)
    return None


def scenario_player(scenario: Scenario) -> Player:
    """Replays the scenario's answers, decisions and messages, and asks the author what it does not answer."""
    scripted = ReplayingAgent(scenario.answers, scenario.decisions, scenario.messages)
    return lambda author: ScriptedThenAuthor(scripted, author)
