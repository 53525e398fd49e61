"""The attributes a response yields (path, type, sample value), as a table."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable

from workbench.attributes import SEPARATOR, Attribute
from workbench.editing.completion import preview

MAX_ROWS = 500
"""Rows drawn at most; a response with more attributes says how many were left out."""


class AttributeTable(DataTable[str]):
    """Flattened response attributes; arrays are one attribute at their root."""

    DEFAULT_CSS = """
    AttributeTable { height: 1fr; border: round $foreground 25%; border-subtitle-color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns("Attribute", "Type", "Sample")
        self.border_title = "Attributes"

    def show(self, attributes: Sequence[Attribute], note: str = "") -> None:
        """Replace the rows with ``attributes`` (the first :data:`MAX_ROWS` of them); ``note`` says whence."""
        self.clear()
        if attributes:
            self.border_title = f"Attributes ({attributes[0].source} > …)"
        for attribute in attributes[:MAX_ROWS]:
            inside = attribute.path.partition(SEPARATOR)[2] or attribute.path
            self.add_row(inside, attribute.type, preview(attribute.sample, 30), key=attribute.path)
        hidden = len(attributes) - MAX_ROWS
        if hidden > 0:
            self.add_row(f"… {hidden:,} more attributes (a transform could trim the response)", "", "")
        count = f"{len(attributes):,} attribute{'s' if len(attributes) != 1 else ''}"
        self.border_subtitle = f"{count}, {note}" if note else count
