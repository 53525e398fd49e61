"""A connector's inputs as a table, with a form editing the selected one."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, DataTable, Label

from workbench.editing.completion import CandidateIndex
from workbench.model import ConnectorInput
from workbench.store import to_data
from workbench.tui.focus import give_focus
from workbench.tui.widgets.completing_input import CompletingInput
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.tui.widgets.row_form import RowForm, RowProblem
from workbench.visible import literal

INPUT_TYPES = ("string", "number", "integer", "boolean")
_COLUMNS = ("Name", "Type", "Required", "Source", "Default", "Description")
_KEYS = ("name", "type", "required", "source", "default", "description")
"""The keys of an input, in :data:`_COLUMNS` order."""


def _cells(row: dict[str, Any]) -> tuple[str, ...]:
    """An input's row (as typed: see :meth:`InputsEditor.row_data`) in the table, in :data:`_COLUMNS` order."""
    default = "" if row.get("default") is None else json.dumps(row["default"], ensure_ascii=False)
    return (
        str(row.get("name", "")),
        str(row.get("type", "string")),
        "yes" if row.get("required") else "",
        str(row.get("source") or ""),
        default,
        str(row.get("description", "")),
    )


def parse_default(text: str) -> Any:
    """A default typed in the form: JSON when it parses (``3``, ``true``), else the text; empty is none."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class InputsEditor(RowForm):
    """Add, remove and edit a connector's inputs, kept as typed (each an input's data as the file holds it; one
    named as no input can be, or as another is, is refused: see :class:`~workbench.tui.widgets.row_form.RowForm`)."""

    DEFAULT_CSS = """
    InputsEditor { height: auto; }
    InputsEditor > DataTable { height: auto; max-height: 12; }
    InputsEditor .form-row { height: 1; }
    InputsEditor .form-row > Label { width: 12; }
    InputsEditor .form-row > Input { width: 1fr; }
    InputsEditor .form-row > Select { width: 16; }
    InputsEditor #input-buttons { height: 1; margin: 1 0; }
    InputsEditor #input-buttons > Button { margin-right: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "add", "Add input", id="inputs.add")]
    """``a`` on the table adds an input, as on the outline (Ctrl+N stays the app's New item everywhere)."""

    STATUS = "#input-status"

    def __init__(
        self,
        inputs: list[ConnectorInput],
        sources: Callable[[], CandidateIndex],
        *,
        draft: str | None = None,
        id: str | None = None,
    ) -> None:
        """``sources`` gives the attributes the Source field completes from."""
        super().__init__([to_data(item) for item in inputs], draft=draft, id=id)
        self._sources = sources

    @property
    def inputs(self) -> list[ConnectorInput]:
        """The inputs (while :meth:`problem` is ``None``: every row is one)."""
        return [ConnectorInput.model_validate(row) for row in self.rows]

    def rows_of(self, data: list[Any]) -> list[Any]:
        return [dict(row) for row in data]

    def problem(self) -> RowProblem | None:
        """An input as no input can be (a name that is no identifier), or named as an input before it."""
        names: set[str] = set()
        for index, row in enumerate(self.rows):
            try:
                item = ConnectorInput.model_validate(row)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(map(str, first["loc"]))
                column = _KEYS.index(where) + 1 if where in _KEYS else 1
                return RowProblem(index, column, f"{where}: {first['msg']}")
            if item.name in names:
                return RowProblem(index, 1, f"an input called {item.name!r} already exists")
            names.add(item.name)
        return None

    def compose(self) -> ComposeResult:
        yield FittingTable(cursor_type="row", zebra_stripes=True, id="inputs-table")
        with Horizontal(id="input-buttons"):
            yield Button("Add input", id="add-input", compact=True)
            yield Button("Remove input", id="remove-input", compact=True, variant="error")
        with Horizontal(classes="form-row"):
            yield Label("Name")
            yield Input(id="input-name", compact=True, placeholder="email")
            yield Label(" Type")
            yield Select([(kind, kind) for kind in INPUT_TYPES], allow_blank=False, id="input-type", compact=True)
            yield Checkbox("Required", id="input-required", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Source")
            yield CompletingInput(
                self._sources,
                "Source attribute",
                id="input-source",
                compact=True,
                placeholder="attribute that fills it, e.g. User > email (type to complete)",
            )
        with Horizontal(classes="form-row"):
            yield Label("Default")
            yield Input(id="input-default", compact=True, placeholder="used when nothing fills it")
        with Horizontal(classes="form-row"):
            yield Label("Description")
            yield Input(id="input-description", compact=True)
        yield ErrorLine(id="input-status")

    def on_mount(self) -> None:
        table = self.part("DataTable", DataTable)
        for column in _COLUMNS:
            table.add_column(column, key=column)
        self._refill_table()
        self._fill_form()

    def _refill_table(self) -> None:
        table = self.part("DataTable", DataTable)
        table.clear()
        for index, row in enumerate(self.rows):
            table.add_row(*(literal(cell) for cell in _cells(row)), key=str(index))
        if self.rows:
            table.move_cursor(row=min(self._row, len(self.rows) - 1))

    def _update_row(self) -> None:
        """Show the edited input in its row, widening columns to fit (the other rows stay as they are)."""
        table = self.part("DataTable", DataTable)
        for column, value in zip(_COLUMNS, _cells(self.rows[self._row]), strict=True):
            table.update_cell(str(self._row), column, literal(value), update_width=True)

    def _fill_form(self) -> None:
        row = self.rows[self._row] if 0 <= self._row < len(self.rows) else None
        name, kind, required, source, default, description = _cells(row or {})
        self.part("#input-name", Input).value = name
        self.part("#input-type", Select).value = kind if kind in INPUT_TYPES else "string"
        self.part("#input-required", Checkbox).value = bool(required)
        self.part("#input-source", Input).value = source
        self.part("#input-default", Input).value = default
        self.part("#input-description", Input).value = description
        for widget in self.query(".form-row > Input, .form-row > Select, .form-row > Checkbox"):
            widget.disabled = row is None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != event.data_table.cursor_row:
            return  # stale: the cursor moved on (a refill passes through row 0)
        if event.cursor_row != self._row:
            self._row = event.cursor_row
            self._fill_form()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_form()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._apply_form()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._apply_form()

    def _apply_form(self) -> None:
        if not 0 <= self._row < len(self.rows):
            return
        old = self.rows[self._row]
        data = dict(old)
        data["name"] = self.part("#input-name", Input).value.strip()
        form = {
            "type": self.part("#input-type", Select).value,
            "required": self.part("#input-required", Checkbox).value,
            "description": self.part("#input-description", Input).value,
            "source": self.part("#input-source", Input).value.strip() or None,
            "default": parse_default(self.part("#input-default", Input).value),
        }
        for key, value in form.items():
            # Keys left at their default stay out of the file unless it already had them.
            if value == ConnectorInput.model_fields[key].default and key not in old:
                data.pop(key, None)
            else:
                data[key] = value
        if data == old:
            return
        self.rows[self._row] = data
        self._update_row()
        self.typed_edit(("input", self._row))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add-input":
            self.action_add()
        elif event.button.id == "remove-input":
            self.action_remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``a`` adds only from the table (in a field it is typed, on a button or a checkbox it does nothing)."""
        return self.part("DataTable", DataTable).has_focus if action == "add" else True

    def action_add(self) -> None:
        """Add an input with a free name and select it."""
        names = {row.get("name") for row in self.rows}
        counter = 1
        while f"input_{counter}" in names:
            counter += 1
        self.rows.append({"name": f"input_{counter}", "type": "string"})
        self._row = len(self.rows) - 1
        self._refill_table()
        self._fill_form()
        give_focus(self.part("#input-name", Input))
        self.typed_edit(None)

    def action_remove(self) -> None:
        """Remove the selected input."""
        if not 0 <= self._row < len(self.rows):
            return
        del self.rows[self._row]
        self._row = max(0, min(self._row, len(self.rows) - 1))
        self._refill_table()
        self._fill_form()
        self.typed_edit(None)
