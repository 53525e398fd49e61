"""An editor whose item is shown on tabs (a :class:`TabbedContent`): switching tabs moves the focus with it."""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane

from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor


class TabbedEditor(EntryEditor):
    """An :class:`EntryEditor` on tabs; its subclasses bind ``switch_tab(±1)`` to their next/previous-tab keys."""

    def action_switch_tab(self, delta: int) -> None:
        """Show the next (or previous) tab."""
        tabs = self.query_one(TabbedContent)
        panes = [pane.id or "" for pane in tabs.query(TabPane)]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        self.show_tab(panes[(current + delta) % len(panes)])

    def show_tab(self, pane_id: str) -> None:
        """Show a tab and move the focus into it (focus left in a hidden tab would bring that tab back)."""
        self.query_one(TabbedContent).active = pane_id
        self.focus_in_tab(pane_id)

    def focus_in_tab(self, pane_id: str) -> None:
        """Focus the first control of a tab (its tab bar when it has none)."""
        tabs = self.query_one(TabbedContent)
        target = next((widget for widget in tabs.get_pane(pane_id).query("*") if widget.focusable), None)
        give_focus(target if target is not None else tabs.query_one("Tabs"))
