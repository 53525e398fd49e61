"""The simulated customer: a language model playing the person in a scenario's ``simulation``."""

from __future__ import annotations

from typing import Any

from workbench.agent.client import ChatClient
from workbench.agent.prompts import customer_prompt
from workbench.engine.agent import AgentSession, DecisionRequest, InputRequest, NoAnswer, Turn
from workbench.model import Simulation


class SimulatedCustomer:
    """Answers collect steps and the agent's questions in character, at most ``simulation.max_turns`` times
    (its opening message counts as one)."""

    def __init__(self, client: ChatClient, simulation: Simulation, *, model: str | None = None) -> None:
        self.client = client
        self.simulation = simulation
        self.model = model
        self.turns = 0
        self._conversation: list[Turn] = []

    def begin(self, session: AgentSession) -> None:
        """Follow the run's conversation."""
        self._conversation = session.conversation

    async def opening(self) -> str:
        """The customer's first message, written before the run starts."""
        return await self._reply(None, {})

    async def answer(self, request: InputRequest) -> Any:
        refused = f" (your last answer was refused: {request.error})" if request.error else ""
        typed = "" if request.value_type == "string" else f" (answer with a {request.value_type} only)"
        where = {"procedure": request.procedure, "step": request.step_id}
        return await self._reply(f"{request.prompt}{refused}{typed}", where)

    async def decide(self, request: DecisionRequest) -> bool:
        raise NoAnswer("the customer does not decide the procedure's conditions")

    async def _reply(self, question: str | None, where: dict[str, str]) -> str:
        if self.turns >= self.simulation.max_turns:
            raise NoAnswer(f"the simulated customer has used its {self.simulation.max_turns} turns (max_turns)")
        self.turns += 1
        prompt = customer_prompt(self.simulation, self._conversation, question)
        reply = await self.client.complete(prompt, purpose="customer", where=where, model=self.model)
        return (reply.content or "").strip()
