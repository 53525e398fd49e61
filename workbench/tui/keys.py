"""Key hints from the active keymap: the text that names the key bound to a binding id, never a hard-coded key.

``key_for(app, "debug.run")`` is ``"F5"`` by default and ``"Ctrl+R"`` in the ``portable`` keymap;
:func:`render_keys` fills ``{debug.run}``-style placeholders in help texts. Which keys are in effect is
:class:`workbench.settings.key_hints.ActiveKeys`; this module finds the bindings' own keys (in
:data:`BINDING_HOMES`), reads the keymap the app applied, and shows keys as the app writes them.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import format_key
from textual.types import NoActiveAppError
from textual.widgets import Static

from workbench.settings.key_hints import ActiveKeys
from workbench.settings.keymaps import BINDING_IDS
from workbench.visible import literal

if TYPE_CHECKING:
    from workbench.settings.user_config import UserConfig

BINDING_HOMES: tuple[str, ...] = (
    "workbench.tui.app:WorkbenchApp",
    "workbench.tui.debug.app_glue:DEBUG_BINDINGS",
    "workbench.tui.main_screen:MainScreen",
    "workbench.tui.debug.context_inspector:ContextInspector",
    "workbench.tui.debug.live_request_screen:LiveRequestScreen",
    "workbench.tui.debug.run_log:RunLog",
    "workbench.tui.debug.scenarios_pane:ScenariosPane",
    "workbench.tui.debug.view:DebugView",
    "workbench.tui.screens.compare_results:CompareResultsScreen",
    "workbench.tui.screens.help:HelpScreen",
    "workbench.tui.screens.import_dialog:ImportScreen",
    "workbench.tui.screens.pickers:_BUTTON_KEYS",
    "workbench.tui.screens.pickers:ChoiceScreen",
    "workbench.tui.screens.pickers:ConfirmScreen",
    "workbench.tui.screens.pickers:StepTypeScreen",
    "workbench.tui.screens.pickers:NewItemScreen",
    "workbench.tui.screens.rename:RenameScreen",
    "workbench.tui.widgets.completing_area:CompletingTextArea",
    "workbench.tui.widgets.connector_editor:ConnectorEditor",
    "workbench.tui.widgets.entry_editor:EntryEditor",
    "workbench.tui.widgets.highlighting:HighlightedTextArea",
    "workbench.tui.widgets.scenario_editor:ScenarioEditor",
    "workbench.tui.widgets.inputs_editor:InputsEditor",
    "workbench.tui.widgets.json_field:JsonField",
    "workbench.tui.widgets.problems:ProblemsPanel",
    "workbench.tui.widgets.step_outline:StepOutline",
)
"""Where the app's bindings are written (``module:Class`` with ``BINDINGS``, or ``module:LIST`` of bindings): their
own keys are read there, a module imported only when a hint needs a key its loaded neighbours lack (the app loads
panes as they are needed). A test fails when a binding is written anywhere else."""
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
_read: set[str] = set()


def default_keys(binding_id: str) -> str:
    """The keys a binding id has where it is written (comma-separated); ``KeyError`` if no binding has it."""
    for loaded_only in (True, False):
        if binding_id in _defaults:
            break
        for home in BINDING_HOMES:
            module, _, name = home.partition(":")
            if home not in _read and (module in sys.modules or not loaded_only):
                _defaults.update(binding_keys(getattr(importlib.import_module(module), name)))
                _read.add(home)
    return _defaults[binding_id]


def binding_keys(home: type[DOMNode] | Iterable[object]) -> dict[str, str]:
    """id -> keys of the bindings a class writes in its own ``BINDINGS`` (or of a list of bindings)."""
    bindings = home.__dict__.get("BINDINGS", ()) if isinstance(home, type) else home
    return {binding.id: binding.key for binding in bindings if isinstance(binding, Binding) and binding.id}


def keymap_in_effect(app: App[Any]) -> Mapping[str, str]:
    """The keymap the app applied: its settings' (``WorkbenchApp.config``; Textual keeps no public copy of the
    keymap it was given), none before they are read or in an app without settings."""
    config: UserConfig | None = getattr(app, "config", None)
    return config.keymap.resolved() if config is not None else {}


def active_keys(app: App[Any]) -> ActiveKeys:
    """The keys that run each binding of ``app`` now."""
    return ActiveKeys(keymap_in_effect(app), default_keys)


def keys_for(app: App[Any], binding_id: str) -> list[str]:
    """The keys that run ``binding_id`` now, as shown to the user (``["Ctrl+Shift+Z", "Ctrl+Y"]``)."""
    return [display_key(key) for key in active_keys(app).keys(binding_id)]


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
    return active_keys(app).clashes(BINDING_IDS, display_key)


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
    return active_keys(app).fill(text, display_key)


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
