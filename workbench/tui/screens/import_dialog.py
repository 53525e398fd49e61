"""The Import dialog: paste a source or name a file, preview the connectors it creates (and the secrets they send,
the environments they add, the names skipped because they exist), then create them: Create is the user's yes."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static

from workbench.importing import FORMATS, ConversionError, InputMark, Plan, import_from, plan_import
from workbench.store import Workspace
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input, Select, TextArea
from workbench.visible import literal

_PLACEHOLDERS = {
    "curl": "curl -H 'Authorization: Bearer …' https://api.example.com/orders/12345",
    "openapi": "openapi: 3.1.0 … (or give the file's path below)",
    "postman": '{"info": {…}, "item": […]} (or give the file\'s path below)',
    "har": '{"log": {"entries": […]}} (or give the file\'s path below)',
    "intercom": '{"data_connectors": […]} (or give the file\'s path below)',
}


class _Fields(NamedTuple):
    """The dialog's fields a preview is worked out from."""

    format: str
    text: str
    path: str
    marks: tuple[str, ...]
    name: str
    replace: bool


class ImportScreen(ModalScreen[Plan | None]):
    """Dismisses with the plan to write (``None`` on Cancel); the preview is worked out off the UI loop."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ImportScreen .title { text-style: bold; margin-bottom: 1; }
    ImportScreen .field { height: 1; margin-bottom: 1; }
    ImportScreen .field > Label { width: 10; }
    ImportScreen .field > Input, ImportScreen .field > Select { width: 1fr; }
    ImportScreen #import-text { height: 6; margin-bottom: 1; }
    ImportScreen #import-preview { height: auto; max-height: 12; overflow-y: auto; margin-top: 1; }
    ImportScreen #import-preview.error { color: $text-error; }
    ImportScreen .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ImportScreen .buttons > Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, workspace: Workspace, format_: str = "curl", text: str = "") -> None:
        """``workspace``: the models as the app has them (names taken, files to place beside)."""
        super().__init__()
        self.workspace = workspace
        self.format = format_
        self.text = text
        self.plan: Plan | None = None
        self.previewed: _Fields | None = None  # the fields the preview shown was worked out from

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import connectors", classes="title")
            with Horizontal(classes="field"):
                yield Label("From")
                yield Select(
                    [(literal(f"{name}: {text}"), name) for name, text in FORMATS.items()],
                    value=self.format,
                    allow_blank=False,
                    id="import-format",
                    compact=True,
                )
            yield TextArea(self.text, id="import-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="field"):
                yield Label("or file")
                yield Input(id="import-path", compact=True, placeholder="path to a local file")
            with Horizontal(classes="field", id="import-name-field"):
                yield Label("Name")
                yield Input(
                    id="import-name", compact=True, placeholder="the connector's name (default: method and path)"
                )
            with Horizontal(classes="field", id="import-inputs-field"):
                yield Label("Inputs")
                yield Input(id="import-inputs", compact=True, placeholder="values to make inputs: order_id=12345 …")
            yield Checkbox("Replace connectors of the same name", id="import-replace", compact=True)
            yield Static("Preview shows what will be created.", id="import-preview", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Preview", id="preview")
                yield Button("Create", id="create", variant="primary", disabled=True)
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._format_changed(self.format)
        give_focus(self.query_one("#import-text", TextArea))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._format_changed(str(event.value))
        self._stale()

    def _format_changed(self, format_: str) -> None:
        self.format = format_
        self.query_one("#import-text", TextArea).placeholder = _PLACEHOLDERS.get(format_, "")
        self.query_one("#import-inputs-field").display = format_ == "curl"
        self.query_one("#import-name-field").display = format_ == "curl"

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._stale()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._stale()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._stale()

    def _stale(self) -> None:
        """A field changed: the plan shown is dropped unless it was worked out from the fields as they are now (a
        Changed message can arrive after a preview of the new value was asked for)."""
        if self.previewed != self.fields():
            self.plan = None
            self.query_one("#create", Button).disabled = True

    def fields(self) -> _Fields:
        """What the preview is worked out from, as the fields are now."""
        format_ = str(self.query_one("#import-format", Select).value)
        curl = format_ == "curl"
        return _Fields(
            format_,
            self.query_one("#import-text", TextArea).text,
            self.query_one("#import-path", Input).value.strip(),
            tuple(self.query_one("#import-inputs", Input).value.split()) if curl else (),
            self.query_one("#import-name", Input).value.strip() if curl else "",
            self.query_one("#import-replace", Checkbox).value,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "preview":
            self.action_preview()
        elif event.button.id == "create" and self.plan is not None and not self.plan.empty:
            self.dismiss(self.plan)
        elif event.button.id == "cancel":
            self.dismiss(None)

    def action_preview(self) -> None:
        """Work out what the source creates (in a thread: specs can be large)."""
        show_text(self.query_one("#import-preview", Static), "Reading…")
        self._preview(self.fields())

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def _preview(self, fields: _Fields) -> None:
        from pathlib import Path

        try:
            imported = import_from(
                fields.format,
                text="" if fields.path else fields.text,
                path=Path(fields.path).expanduser() if fields.path else None,
                name=fields.name or None,
                marks=[InputMark.parse(mark) for mark in fields.marks],
            )
            plan: Plan | str = plan_import(self.workspace, imported, replace=fields.replace)
        except ConversionError as error:
            plan = str(error)
        self.app.call_from_thread(self._show, plan, fields)

    def _show(self, plan: Plan | str, fields: _Fields) -> None:
        if fields != self.fields():  # the fields changed since: this preview is of older ones
            show_text(self.query_one("#import-preview", Static), "The fields changed: Preview shows what they create.")
            return
        self.previewed = fields
        preview = self.query_one("#import-preview", Static)
        preview.set_class(isinstance(plan, str), "error")
        if isinstance(plan, str):
            show_text(preview, literal(plan))
            return
        self.plan = plan
        show_text(preview, literal("\n".join(plan.lines(self.workspace.root))))
        create = self.query_one("#create", Button)
        create.disabled = plan.empty
        skipped = f", skip {len(plan.clashes)}" if plan.clashes else ""
        secrets = f" sending {len(plan.secrets)} secret{'s' if len(plan.secrets) != 1 else ''}" if plan.secrets else ""
        create.label = literal(
            f"Create {len(plan.files)} connector{'s' if len(plan.files) != 1 else ''}{secrets}{skipped}"
        )
