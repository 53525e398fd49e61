"""A data table whose rows follow a column widened for an edited cell, and whose text cells are never markup."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

from workbench.visible import literal


class FittingTable(DataTable[Any]):
    """A :class:`DataTable` for forms that edit its cells in place (``update_cell(..., update_width=True)``).

    Textual widens the column when the table is next idle, but keeps any row drawn in between cached at the old
    width (its cache key does not change), so on a busy machine an edited value could stay cut off for good.
    Here the rows are drawn again once a column has changed width.

    A text cell (or row label) is drawn as it is: Textual reads a plain ``str`` cell as markup, and a name or
    value holding ``[/]`` broke the drawing of the whole table. Every cell goes in through :meth:`add_row` or
    :meth:`update_cell` (``add_rows``, ``update_cell_at`` call them), which make it :func:`literal`.
    """

    def add_row(
        self, *cells: Any, height: int | None = 1, key: str | None = None, label: str | Text | None = None
    ) -> RowKey:
        return super().add_row(*[_literal(cell) for cell in cells], height=height, key=key, label=_label(label))

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: Any, *, update_width: bool = False
    ) -> None:
        super().update_cell(row_key, column_key, _literal(value), update_width=update_width)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        before = [column.content_width for column in self.columns.values()]
        super()._update_column_widths(updated_cells)
        if [column.content_width for column in self.columns.values()] != before:
            self._clear_caches()
            self.refresh()


def _label(label: str | Text | None) -> Text | None:
    """A row label as drawn: text as it is (never markup)."""
    return literal(label) if isinstance(label, str) else label


def _literal(cell: Any) -> RenderableType:
    """A cell as drawn: text as it is (never markup), anything else (already drawn) unchanged."""
    return literal(cell) if isinstance(cell, str) else cell
