"""A table of ``group > name = value`` rows with a form editing the selected row (workspace attributes by
namespace, environment values by environment)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable, Label

from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.visible import literal

Row = tuple[str, str, str]
"""``(group, name, value as typed)``."""


class GroupedValues(Vertical):
    """Add, remove and edit rows; reports the whole list with :class:`GroupedValues.Changed`.

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

    class Changed(Message):
        """The rows were edited."""

        def __init__(self, values: GroupedValues) -> None:
            super().__init__()
            self.values = values

        @property
        def control(self) -> GroupedValues:
            return self.values

    class Refused(Message):
        """The selected row as typed cannot be one (no name, or a name its group already has): ``typed`` is
        every row with it as typed, ``problem`` says why (an editor keeps them as a draft, so nothing typed is
        lost)."""

        def __init__(self, values: GroupedValues, typed: list[Row], problem: str) -> None:
            super().__init__()
            self.values = values
            self.typed = typed
            self.problem = problem

        @property
        def control(self) -> GroupedValues:
            return self.values

    def __init__(
        self,
        rows: list[Row],
        *,
        labels: tuple[str, str, str],
        groups: list[str] | None = None,
        new_row: Row,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.rows = list(rows)
        self.labels = labels
        self.groups = groups
        self.new_row = new_row
        self._row = 0

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

    def _fill_form(self) -> None:
        row = self.rows[self._row] if 0 <= self._row < len(self.rows) else None
        group = self.query_one(".group")
        if isinstance(group, Select):
            if row is not None:
                group.value = row[0]
        else:
            group.value = row[0] if row else ""  # type: ignore[attr-defined]
        self.query_one(".name", Input).value = row[1] if row else ""
        self.query_one(".value", Input).value = row[2] if row else ""
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

    def _apply(self) -> None:
        if not 0 <= self._row < len(self.rows):
            return
        group_widget = self.query_one(".group")
        group = str(group_widget.value).strip()  # type: ignore[attr-defined]
        row = (group, self.query_one(".name", Input).value.strip(), self.query_one(".value", Input).value)
        status = self.query_one(".status", ErrorLine)
        problem = None
        if not row[0] or not row[1]:
            problem = f"give the {self.labels[0].lower()} and the {self.labels[1].lower()}"
        elif any(other[:2] == row[:2] for index, other in enumerate(self.rows) if index != self._row):
            problem = f"{row[0]} already has {row[1]!r}"
        if problem is not None:
            status.update(literal(f"✗ {problem}"))
            typed = [row if index == self._row else other for index, other in enumerate(self.rows)]
            self.post_message(self.Refused(self, typed, problem))
            return
        status.update("")
        if row == self.rows[self._row]:
            return
        self.rows[self._row] = row
        table = self.query_one(DataTable)
        for column, value in enumerate(row):
            table.update_cell_at(Coordinate(self._row, column), value, update_width=True)
        self.post_message(self.Changed(self))

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
        self.post_message(self.Changed(self))

    def remove_row(self) -> None:
        """Remove the selected row."""
        if not 0 <= self._row < len(self.rows):
            return
        del self.rows[self._row]
        self._row = max(0, min(self._row, len(self.rows) - 1))
        self._refill()
        self._fill_form()
        self.post_message(self.Changed(self))
