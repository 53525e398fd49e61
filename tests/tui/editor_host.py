"""The editor tier: one item's editor in a small app, for what an editor does on its own (focus, forms, keys,
drafts, saving).

No :class:`~workbench.tui.app.WorkbenchApp`: no tree, problems, run panel, lint, disk watch or watchdog, so a
test starts in a fraction of the full app's time. The editor is made as the app makes it (the same class, entry
and session, the app's stylesheet, its Ctrl+A and Ctrl+S) and sits between two fields, so a key that leaves it is
seen leaving.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widgets import Input

from tests.quick_pilot import QuickPilot, quick_test
from tests.tui.conftest import SIZE, record_notices, settle
from tests.waiting import wait_until
from workbench.editing.edit_session import EditSession, Entry
from workbench.editing.save_all import SaveReport, save_all
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.editor_stack import editor_class
from workbench.tui.widgets.entry_editor import EntryEditor

APP_KEYS = ("app.select_all", "app.save")
"""The app's own keys the host keeps: select all (what a test types over a field's text with) and save."""


class EditorHost(App[None]):
    """The editor of ``entry`` between a field before and a field after it."""

    CSS_PATH = WorkbenchApp.CSS_PATH
    BINDINGS: ClassVar[list[BindingType]] = [
        binding for binding in WorkbenchApp.BINDINGS if isinstance(binding, Binding) and binding.id in APP_KEYS
    ]
    action_select_all_text = WorkbenchApp.action_select_all_text
    """Ctrl+A selects a field's text, as in the app (Textual's own Ctrl+A goes to the line's start)."""

    def __init__(self, entry: Entry, session: EditSession) -> None:
        super().__init__()
        self.editor = editor_class(entry.kind)(entry, session, id="editor")
        self.saved: SaveReport | None = None
        """What the last save did (the app tells it in notices; the host keeps it for the test to read)."""

    def action_save(self) -> None:
        """Save every unsaved item as the app's save does (its editor's pending problems keep an item unsaved)."""
        editor = self.editor
        self.saved = save_all(editor.session, lambda entry: editor.pending_problems() if entry is editor.entry else [])

    def compose(self) -> ComposeResult:
        yield Input(id="before")
        yield self.editor
        yield Input(id="after")


def entry_of(session: EditSession, kind: str, name: str) -> Entry:
    """The entry of ``kind`` named ``name`` (``workspace`` is the settings file, whatever its name)."""
    entry = session.settings if kind == "workspace" else session.find(kind, name)
    assert entry is not None, f"no {kind} {name!r}"
    return entry


@asynccontextmanager
async def hosting(
    root: Path, kind: str, name: str = "", size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[QuickPilot[None], EntryEditor]]:
    """The editor of the item ``kind``/``name`` of the workspace at ``root``, whole, driven by a pilot (its notices
    read with ``told``)."""
    session = EditSession.load(root)
    app = EditorHost(entry_of(session, kind, name), session)
    record_notices(app)
    async with quick_test(app, size=size) as pilot:
        await wait_until(lambda: app.editor.whole, pilot, what="the editor, whole")
        await settle(pilot)
        yield pilot, app.editor
        await pilot.pause()


async def typed(pilot: Pilot[None], *keys: str) -> None:
    """Press ``keys`` one after the other as ``pilot.press`` does (each handled before the next), with the screen
    drawn once after the last instead of after each: drawing the whole screen per key was most of a typing test's
    time, and what the field, its form and the item make of the keys does not depend on it."""
    with pilot.app.batch_update():
        await pilot.press(*keys)
    await pilot.pause()
