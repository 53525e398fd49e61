"""``workbench.json`` as a form: the workspace name, the custom attributes of User, Company and Conversation
with a sample value each, the environments and their values, the default environment, the model agent and the
limits. Every edit is an operation of the item (undone with Ctrl+Z); a field's text that is not a value is a draft
(marked unsaved, named by save). A secret is edited as the name of the environment variable holding it
(``{{secret.NAME}}`` in the file): its value never shows and never reaches the file."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Label, Static

from workbench.editing import operations as ops
from workbench.editing.drafts import Draft
from workbench.editing.operations import Change
from workbench.lint import Finding
from workbench.model import BUILTIN_NAMESPACES, WorkspaceSettings
from workbench.store import serialize, to_data
from workbench.tui.focus import give_focus
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.error_line import ErrorLine, show_text
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.grouped_values import GroupedValues, Row
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.row_form import RowForm
from workbench.tui.widgets.setting_fields import (
    Setting,
    kept_secret,
    setting_of,
    setting_rows,
    setting_value,
    show_settings,
    value_at,
    with_value,
)
from workbench.tui.widgets.tokens_form import NEW_TOKEN, REQUEST_JSON, TokenFields, TokensForm, token_settings
from workbench.visible import literal

_NO_DEFAULT = "(none)"
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
    """Edits the workspace settings through forms; every edit an operation of the item."""

    HELP: ClassVar[str] = (
        "Workspace settings: attributes of User, Company and Conversation with a sample value (what the @ menu "
        "offers and lint checks against), environments with the values {{env.NAME}} takes, the tokens connectors "
        "name in their auth, the model agent of simulations, and limits. Secrets are named by their environment "
        "variable ({{secret.NAME}}), never written."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token: str | None = next(iter(self.entry.model.tokens), None)
        """The token whose fields are shown."""
        self._environments: list[str] = []
        """The environments the default environment's choice offers."""

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
        self._environments = list(settings.environments)
        with VerticalScroll():
            with Horizontal(classes="row"):
                yield Label("Workspace name")
                yield Input(self.shown_text("name", settings.name), id="workspace-name", compact=True)
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
                draft=self.draft_text("attributes"),
                id="attributes",
            )
            yield Label("Environments", classes="heading")
            yield Static(
                "The values {{env.NAME}} takes in each environment (e.g. base_url per environment).",
                classes="hint",
                markup=False,
            )
            yield GroupedValues(
                _environment_rows(settings),
                labels=("Environment", "Name", "Value"),
                new_row=("local", "base_url", "http://127.0.0.1:8787"),
                draft=self.draft_text("environments"),
                id="environments",
            )
            with Horizontal(classes="row"):
                yield Label("Default environment")
                yield Select(
                    self._environment_options(),
                    value=self._default_environment(),
                    allow_blank=False,
                    id="default-environment",
                    compact=True,
                )
            yield Label("Tokens", classes="heading")
            yield Static(
                "Authentication tokens connectors name in their auth: a text token, a token fetched with a request, "
                "or an OAuth client-credentials grant. Secrets are named by their environment variable.",
                classes="hint",
                markup=False,
            )
            yield TokensForm(TokenFields(self._tokens(), self._token, self.shown_text, self.draft_text))
            yield Label("Model agent", classes="heading")
            yield Static(
                "The OpenAI-compatible model that plays the agent in simulations (workbench simulate); the API key "
                "is read from the environment variable named here, never written to the file.",
                classes="hint",
                markup=False,
            )
            yield from setting_rows(AGENT, self._section("agent"), "agent", self.shown_text, "agent")
            yield Label("Limits", classes="heading")
            yield from setting_rows(LIMITS, self._section("limits"), "limits", self.shown_text, "limits")
            yield ErrorLine(id="settings-error")
            yield Static("", classes="findings", markup=False)

    def _section(self, section: str) -> dict[str, Any]:
        data = to_data(self.entry.model).get(section)
        return data if isinstance(data, dict) else {}

    def _tokens(self) -> dict[str, Any]:
        return self._section("tokens")

    def _default_environment(self) -> str:
        settings: WorkspaceSettings = self.entry.model
        default = settings.default_environment
        return default if default is not None and default in settings.environments else _NO_DEFAULT

    def _environment_options(self) -> list[tuple[RenderableType, str]]:
        return [(_NO_DEFAULT, _NO_DEFAULT)] + [(literal(name), name) for name in self._environments]

    def _refresh_default_environments(self) -> None:
        """The default environment's choice follows the environments (its options set again only when they
        changed); no change reported."""
        select = self.part("#default-environment", Select)
        names = list(self.entry.model.environments)
        if names != self._environments:
            self._environments = names
            with select.prevent(Select.Changed):
                select.set_options(self._environment_options())
        select.show_value(self._default_environment())

    async def redraw_after(self, change: Change) -> None:
        """Show the settings again after an undo or a redo, in place (the editor's widgets are the same whatever
        the settings hold): each field set to its value or draft (see :meth:`EntryEditor.shown_text`), no edit
        recorded; the focus stays in its field, the caret at the end of a text that changed. Only the selected
        token's fields are composed afresh, when its type changed (:meth:`TokenFields.show`): the focus then goes
        to the same field if it has it, else where the editor starts."""
        focused = self.app.focused
        field = focused.id if focused is not None and self in focused.ancestors else None
        async with self._composing:  # (never into widgets a recompose under way is still mounting)
            self._show_values()
        await self._show_tokens()
        if focused is not None and focused.is_attached:
            return
        found = self.query(f"#{field}") if field else None
        if found:
            give_focus(found.first())
        else:
            self.focus_default()

    def _show_values(self) -> None:
        """Set every field but the tokens' to what the editor would be composed with now."""
        settings: WorkspaceSettings = self.entry.model
        self.part("#workspace-name", Input).show_value(self.shown_text("name", settings.name))
        for table, rows in (("attributes", _attribute_rows(settings)), ("environments", _environment_rows(settings))):
            self.part(f"#{table}", GroupedValues).show_rows(rows, self.draft_text(table))
        self._refresh_default_environments()
        for section, fields in SECTIONS.items():
            show_settings(self, fields, self._section(section), section, self.shown_text, section)
        self.part("#settings-error", ErrorLine).update("")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Every one-line field: its text becomes the value, or, refused, a draft (see :meth:`keep_typed`)."""
        field, text = event.input.id or "", event.value
        if field == "workspace-name":
            event.stop()
            self._update({"name": text}, typed=("name", text))
        elif field == "token-name":
            event.stop()
            self._rename_token(text)
        elif field.startswith(("agent-", "limits-")):
            section = field.partition("-")[0]
            setting = setting_of(SECTIONS[section], field, section)
            if setting is not None:
                event.stop()
                self._set(section, section, setting, text)
        elif field.startswith("token-") and self._token in self._tokens():
            setting = setting_of(token_settings(self._tokens()[self._token]), field, "token")
            if setting is not None:
                event.stop()
                self._set("tokens", f"tokens.{self._token}", setting, text)

    def _set(self, section: str, where: str, setting: Setting, text: str) -> None:
        """Set the value a setting's ``text`` stands for at ``where`` (``agent``, ``tokens.NAME``), or keep the
        text as a draft naming why it is not one."""
        path = f"{where}.{setting.key}"
        value, problem = setting_value(setting, text)
        if problem is not None:
            self.part("#settings-error", ErrorLine).update(literal(f"✗ {path}: {problem}"))
            self.keep_typed(path, text, problem, ("field", id(self), path))
            return
        data = self._section(section)
        inner = value_at(data, where.partition(".")[2]) if "." in where else data
        inner = inner if isinstance(inner, dict) else {}
        value = kept_secret(setting, text, value, value_at(inner, setting.key))
        if "." in where:
            new = with_value(data, where.partition(".")[2], with_value(inner, setting.key, value))
        else:
            new = with_value(data, setting.key, value)
        self._update({section: new}, typed=(path, text))

    def _rename_token(self, text: str) -> None:
        """Rename the selected token (its drafts follow it); a name taken or empty is kept as a draft."""
        tokens, old = self._tokens(), self._token
        if old is None or old not in tokens:
            return
        name, path, merge = text.strip(), f"tokens.{old}.name", ("field", id(self), "token-name")
        problem = (
            "give the token a name"
            if not name
            else f"another token is called {name!r}"
            if name != old and name in tokens
            else None
        )
        if problem is not None or name == old:
            if problem is not None:
                self.part("#settings-error", ErrorLine).update(literal(f"✗ {path}: {problem}"))
            self.keep_typed(path, text, problem, merge)
            return
        renamed = {name if key == old else key: token for key, token in tokens.items()}
        texts = {
            (
                f"tokens.{name}." + field.removeprefix(f"tokens.{old}.")
                if field.startswith(f"tokens.{old}.")
                else field
            ): draft
            for field, draft in self.entry.drafts.texts.items()
            if field != path
        }
        self._token = name
        self._update({"tokens": renamed}, merge=merge, drafts=texts)
        self.call_later(self._show_tokens, False)

    async def _show_tokens(self, fields: bool = True) -> None:
        if self.whole:
            tokens = self._tokens()
            if self._token not in tokens:
                self._token = next(iter(tokens), None)
            await self.query_one(TokensForm).show(tokens, self._token, fields=fields)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "tokens-table":
            return
        event.stop()
        if event.cursor_row != event.data_table.cursor_row:
            return  # overtaken (the table refilled since): the cursor is elsewhere now
        names = list(self._tokens())
        name = names[event.cursor_row] if 0 <= event.cursor_row < len(names) else None
        if name != self._token:
            self._token = name
            self.call_later(self._show_tokens)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button not in ("token-add", "token-remove"):
            return
        event.stop()
        tokens = self._tokens()
        if button == "token-add":
            name, counter = "token", 2
            while name in tokens:
                name, counter = f"token_{counter}", counter + 1
            self._token = name
            self._update({"tokens": {**tokens, name: NEW_TOKEN["text"]}}, merge=None)
        elif self._token in tokens:
            gone = f"tokens.{self._token}."
            texts = {field: draft for field, draft in self.entry.drafts.texts.items() if not field.startswith(gone)}
            names = list(tokens)
            index = names.index(self._token)
            rest = {key: token for key, token in tokens.items() if key != self._token}
            self._token = (names[index + 1] if index + 1 < len(names) else names[index - 1]) if rest else None
            self._update({"tokens": rest}, merge=None, drafts=texts)
        self.call_later(self._show_tokens)

    def _retype_token(self, kind: str) -> None:
        """Give the selected token another type: a fresh one of that type, its header and prefix kept."""
        tokens = self._tokens()
        token = tokens.get(self._token) if self._token is not None else None
        if not isinstance(token, dict) or token.get("type", "text") == kind or kind not in NEW_TOKEN:
            return
        kept = {key: token[key] for key in ("header", "prefix") if key in token}
        gone = f"tokens.{self._token}."
        texts = {field: draft for field, draft in self.entry.drafts.texts.items() if not field.startswith(gone)}
        retyped = {key: {**kept, **NEW_TOKEN[kind]} if key == self._token else value for key, value in tokens.items()}
        self._update({"tokens": retyped}, merge=None, drafts=texts)
        self.call_later(self._show_tokens)

    def on_select_changed(self, event: Select.Changed) -> None:
        field, value = event.select.id or "", event.value
        if field == "default-environment":
            event.stop()
            chosen = None if value in (_NO_DEFAULT, Select.NULL) else value
            if chosen != self.entry.model.default_environment:
                self._update({"default_environment": chosen})
        elif field == "token-type":
            event.stop()
            if isinstance(value, str):
                self._retype_token(value)
        elif field.startswith("token-") and self._token in self._tokens() and isinstance(value, str):
            event.stop()
            token = self._tokens()[self._token]
            setting = setting_of(token_settings(token), field, "token")
            if setting is not None and not (value_at(token, setting.key) is None and value == setting.options[0]):
                self._set("tokens", f"tokens.{self._token}", setting, value)  # (the default stays out of the file)

    def on_json_field_changed(self, event: JsonField.Changed) -> None:
        key = REQUEST_JSON.get(event.field.id or "")
        tokens = self._tokens()
        if key is None or self._token not in tokens:
            return
        event.stop()
        token = with_value(tokens[self._token], key, event.value)
        self._update({"tokens": {**tokens, self._token: token}}, merge=self.json_merge(f"tokens.{self._token}.{key}"))

    def draft_name(self, field: JsonField) -> str | None:
        key = REQUEST_JSON.get(field.id or "")
        return f"tokens.{self._token}.{key}" if key is not None else super().draft_name(field)

    def take_rows(self, form: RowForm, merge: Hashable | None) -> str | None:
        """The attributes' or the environments' rows as the settings' values (see :meth:`_update`)."""
        settings: WorkspaceSettings = self.entry.model
        if not isinstance(form, GroupedValues):
            return super().take_rows(form, merge)
        if form.id == "attributes":
            attributes: dict[str, dict[str, Any]] = {}
            for namespace, name, text in form.rows:
                before = settings.attributes.get(namespace, {}).get(name)
                attributes.setdefault(namespace, {})[name] = typed(text, before)
            return self._update({"attributes": attributes}, merge=merge)
        environments: dict[str, dict[str, str]] = {}
        for environment, name, value in form.rows:
            environments.setdefault(environment, {})[name] = value
        default = settings.default_environment if settings.default_environment in environments else None
        refused = self._update({"environments": environments, "default_environment": default}, merge=merge)
        self._refresh_default_environments()
        return refused

    def _update(
        self,
        changes: dict[str, Any],
        *,
        typed: tuple[str, str] | None = None,
        merge: Hashable | None = "",
        drafts: dict[str, Draft] | None = None,
    ) -> str | None:
        """Validate the settings with ``changes`` and make them the model, one operation of the item (typing in
        one field undoes at once; ``merge`` names it, ``None`` for an operation of its own); a key emptied leaves
        the file. ``typed``: the draft field and text of the one-line field the change comes from, kept as a draft
        while the settings refuse it; ``drafts``: the item's drafts after the change (a token renamed, removed).
        Returns why the settings refuse the change."""
        data = to_data(self.entry.model)
        for key, value in changes.items():
            if value in (None, "", {}) and key in data:
                del data[key]
            elif value not in (None, "", {}):
                data[key] = value
        error = self.part("#settings-error", ErrorLine)
        if merge == "":
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
            problem = self._apply(settings, merge, drafts)
        if typed is not None:
            self.keep_typed(typed[0], typed[1], problem, merge)
        return problem

    def _apply(
        self, settings: WorkspaceSettings, merge: Hashable | None, drafts: dict[str, Draft] | None
    ) -> str | None:
        """Make ``settings`` the model (and ``drafts`` the item's drafts): field by field as an undoable operation
        (a whole new model, not undoable, when the file has keys the tool does not know); returns why not."""
        if serialize(settings) == serialize(self.entry.model):
            return None  # nothing the file would show changed
        change = ops.replace_fields(self.entry.model, settings, label="Edited the workspace settings")
        if change is None:
            self.entry.replace_model(settings)
            if drafts is not None:
                self.entry.drafts.texts = drafts
            self.edited()
            return None
        if drafts is not None and drafts != self.entry.drafts.texts:
            change.assigns.append(ops.Assign(self.entry.drafts, {"texts": drafts}))
        refused = self.perform(change, merge)
        if refused is not None:
            self.part("#settings-error", ErrorLine).update(literal(f"✗ {refused}"))
        return refused

    def show_findings(self, findings: Iterable[Finding]) -> None:
        lines = [f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}" for f in findings]
        show_text(self.part(".findings", Static), literal("\n".join(lines)))

    async def jump_to(self, finding: Finding) -> None:
        give_focus(self.query_one("#attributes DataTable"))


def _environment_rows(settings: WorkspaceSettings) -> list[Row]:
    return [(name, key, value) for name, values in settings.environments.items() for key, value in values.items()]


def _attribute_rows(settings: WorkspaceSettings) -> list[Row]:
    return [
        (namespace, name, shown(value))
        for namespace, values in settings.attributes.items()
        for name, value in values.items()
    ]
