"""The rename dialog: a new name, and a preview of every file the rename changes before it is applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from workbench.editing.rename import RenameError, RenamePlan
from workbench.tui.keys import key_for
from workbench.tui.widgets.fields import Input
from workbench.visible import literal


class RenameScreen(ModalScreen[RenamePlan | None]):
    """Ask for a new name; the preview lists the files and changes of the rename as it is typed. Dismisses
    with the plan to apply (``None`` on Escape)."""

    DEFAULT_CSS = """
    RenameScreen { align: center middle; }
    RenameScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    RenameScreen .title { text-style: bold; margin-bottom: 1; }
    RenameScreen #rename-preview { height: auto; max-height: 20; margin-top: 1; }
    RenameScreen #rename-error { color: $text-error; height: auto; }
    RenameScreen .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    RenameScreen .buttons > Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, old: str, plan: Callable[[str], RenamePlan]) -> None:
        """``plan`` works out the rename to a new name (raising :class:`RenameError` when it cannot be done)."""
        super().__init__()
        self.title_text = title
        self.old = old
        self.plan = plan
        self.current: RenamePlan | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.title_text), classes="title")
            yield Input(self.old, id="rename-name")
            yield Static("", id="rename-error", markup=False)
            with VerticalScroll(id="rename-preview"):
                yield Static("", id="rename-changes", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Rename", id="rename-apply", variant="primary", disabled=True)
                yield Button("Cancel", id="rename-cancel")

    def on_mount(self) -> None:
        self.query_one("#rename-name", Input).focus()

    @on(Input.Changed, "#rename-name")
    def _preview(self, event: Input.Changed) -> None:
        error, changes = self.query_one("#rename-error", Static), self.query_one("#rename-changes", Static)
        self.current = None
        if event.value.strip() and event.value.strip() != self.old:
            try:
                self.current = self.plan(event.value)
            except RenameError as problem:
                error.update(literal(f"✗ {problem}"))
        if self.current is None:
            changes.update("")
        else:
            error.update("")
            changes.update(literal(preview_text(self.current, key_for(self.app, "editor.undo"))))
        self.query_one("#rename-apply", Button).disabled = self.current is None

    @on(Input.Submitted, "#rename-name")
    def _submitted(self) -> None:
        if self.current is not None:
            self.dismiss(self.current)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.current if event.button.id == "rename-apply" else None)


def preview_text(plan: RenamePlan, undo_key: str) -> str:
    """The files a rename changes, each with its changes (what the dialog shows); ``undo_key`` undoes it."""
    lines: list[str] = []
    for edit in plan.edits:
        lines.append(f"{edit.kind} {edit.name}")
        lines.extend(f"  {change}" for change in edit.changes)
    lines.extend(f"note: {note}" for note in plan.notes)
    count = len(plan.edits)
    lines.append(f"{count} file{'s' if count != 1 else ''} change; {undo_key} undoes the rename as one edit.")
    return "\n".join(lines)
