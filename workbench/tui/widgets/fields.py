"""The app's editable fields: Textual's ``Input`` and ``TextArea`` drawing control characters as visible pictures.

A field edits the very text of a file (a name, a description, a body), so its value is never changed; only what
is drawn is: each control character becomes one picture character (ESC as ``␛``), so cursor and selection
columns stay where they are and nothing a file holds reaches the terminal raw.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import events, widgets
from textual.geometry import Offset, Size
from textual.reactive import Reactive

from workbench.tui.drawn import drawn
from workbench.visible import literal

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_PICTURES |= {code: "\ufffd" for code in (*range(0x80, 0xA0), *range(0xD800, 0xE000))}


def pictured(text: str) -> str:
    """``text`` with each control character (C0, DEL, C1) or lone surrogate drawn as one visible character."""
    return text.translate(_PICTURES)


class Input(widgets.Input):
    """An ``Input`` that draws control characters in its value and placeholder as pictures, and selects nothing
    when it takes the focus (unless asked): a key pressed right after the focus moved (End after Shift+Tab) is
    never undone by a late select-all, and typing into a filled field never silently replaces its value (Ctrl+A
    selects all). A field that takes only some characters (``restrict``, ``type``) refuses the others visibly:
    the bell, and ``refusal`` (what it takes) in a notice, so a key that typed nothing is never silently lost.

    A compact field is made compact as if made with that class, styled when mounted (Textual set it through the
    reactive, which styled the field, not even mounted, against the whole stylesheet once more: half a millisecond
    per field).

    Its text's width (the virtual size, set on every key) is only scrolled through: it moves nothing else on the
    screen, so it asks for a repaint, not for the whole screen laid out again (Textual's default: a layout of every
    pane per key typed; a field whose own width is ``auto`` still asks for one)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(
        self, *args: Any, select_on_focus: bool = False, refusal: str = "", compact: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)
        self.refusal = refusal
        if compact:  # styled when mounted, as every class it is made with (Textual's own restyled it on the spot)
            self.set_reactive(widgets.Input.compact, True)
            self.add_class("-textual-compact", update=False)

    def show_value(self, text: str) -> None:
        """Show ``text`` as the value (the model's after an undo), reporting no change: no ``Changed`` is posted, so
        no edit is recorded; the caret goes to the end, as in a field composed with it. Nothing when shown."""
        if text != self.value:
            with self.prevent(self.Changed):
                self.value = text
            self.cursor_position = len(text)

    def restricted(self) -> None:
        super().restricted()
        if self.refusal:
            self.notify(f"Not typed: {self.refusal}", severity="warning", timeout=3)

    def validate_placeholder(self, placeholder: str) -> str:
        return pictured(placeholder)

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(pictured(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text


class TextArea(widgets.TextArea):
    """A ``TextArea`` that draws control characters in its lines as pictures, and whose caret is never typed at out
    of sight: when it moves, the containers around scroll the area into view as Textual scrolls the text inside it.
    (Textual scrolls a widget into view once, when it takes the focus: a field a recompose has just made is not laid
    out yet then, and in a short form (80x24) it stayed below the last row while the author typed.)"""

    def get_line(self, line_index: int) -> Text:
        return Text(pictured(self.document.get_line(line_index)), end="", no_wrap=True)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        offset = super().scroll_cursor_visible(center, animate)
        if self.has_focus:
            self.call_after_refresh(self._reveal)
        return offset

    def _reveal(self) -> None:
        if self.has_focus and self.is_attached and not self.screen.can_view_entire(self):
            self.scroll_visible(animate=False)


class Select(widgets.Select[Any]):
    """Textual's ``Select``, minding a removal that overtakes its mounting: Textual mounts nothing into a widget
    being removed, so a Select removed while it mounts (with its editor, its file deleted) may lack its overlay or
    the label of its current value when its Mount runs, which then raised and closed the app. Editors are never
    removed mid-mount (:class:`~workbench.tui.widgets.editor_stack.EditorStack`, :mod:`.recomposing`); this
    covers any other way.

    Options set again as they are offered are not set (see :meth:`set_options`)."""

    def __init__(self, options: Iterable[tuple[RenderableType, Any]], **kwargs: Any) -> None:
        offered = list(options)
        super().__init__(offered, **kwargs)
        self._offered = [(drawn(prompt), value) for prompt, value in offered]

    def set_options(self, options: Iterable[tuple[RenderableType, Any]]) -> None:
        """Offer ``options`` (as Textual's, which then resets the value), unless they are the options offered: then
        nothing changes, the value stays. Textual rebuilds its list of options and resets the value even to the
        same options, each a layout of the whole screen (the run bar offers the workspace's procedures, scenarios
        and environments again each time a procedure comes to the front); every caller chooses the value after."""
        offered = list(options)
        as_drawn = [(drawn(prompt), value) for prompt, value in offered]
        if as_drawn == self._offered:
            return
        super().set_options([(literal(prompt), value) for prompt, value in offered])
        self._offered = as_drawn

    def show_value(self, value: Any) -> None:
        """Show ``value`` as chosen (the model's after an undo), reporting no change (no ``Changed``: no edit
        recorded). Nothing when shown."""
        if value != self.value:
            with self.prevent(self.Changed):
                self.value = value

    def _on_mount(self, event: events.Mount) -> None:
        if not (self.query("SelectOverlay") and self.query("SelectCurrent #label")):  # removed: nothing to set up
            event.prevent_default()
