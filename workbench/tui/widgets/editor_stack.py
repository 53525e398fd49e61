"""The middle of the app: one editor per opened item (kept while the app runs), the shown one in front."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.widget import AwaitMount
from textual.widgets import ContentSwitcher

from workbench.tui.keys import KeyText
from workbench.tui.messages import EntryShown, ProcedureSelected

if TYPE_CHECKING:
    from workbench.editing.edit_session import EditSession, Entry
    from workbench.tui.widgets.entry_editor import EntryEditor

WELCOME = (
    "Pick a connector, a procedure or a scenario in the tree on the left (↑↓, then Enter).\n\n"
    "{app.command_palette}  every command        {app.help}  the keys of the focused pane\n"
    "{app.new_item}  new item             {app.save}  save      {app.quit}  quit\n\n"
    "In a procedure's instruction text, type @ to call a data connector or read an attribute."
)

EDITORS: dict[str, str] = {
    "connector": "connector_editor.ConnectorEditor",
    "procedure": "procedure_editor.ProcedureEditor",
    "scenario": "scenario_editor.ScenarioEditor",
    "workspace": "settings_editor.SettingsEditor",
}
"""The editor of each kind, imported when the first item of that kind opens (quick app start)."""


def editor_class(kind: str) -> type[EntryEditor]:
    """The editor widget class for an entry kind."""
    module, name = EDITORS[kind].split(".")
    return getattr(import_module(f"workbench.tui.widgets.{module}"), name)


class EditorStack(ContentSwitcher):
    """Holds the editors of opened entries; :meth:`show` brings one to the front (creating it if needed).

    Only :attr:`~workbench.tui.widgets.entry_editor.EntryEditor.whole` editors are handed out (an editor being
    mounted, recomposed or removed has not all its widgets): a reload or an undo never races a query.
    """

    DEFAULT_CSS = """
    EditorStack { height: 1fr; }
    EditorStack > #welcome { padding: 1 2; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(initial="welcome", id=id)
        self.session: EditSession | None = None
        self._editors: dict[Entry, EntryEditor] = {}
        self._mounting: dict[EntryEditor, AwaitMount] = {}
        self._counter = 0

    def compose(self) -> ComposeResult:
        yield KeyText(WELCOME, id="welcome")

    @property
    def current_editor(self) -> EntryEditor | None:
        """The editor in front, if any (and whole)."""
        editor = self._front()
        return editor if editor is not None and editor.whole else None

    @property
    def current_entry(self) -> Entry | None:
        """The entry in front, if any (its editor whole or not)."""
        editor = self._front()
        return editor.entry if editor is not None else None

    def _front(self) -> EntryEditor | None:
        current = self.visible_content
        return cast("EntryEditor", current) if current is not None and current.id != "welcome" else None

    def editor_for(self, entry: Entry) -> EntryEditor | None:
        """The (already created) editor of an entry, when it is whole."""
        editor = self._editors.get(entry)
        return editor if editor is not None and editor.whole else None

    def editors(self) -> list[EntryEditor]:
        """Every created editor that is whole."""
        return [editor for editor in self._editors.values() if editor.whole]

    async def show(self, entry: Entry) -> EntryEditor | None:
        """Bring the entry's editor to the front, creating it the first time; returns it when it is whole
        (``None`` while the app closes, or while the editor is being recomposed)."""
        editor = self._editors.get(entry)
        if editor is None:
            assert self.session is not None
            self._counter += 1
            editor = editor_class(entry.kind)(entry, self.session, id=f"editor-{self._counter}")
            self._editors[entry] = editor
            self._mounting[editor] = self.mount(editor)
            await self._mounting[editor]
            self._mounting.pop(editor, None)
            if not editor.is_attached or self._editors.get(entry) is not editor:
                return None  # the app is closing, or the entry was closed while its editor mounted
        self.current = editor.id
        self.post_message(EntryShown(entry))
        if entry.kind == "procedure":
            self.post_message(ProcedureSelected(entry))
        return editor if editor.whole else None

    async def close(self, entry: Entry) -> None:
        """Drop an entry's editor (e.g. after its file was reloaded or removed), once it has mounted and is not
        being recomposed: removing a widget while it mounts leaves it half made, and its Mount handlers (a
        Select's, a table's) then raise on parts that were never mounted."""
        editor = self._editors.pop(entry, None)
        if editor is None:
            return
        self._leave(editor)
        mounting = self._mounting.pop(editor, None)
        if mounting is not None:
            await mounting
        await editor.recomposed()
        await editor.remove()
        self._leave(editor)  # brought to the front while it was being removed

    def _leave(self, editor: EntryEditor) -> None:
        """Show the welcome text instead of ``editor`` if it is in front."""
        if self.current == editor.id:
            self.current = "welcome"
            self.post_message(EntryShown(None))

    async def reopen(self, entry: Entry) -> None:
        """Rebuild an entry's editor from its model (after a reload), keeping it in front if it was."""
        was_current = self.current_entry is entry
        await self.close(entry)
        if was_current:
            await self.show(entry)
