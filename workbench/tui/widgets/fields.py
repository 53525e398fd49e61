"""The app's editable fields: Textual's ``Input`` and ``TextArea`` drawing control characters as visible pictures.

A field edits the very text of a file (a name, a description, a body), so its value is never changed; only what
is drawn is: each control character becomes one picture character (ESC as ``␛``), so cursor and selection
columns stay where they are and nothing a file holds reaches the terminal raw.
"""

from __future__ import annotations

from rich.text import Text
from textual import widgets

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_PICTURES |= {code: "\ufffd" for code in (*range(0x80, 0xA0), *range(0xD800, 0xE000))}


def pictured(text: str) -> str:
    """``text`` with each control character (C0, DEL, C1) or lone surrogate drawn as one visible character."""
    return text.translate(_PICTURES)


class Input(widgets.Input):
    """An ``Input`` that draws control characters in its value and placeholder as pictures."""

    def validate_placeholder(self, placeholder: str) -> str:
        return pictured(placeholder)

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(pictured(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text


class TextArea(widgets.TextArea):
    """A ``TextArea`` that draws control characters in its lines as pictures."""

    def get_line(self, line_index: int) -> Text:
        return Text(pictured(self.document.get_line(line_index)), end="", no_wrap=True)
