"""The execution engine: runs a procedure step by step against its connectors, keeps the procedure context,
emits events and lets a person (or a test) pause, step, set breakpoints and answer as the customer.

It knows nothing of screens. Its callers drive it the same way: the TUI's debugger, the scenario runner,
simulations, recording and ``workbench run``.

Public API::

    from workbench.engine import Run, RunOptions, RunResult, ScriptedAgent, run_procedure

    options = RunOptions(
        environment="local",                    # workbench.json environment (default: its default / only one)
        mode=None,                              # "live" | "example" | "dynamic": force one transport for all
        attributes={"User": {"email": "ada@example.com"}},  # over workbench.json's defaults
        mocks={"Get orders": MockResponse(...)},  # per connector; wins over mode (source "example")
        breakpoints={"lookup", ("Refund request", "confirm")},  # step ids (any procedure) or (procedure, step id)
        pause_at_start=False,
        secrets=None,                           # {{secret.X}} values; default os.environ
    )
    run = Run(workspace, "Order status", agent, options, on_event=callback)
    result = await run.run()                    # never raises for procedure, connector or user-code problems

    # From another task on the same loop while it runs:
    run.state            # "ready" | "running" | "paused" | "finished"
    run.current_step     # (procedure, step id) running or paused at
    run.events           # list[Event] so far;  run.context: ProcedureContext
    run.toggle_breakpoint("step-id", procedure=None) -> bool;  run.pause();  run.resume();  run.step();  run.stop()
    run.set_attribute("Get orders > status", "cancelled")   # while paused

    result.outcome       # resolved | handoff | escalated | completed | failed | stopped  (result.ok)
    result.message, result.path, result.calls, result.messages, result.events, result.error,
    result.context, result.answers, result.decisions   # the last two keyed as in a scenario file
    result.conversation  # [Turn(role, text)]: messages said, collect prompts and the customer's answers

    result = await run_procedure(workspace, "Order status", ScriptedAgent(answers, decisions), options)

Semantics worth knowing:

- ``path`` lists step ids in the order they started, sub-procedure steps included; ``calls`` lists connector
  names per ``connector_called`` event, reused calls included.
- Calling a connector again with the same inputs reuses the stored response: ``connector_called``, a
  ``warning`` (code ``connector_reused``), ``connector_responded`` with source ``cache``.
- Inputs come from their ``source`` attribute, else their default, else (required ones) the agent; an answer
  to an input whose source is a ``User``/``Company``/``Conversation`` path is stored there too. Answers are
  coerced to the input type and re-asked up to 3 times.
- A connector failure (any reason but ``input``/``procedure``) runs the step's ``on_error`` steps if it has
  them, then the next step; otherwise the run ends ``failed``.
- A code step runs its code in the sandbox over ``inputs`` (as code conditions see it); the dict returned is
  stored under the step's name like a connector's response (``@read(Name > key)``, ``inputs["temporary"]``)
  and reported by ``code_ran``. Any failure of the code is a ``code`` error (with its ``line``) that takes the
  step's ``on_error`` steps when it has them.
- ``step()`` runs one step and pauses before the next one, entering branches and sub-procedures.
- ``set_attribute`` on a connector path replaces the stored response with an edited copy: code conditions
  and reuse of that call see the edit; earlier events keep what they showed. While paused it emits
  ``attributes_available`` with ``edited: true``.
- Secrets read ``***`` in every event.
- An agent that is a :class:`Speaker` (the model agent, or a scripted agent replaying recorded ``messages``)
  writes instruction steps' messages (``message`` events with ``composed: true`` when it changed the text);
  others say the step's text with its mentions filled in. An :class:`AgentFailure` ends the run with an
  ``agent`` error.
"""

from workbench.engine.agent import (
    Agent,
    AgentFailure,
    AgentSession,
    DecisionRequest,
    InputRequest,
    MessageRequest,
    NoAnswer,
    Speaker,
    Turn,
)
from workbench.engine.context import ProcedureContext
from workbench.engine.options import FINISHED_OUTCOMES, RunOptions, RunResult
from workbench.engine.runner import MAX_ATTEMPTS, Run, RunState, run_procedure
from workbench.engine.scripted import ScriptedAgent
from workbench.events import Event, RunOutcome

__all__ = [
    "FINISHED_OUTCOMES",
    "MAX_ATTEMPTS",
    "Agent",
    "AgentFailure",
    "AgentSession",
    "DecisionRequest",
    "Event",
    "InputRequest",
    "MessageRequest",
    "NoAnswer",
    "ProcedureContext",
    "Run",
    "RunOptions",
    "RunOutcome",
    "RunResult",
    "RunState",
    "ScriptedAgent",
    "Speaker",
    "Turn",
    "run_procedure",
]
