"""A screen's key action or message handler implemented by one of its controls, with no forwarding method."""

from __future__ import annotations

from typing import Any


class HandledBy:
    """``on_step_reached = HandledBy("debug_control")`` in a screen's (or the app's) class body: Textual finds the handler on the
    screen (keys bound there, messages bubbling through it) and calls ``screen.debug_control.on_step_reached``."""

    def __init__(self, control: str, method: str = "") -> None:
        """``method``: the control's method, when it is not called as the handler is."""
        self.control = control
        self.name = method

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = self.name or name

    def __get__(self, node: object, owner: type[Any] | None = None) -> Any:
        if node is None:
            return self
        return getattr(getattr(node, self.control), self.name)
