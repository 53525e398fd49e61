"""A debug run: one engine :class:`~workbench.engine.Run` driven from the app.

The run executes as an asyncio task (a Textual worker) beside the UI; its events reach the hosting widget in
batches (:class:`RunEvents`), its questions as :class:`InputAsked`, its end as :class:`RunEnded`.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from textual.message import Message
from textual.message_pump import MessagePump

from workbench.agent.players import ConversationAgent, Player, Question
from workbench.connectors import ConnectorError, RenderedRequest, TemplateScope, render_request
from workbench.engine import Event, Run, RunOptions, RunResult
from workbench.events import ConnectorCalled, RunStarted
from workbench.store import Workspace

DebugRunState = Literal["ready", "running", "paused", "asking", "finished"]


class RunEvents(Message):
    """New events of a run, in order (batched: one message per burst)."""

    def __init__(self, debug_run: DebugRun, events: list[Event]) -> None:
        super().__init__()
        self.debug_run = debug_run
        self.events = events


class InputAsked(Message):
    """The run waits for the customer's reply or the author's decision."""

    def __init__(self, debug_run: DebugRun, request: Question) -> None:
        super().__init__()
        self.debug_run = debug_run
        self.request = request


class RunEnded(Message):
    """The run is over (``result`` ``None`` and ``crash`` set when the engine itself broke)."""

    def __init__(self, debug_run: DebugRun, result: RunResult | None, crash: str | None = None) -> None:
        super().__init__()
        self.debug_run = debug_run
        self.result = result
        self.crash = crash


class DebugRun:
    """Runs ``procedure`` of ``workspace`` with ``options``, reporting to ``target``; control it with
    :meth:`resume`, :meth:`step`, :meth:`pause`, :meth:`stop`, :meth:`toggle_breakpoint`, :meth:`set_attribute`
    and answer its questions with :meth:`reply`. ``player`` makes the run's agent around the author's
    :class:`ConversationAgent` (default: the author plays it)."""

    def __init__(
        self,
        workspace: Workspace,
        procedure: str,
        options: RunOptions,
        target: MessagePump,
        player: Player | None = None,
    ) -> None:
        self.workspace = workspace
        self.procedure = procedure
        self.target = target
        self.agent = ConversationAgent(self._asked)
        played = self.agent if player is None else player(self.agent)
        self.run = Run(workspace, procedure, played, options, on_event=self._on_event)
        self.result: RunResult | None = None
        self._buffer: list[Event] = []

    @property
    def state(self) -> DebugRunState:
        """Where the run is: ``asking`` while it waits for the author's reply."""
        if self.agent.pending is not None and self.run.state == "running":
            return "asking"
        return self.run.state

    @property
    def events(self) -> list[Event]:
        """Every event of the run so far."""
        return self.run.events

    async def execute(self) -> RunResult | None:
        """Run to the end (call it in a worker); ``None`` only if the engine itself broke."""
        close = getattr(self.run.agent, "aclose", None)
        try:
            result = await self.run.run()
        except Exception as error:  # an engine bug must end the debug run, not the app
            self._flush()
            self.target.post_message(RunEnded(self, None, f"{type(error).__name__}: {error}"))
            return None
        finally:
            if close is not None:
                await close()
        self._flush()
        self.result = result
        self.target.post_message(RunEnded(self, result))
        return result

    # -- control ------------------------------------------------------------------------------------------------

    def resume(self) -> None:
        """Continue from a pause to the next breakpoint."""
        if self.run.state == "paused":
            self.run.resume()

    def step(self) -> None:
        """Run one step and pause again (pauses a running run before its next step)."""
        if self.run.state == "paused":
            self.run.step()
        elif self.run.state == "running":
            self.run.pause()

    def pause(self) -> None:
        """Pause before the next step."""
        if self.run.state == "running":
            self.run.pause()

    def stop(self) -> None:
        """End the run with outcome ``stopped``."""
        self.run.stop()

    def toggle_breakpoint(self, procedure: str, step_id: str) -> bool:
        """Set or clear a breakpoint before a step of a procedure in the running debug run; returns whether it is
        now set."""
        return self.run.toggle_breakpoint(step_id, procedure)

    def set_attribute(self, path: str, value: Any) -> str | None:
        """Edit an attribute while paused; returns why it could not be done."""
        try:
            self.run.set_attribute(path, value)
        except (RuntimeError, ValueError) as error:
            return str(error)
        return None

    def reply(self, text: str) -> str | None:
        """Answer the run's pending question; returns why the reply was not taken."""
        return self.agent.reply(text)

    # -- what the run shows ---------------------------------------------------------------------------------------

    def request_of(self, event: Event) -> RenderedRequest | None:
        """The request of a ``connector_called`` event rendered from its connector, secrets as ``***``."""
        call = event.payload
        if not isinstance(call, ConnectorCalled):
            return None
        connector = self.workspace.connector(call.connector)
        if connector is None:
            return None
        started = self.run.events[0].payload if self.run.events else None
        environment = started.environment if isinstance(started, RunStarted) else None
        try:
            scope = TemplateScope.of(connector, call.inputs, self.workspace.settings.model, environment, strict=False)
        except ConnectorError:
            return None
        try:
            return render_request(connector, scope)
        except ConnectorError:
            return None

    # -- plumbing -------------------------------------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        self._buffer.append(event)
        if len(self._buffer) == 1:
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        if self._buffer:
            events, self._buffer = self._buffer, []
            self.target.post_message(RunEvents(self, events))

    def _asked(self, request: Question) -> None:
        self._flush()
        self.target.post_message(InputAsked(self, request))
