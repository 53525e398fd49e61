"""A one-line input with the ``@`` menu's completion pop-up: typing filters a ranked list of candidates (words in
any order, fuzzy), ↑↓ move, Enter or Tab put the chosen one's text in the field, Escape closes the list."""

from __future__ import annotations

from collections.abc import Callable

from workbench.editing.completion import Candidate, CandidateIndex
from workbench.tui.widgets.completion_menu import MENU_WIDTH
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.menu_owner import MenuOwner


class CompletingInput(MenuOwner, Input):
    """An :class:`Input` that offers completions from ``candidates()`` while the author types in it."""

    def __init__(self, candidates: Callable[[], CandidateIndex], title: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._candidates = candidates
        self._title = title
        self._chosen = ""

    def choose(self, candidate: Candidate) -> bool:
        """Put a candidate's text in the field and close the list."""
        self._chosen = candidate.insert
        self.value = candidate.insert
        self.cursor_position = len(self.value)
        self.close_menu()
        return True

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
        self.place_menu(self.region.x, self.region.y, MENU_WIDTH)
