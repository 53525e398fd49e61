"""Messages the app's panes send up to the app (and that later panes, such as the debugger's, can handle too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget

    from workbench.editing.edit_session import EditSession, Entry
    from workbench.lint import Finding


class WorkspaceLoaded(Message):
    """The workspace's models have loaded (the tree showed names read quickly until now); posted to the app."""

    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session


class OpenEntry(Message):
    """Show an entry in the editor (``focus``: move the keyboard focus into it)."""

    def __init__(self, entry: Entry, *, focus: bool = True) -> None:
        super().__init__()
        self.entry = entry
        self.focus = focus


class DocumentEdited(Message):
    """An editor changed an entry's model (it is now possibly unsaved; lint is due).

    ``origin`` is the editor that made the change: another editor of the same entry redraws from the model.
    """

    def __init__(self, entry: Entry, *, renamed: bool = False, origin: Widget | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.renamed = renamed
        self.origin = origin


class EntryShown(Message):
    """The editor now shows this entry (``None``: nothing is open)."""

    def __init__(self, entry: Entry | None) -> None:
        super().__init__()
        self.entry = entry


class ProcedureSelected(Message):
    """A procedure is the one being edited (the debugger runs this one)."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    @property
    def name(self) -> str:
        """The procedure's name."""
        return self.entry.name


class StepSelected(Message):
    """A step of a procedure was selected in its outline (``step_id`` ``None``: a branch or nothing)."""

    def __init__(self, entry: Entry, step_id: str | None) -> None:
        super().__init__()
        self.entry = entry
        self.step_id = step_id


class JumpToFinding(Message):
    """Show the place a lint finding points at."""

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding


class CurlPasted(Message):
    """A curl command line was typed or pasted into a connector's URL field: the connector becomes that request."""

    def __init__(self, entry: Entry, line: str) -> None:
        super().__init__()
        self.entry = entry
        self.line = line


class FixFinding(Message):
    """Apply the fix a lint finding offers (declaring an attribute in ``workbench.json``)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding
