"""A connector's inputs as a table, with a form editing the selected one."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Label

from workbench.editing.completion import CandidateIndex
from workbench.model import ConnectorInput
from workbench.tui.focus import give_focus
from workbench.tui.widgets.completing_input import CompletingInput
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.visible import literal

INPUT_TYPES = ("string", "number", "integer", "boolean")
_COLUMNS = ("Name", "Type", "Required", "Source", "Default", "Description")


def _cells(item: ConnectorInput) -> tuple[str, ...]:
    """An input's row in the table, in :data:`_COLUMNS` order."""
    default = "" if item.default is None else json.dumps(item.default)
    return item.name, item.type, "yes" if item.required else "", item.source or "", default, item.description


def parse_default(text: str) -> Any:
    """A default typed in the form: JSON when it parses (``3``, ``true``), else the text; empty is none."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class InputsEditor(Vertical):
    """Add, remove and edit a connector's inputs; reports the new list with :class:`InputsEditor.Changed`."""

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

    class Changed(Message):
        """The inputs were edited: ``typing`` names the input whose form was typed in (edits with the same
        name undo together), ``None`` for an input added or removed (an operation of its own)."""

        def __init__(self, inputs: list[ConnectorInput], typing: Hashable | None = None) -> None:
            super().__init__()
            self.inputs = inputs
            self.typing = typing

    def __init__(
        self, inputs: list[ConnectorInput], sources: Callable[[], CandidateIndex], *, id: str | None = None
    ) -> None:
        """``sources`` gives the attributes the Source field completes from."""
        super().__init__(id=id)
        self.inputs = list(inputs)
        self._sources = sources
        self._row = 0

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
        table = self.query_one(DataTable)
        for column in _COLUMNS:
            table.add_column(column, key=column)
        self._refill_table()
        self._fill_form()

    def _refill_table(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for index, item in enumerate(self.inputs):
            table.add_row(*(literal(cell) for cell in _cells(item)), key=str(index))
        if self.inputs:
            table.move_cursor(row=min(self._row, len(self.inputs) - 1))

    def _update_row(self) -> None:
        """Show the edited input in its row, widening columns to fit (the other rows stay as they are)."""
        table = self.query_one(DataTable)
        for column, value in zip(_COLUMNS, _cells(self.inputs[self._row]), strict=True):
            table.update_cell(str(self._row), column, literal(value), update_width=True)

    def _fill_form(self) -> None:
        item = self.inputs[self._row] if 0 <= self._row < len(self.inputs) else None
        self.query_one("#input-name", Input).value = item.name if item else ""
        self.query_one("#input-type", Select).value = item.type if item else "string"
        self.query_one("#input-required", Checkbox).value = bool(item and item.required)
        self.query_one("#input-source", Input).value = (item.source or "") if item else ""
        default = "" if item is None or item.default is None else json.dumps(item.default)
        self.query_one("#input-default", Input).value = default
        self.query_one("#input-description", Input).value = item.description if item else ""
        for widget in self.query(".form-row > Input, .form-row > Select, .form-row > Checkbox"):
            widget.disabled = item is None

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
        if not 0 <= self._row < len(self.inputs):
            return
        old = self.inputs[self._row]
        data = old.model_dump(exclude_unset=True)
        data["name"] = self.query_one("#input-name", Input).value.strip()
        form = {
            "type": self.query_one("#input-type", Select).value,
            "required": self.query_one("#input-required", Checkbox).value,
            "description": self.query_one("#input-description", Input).value,
            "source": self.query_one("#input-source", Input).value.strip() or None,
            "default": parse_default(self.query_one("#input-default", Input).value),
        }
        for key, value in form.items():
            # Keys left at their default stay out of the file unless it already had them.
            if value == ConnectorInput.model_fields[key].default and key not in old.model_fields_set:
                data.pop(key, None)
            else:
                data[key] = value
        status = self.query_one("#input-status", ErrorLine)
        try:
            item = ConnectorInput.model_validate(data)
        except ValidationError as error:
            status.show_invalid(error)
            return
        if item.name != old.name and any(other.name == item.name for other in self.inputs):
            status.update(literal(f"✗ an input called {item.name!r} already exists"))
            return
        status.update("")
        if item == old:
            return
        self.inputs = [item if index == self._row else other for index, other in enumerate(self.inputs)]
        self._update_row()
        self.post_message(self.Changed(self.inputs, ("input", self._row)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add-input":
            self.action_add()
        elif event.button.id == "remove-input":
            self.action_remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``a`` adds only from the table (in a field it is typed, on a button or a checkbox it does nothing)."""
        return self.query_one(DataTable).has_focus if action == "add" else True

    def action_add(self) -> None:
        """Add an input with a free name and select it."""
        names = {item.name for item in self.inputs}
        counter = 1
        while f"input_{counter}" in names:
            counter += 1
        self.inputs = [*self.inputs, ConnectorInput(name=f"input_{counter}", type="string")]
        self._row = len(self.inputs) - 1
        self._refill_table()
        self._fill_form()
        give_focus(self.query_one("#input-name", Input))
        self.post_message(self.Changed(self.inputs))

    def action_remove(self) -> None:
        """Remove the selected input."""
        if not 0 <= self._row < len(self.inputs):
            return
        self.inputs = [item for index, item in enumerate(self.inputs) if index != self._row]
        self._row = max(0, min(self._row, len(self.inputs) - 1))
        self._refill_table()
        self._fill_form()
        self.post_message(self.Changed(self.inputs))
