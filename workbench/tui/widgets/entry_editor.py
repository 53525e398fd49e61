"""What every editor of a workspace file shares: its entry, a title line, edits reported to the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workbench.editing.session import Entry, Session
from workbench.lint import Finding
from workbench.tui.messages import DocumentEdited
from workbench.tui.widgets.json_field import JsonField


class EntryEditor(Vertical):
    """The editor of one entry; subclasses compose the body and apply field changes to ``entry.model``."""

    HELP: ClassVar[str] = ""
    """What this editor is for, shown by F1."""

    DEFAULT_CSS = """
    EntryEditor { height: 1fr; }
    EntryEditor > .editor-title { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, entry: Entry, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry = entry
        self.session = session
        self.scenario_badge = ""
        """The procedure's scenarios at a glance (``✓``, ``✗2``, ``…``), shown in the title."""
        self._shown_title = self._title()

    def compose(self) -> ComposeResult:
        yield Static(self._shown_title, classes="editor-title", markup=False)
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        """The editor's own widgets."""
        yield from ()

    def _title(self) -> str:
        try:
            where = self.entry.path.relative_to(self.session.root)
        except ValueError:
            where = self.entry.path
        dirty = "  ● unsaved" if self.entry.dirty else ""
        tested = f"  scenarios {self.scenario_badge}" if self.scenario_badge else ""
        return f"{self.entry.kind.capitalize()}: {self.entry.name}   {where}{dirty}{tested}"

    def refresh_title(self) -> None:
        """Redraw the title line (name, file, unsaved marker)."""
        title = self._title()
        if title != self._shown_title:
            self._shown_title = title
            self.query_one(".editor-title", Static).update(title, layout=False)

    def focus_default(self) -> None:
        """Put the focus where editing this kind of item usually starts."""
        for widget in self.query("JsonArea, Input"):
            if widget.focusable:
                widget.focus()
                return

    def edited(self, *, renamed: bool = False) -> None:
        """Report that the entry's model changed."""
        self.entry.touch()
        self.refresh_title()
        self.post_message(DocumentEdited(self.entry, renamed=renamed, origin=self))

    def pending_problems(self) -> list[str]:
        """Edits not applied to the model because they are invalid (saving would drop them)."""
        return [f"{field.id or 'JSON'}: {field.problem}" for field in self.query(JsonField) if field.problem]

    def show_findings(self, findings: Iterable[Finding]) -> None:
        """Show the lint findings of this entry where they belong."""

    async def jump_to(self, finding: Finding) -> None:
        """Bring the place a finding points at into view and focus."""
