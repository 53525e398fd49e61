"""What a text field with the completion pop-up does with it, whatever the field: the menu mounted on first use,
the navigation keys forwarded to it while it shows, Escape and leaving the field closing it, and its place next to
the field (below, or above when there is no room)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events

from workbench.editing.completion import Candidate
from workbench.tui.widgets.completion_menu import MENU_HEIGHT, MENU_WIDTH, VISIBLE_ROWS, CompletionMenu

if TYPE_CHECKING:
    from textual.widget import Widget

    _Field = Widget
else:
    _Field = object


class MenuOwner(_Field):
    """Mixed into a field before its widget class (``class CompletingInput(MenuOwner, Input)``), which says what a
    chosen candidate does (:meth:`choose`) and when the menu opens."""

    _NAVIGATION: ClassVar[dict[str, int]] = {"up": -1, "down": 1, "pageup": -VISIBLE_ROWS, "pagedown": VISIBLE_ROWS}
    _menu: CompletionMenu | None = None
    _placed: tuple[int, int, int] | None = None

    @property
    def menu(self) -> CompletionMenu:
        """The pop-up, mounted on the screen the first time it is needed."""
        if self._menu is None:
            self._menu = CompletionMenu(self.choose)
            self.screen.mount(self._menu)
        return self._menu

    @property
    def menu_open(self) -> bool:
        """Whether the pop-up is showing."""
        return self._menu is not None and self._menu.is_open

    def choose(self, candidate: Candidate) -> bool:
        """Handle a chosen candidate; return true when it was taken (false keeps the menu open)."""
        raise NotImplementedError

    def close_menu(self) -> None:
        """Hide the pop-up."""
        if self._menu is not None:
            self._menu.close()

    def place_menu(self, x: int, y: int, width: int) -> None:
        """Put the pop-up at column ``x`` under screen row ``y`` (above it when there is no room below), at most
        ``width`` wide, inside the screen."""
        screen = self.screen.size
        width = min(width, MENU_WIDTH, screen.width)
        height = min(MENU_HEIGHT, screen.height)
        top = y + 1 if y + 1 + height <= screen.height else max(0, y - height)
        place = (width, max(0, min(x, screen.width - width)), top)
        if place != self._placed:  # restyling costs a layout pass: only when the place changes
            self._placed = place
            self.menu.styles.width = width
            self.menu.styles.offset = place[1:]

    def _on_blur(self, event: events.Blur) -> None:
        self.close_menu()

    async def _on_key(self, event: events.Key) -> None:
        """While the menu shows: ↑↓ PgUp PgDn move in it, Enter or Tab choose, Escape closes (the field gets
        every other key, and these when the menu is closed or nothing is highlighted)."""
        if not self.menu_open:
            return
        menu = self.menu
        key = event.key
        if key in self._NAVIGATION:
            menu.move(self._NAVIGATION[key])
        elif key in ("enter", "tab") and (chosen := menu.selected()) is not None:
            self.choose(chosen)
        elif key == "escape":
            self.close_menu()
        else:
            return
        event.stop()
        event.prevent_default()
