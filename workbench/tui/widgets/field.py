"""The app's one-line text field."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class Field(Input):
    """A one-line text field that selects nothing when it takes the focus: a key pressed right after the focus
    moved (End after Shift+Tab) is never undone by a late select-all, and typing into a filled field never
    silently replaces its value. Ctrl+A selects all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
