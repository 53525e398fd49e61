"""The debugging half of the app: run a procedure under the debugger and watch it.

- :class:`DebugView` — run bar (procedure, mode, environment, status) over its tabs: the run log with the
  selected event's detail, the context inspector, the conversation, the scenarios, and the mock server's log
  once it has a line. Its :meth:`~DebugView.run_or_continue`
  (F5), :meth:`~DebugView.step` (F10), :meth:`~DebugView.stop` (Shift+F5) and
  :meth:`~DebugView.toggle_breakpoint` (F9) are what the main screen binds; it keeps the step the run is paused before and the path
  it took, and posts :class:`StepReached`,
  :class:`PathTaken` and :class:`BreakpointsChanged` for the outline.
- :class:`DebugRun` — one engine run as a worker, reporting :class:`RunEvents`, :class:`InputAsked` and
  :class:`RunEnded` to the widget hosting it; :class:`~workbench.agent.players.ConversationAgent` is the engine
  agent it answers with.
- :class:`RunLog`, :class:`EventDetail`, :class:`ContextInspector`, :class:`ConversationPane` — the panes (the
  Scenarios and Mock server tabs: ``scenarios_pane.ScenariosPane``, ``mock_log.MockServerLog``).
"""

from importlib import import_module
from typing import Any

_HOMES = {
    "BreakpointsChanged": "messages",
    "InputAsked": "debug_run",
    "PathTaken": "messages",
    "RunEnded": "debug_run",
    "RunEvents": "debug_run",
    "StepReached": "messages",
    "ContextInspector": "context_inspector",
    "DebugRun": "debug_run",
    "ConversationPane": "conversation",
    "EventDetail": "event_detail",
    "DebugView": "view",
    "RunBar": "run_bar",
    "RunLog": "run_log",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """Import the public names on first use (the app starts before the engine has loaded)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
