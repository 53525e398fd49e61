"""The title bar: Textual's header, whose title is redrawn in place when it changes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClock, HeaderClockSpace, HeaderIcon, HeaderTitle


class _Title(HeaderTitle):
    """The title, one line of the bar's width whatever it says (a longer one ends in an ellipsis): a new title
    repaints it; nothing on the screen moves, so nothing is laid out again (the title names the item in front,
    and follows its name as it is typed)."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        super().update(content, layout=layout)


class TitleBar(Header):
    """Textual's ``Header`` (icon, title and sub-title, clock space), its title redrawn without a layout."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield _Title()
        yield HeaderClock().data_bind(Header.time_format) if self._show_clock else HeaderClockSpace()
