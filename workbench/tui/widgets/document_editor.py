"""A whole file edited as JSON, validated against its model as you type (scenarios)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from workbench.lint import Finding
from workbench.store import MODELS, to_data
from workbench.tui.keys import KeyHints
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.json_field import JsonField

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
        yield Static(_HINTS.get(self.entry.kind, ""), classes="hint", markup=False)
        yield JsonField(to_data(self.entry.model), validate=model_class.model_validate, id="document")
        yield Static("", classes="findings", markup=False)

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        event.stop()
        model: Any = event.value
        renamed = getattr(model, "name", None) != self.entry.name
        self.entry.replace_model(model)
        self.edited(renamed=renamed)

    def show_findings(self, findings: Iterable[Finding]) -> None:
        lines = [f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in findings]
        self.query_one(".findings", Static).update("\n".join(lines))

    async def jump_to(self, finding: Finding) -> None:
        self.query_one(JsonField).area.focus()
