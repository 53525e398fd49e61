"""Fields of ``workbench.json`` sections (the model agent, the limits, a token): what each shows and what its text
stands for. A secret is edited as the name of the environment variable holding it (``{{secret.NAME}}`` in the
file): its value never shows, and a key written out in the file is never shown either."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from workbench.tui.widgets.fields import Input, Select
from workbench.visible import literal

SECRET = re.compile(r"^\{\{\s*secret\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
WRITTEN_OUT = "*** written in workbench.json (kept, not shown); type a variable name to read it instead"


@dataclass(frozen=True)
class Setting:
    """One field: its ``key`` (dotted into the section's data), label and kind of value: ``text`` (empty: the key
    leaves the file), ``raw`` (kept as typed, spaces too), ``number``, ``integer``, or ``secret`` (an environment
    variable's name, written ``{{secret.NAME}}``); a ``choice`` is one of ``options``."""

    key: str
    label: str
    kind: str = "text"
    placeholder: str = ""
    options: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The field's widget id under a ``prefix``: dots become ``--``."""
        return self.key.replace(".", "--")


def setting_text(setting: Setting, value: Any) -> str:
    """What a setting's field shows for ``value``: a secret's variable name (nothing for a key written out in the
    file: it is never shown), a number as written, nothing for no value."""
    if value is None:
        return ""
    if setting.kind == "secret":
        match = SECRET.match(str(value))
        return match[1] if match else ""
    return str(value)


def setting_value(setting: Setting, text: str) -> tuple[Any, str | None]:
    """The value a setting's text stands for (``None``: the key leaves the file), or why it is not one."""
    if setting.kind == "raw":
        return text, None
    text = text.strip()
    if not text:
        return None, None
    if setting.kind == "secret":
        if not VARIABLE.fullmatch(text):
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


def value_at(data: dict[str, Any], key: str) -> Any:
    """The value at a dotted ``key`` of JSON data (``None`` where there is none)."""
    value: Any = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def with_value(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at the dotted ``key`` (``None``: the key removed; objects on the way made)."""
    head, _, rest = key.partition(".")
    copy = dict(data)
    if rest:
        inner = copy.get(head)
        copy[head] = with_value(inner if isinstance(inner, dict) else {}, rest, value)
    elif value is None:
        copy.pop(head, None)
    else:
        copy[head] = value
    return copy


def kept_secret(setting: Setting, text: str, value: Any, before: Any) -> Any:
    """A secret field emptied over a key written out in the file keeps that key (never shown): only a variable
    name replaces it."""
    if setting.kind == "secret" and value is None and not text.strip() and before and not setting_text(setting, before):
        return before
    return value


def setting_rows(
    settings: Iterable[Setting], data: dict[str, Any], prefix: str, draft: Callable[[str, str], str], where: str
) -> ComposeResult:
    """A row per setting: its label and field (``#{prefix}-{id}``), showing the draft of ``{where}.{key}`` if there
    is one, else the value in ``data``."""
    for setting in settings:
        value = value_at(data, setting.key)
        with Horizontal(classes="row"):
            yield Label(literal(setting.label))
            if setting.kind == "choice":
                yield Select(
                    [(literal(option), option) for option in setting.options],
                    value=_chosen(setting, value),
                    allow_blank=False,
                    id=f"{prefix}-{setting.id}",
                    compact=True,
                )
                continue
            yield Input(
                draft(f"{where}.{setting.key}", setting_text(setting, value)),
                id=f"{prefix}-{setting.id}",
                placeholder=_placeholder(setting, value),
                compact=True,
            )


def show_settings(
    host: Widget,
    settings: Iterable[Setting],
    data: dict[str, Any],
    prefix: str,
    draft: Callable[[str, str], str],
    where: str,
) -> None:
    """Show in the fields :func:`setting_rows` composed in ``host`` (with the same arguments) what they would be
    composed with now, in place: no change reported (no edit recorded), the caret at the end of a text changed."""
    for setting in settings:
        value = value_at(data, setting.key)
        if setting.kind == "choice":
            host.query_one(f"#{prefix}-{setting.id}", Select).show_value(_chosen(setting, value))
            continue
        field = host.query_one(f"#{prefix}-{setting.id}", Input)
        field.placeholder = _placeholder(setting, value)
        field.show_value(draft(f"{where}.{setting.key}", setting_text(setting, value)))


def _chosen(setting: Setting, value: Any) -> str:
    """The option a choice shows for ``value`` (the first, the default, when it is none of them)."""
    return value if value in setting.options else setting.options[0]


def _placeholder(setting: Setting, value: Any) -> str:
    """A field's placeholder: the setting's, or, for a secret written out in the file, that it is kept unseen."""
    if setting.kind == "secret" and value and not setting_text(setting, value):
        return WRITTEN_OUT
    return setting.placeholder


def setting_of(settings: Iterable[Setting], widget_id: str, prefix: str) -> Setting | None:
    """The setting whose field is ``#{widget_id}``."""
    return next((setting for setting in settings if f"{prefix}-{setting.id}" == widget_id), None)
