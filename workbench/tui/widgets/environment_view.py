"""The environment values a connector uses (from ``workbench.json``), editable, and its request as it would go out."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from workbench.connectors import ConnectorError
from workbench.connectors.auth import secret_names
from workbench.connectors.dotenv import secret_sources
from workbench.connectors.templates import TEMPLATE, TemplateScope
from workbench.connectors.urls import render_url
from workbench.model import Connector, WorkspaceSettings
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input, Select
from workbench.visible import literal

_NONE = "(none)"


def template_names(connector: Connector) -> list[str]:
    """Every template name in the connector's request (URL, headers, query, body), in order, once."""
    request = connector.request
    names: dict[str, None] = {}
    for text in _strings(request.url, request.headers, request.query, request.body):
        for match in TEMPLATE.finditer(text):
            names.setdefault(match.group(1), None)
    return list(names)


def _strings(*values: Any) -> Iterator[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from _strings(*value.keys(), *value.values())
        elif isinstance(value, list):
            yield from _strings(*value)


class EnvironmentView(VerticalScroll):
    """Pick an environment (it opens on the one in use, :meth:`WorkspaceSettings.environment_name`), edit the
    ``{{env.NAME}}`` values this connector uses, see which secrets a live call needs (its own and its token's)
    and which are missing.

    Edits replace ``settings.environments`` and are reported with :class:`EnvironmentView.Changed`.
    """

    DEFAULT_CSS = """
    EnvironmentView { height: 1fr; }
    EnvironmentView .env-row { height: 1; margin-bottom: 1; }
    EnvironmentView .env-row > Label { width: 24; }
    EnvironmentView .env-row > Input { width: 1fr; }
    EnvironmentView .env-row > Select { width: 30; }
    EnvironmentView .secret-missing { color: $error; }
    EnvironmentView #env-preview { margin-top: 1; padding: 0 1; background: $boost; }
    """

    class Changed(Message):
        """The workspace's environments were edited."""

    def __init__(
        self,
        connector: Connector,
        settings: Callable[[], WorkspaceSettings],
        *,
        root: Path | None = None,
        id: str | None = None,
    ) -> None:
        """``settings`` gives the workspace settings as they are now (the model may be replaced meanwhile); ``root``
        is the workspace folder, whose ``.env`` may hold the secrets."""
        super().__init__(id=id)
        self.connector = connector
        self.root = root
        self._settings = settings
        self.environment = self.settings.environment_name()

    @property
    def settings(self) -> WorkspaceSettings:
        """The workspace settings being edited."""
        return self._settings()

    def compose(self) -> ComposeResult:
        names = list(self.settings.environments)
        with Horizontal(classes="env-row"):
            yield Label("Environment")
            if names:
                yield Select(
                    [(literal(name), name) for name in names],
                    value=self.environment if self.environment is not None else Select.NULL,
                    prompt="none in use (no default): pick one to edit",
                    allow_blank=self.environment is None,
                    id="env-select",
                    compact=True,
                )
            else:
                yield Static('none defined: add "environments" to workbench.json (Settings in the tree)')
        used = template_names(self.connector)
        for name in used:
            if name.startswith("env."):
                with Horizontal(classes="env-row"):
                    yield Label(literal(f"{{{{{name}}}}}"))
                    yield Input(
                        self._value(name[4:]),
                        id=f"env-{name[4:]}",
                        compact=True,
                        disabled=self.environment is None,
                        name=name[4:],
                    )
        needed = secret_names(self.connector, self.settings.tokens)
        sources = secret_sources(self.root, [key for key, _ in needed]) if self.root is not None else {}
        for key, token in needed:
            source = sources.get(key) if self.root is not None else ("environment" if os.environ.get(key) else None)
            state = f"set ({source})" if source else f"missing: add {key}=… to the workspace's .env before a live call"
            with Horizontal(classes="env-row"):
                yield Label(literal(f"{{{{secret.{key}}}}}" + (f" (token {token})" if token else "")))
                yield Static(
                    literal(f"*** {state}" if source else state), classes="secret-missing" if not source else ""
                )
        yield Static(literal(self._preview()), id="env-preview", markup=False)

    def _value(self, key: str) -> str:
        if self.environment is None:
            return ""
        return self.settings.environments.get(self.environment, {}).get(key, "")

    def _preview(self) -> str:
        scope = TemplateScope.preview(self.connector, self.settings, self.environment)
        request = self.connector.request
        try:
            url = render_url(request.url, scope)
        except ConnectorError as error:
            url = f"{request.url}  ({error.message})"
        lines = [f"{request.method} {url}"]
        lines.extend(f"  ?{key}={value}" for key, value in scope.pairs(request.query).items())
        lines.extend(f"{key}: {value}" for key, value in scope.pairs(request.headers).items())
        return "Request as it would go out (inputs left as {{name}}, secrets as ***):\n" + "\n".join(lines)

    def refresh_preview(self) -> None:
        """Re-render the request preview (after the connector changed)."""
        show_text(self.query_one("#env-preview", Static), literal(self._preview()))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value == self.environment or event.value is Select.NULL:
            return
        self.environment = str(event.value)
        for field in self.query(".env-row > Input").results(Input):
            field.value = self._value(field.name or "")
            field.disabled = False
        self.refresh_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        key = event.input.name
        if self.environment is None or not key or self._value(key) == event.value:
            return
        environments = dict(self.settings.environments)
        environments[self.environment] = {**environments.get(self.environment, {}), key: event.value}
        self.settings.environments = environments
        self.refresh_preview()
        self.post_message(self.Changed())
