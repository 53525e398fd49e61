"""A one-column handle between two panes: drag it with the mouse to resize the pane beside it."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widget import Widget


class Splitter(Widget):
    """A vertical bar; dragging it reports :class:`Splitter.Dragged` with how many columns it moved.

    ``pane`` names the pane it resizes; ``sign`` is +1 when dragging right widens it, -1 when it narrows it.
    """

    DEFAULT_CSS = """
    Splitter { width: 1; height: 1fr; color: $foreground 20%; }
    Splitter:hover, Splitter.-dragging { color: $accent; }
    """

    class Dragged(Message):
        """The handle moved ``delta`` columns in the pane's favour."""

        def __init__(self, pane: str, delta: int) -> None:
            super().__init__()
            self.pane = pane
            self.delta = delta

    def __init__(self, pane: str, sign: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pane = pane
        self.sign = sign
        self._grabbed_at: int | None = None

    def render(self) -> str:
        return "\n".join("▕" for _ in range(self.size.height))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._grabbed_at = event.screen_x
        self.capture_mouse()
        self.add_class("-dragging")

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._grabbed_at is None or event.screen_x == self._grabbed_at:
            return
        self.post_message(self.Dragged(self.pane, (event.screen_x - self._grabbed_at) * self.sign))
        self._grabbed_at = event.screen_x

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._grabbed_at = None
        self.release_mouse()
        self.remove_class("-dragging")
