"""The attributes a response yields (path, type, sample value), as a table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from workbench.attributes import SEPARATOR, Attribute
from workbench.editing.completion import preview
from workbench.tui.widgets.completion_menu import fit_middle
from workbench.visible import literal

MAX_ROWS = 500
"""Rows drawn at most; a response with more attributes says how many were left out."""

TYPE_WIDTH = len("boolean")
"""The widest type name: the Type column is never cut."""


class AttributeTable(DataTable[Text]):
    """Flattened response attributes; arrays are one attribute at their root.

    The three columns always fit the table's width: the Type column is whole, the Sample column takes a
    third of the rest (8 to 30 cells) and paths are shortened in their middle.
    """

    DEFAULT_CSS = """
    AttributeTable { height: 1fr; border: round $foreground 25%; border-subtitle-color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._attributes: Sequence[Attribute] = ()
        self._widths = (0, 0, 0)

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.border_title = "Attributes"
        self._fit_columns()

    def on_resize(self, event: events.Resize) -> None:
        if self._column_widths() != self._widths:
            self._fit_columns()
            self._fill()

    def show(self, attributes: Sequence[Attribute], note: str = "") -> None:
        """Replace the rows with ``attributes`` (the first :data:`MAX_ROWS` of them); ``note`` says whence."""
        self._attributes = attributes
        if attributes:
            self.border_title = literal(f"Attributes ({attributes[0].source} > …)")
        self._fill()
        count = f"{len(attributes):,} attribute{'s' if len(attributes) != 1 else ''}"
        self.border_subtitle = literal(f"{count}, {note}" if note else count)

    def _column_widths(self) -> tuple[int, int, int]:
        """Widths of Attribute, Type and Sample that fill the table (room kept for the scrollbar)."""
        room = self.content_region.width - self.styles.scrollbar_size_vertical - 6 * self.cell_padding
        sample = max(8, min(30, room // 3))
        return max(8, room - TYPE_WIDTH - sample), TYPE_WIDTH, sample

    def _fit_columns(self) -> None:
        self._widths = self._column_widths()
        self.clear(columns=True)
        for label, width in zip(("Attribute", "Type", "Sample"), self._widths, strict=True):
            self.add_column(literal(label), width=width)

    def _fill(self) -> None:
        self.clear()
        path_width, _, sample_width = self._widths
        attributes = self._attributes
        for attribute in attributes[:MAX_ROWS]:
            inside = attribute.path.partition(SEPARATOR)[2] or attribute.path
            label, _ = fit_middle(inside, path_width)
            self.add_row(
                literal(label),
                literal(attribute.type),
                literal(preview(attribute.sample, sample_width)),
                key=attribute.path,
            )
        hidden = len(attributes) - MAX_ROWS
        if hidden > 0:
            self.add_row(literal(f"… {hidden:,} more attributes (a transform could trim the response)"), Text(), Text())
