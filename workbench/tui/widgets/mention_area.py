"""The instruction text editor: mentions highlighted, and ``@`` opening the Call / Read menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual import events
from textual.widgets.text_area import Location

from workbench.editing.completion import MENU_CANDIDATES, Candidate, MentionIndexes
from workbench.tui.widgets.completing_area import CompletingTextArea, Completion
from workbench.tui.widgets.highlighting import mention_spans

Level = Literal["root", "call", "read"]
_GLUED = set("@.") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_TITLES: dict[Level, str] = {"root": "Insert", "call": "Call data connector", "read": "Read an attribute"}


class MentionArea(CompletingTextArea):
    """Instruction text with ``@call(...)`` / ``@read(...)`` mentions.

    Typing ``@`` (not glued to a word, as in an e-mail address) opens the menu: *Call data connector* or
    *Read an attribute*, or type straight away to search both. ``indexes`` supplies the step's candidates.
    """

    tokenizer = staticmethod(mention_spans)

    def __init__(
        self, text: str = "", *, indexes: Callable[[], MentionIndexes] | None = None, **kwargs: object
    ) -> None:
        super().__init__(text, **kwargs)
        self.indexes = indexes
        self._anchor: Location | None = None
        self._level: Level = "root"
        self._lists: MentionIndexes | None = None

    async def _on_key(self, event: events.Key) -> None:
        if event.character != "@" or self.menu_open or self.read_only or self.indexes is None:
            return
        start, end = self.selection
        first = min(start, end)
        before = self.document.get_line(first[0])[: first[1]]
        event.stop()
        event.prevent_default()
        self.replace("@", start, end)
        if before and before[-1] in _GLUED:
            return
        self._anchor = first
        self._level = "root"
        self._lists = self.indexes()
        self.refresh_completion()

    def completion(self) -> Completion | None:
        anchor, lists = self._anchor, self._lists
        if anchor is None or lists is None:
            return None
        row, column = self.cursor_location
        line = self.document.get_line(row) if row < self.document.line_count else ""
        if row != anchor[0] or column <= anchor[1] or line[anchor[1] : anchor[1] + 1] != "@":
            return None
        query = line[anchor[1] + 1 : column]
        if "(" in query or ")" in query:
            return None
        if self._level == "call":
            return Completion(anchor, query, _TITLES["call"], lists.calls)
        if self._level == "read":
            return Completion(anchor, query, _TITLES["read"], lists.reads)
        if not query:
            return Completion(anchor, query, _TITLES["root"], MENU_CANDIDATES)
        return Completion(anchor, query, "Call or read", lists.every)

    def choose(self, candidate: Candidate) -> bool:
        if candidate.kind == "menu":
            self._level = "call" if candidate.label.startswith("Call") else "read"
            self.refresh_completion()
            return False
        self._anchor = None
        return super().choose(candidate)

    def close_menu(self) -> None:
        self._anchor = None
        self._lists = None
        super().close_menu()
