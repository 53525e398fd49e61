"""A data table whose rows follow a column widened for an edited cell."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import CellKey


class FittingTable(DataTable[Any]):
    """A :class:`DataTable` for forms that edit its cells in place (``update_cell(..., update_width=True)``).

    Textual widens the column when the table is next idle, but keeps any row drawn in between cached at the old
    width (its cache key does not change), so on a busy machine an edited value could stay cut off for good.
    Here the rows are drawn again once a column has changed width.
    """

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        before = [column.content_width for column in self.columns.values()]
        super()._update_column_widths(updated_cells)
        if [column.content_width for column in self.columns.values()] != before:
            self._clear_caches()
            self.refresh()
