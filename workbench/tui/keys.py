"""Key hints from the active keymap: the text that names the key bound to a binding id, never a hard-coded key.

``key_for(app, "debug.run")`` is ``"F5"`` by default and ``"Ctrl+R"`` in the ``portable`` keymap;
:func:`render_keys` fills ``{debug.run}``-style placeholders in help texts.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual._context import NoActiveAppError
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import format_key
from textual.widgets import Static

import workbench.tui
from workbench.keymaps import BINDING_IDS
from workbench.visible import literal

_PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")
_NAMES = {
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "escape": "Escape",
    "delete": "Delete",
    "enter": "Enter",
    "backslash": "\\",
    "right_square_bracket": "]",
    "circumflex_accent": "^",
    "underscore": "_",
}
_defaults: dict[str, str] = {}


def default_keys(binding_id: str) -> str:
    """The keys a binding id has in its class's ``BINDINGS`` (comma-separated); ``KeyError`` if none has it."""
    if binding_id not in _defaults:
        _defaults.update(_binding_keys(DOMNode))
    if binding_id not in _defaults:  # its class has not been loaded yet (the app loads panes as they are needed)
        for module in pkgutil.walk_packages(workbench.tui.__path__, "workbench.tui."):
            importlib.import_module(module.name)
        _defaults.update(_binding_keys(DOMNode))
    return _defaults[binding_id]


def _binding_keys(cls: type[DOMNode]) -> dict[str, str]:
    """id -> keys of the bindings of ``cls`` and of every subclass of it loaded so far."""
    found: dict[str, str] = {}
    for binding in cls.__dict__.get("BINDINGS", ()):
        if isinstance(binding, Binding) and binding.id:
            found[binding.id] = binding.key
    for subclass in cls.__subclasses__():
        found.update(_binding_keys(subclass))
    return found


def keys_for(app: App[Any], binding_id: str) -> list[str]:
    """The keys that run ``binding_id`` now, as shown to the user (``["Ctrl+Shift+Z", "Ctrl+Y"]``)."""
    keys = app._keymap.get(binding_id) or default_keys(binding_id)  # Textual keeps no public copy of the keymap
    return [display_key(key.strip()) for key in keys.split(",")]


def key_for(app: App[Any], binding_id: str) -> str:
    """The (first) key that runs ``binding_id`` now, as shown to the user (``"F5"``, ``"Ctrl+Z"``)."""
    return keys_for(app, binding_id)[0]


def display_key(key: str) -> str:
    """A key in Textual's notation as the app's texts write it: ``ctrl+shift+z`` -> ``Ctrl+Shift+Z``."""
    *modifiers, name = key.split("+")
    shown = _NAMES.get(name) or format_key(name)
    if len(shown) == 1 and modifiers:
        shown = shown.upper()
    elif len(shown) > 1 and not shown[0].isupper() and re.fullmatch(r"[a-z]+\d*", shown):
        shown = shown.upper() if re.fullmatch(r"f\d+", shown) else shown.capitalize()
    return "+".join([*(modifier.capitalize() for modifier in modifiers), shown])


def clashes(app: App[Any]) -> list[str]:
    """The keys the keymap gives to a binding that another binding has too (``Ctrl+S: debug.run, app.save``)."""
    bound = {
        binding_id: set((app._keymap.get(binding_id) or default_keys(binding_id)).split(","))
        for binding_id in BINDING_IDS
    }
    found: list[str] = []
    for binding_id, keys in sorted(app._keymap.items()):
        for key in keys.split(","):
            others = sorted(other for other, taken in bound.items() if other != binding_id and key in taken)
            if others:
                found.append(f"{display_key(key)}: {binding_id}, {', '.join(others)}")
    return found


def keys_taken(bindings: Iterable[BindingType], keymap: Mapping[str, str], others: set[str]) -> dict[str, set[str]]:
    """Action -> the keys ``keymap`` gives to a binding id of ``others`` (bound on another node) that one of
    ``bindings`` has by default: that binding loses them, as Textual does between two bindings of one node."""
    given = {key.strip() for binding_id, keys in keymap.items() if binding_id in others for key in keys.split(",")}
    taken: dict[str, set[str]] = {}
    for binding in bindings:
        if isinstance(binding, Binding) and binding.id not in keymap:
            lost = {key.strip() for key in binding.key.split(",")} & given
            if lost:
                taken[binding.action] = taken.get(binding.action, set()) | lost
    return taken


def render_keys(app: App[Any], text: str) -> str:
    """``text`` with each ``{binding.id}`` replaced by the keys bound to it now (``Ctrl+Shift+Z (or Ctrl+Y)``)."""

    def keys(match: re.Match[str]) -> str:
        first, *others = keys_for(app, match.group(1))
        return f"{first} (or {', '.join(others)})" if others else first

    return _PLACEHOLDER.sub(keys, text)


class KeyHints:
    """A class's help text naming keys as ``{binding.id}``: read on a widget, it names the keys bound now.

    ``HELP = KeyHints("{editor.undo} undoes")`` serves both the app's F1 screen and Textual's help panel; read
    on the class, it is the template.
    """

    def __init__(self, template: str) -> None:
        self.template = template

    def __get__(self, node: DOMNode | None, owner: type[Any]) -> str:
        if node is None:
            return self.template
        try:
            app = node.app
        except NoActiveAppError:
            return self.template
        return render_keys(app, self.template)


class KeyText(Static):
    """A text naming keys as ``{binding.id}``, drawn with the keys bound now, and again when the app changes its
    keymap (:meth:`refresh_keys`), until :meth:`update` replaces it with other content."""

    def __init__(self, template: str, *, style: str = "", id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._template: str | None = template
        self._style = style

    def on_mount(self) -> None:
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Draw the template with the keys bound now (nothing once the text was replaced)."""
        if self._template is not None:
            super().update(literal(render_keys(self.app, self._template), style=self._style))

    def update(self, content: str | Text = "", *, layout: bool = True) -> None:  # type: ignore[override]
        """Show ``content`` instead of the template, for good."""
        self._template = None
        super().update(literal(content), layout=layout)
