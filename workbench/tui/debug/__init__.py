"""The debugging half of the app: run a procedure under the debugger and watch it.

- :class:`DebugView` — run bar (procedure, mode, environment, status) over three tabs: the run log with the
  selected event's detail, the context inspector, the conversation. Its :meth:`~DebugView.run_or_continue`
  (F5), :meth:`~DebugView.step` (F10), :meth:`~DebugView.stop` (Shift+F5) and
  :meth:`~DebugView.toggle_breakpoint` (F9) are what the app binds; it posts :class:`StepReached`,
  :class:`PathTaken` and :class:`BreakpointsChanged` for the outline.
- :class:`DebugSession` — one engine run as a worker, reporting :class:`RunEvents`, :class:`InputAsked` and
  :class:`RunEnded` to the widget hosting it; :class:`ConversationAgent` is the engine agent it answers with.
- :class:`RunLog`, :class:`EventDetail`, :class:`ContextInspector`, :class:`ConversationPane` — the panes.
"""

from workbench.tui.debug.agent import ConversationAgent
from workbench.tui.debug.context_inspector import ContextInspector
from workbench.tui.debug.controller import DebugSession
from workbench.tui.debug.conversation import ConversationPane
from workbench.tui.debug.event_detail import EventDetail
from workbench.tui.debug.messages import BreakpointsChanged, InputAsked, PathTaken, RunEnded, RunEvents, StepReached
from workbench.tui.debug.view import DebugView
from workbench.tui.debug.run_bar import RunBar
from workbench.tui.debug.run_log import RunLog

__all__ = [
    "BreakpointsChanged",
    "ContextInspector",
    "ConversationAgent",
    "ConversationPane",
    "DebugView",
    "DebugSession",
    "EventDetail",
    "InputAsked",
    "PathTaken",
    "RunBar",
    "RunEnded",
    "RunEvents",
    "RunLog",
    "StepReached",
]
