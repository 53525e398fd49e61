"""A table of ``group > name = value`` rows with a form editing the selected row (workspace attributes by
namespace, environment values by environment, a scenario's attributes and replies)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import Button, DataTable, Label

from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.tui.widgets.row_form import RowForm, RowProblem
from workbench.visible import literal

Row = tuple[str, str, str]
"""``(group, name, value as typed)``."""


class GroupedValues(RowForm):
    """Add, remove and edit rows, kept as typed (a row without a name, or with a name its group already has, is
    refused: see :class:`~workbench.tui.widgets.row_form.RowForm`).

    ``groups`` fixes the choice of group (a select); without it the group is typed (and new groups appear).
    """

    DEFAULT_CSS = """
    GroupedValues { height: auto; margin-bottom: 1; }
    GroupedValues > DataTable { height: auto; max-height: 10; }
    GroupedValues .form-row { height: 1; margin-top: 1; }
    GroupedValues .form-row > Label { width: 14; }
    GroupedValues .form-row > Input { width: 1fr; }
    GroupedValues .form-row > Select { width: 18; }
    GroupedValues .form-row > Button { width: auto; min-width: 0; margin-right: 1; }
    """

    def __init__(
        self,
        rows: list[Row],
        *,
        labels: tuple[str, str, str],
        groups: list[str] | None = None,
        new_row: Row,
        draft: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(rows, draft=draft, id=id)
        self.labels = labels
        self.groups = groups
        self.new_row = new_row

    def compose(self) -> ComposeResult:
        yield FittingTable(cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="form-row"):
            if self.groups is None:
                yield Label(literal(self.labels[0]))
                yield Input(classes="group", compact=True)
            else:
                yield Select(
                    [(literal(group), group) for group in self.groups], allow_blank=False, classes="group", compact=True
                )
            yield Label(literal(f" {self.labels[1]}"))
            yield Input(classes="name", compact=True)
        with Horizontal(classes="form-row"):
            yield Label(literal(self.labels[2]))
            yield Input(classes="value", compact=True, placeholder="text, or JSON: 3, true, {…}")
        with Horizontal(classes="form-row"):
            yield Button("Add", classes="add", compact=True)
            yield Button("Remove", classes="remove", compact=True, variant="error")
        yield ErrorLine(classes="status")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*(literal(label) for label in self.labels))
        self._refill()
        self._fill_form()

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*(literal(cell) for cell in row))
        if self.rows:
            table.move_cursor(row=min(self._row, len(self.rows) - 1))

    def show_rows(self, rows: list[Row], draft: str | None) -> None:
        """Show the item's ``rows`` (the table as typed when ``draft`` is its draft, see :meth:`rows_shown`) in place
        (after an undo): the table refilled, the form on the first row that changed, no edit reported."""
        shown = self.rows_shown(rows, draft)
        if shown == self.rows:
            return
        changed = next(
            (index for index, row in enumerate(self.rows) if index >= len(shown) or shown[index] != row), None
        )
        self.rows = shown
        self._row = max(0, min(len(shown) if changed is None else changed, len(shown) - 1))
        self._refill()
        self._fill_form()
        self.show_problem()

    def _fill_form(self) -> None:
        row = self.rows[self._row] if 0 <= self._row < len(self.rows) else None
        group = self.query_one(".group")
        if isinstance(group, Select):
            if row is not None:
                group.show_value(row[0])
        else:
            group.show_value(row[0] if row else "")  # type: ignore[attr-defined]
        self.query_one(".name", Input).show_value(row[1] if row else "")
        self.query_one(".value", Input).show_value(row[2] if row else "")
        for widget in self.query(".group, .name, .value, .remove"):
            widget.disabled = row is None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row == event.data_table.cursor_row and event.cursor_row != self._row:
            self._row = event.cursor_row
            self._fill_form()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._apply()

    def rows_of(self, data: list[Any]) -> list[Any]:
        return [(str(group), str(name), str(value)) for group, name, value in data]

    def row_data(self, row: Any) -> Any:
        return list(row)

    def problem(self) -> RowProblem | None:
        """A row without a group or a name, or with a name its group has in a row before."""
        for index, (group, name, _) in enumerate(self.rows):
            if not group or not name:
                what = f"give the {self.labels[0].lower()} and the {self.labels[1].lower()}"
                return RowProblem(index, 2 if group else 1, what)
            if any(other[:2] == (group, name) for other in self.rows[:index]):
                return RowProblem(index, 2, f"{group} already has {name!r}")
        return None

    def _apply(self) -> None:
        if not 0 <= self._row < len(self.rows):
            return
        group_widget = self.query_one(".group")
        group = str(group_widget.value).strip()  # type: ignore[attr-defined]
        row = (group, self.query_one(".name", Input).value.strip(), self.query_one(".value", Input).value)
        if row == self.rows[self._row]:
            return
        self.rows[self._row] = row
        table = self.query_one(DataTable)
        for column, value in enumerate(row):
            table.update_cell_at(Coordinate(self._row, column), literal(value), update_width=True)
        self.typed_edit(("row", self._row))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("add"):
            self.add_row()
        elif event.button.has_class("remove"):
            self.remove_row()

    def add_row(self) -> None:
        """Add a row with a free name (in the selected row's group) and select it."""
        group = self.rows[self._row][0] if 0 <= self._row < len(self.rows) else self.new_row[0]
        taken = {name for other, name, _ in self.rows if other == group}
        name, counter = self.new_row[1], 2
        while name in taken:
            name, counter = f"{self.new_row[1]}_{counter}", counter + 1
        self.rows.append((group, name, self.new_row[2]))
        self._row = len(self.rows) - 1
        self._refill()
        self._fill_form()
        give_focus(self.query_one(".name", Input))
        self.typed_edit(None)

    def remove_row(self) -> None:
        """Remove the selected row."""
        if not 0 <= self._row < len(self.rows):
            return
        del self.rows[self._row]
        self._row = max(0, min(self._row, len(self.rows) - 1))
        self._refill()
        self._fill_form()
        self.typed_edit(None)
