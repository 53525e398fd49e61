"""The area reserved for running and debugging: Run log, Context and Conversation tabs.

Empty by design in the authoring app: the debugger replaces each tab's placeholder with its pane, e.g.
``panel.pane("run-log").remove_children()`` then ``mount(...)``, and adds its bindings on its own widgets.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

PaneName = Literal["run-log", "context", "conversation"]
PANES: dict[PaneName, tuple[str, str]] = {
    "run-log": ("Run log", "Run a procedure to see its log here (coming with the debugger)."),
    "context": ("Context", "The procedure context (attributes, connector responses) will show here while a run is paused."),
    "conversation": ("Conversation", "The conversation with the customer will show here during a run."),
}


class DebugPanel(Vertical):
    """Tabs for the debugger's panes: :meth:`pane` gives the container of one."""

    HELP: ClassVar[str] = "Run log, context and conversation of a run (coming with the debugger)."

    DEFAULT_CSS = """
    DebugPanel { width: 44; }
    DebugPanel .placeholder { color: $text-muted; padding: 1; }
    """

    def compose(self) -> ComposeResult:
        with TabbedContent(id="debug-tabs"):
            for pane_id, (title, hint) in PANES.items():
                with TabPane(title, id=pane_id):
                    yield Static(hint, classes="placeholder")

    @property
    def tabs(self) -> TabbedContent:
        """The tabbed container (add panes with ``add_pane``, switch with ``active``)."""
        return self.query_one(TabbedContent)

    def pane(self, name: PaneName) -> TabPane:
        """The tab pane called ``name`` (``run-log``, ``context`` or ``conversation``)."""
        return self.tabs.get_pane(name)
