"""An edited cell is drawn whole once its column has widened, even when the row was drawn in between."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from tests.quick_pilot import quick_test
from workbench.tui.widgets.fitting_table import FittingTable

LONG = "Conversation > order_reference_number"


class TableApp(App[None]):
    def __init__(self, table: DataTable[str]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_column("Name", key="name")
        self.table.add_column("Source", key="source")
        self.table.add_row("email", "User > email", key="email")


async def test_a_row_drawn_before_its_column_widened_is_drawn_again() -> None:
    """Textual 8.2's own DataTable fails this: it keeps the row drawn at the old width."""
    app = TableApp(FittingTable())
    async with quick_test(app, size=(80, 10)) as pilot:
        await pilot.pause()
        app.table.update_cell("email", "source", LONG, update_width=True)
        app.table.render_line(1)  # a frame drawn before the table was idle again
        await pilot.pause()  # idle: the column widens
        assert app.table.columns[ColumnKey("source")].content_width == len(LONG)
        assert LONG in app.table.render_line(1).text
