"""The model agent: a language model plays the support agent behind the engine's agent protocol.

It writes each instruction step's message, decides ``describe`` conditions through a forced tool call that
names the branch, and fills connector inputs that have no value from the conversation (asking the customer
for what it cannot find). Collect steps are answered by the customer it is given: a simulated customer, or a
scripted one. Every exchange with the model is an ``agent_exchange`` event; what it sends goes through the
run's :class:`~workbench.agent.redaction.Redactor`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.agent.client import ChatClient, Exchange
from workbench.agent.errors import UnknownBranch
from workbench.agent.prompts import (
    ELSE,
    branch_tool,
    decision_prompt,
    inputs_prompt,
    inputs_tool,
    message_prompt,
)
from workbench.agent.redaction import Redactor
from workbench.engine.agent import (
    Agent,
    AgentFailure,
    AgentSession,
    DecisionRequest,
    InputRequest,
    MessageRequest,
    NoAnswer,
    Turn,
)
from workbench.engine.scripted import fold
from workbench.model import ConnectorInput
from workbench.store import Workspace

MAX_QUESTIONS = 2
"""How many times the agent asks the customer for a connector's missing inputs before giving up."""


@dataclass
class _Choice:
    """The branch the model chose for one visit of a condition step, and the last branch asked about."""

    branch: int | None
    asked: int


class ModelAgent:
    """A language model playing the agent; ``customer`` answers collect steps and the model's questions.

    ``opening``: the customer's first message, put at the start of the conversation.
    """

    def __init__(
        self,
        client: ChatClient,
        workspace: Workspace,
        customer: Agent,
        redactor: Redactor,
        *,
        opening: str | None = None,
    ) -> None:
        self.client = client
        self.workspace = workspace
        self.customer = customer
        self.redactor = redactor
        self.opening = opening
        self._session: AgentSession | None = None
        self._choices: dict[tuple[str, str], _Choice] = {}
        self._filled: dict[tuple[str, str, str], dict[str, Any]] = {}

    @property
    def session(self) -> AgentSession:
        """The run's session (set by :meth:`begin`)."""
        if self._session is None:
            raise AgentFailure("the model agent was used outside a run")
        return self._session

    def begin(self, session: AgentSession) -> None:
        self._session = session
        self.redactor.context = session.context
        self.redactor.share(session.masker)
        self.client.on_exchange = self._emit
        if self.opening:
            session.say("customer", self.opening)
        begin = getattr(self.customer, "begin", None)
        if begin is not None:
            begin(session)

    async def aclose(self) -> None:
        """Close the model client's connections."""
        await self.client.aclose()

    def _emit(self, exchange: Exchange) -> None:
        self.session.emit(exchange.to_event())

    def _data(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return self.redactor.attributes(values)

    def _conversation(self) -> list[Turn]:
        return self.session.conversation

    async def say(self, request: MessageRequest) -> str:
        where = {"procedure": request.procedure, "step": request.step_id}
        data = self._data(request.attributes)
        prompt = message_prompt(self._conversation(), request.procedure, request.step_id, request.instruction, data)
        reply = await self.client.complete(prompt, purpose="message", where=where)
        text = (reply.content or "").strip()
        if not text:
            raise AgentFailure(f"the model wrote an empty message for step {request.step_id!r}")
        return text

    async def decide(self, request: DecisionRequest) -> bool:
        key = (request.procedure, request.step_id)
        choice = self._choices.get(key)
        if choice is None or request.branch_index <= choice.asked:
            choice = _Choice(await self._choose(request), request.branch_index)
            self._choices[key] = choice
        choice.asked = request.branch_index
        return choice.branch == request.branch_index

    async def _choose(self, request: DecisionRequest) -> int | None:
        """The index of the described branch the model says holds (from this one on), or ``None`` for else."""
        kinds = request.kinds or ("describe",) * len(request.branches)
        offered = {
            index: text
            for index, (text, kind) in enumerate(zip(request.branches, kinds, strict=False))
            if kind == "describe" and index >= request.branch_index
        } or {request.branch_index: request.describe}
        where = {"procedure": request.procedure, "step": request.step_id}
        prompt = decision_prompt(
            self._conversation(),
            request.procedure,
            request.step_id,
            list(offered.values()),
            self._data(self.session.context.values()),
        )
        arguments = await self.client.call_tool(
            prompt, branch_tool(list(offered.values())), purpose="decision", where=where
        )
        named = arguments.get("branch")
        if isinstance(named, int) and not isinstance(named, bool) and 0 <= named < len(offered):
            return list(offered)[named]
        wanted = fold(str(named)) if named is not None else ""
        if wanted in (ELSE, "none", "none of them"):
            return None
        for index, text in offered.items():
            if fold(text) == wanted:
                return index
        listed = ", ".join(repr(text) for text in [*offered.values(), ELSE])
        raise UnknownBranch(
            f"the model chose the branch {named!r}, which step {request.step_id!r} does not have ({listed})"
        )

    async def answer(self, request: InputRequest) -> Any:
        if request.kind == "collect":
            return await self.customer.answer(request)
        return await self._fill(request)

    async def _fill(self, request: InputRequest) -> Any:
        """A connector input from the conversation (all the call's missing inputs are filled at once)."""
        connector_name, _, input_name = request.name.rpartition(" > ")
        connector = self.workspace.connector(connector_name)
        if connector is None:
            raise NoAnswer(f"no connector {connector_name!r} to fill {request.name!r} for")
        key = (request.procedure, request.step_id, connector_name)
        filled = self._filled.setdefault(key, {})
        if request.attempt > 1:
            filled.clear()
        if input_name in filled:
            return filled.pop(input_name)
        pending = self._pending(connector.inputs, input_name)
        where = {"procedure": request.procedure, "step": request.step_id}
        tool = inputs_tool(pending)
        for round_ in range(MAX_QUESTIONS + 1):
            prompt = inputs_prompt(self._conversation(), connector.name, connector.description, request.error)
            arguments = await self.client.call_tool(prompt, tool, purpose="inputs", where=where)
            names = {spec.name for spec in pending}
            values = {name: value for name, value in arguments.items() if name in names and value not in (None, "")}
            if input_name in values:
                filled.update(values)
                return filled.pop(input_name)
            if round_ == MAX_QUESTIONS:
                break
            question = str(arguments.get("question") or "").strip() or request.prompt
            await self._ask_customer(request, question)
        raise NoAnswer(
            f"the model found no value for {request.name!r} in the conversation after asking {MAX_QUESTIONS} times"
        )

    def _pending(self, inputs: list[ConnectorInput], wanted: str) -> list[ConnectorInput]:
        """The inputs the run will ask for: required, with no default and no value at their source."""
        context = self.session.context

        def known(spec: ConnectorInput) -> bool:
            found = context.resolve(spec.source) if spec.source else None
            return found is not None and found.found and found.value is not None

        return [
            spec
            for spec in inputs
            if spec.name == wanted or (spec.required and spec.default is None and not known(spec))
        ]

    async def _ask_customer(self, request: InputRequest, question: str) -> None:
        """Put the model's question to the customer; both go into the conversation."""
        self.session.say("agent", question)
        reply = await self.customer.answer(
            InputRequest(request.procedure, request.step_id, request.kind, request.name, question, request.value_type)
        )
        self.session.say("customer", str(reply))
