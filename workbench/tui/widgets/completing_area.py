"""A highlighted text area with an owned completion pop-up (no third-party autocomplete).

Subclasses decide, from the text and cursor, what to offer (:meth:`CompletingTextArea.completion`); the
base shows the menu under the cursor, re-filters it synchronously on every edit (cheap, see
:mod:`workbench.editing.completion`), forwards the navigation keys to it and inserts the chosen candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets.text_area import Edit, EditResult, Location

from workbench.editing.completion import Candidate, CandidateIndex
from workbench.tui.widgets.highlighting import HighlightedTextArea
from workbench.tui.widgets.menu_owner import MenuOwner


@dataclass(frozen=True)
class Completion:
    """What to offer now: the typed text from ``anchor`` to the cursor is the query and gets replaced."""

    anchor: Location
    query: str
    title: str
    index: CandidateIndex


class CompletingTextArea(MenuOwner, HighlightedTextArea):
    """A text area that offers completions in a pop-up while typing."""

    class Inserted(Message):
        """A candidate was inserted into the text."""

        def __init__(self, area: CompletingTextArea, candidate: Candidate) -> None:
            super().__init__()
            self.area = area
            self.candidate = candidate

        @property
        def control(self) -> CompletingTextArea:
            return self.area

    class OpenTransform(Message):
        """The author asked to open a connector's transform (from the hint under one of its arrays)."""

        def __init__(self, connector: str) -> None:
            super().__init__()
            self.connector = connector

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "open_transform", "Open the transform", show=False, id="completion.open_transform")
    ]

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, **kwargs)
        self._current: Completion | None = None

    def completion(self) -> Completion | None:
        """What to offer at the cursor now (``None``: nothing, close the menu)."""
        return None

    def choose(self, candidate: Candidate) -> bool:
        """Handle a chosen candidate; return true when it was inserted (false keeps the menu open)."""
        if self._current is None:
            return False
        self.replace(candidate.insert, self._current.anchor, self.cursor_location)
        self.post_message(self.Inserted(self, candidate))
        return True

    def action_open_transform(self) -> None:
        """Under a connector's array in the open menu, open that connector's transform; else go to the line's end
        (the text area's own meaning of the key)."""
        chosen = self.menu.selected() if self.menu_open else None
        if chosen is None or not chosen.transform_of:
            self.action_cursor_line_end()
            return
        self.close_menu()
        self.post_message(self.OpenTransform(chosen.transform_of))

    def close_menu(self) -> None:
        """Hide the pop-up (and forget what it offered)."""
        self._current = None
        super().close_menu()

    def refresh_completion(self) -> None:
        """Re-ask :meth:`completion` and update the pop-up to match."""
        wanted = self.completion()
        if wanted is None:
            self.close_menu()
            return
        menu = self.menu
        previous = self._current
        self._current = wanted
        if previous is None or previous.index is not wanted.index or previous.title != wanted.title or not menu.is_open:
            menu.open(wanted.title, wanted.index, wanted.query)
        else:
            menu.filter(wanted.query)
        self._place_menu(wanted)

    def _place_menu(self, wanted: Completion) -> None:
        """Under the cursor, from the column where the query starts."""
        cursor = self.cursor_screen_offset
        row, column = self.cursor_location
        x = cursor.x - (column - wanted.anchor[1] if wanted.anchor[0] == row else 0) - 1
        self.place_menu(x, cursor.y, max(46, wanted.index.widest + 36))

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if self.menu_open or self.wants_completion_after_edit():
            self.refresh_completion()
        return result

    def wants_completion_after_edit(self) -> bool:
        """Whether an edit may open the menu by itself (code keys do; ``@`` is opened explicitly)."""
        return False

    def _on_text_area_selection_changed(self, event: HighlightedTextArea.SelectionChanged) -> None:
        if self.menu_open:
            self.refresh_completion()
