"""An agent that answers from mappings: the scenario format, also used by ``workbench run`` flags."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from workbench.engine.agent import AgentSession, DecisionRequest, InputRequest, MessageRequest, NoAnswer
from workbench.mentions import normalize_path
from workbench.model.scenario import Decision


def fold(text: str) -> str:
    """A branch's ``describe`` text as decisions match it: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


class ScriptedAgent:
    """Answers from ``answers`` and decides from ``decisions``, keyed as in scenario files.

    ``answers`` keys: a collect step id, an attribute path (``"Conversation > order_id"``), ``"Connector > input"``
    or a bare connector input name. A list value gives the answers to successive attempts (to test re-asking);
    a single value that was rejected is not given again. ``decisions`` keys are condition step ids; values are
    ``true``/``false`` (for every ``describe`` branch), a branch index, or a branch's ``describe`` text
    (or ``"else"``). Anything missing raises :class:`NoAnswer`.
    """

    def __init__(
        self, answers: Mapping[str, Any] | None = None, decisions: Mapping[str, Decision] | None = None
    ) -> None:
        self.answers = {normalize_path(key): value for key, value in (answers or {}).items()}
        self.decisions = dict(decisions or {})

    def lookup(self, request: InputRequest) -> tuple[bool, Any]:
        """Whether an answer is scripted for ``request`` (any attempt), and that answer."""
        keys = [request.name]
        if request.kind == "collect":
            keys.insert(0, request.step_id)
        else:
            keys.append(request.name.rsplit(">", 1)[-1].strip())
        for key in keys:
            if key in self.answers:
                return True, self.answers[key]
        return False, None

    async def answer(self, request: InputRequest) -> Any:
        found, value = self.lookup(request)
        if not found:
            raise NoAnswer(f"no answer given for {request.name!r} (step {request.step_id})")
        if isinstance(value, list):
            if request.attempt > len(value):
                raise NoAnswer(f"all {len(value)} scripted answers for {request.name!r} were rejected: {request.error}")
            return value[request.attempt - 1]
        if request.attempt > 1:
            raise NoAnswer(f"the answer {value!r} for {request.name!r} was rejected: {request.error}")
        return value

    async def decide(self, request: DecisionRequest) -> bool:
        if request.step_id not in self.decisions:
            raise NoAnswer(f"no decision given for condition {request.step_id!r} ({request.describe!r})")
        decision = self.decisions[request.step_id]
        if isinstance(decision, bool):
            return decision
        if isinstance(decision, int):
            if not 0 <= decision < len(request.branches) and request.branches:
                raise NoAnswer(
                    f"decision {decision} for {request.step_id!r} is not a branch index (0-{len(request.branches) - 1})"
                )
            return decision == request.branch_index
        wanted = fold(decision)
        if wanted == "else":
            return False
        if request.branches and wanted not in map(fold, request.branches):
            raise NoAnswer(f"decision {decision!r} for {request.step_id!r} matches no branch (nor 'else')")
        return wanted == fold(request.describe)


class ReplayingAgent(ScriptedAgent):
    """A scripted agent that also says recorded ``messages`` (instruction step id -> text, or a list for a step
    said more than once): what a model agent said, replayed; other steps say their own text."""

    def __init__(
        self,
        answers: Mapping[str, Any] | None = None,
        decisions: Mapping[str, Decision] | None = None,
        messages: Mapping[str, str | list[str]] | None = None,
    ) -> None:
        super().__init__(answers, decisions)
        self.messages = dict(messages or {})
        self._said: Counter[str] = Counter()

    def begin(self, session: AgentSession) -> None:
        self._said.clear()

    async def say(self, request: MessageRequest) -> str:
        recorded = self.messages.get(request.step_id)
        occurrence = self._said[request.step_id]
        self._said[request.step_id] += 1
        if isinstance(recorded, list):
            return recorded[occurrence] if occurrence < len(recorded) else request.rendered
        return request.rendered if recorded is None else recorded


def scripted_agent(
    answers: Mapping[str, Any] | None = None,
    decisions: Mapping[str, Decision] | None = None,
    messages: Mapping[str, str | list[str]] | None = None,
) -> ScriptedAgent:
    """The agent of a scenario's script: a :class:`ReplayingAgent` when it recorded messages, else a plain
    :class:`ScriptedAgent` (whose steps say their own text, on the engine's quickest path)."""
    return ReplayingAgent(answers, decisions, messages) if messages else ScriptedAgent(answers, decisions)
