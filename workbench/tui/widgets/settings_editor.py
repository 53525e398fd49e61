"""``workbench.json`` as a form: the workspace name, the custom attributes of User, Company and Conversation
with a sample value each, the environments and their values, the default environment; limits stay JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Static

from workbench.lint import Finding
from workbench.model import BUILTIN_NAMESPACES, Limits, WorkspaceSettings
from workbench.store import to_data
from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.grouped_values import GroupedValues, Row
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.tui.widgets.json_field import JsonField
from workbench.visible import literal

_NO_DEFAULT = "(none)"


def shown(value: Any) -> str:
    """A value as the form shows it: text as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def typed(text: str, before: Any) -> Any:
    """What the author typed, as a value: unchanged text keeps the value it showed (so ``"3"`` stays text),
    anything else is JSON when it parses, else text."""
    if before is not None and shown(before) == text:
        return before
    return "" if not text.strip() else parse_default(text)


class SettingsEditor(EntryEditor):
    """Edits the workspace settings through forms; every valid edit replaces the model."""

    HELP: ClassVar[str] = (
        "Workspace settings: attributes of User, Company and Conversation with a sample value (what the @ menu "
        "offers and lint checks against), environments with the values {{env.NAME}} takes, and limits."
    )

    DEFAULT_CSS = """
    SettingsEditor VerticalScroll { padding: 0 1; }
    SettingsEditor .heading { text-style: bold; margin-top: 1; }
    SettingsEditor .hint { color: $text-muted; height: auto; }
    SettingsEditor .row { height: 1; }
    SettingsEditor .row > Label { width: 20; }
    SettingsEditor .row > Input { width: 1fr; }
    SettingsEditor .row > Select { width: 24; }
    SettingsEditor #limits { height: 9; }
    SettingsEditor .findings { color: $text-warning; height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        settings: WorkspaceSettings = self.entry.model
        with VerticalScroll():
            with Horizontal(classes="row"):
                yield Label("Workspace name")
                yield Input(settings.name, id="workspace-name", compact=True)
            yield Label("Attributes", classes="heading")
            yield Static(
                "Custom attributes of the customer (User), their company and the conversation, each with a sample "
                "value: the @ menu offers them and lint accepts reads of them.",
                classes="hint",
                markup=False,
            )
            yield GroupedValues(
                _attribute_rows(settings),
                labels=("Namespace", "Attribute", "Sample value"),
                groups=list(BUILTIN_NAMESPACES),
                new_row=("User", "attribute", ""),
                id="attributes",
            )
            yield Label("Environments", classes="heading")
            yield Static(
                "The values {{env.NAME}} takes in each environment (e.g. base_url per environment).",
                classes="hint",
                markup=False,
            )
            yield GroupedValues(
                [(name, key, value) for name, values in settings.environments.items() for key, value in values.items()],
                labels=("Environment", "Name", "Value"),
                new_row=("local", "base_url", "http://127.0.0.1:8787"),
                id="environments",
            )
            with Horizontal(classes="row"):
                yield Label("Default environment")
                yield Select([(_NO_DEFAULT, _NO_DEFAULT)], allow_blank=False, id="default-environment", compact=True)
            yield Label("Limits", classes="heading")
            yield JsonField(
                to_data(settings.limits), validate=Limits.model_validate, draft=self.draft_text("limits"), id="limits"
            )
            yield ErrorLine(id="settings-error")
            yield Static("", classes="findings", markup=False)

    def on_mount(self) -> None:
        self._refresh_default_environments()

    def _refresh_default_environments(self) -> None:
        settings: WorkspaceSettings = self.entry.model
        select = self.query_one("#default-environment", Select)
        names = list(settings.environments)
        select.set_options([(_NO_DEFAULT, _NO_DEFAULT)] + [(literal(name), name) for name in names])
        select.value = settings.default_environment if settings.default_environment in names else _NO_DEFAULT

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "workspace-name":
            event.stop()
            self._update(name=event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "default-environment":
            event.stop()
            value = event.value
            chosen = None if value in (_NO_DEFAULT, Select.NULL) else value
            if chosen != self.entry.model.default_environment:
                self._update(default_environment=chosen)

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        event.stop()
        self._update(limits=to_data(event.value))

    def on_grouped_values_changed(self, event: GroupedValues.Changed) -> None:
        event.stop()
        settings: WorkspaceSettings = self.entry.model
        if event.values.id == "attributes":
            attributes: dict[str, dict[str, Any]] = {}
            for namespace, name, text in event.values.rows:
                before = settings.attributes.get(namespace, {}).get(name)  # type: ignore[call-overload]
                attributes.setdefault(namespace, {})[name] = typed(text, before)
            self._update(attributes=attributes)
        else:
            environments: dict[str, dict[str, str]] = {}
            for environment, name, value in event.values.rows:
                environments.setdefault(environment, {})[name] = value
            default = settings.default_environment if settings.default_environment in environments else None
            self._update(environments=environments, default_environment=default)
            self._refresh_default_environments()

    def _update(self, **changes: Any) -> None:
        """Validate the settings with ``changes`` and make them the model; a key emptied leaves the file."""
        data = to_data(self.entry.model)
        for key, value in changes.items():
            if value in (None, "", {}) and key in data:
                del data[key]
            elif value not in (None, "", {}):
                data[key] = value
        error = self.query_one("#settings-error", ErrorLine)
        try:
            settings = WorkspaceSettings.model_validate(data)
        except ValidationError as problem:
            error.show_invalid(problem)
            return
        error.update("")
        if settings != self.entry.model:
            self.entry.replace_model(settings)
            self.edited()

    def show_findings(self, findings: Iterable[Finding]) -> None:
        lines = [f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in findings]
        self.query_one(".findings", Static).update(literal("\n".join(lines)))

    async def jump_to(self, finding: Finding) -> None:
        give_focus(self.query_one("#attributes DataTable"))


def _attribute_rows(settings: WorkspaceSettings) -> list[Row]:
    return [
        (namespace, name, shown(value))
        for namespace, values in settings.attributes.items()
        for name, value in values.items()
    ]
