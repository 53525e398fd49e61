"""The interactive agent: the engine's questions wait for the author's reply in the conversation pane."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from workbench.engine import DecisionRequest, InputRequest, NoAnswer, ScriptedAgent
from workbench.engine.values import coerce

Question = InputRequest | DecisionRequest


class ConversationAgent:
    """Implements the engine's :class:`~workbench.engine.Agent`: each request is handed to ``on_ask`` and waits
    until :meth:`reply` gives it an answer (or the run is stopped). With a ``script`` (a scenario's answers and
    decisions), what the script answers is not asked."""

    def __init__(self, on_ask: Callable[[Question], None], script: ScriptedAgent | None = None) -> None:
        self._on_ask = on_ask
        self._script = script
        self.pending: Question | None = None
        self._future: asyncio.Future[Any] | None = None

    async def answer(self, request: InputRequest) -> Any:
        """The customer's reply, as the author types it (the engine checks its type and asks again if needed)."""
        if self._script is not None:
            with contextlib.suppress(NoAnswer):
                return await self._script.answer(request)
        return await self._wait(request)

    async def decide(self, request: DecisionRequest) -> bool:
        """Whether the described condition holds, as the author decides it."""
        if self._script is not None:
            with contextlib.suppress(NoAnswer):
                return await self._script.decide(request)
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
