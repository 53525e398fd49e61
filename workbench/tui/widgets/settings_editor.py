"""``workbench.json`` as a form: the workspace name, the custom attributes of User, Company and Conversation
with a sample value each, the environments and their values, the default environment, the model agent and the
limits. Every edit is an operation of the item (undone with Ctrl+Z); a field's text that is not a value is a draft
(marked unsaved, named by save). A secret is edited as the name of the environment variable holding it
(``{{secret.NAME}}`` in the file): its value never shows and never reaches the file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Static

from workbench.editing import operations as ops
from workbench.lint import Finding
from workbench.model import BUILTIN_NAMESPACES, WorkspaceSettings
from workbench.store import serialize, to_data
from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.grouped_values import GroupedValues, Row
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.visible import literal

_NO_DEFAULT = "(none)"
_SECRET = re.compile(r"^\{\{\s*secret\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Setting:
    """One field of a section of ``workbench.json`` (``limits``, ``agent``): its key, label and kind of value
    (``text``, ``number``, ``integer``, or ``secret``: an environment variable's name, written ``{{secret.NAME}}``)."""

    key: str
    label: str
    kind: str = "text"
    placeholder: str = ""


LIMITS = (
    Setting("sandbox_timeout_s", "Code timeout (s)", "number", "1"),
    Setting("sandbox_memory_mb", "Code memory (MB)", "integer", "256"),
    Setting("max_response_bytes", "Max response bytes", "integer", "10485760"),
    Setting("large_response_bytes", "Large response bytes", "integer", "20000"),
    Setting("large_response_attributes", "Large response attrs", "integer", "60"),
)
AGENT = (
    Setting("base_url", "Base URL", placeholder="http://localhost:11434/v1"),
    Setting("model", "Model", placeholder="llama3.1, gpt-4o-mini…"),
    Setting("api_key", "API key variable", "secret", "environment variable, e.g. OPENAI_API_KEY (none: no key)"),
    Setting("temperature", "Temperature", "number", "the model's default"),
    Setting("timeout_s", "Call timeout (s)", "number", "60"),
    Setting("run_timeout_s", "Run timeout (s)", "number", "600"),
    Setting("max_tokens", "Max tokens", "integer", "the model's default"),
    Setting("max_retries", "Max retries", "integer", "3"),
    Setting("max_response_bytes", "Max response bytes", "integer", "2097152"),
    Setting("customer_model", "Customer model", placeholder="the model"),
    Setting("judge_model", "Judge model", placeholder="the model"),
    Setting("seed", "Seed", "integer", "none"),
)
SECTIONS = {"limits": LIMITS, "agent": AGENT}


def setting_text(setting: Setting, value: Any) -> str:
    """What a setting's field shows for ``value``: a secret's variable name (nothing for a key written out in the
    file: it is never shown), a number as written, nothing for no value."""
    if value is None:
        return ""
    if setting.kind == "secret":
        match = _SECRET.match(str(value))
        return match[1] if match else ""
    return str(value)


def setting_value(setting: Setting, text: str) -> tuple[Any, str | None]:
    """The value a setting's text stands for (``None``: the key leaves the file), or why it is not one."""
    text = text.strip()
    if not text:
        return None, None
    if setting.kind == "secret":
        if not _VARIABLE.fullmatch(text):
            return None, "write the name of an environment variable (letters, digits, _)"
        return f"{{{{secret.{text}}}}}", None
    if setting.kind in ("number", "integer"):
        try:
            return int(text), None
        except ValueError:
            pass
        if setting.kind == "number":
            try:
                return float(text), None
            except ValueError:
                pass
        return None, "write a whole number" if setting.kind == "integer" else "write a number"
    return text, None


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
                yield Select(
                    self._default_environments(),
                    value=self._default_environment(),
                    allow_blank=False,
                    id="default-environment",
                    compact=True,
                )
            yield Label("Model agent", classes="heading")
            yield Static(
                "The OpenAI-compatible model that plays the agent in simulations (workbench simulate); the API key "
                "is read from the environment variable named here, never written to the file.",
                classes="hint",
                markup=False,
            )
            yield from self._compose_section("agent")
            yield Label("Limits", classes="heading")
            yield from self._compose_section("limits")
            yield ErrorLine(id="settings-error")
            yield Static("", classes="findings", markup=False)

    def _compose_section(self, section: str) -> ComposeResult:
        data = to_data(self.entry.model).get(section) or {}
        for setting in SECTIONS[section]:
            with Horizontal(classes="row"):
                yield Label(setting.label)
                placeholder = setting.placeholder
                if setting.kind == "secret" and data.get(setting.key) and not setting_text(setting, data[setting.key]):
                    placeholder = "*** written in workbench.json (kept); type a variable name to read it instead"
                yield Input(
                    self.shown_text(f"{section}.{setting.key}", setting_text(setting, data.get(setting.key))),
                    id=f"{section}-{setting.key}",
                    placeholder=placeholder,
                    compact=True,
                )

    def _default_environments(self) -> list[tuple[str, str]]:
        return [(_NO_DEFAULT, _NO_DEFAULT)] + [(literal(name), name) for name in self.entry.model.environments]

    def _default_environment(self) -> str:
        settings: WorkspaceSettings = self.entry.model
        default = settings.default_environment
        return default if default is not None and default in settings.environments else _NO_DEFAULT

    def _refresh_default_environments(self) -> None:
        select = self.query_one("#default-environment", Select)
        select.set_options(self._default_environments())
        select.value = self._default_environment()

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field == "workspace-name":
            event.stop()
            self._update(name=event.value, typed=("name", event.value))
            return
        section, _, key = field.partition("-")
        setting = next((item for item in SECTIONS.get(section, ()) if item.key == key), None)
        if setting is None:
            return
        event.stop()
        path = f"{section}.{key}"
        value, problem = setting_value(setting, event.value)
        if problem is not None:
            self.query_one("#settings-error", ErrorLine).update(literal(f"✗ {path}: {problem}"))
            self.keep_typed(path, event.value, problem, ("field", id(self), path))
            return
        before = to_data(self.entry.model).get(section) or {}
        written = before.get(key)
        if setting.kind == "secret" and value is None and written and not setting_text(setting, written):
            value = written  # a key written out in the file is kept (never shown) until a name replaces it
        data = {name: item for name, item in before.items() if name != key}
        if value is not None:
            data[key] = value
        self._update(**{section: data}, typed=(path, event.value))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "default-environment":
            event.stop()
            value = event.value
            chosen = None if value in (_NO_DEFAULT, Select.NULL) else value
            if chosen != self.entry.model.default_environment:
                self._update(default_environment=chosen)

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

    def _update(self, typed: tuple[str, str] | None = None, **changes: Any) -> None:
        """Validate the settings with ``changes`` and make them the model, one operation of the item (typing in
        one field undoes at once); a key emptied leaves the file. ``typed``: the draft field and text of the
        one-line field the change comes from, kept as a draft while the settings refuse it."""
        data = to_data(self.entry.model)
        for key, value in changes.items():
            if value in (None, "", {}) and key in data:
                del data[key]
            elif value not in (None, "", {}):
                data[key] = value
        error = self.query_one("#settings-error", ErrorLine)
        merge = ("field", id(self), typed[0] if typed else ",".join(changes))
        problem = None
        try:
            settings = WorkspaceSettings.model_validate(data)
        except ValidationError as invalid:
            error.show_invalid(invalid)
            first = invalid.errors()[0]
            problem = f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
        else:
            error.update("")
            self._apply(settings, merge)
        if typed is not None:
            self.keep_typed(typed[0], typed[1], problem, merge)

    def _apply(self, settings: WorkspaceSettings, merge: Any) -> None:
        """Make ``settings`` the model: field by field as an undoable operation (a whole new model, not undoable,
        when the file has keys the tool does not know)."""
        if serialize(settings) == serialize(self.entry.model):
            return  # nothing the file would show changed
        change = ops.replace_fields(self.entry.model, settings, label="Edited the workspace settings")
        if change is None:
            self.entry.replace_model(settings)
            self.edited()
            return
        refused = self.perform(change, merge)
        if refused is not None:
            self.query_one("#settings-error", ErrorLine).update(literal(f"✗ {refused}"))

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
