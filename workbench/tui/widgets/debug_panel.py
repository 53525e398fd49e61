"""The area for running and debugging: the debugger's view (run bar; Run log, Context, Conversation, Scenarios
and, once it has a line, Mock server tabs).

The debugger lives in :mod:`workbench.tui.debug`; this panel places it in the app and gives it the workspace. The
view is built when the panel first shows, or when a key needs it (:meth:`DebugPanel.load`): a terminal too narrow
for the panel starts without its sixty widgets and the engine's import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.containers import Vertical
from textual.widgets import TabbedContent, TabPane

from workbench.tui.keys import KeyHints

if TYPE_CHECKING:
    from workbench.editing.breakpoints import Breakpoints
    from workbench.store import Workspace
    from workbench.tui.debug.view import DebugView

PaneName = Literal["run-log", "context", "conversation"]


class DebugPanel(Vertical):
    """Holds the debug view; ``workspace`` gives the models the debugger runs (``None`` while loading)."""

    HELP = KeyHints(
        "Run and debug the procedure in front: {debug.run} runs or continues, {debug.step} steps, "
        "{debug.breakpoint} sets a breakpoint on the selected step, {debug.stop} stops, {debug.tab} goes from tab "
        "to tab. Run log: {run_log.previous}{run_log.next} select an event to see its detail; type in the filter "
        "to keep some event types. Context: {context.edit} edits a value while paused. Conversation: answer as "
        "the customer. {results.compare} compares two simulation results files (workbench simulate --results) in "
        "a Comparison tab."
    )

    DEFAULT_CSS = """
    DebugPanel { width: 44; }
    """

    def __init__(
        self,
        workspace: Callable[[], Workspace | None],
        breakpoints: Callable[[], Breakpoints | None],
        *,
        id: str | None = None,
    ) -> None:
        """``breakpoints`` gives the edit session's breakpoints (``None`` while loading)."""
        super().__init__(id=id)
        self._workspace = workspace
        self._breakpoints = breakpoints
        self._loading = False
        self._view: DebugView | None = None

    def on_show(self) -> None:
        if self.display:  # (the first layout can come before the screen hides the panel on a narrow terminal)
            self.load()

    def load(self) -> None:
        """Build the debug view, once (it posts ``DebugView.Ready`` when mounted), after the next frame: importing
        the engine holds the GIL, and the panes should paint first."""
        if not self._loading:
            self._loading = True
            self.call_after_refresh(self._import_view)

    @work(thread=True, group="debugger-import")
    def _import_view(self) -> None:
        """Load the debugger (and the engine) off the UI thread, then show it."""
        from workbench.tui.debug.view import DebugView

        def show() -> None:
            self._view = DebugView(self._workspace, self._breakpoints, id="debug-view")
            self.mount(self._view)

        self.app.call_from_thread(show)

    @property
    def view(self) -> DebugView | None:
        """The debug view, once built and added (kept: each key typed in an editor asks for it)."""
        return self._view if self._view is not None and self._view.is_attached else None

    @property
    def tabs(self) -> TabbedContent:
        """The tabbed container (add panes with ``add_pane``, switch with ``active``)."""
        return self.query_one(TabbedContent)

    def pane(self, name: PaneName) -> TabPane:
        """The tab pane called ``name`` (``run-log``, ``context`` or ``conversation``)."""
        return self.tabs.get_pane(name)
