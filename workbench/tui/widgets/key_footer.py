"""The footer of key hints, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, recomposed only when what it shows changes.

    Textual's footer recomposes on every update of the screen's bindings, which is every focus move: new key
    widgets, styled, then a layout and a redraw of the whole screen. Most moves keep the same keys (Tab from one
    field of an editor to the next), so this footer compares the keys it would show with those it shows."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Hashable, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose (as Textual's footer does) unless the keys to show are the ones shown."""
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = keys_to_show(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)


def keys_to_show(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What the footer draws from ``screen``'s active bindings: each shown key, its label, action, state and tip."""
    return tuple(
        (binding.key, binding.key_display, binding.description, binding.action, enabled, tooltip, binding.group)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )
