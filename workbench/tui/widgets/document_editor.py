"""A whole file edited as JSON, validated against its model as you type (scenarios)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from workbench.editing.operations import Change, replace_fields
from workbench.lint import Finding
from workbench.store import MODELS, to_data
from workbench.tui.keys import KeyHints
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.json_field import JsonField
from workbench.visible import literal

_HINTS = {
    "scenario": "A scenario pins one run of a procedure: attributes, answers, decisions, mocks and what to expect.",
}


class DocumentEditor(EntryEditor):
    """The entry's file as JSON; every valid edit replaces the model."""

    HELP = KeyHints("The file as JSON, checked against its schema as you type ({json.format} formats it).")

    DEFAULT_CSS = """
    DocumentEditor .hint { color: $text-muted; height: auto; padding: 0 1; }
    DocumentEditor .findings { color: $text-warning; height: auto; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        model_class = MODELS[self.entry.kind]  # type: ignore[index]
        yield Static(literal(_HINTS.get(self.entry.kind, "")), classes="hint", markup=False)
        yield JsonField(
            to_data(self.entry.model),
            validate=model_class.model_validate,
            draft=self.draft_text("document"),
            id="document",
        )
        yield Static("", classes="findings", markup=False)

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        """Every valid edit is one operation making the model hold what the file now says (typing undoes at
        once); a file with keys its schema does not know replaces the model, and its undo history, instead."""
        event.stop()
        model: Any = event.value
        if to_data(model) == to_data(self.entry.model):
            return
        change = replace_fields(self.entry.model, model, label=f"Edited {self.entry.kind} {self.entry.name}")
        if change is None:
            renamed = getattr(model, "name", None) != self.entry.name
            self.entry.replace_model(model)
            self.edited(renamed=renamed)
            return
        refused = self.perform(change, self.json_merge("document"))
        if refused:
            self.notify(f"Not applied: {refused}", severity="error")

    async def redraw_after(self, change: Change) -> None:
        """Show the file again after an undo or a redo, the caret where it was."""
        field = self.query_one(JsonField)
        cursor = field.area.cursor_location
        field.set_data(to_data(self.entry.model), draft=self.draft_text("document"))
        field.area.cursor_location = cursor
        field.area.focus()

    def show_findings(self, findings: Iterable[Finding]) -> None:
        lines = [f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in findings]
        self.query_one(".findings", Static).update(literal("\n".join(lines)))

    async def jump_to(self, finding: Finding) -> None:
        self.query_one(JsonField).area.focus()
