"""An editor whose item is shown on tabs (a :class:`TabbedContent`), each tab built the first time it is shown.

Only the tab in front is composed with the editor (a connector's six tabs are some 200 widgets: building every
one made opening slow). Another tab is composed, from the model and the item's drafts, the first time it is shown
(a key, a click on the tab bar, :meth:`TabbedEditor.show_tab`, a jump to a finding in it) and stays built until
the editor is composed afresh. The editor's code reaches a widget of a tab only through
:meth:`TabbedEditor.tab_part`, which finds nothing on a tab not built yet: what would have been shown there (a
finding, a draft's problem, the example's attributes) is read from the model and the editor's state when the tab
is built (:meth:`TabbedEditor.tab_built`). Switching tabs moves the focus with it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import suppress
from functools import partial
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane
from textual.worker import Worker, WorkerCancelled

from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.recomposing import SerialRecompose

WidgetT = TypeVar("WidgetT", bound=Widget)


class TabSheet(TabPane, SerialRecompose):
    """A tab whose content is composed when it is first shown (:meth:`build`)."""

    def __init__(self, title: str, content: Callable[[], ComposeResult], *, built: bool, id: str) -> None:
        super().__init__(title, id=id)
        self._content = content
        self._filled = built
        self.built = built
        """Whether the content is there (composed with the editor, or mounted by :meth:`build`)."""

    def compose(self) -> ComposeResult:
        if self._filled:
            yield from self._content()

    async def build(self) -> None:
        """Compose and mount the content (once)."""
        if self._filled:
            return
        self._filled = True
        await self.recompose()
        self.built = True


class TabShown:
    """What :meth:`TabbedEditor.show_tab` returns: awaited, it returns once the tab is built, shown and focused
    (or the editor closed meanwhile)."""

    def __init__(self, worker: Worker[None] | None) -> None:
        self._worker = worker

    def __await__(self) -> Generator[Any, None, None]:
        return self._wait().__await__()

    async def _wait(self) -> None:
        if self._worker is not None:
            with suppress(WorkerCancelled):  # (the editor was removed)
                await self._worker.wait()


class TabbedEditor(EntryEditor):
    """An :class:`EntryEditor` on tabs; its subclasses list them in :attr:`TABS`, compose each in
    :meth:`compose_tab`, and bind ``switch_tab(±1)`` to their next/previous-tab keys."""

    TABS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Each tab's label and id, in order."""

    PARTS: ClassVar[dict[str, str]] = {}
    """The tab (its id) of each part the editor's code reaches (by its selector, see :meth:`tab_part`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._front = self.TABS[0][1]
        """The tab in front: the one composed with the editor."""

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial=self._front):
            for label, pane in self.TABS:
                yield TabSheet(label, partial(self.compose_tab, pane), built=pane == self._front, id=pane)

    def compose_tab(self, pane: str) -> ComposeResult:
        """The content of the tab ``pane``."""
        yield from ()

    def tab_built(self, pane: str) -> None:
        """The tab ``pane`` was just built (with the editor, or when first shown): show on it what the editor
        keeps outside its widgets (findings, problems of drafts, what is computed from the model)."""

    async def tab_shown(self, pane: str) -> None:
        """The tab ``pane`` came to the front (built)."""

    def on_mount(self) -> None:
        self.tab_built(self._front)

    async def recompose(self) -> None:
        """Compose the editor afresh from the model, on the tab in front (the others are built when shown)."""
        await super().recompose()
        if self.is_attached:
            self.tab_built(self._front)

    # -- reaching the tabs' widgets --------------------------------------------------------------------------

    @property
    def tabs(self) -> TabbedContent:
        """The tabs."""
        return self.part("TabbedContent", TabbedContent)

    def _sheet(self, pane: str) -> TabSheet | None:
        return self.part_if_any(f"#{pane}", TabSheet)

    def is_built(self, pane: str) -> bool:
        """Whether the tab ``pane`` has its widgets."""
        sheet = self._sheet(pane)
        return sheet is not None and sheet.built

    def tab_part(self, selector: str, kind: type[WidgetT]) -> WidgetT | None:
        """The part ``selector`` names (listed in :attr:`PARTS` with its tab); ``None`` when its tab is not built
        yet (composed from the model when shown) or it is not there now (a mock's fields with no mock chosen)."""
        return self.part_if_any(selector, kind) if self.is_built(self.PARTS[selector]) else None

    # -- showing a tab ---------------------------------------------------------------------------------------

    async def build_tab(self, pane: str) -> None:
        """Build the tab ``pane`` if it is not yet (one tab at a time, never while the editor is recomposed)."""
        async with self._composing:
            sheet = self._sheet(pane)
            if sheet is None or sheet.built:
                return
            await sheet.build()
        self.tab_built(pane)

    def show_tab(self, pane: str) -> TabShown:
        """Show a tab and move the focus into it (focus left in a hidden tab would bring that tab back); a tab
        shown for the first time is built first (await the result to wait for that)."""
        if self.is_built(pane):
            self._bring(pane)
            self.focus_in_tab(pane)
            return TabShown(None)
        return TabShown(self.run_worker(self.open_tab(pane), group="show-tab"))

    async def open_tab(self, pane: str, *, focus: bool = True) -> None:
        """Build a tab if needed and bring it to the front, the focus in it (``focus``)."""
        await self.build_tab(pane)
        if self.is_attached and self.is_built(pane):
            self._bring(pane)
            if focus:
                self.focus_in_tab(pane)

    def _bring(self, pane: str) -> None:
        self._front = pane
        self.tabs.active = pane

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab came to the front (a key, a click, :meth:`show_tab`): it is built if it is not yet."""
        if event.tabbed_content is not self.part_if_any("TabbedContent", TabbedContent):
            return  # (another's, or the one a recompose is removing)
        event.stop()
        pane = event.pane.id or ""
        self._front = pane
        await self.build_tab(pane)
        await self.tab_shown(pane)

    async def action_switch_tab(self, delta: int) -> None:
        """Show the next (or previous) tab."""
        panes = [pane for _, pane in self.TABS]
        active = self.tabs.active
        current = panes.index(active) if active in panes else 0
        await self.show_tab(panes[(current + delta) % len(panes)])

    def focus_in_tab(self, pane: str, field: str | None = None) -> None:
        """Focus the control ``#field`` of a tab when it has it, else its first control (its tab bar when it has
        none)."""
        sheet = self._sheet(pane)
        target: Widget | None = None
        if sheet is not None:
            found = sheet.query(f"#{field}") if field else None
            target = found.first() if found else next((widget for widget in sheet.query("*") if widget.focusable), None)
        give_focus(target if target is not None else self.tabs.query_one("Tabs"))

    async def redraw_on(self, pane: str, field: str | None = None) -> None:
        """Compose the editor afresh from the model on the tab ``pane``, the focus in its control ``#field`` (else
        its first control)."""
        self._front = pane
        await self.recompose()
        if self.is_attached:
            self.focus_in_tab(pane, field)
