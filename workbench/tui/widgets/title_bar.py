"""The title bar: Textual's header, whose title is redrawn in place when it changes."""

from __future__ import annotations

from typing import Self

from textual.app import ComposeResult
from textual.geometry import Region
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


class _Title(HeaderTitle):
    """The title: one line of the bar's width whatever it says (a longer one ends in an ellipsis), so a new title
    is repainted and nothing on the screen moves. It never asks for a layout (Textual's ``Static.update`` does, a
    layout of every pane each time the title changes: it names the item in front, and follows its name as it is
    typed); the bar's own changes (taller, a new theme) lay it out with the rest."""

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        return super().refresh(*regions, repaint=repaint, layout=False, recompose=recompose)


class TitleBar(Header):
    """Textual's ``Header`` without a clock (icon, title and sub-title), its title redrawn without a layout."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield _Title()
        yield HeaderClockSpace()
