"""A one-line input with the ``@`` menu's completion pop-up: typing filters a ranked list of candidates (words in
any order, fuzzy), ↑↓ move, Enter or Tab put the chosen one's text in the field, Escape closes the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events

from workbench.editing.completion import Candidate, CandidateIndex
from workbench.tui.widgets.completion_menu import MENU_HEIGHT, MENU_WIDTH, VISIBLE_ROWS, CompletionMenu
from workbench.tui.widgets.fields import Input


class CompletingInput(Input):
    """An :class:`Input` that offers completions from ``candidates()`` while the author types in it."""

    _NAVIGATION: ClassVar[dict[str, int]] = {"up": -1, "down": 1, "pageup": -VISIBLE_ROWS, "pagedown": VISIBLE_ROWS}

    def __init__(self, candidates: Callable[[], CandidateIndex], title: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._candidates = candidates
        self._title = title
        self._menu: CompletionMenu | None = None
        self._chosen = ""

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
        """Put a candidate's text in the field and close the list."""
        self._chosen = candidate.insert
        self.value = candidate.insert
        self.cursor_position = len(self.value)
        self.close_menu()
        return True

    def close_menu(self) -> None:
        """Hide the pop-up."""
        if self._menu is not None:
            self._menu.close()

    def _on_input_changed(self, event: Input.Changed) -> None:
        """Typing opens or re-filters the list (a value set by the program or by choosing does not)."""
        if not self.has_focus or not self.value.strip() or self.value == self._chosen:
            self.close_menu()
            return
        menu = self.menu
        if not menu.is_open:
            menu.open(self._title, self._candidates(), self.value)
        else:
            menu.filter(self.value)
        self._place_menu()

    def _place_menu(self) -> None:
        region = self.region
        screen = self.screen.size
        width = min(MENU_WIDTH, screen.width)
        height = min(MENU_HEIGHT, screen.height)
        y = region.y + 1 if region.y + 1 + height <= screen.height else max(0, region.y - height)
        self.menu.styles.width = width
        self.menu.styles.offset = (max(0, min(region.x, screen.width - width)), y)

    def _on_blur(self, event: events.Blur) -> None:
        self.close_menu()

    async def _on_key(self, event: events.Key) -> None:
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
