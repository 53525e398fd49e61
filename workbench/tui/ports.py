"""What the app's parts ask of each other, as protocols: the glue (debugger, mock server, import, coverage,
Intercom, crash recovery) depends on these ports, never on the app or the main screen themselves, so no import
runs back up to them.

- :class:`WorkspaceOwner`: the workspace being edited, as the main screen asks it of the app.
- :class:`Host`: what every glue needs: the app's services, the session, the panes it redraws, notifications.
- :class:`RecoveryHost`: the app as crash recovery sees it.
- :class:`FindingsPanes`: the main screen as the lint runner sees it: the panes that show the findings.
- :class:`Workbench`: the main screen as its controls see it: the host, plus the editor in front, the run panel
  and the environment chosen in the run bar.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.notifications import SeverityLevel

    from workbench.editing.edit_session import EditSession, Entry
    from workbench.lint import Finding
    from workbench.store import Workspace
    from workbench.tui.debug.view import DebugView
    from workbench.tui.widgets.editor_stack import EditorStack
    from workbench.tui.widgets.entry_editor import EntryEditor
    from workbench.tui.widgets.problems import ProblemsPanel
    from workbench.tui.widgets.workspace_tree import WorkspaceTree


class WorkspaceOwner(Protocol):
    """The workspace being edited (the app owns it): its folder, session (with the breakpoints) and findings."""

    root: Path
    session: EditSession | None
    findings: list[Finding]

    def schedule_lint(self) -> None:
        """Lint once typing pauses (after a change of the models)."""
        ...

    def entry_shown(self, entry: Entry | None) -> None:
        """The item in front changed (``None``: nothing is open)."""
        ...

    async def take_in(self, paths: Collection[Path]) -> None:
        """Take in files the app wrote itself (as files changed on disk are: reloaded, or asked about when edited)."""
        ...


class Host(Protocol):
    """What a glue uses: the app (workers, screens, keys), the session, the panes it redraws, notifications."""

    @property
    def app(self) -> App[Any]:
        """The running app."""
        ...

    @property
    def session(self) -> EditSession | None:
        """The edit session (``None`` while loading)."""
        ...

    @property
    def tree(self) -> WorkspaceTree:
        """The workspace tree."""
        ...

    @property
    def editors(self) -> EditorStack:
        """The editors."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = ...,
    ) -> None:
        """Tell the user (plain text)."""
        ...

    def post_message(self, message: Message) -> bool:
        """Post a message to the host."""
        ...

    def schedule_lint(self) -> None:
        """Lint once typing pauses (after a change of the models)."""
        ...


class RecoveryHost(Host, Protocol):
    """What crash recovery asks of the app: the host, and the workspace's folder."""

    root: Path


class FindingsPanes(Protocol):
    """The panes that show the findings (the main screen's), as the lint runner redraws them."""

    @property
    def app(self) -> App[Any]:
        """The running app."""
        ...

    @property
    def tree(self) -> WorkspaceTree:
        """The workspace tree (badges, unsaved marks)."""
        ...

    @property
    def editors(self) -> EditorStack:
        """The editors."""
        ...

    @property
    def problems(self) -> ProblemsPanel:
        """The problems list."""
        ...

    def apply_layout(self) -> None:
        """Fit the panes to the terminal again (the problems list is short while there are none)."""
        ...

    def show_findings(self, editor: EntryEditor) -> None:
        """Show an editor the findings about its item."""
        ...


class Workbench(Host, Protocol):
    """The main screen as its controls see it."""

    @property
    def current_editor(self) -> EntryEditor | None:
        """The editor in front."""
        ...

    def debug_view(self) -> DebugView | None:
        """The debug view in the run panel, once it has loaded."""
        ...

    def load_debug_view(self) -> None:
        """Build the debug view if it is not yet (it posts ``DebugView.Ready`` once mounted)."""
        ...

    def panes_up(self) -> bool:
        """Whether the panes are there (not while the app closes: messages on their way find no widgets)."""
        ...

    def show_run_panel(self) -> None:
        """Show the run panel if it is hidden."""
        ...

    async def open_entry(self, entry: Entry) -> None:
        """Bring ``entry``'s editor to the front."""
        ...

    def environment(self) -> str | None:
        """The environment chosen in the run bar (the workspace's default until the run panel has loaded)."""
        ...

    def workspace(self) -> Workspace | None:
        """The models as they are in the app, unsaved edits included (``None`` while loading)."""
        ...

    def mock_log(self, line: str) -> None:
        """Add a line to the run panel's "Mock server" tab."""
        ...

    async def take_in(self, paths: Collection[Path]) -> None:
        """Take in files a control wrote (an import, an Intercom pull) as the workspace's files changed on disk are
        (:meth:`workbench.editing.disk_sync.DiskSync.take_in`): never reloaded by the control itself."""
        ...
