"""A line of error text that takes no room while it is empty."""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from workbench.tui.drawn import drawn
from workbench.visible import literal


class ErrorLine(Static):
    """Error (or warning) text under a field; hidden when there is none."""

    DEFAULT_CSS = """
    ErrorLine { height: auto; color: $text-error; }
    ErrorLine.-empty { display: none; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(text, markup=False, id=id, classes=classes)
        self._shown: VisualType = text
        self.set_class(not text, "-empty")

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if drawn(content) == drawn(self._shown):
            return  # nothing new: spare the screen a layout pass
        self._shown = content
        super().update(literal(content), layout=layout)
        self.set_class(not content, "-empty")

    def show_invalid(self, error: ValidationError) -> None:
        """Show the first problem of a validation error: ``✗ where: what``."""
        first = error.errors()[0]
        self.update(literal(f"✗ {'.'.join(map(str, first['loc']))}: {first['msg']}"))


def show_text(static: Static, content: str | Text, *, layout: bool = True) -> None:
    """Give ``static`` ``content`` (drawn as :func:`~workbench.visible.literal` draws it) if it shows something
    else: Textual lays the whole screen out again on each update of a ``Static``, even to the same text (what a
    line redrawn on every key, lint or run event would cost); ``layout=False``: its size never changes. The app's
    ``Static``s and ``Label``s are given text only through here (tests/tui/test_set_again.py)."""
    shown = literal(content)
    if drawn(static.content) != drawn(shown):
        static.update(shown, layout=layout)
