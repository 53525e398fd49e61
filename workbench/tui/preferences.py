"""The user's theme and keymap in the app (:class:`Preferences`): the theme restored and saved as chosen, the
keymap applied, with the keys it takes from the app's own bindings and the clashes it makes told."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App
from textual.binding import BindingType
from textual.theme import Theme

from workbench.jsonfile import JsonFileError
from workbench.settings.config_file import read_theme, save_theme
from workbench.tui.keys import KeyText, clashes, keys_taken


class Preferences:
    """The app's theme and keymap; ``own`` are the app's bindings, ``others`` the binding ids of its main screen."""

    def __init__(self, app: App[Any], own: Iterable[BindingType], others: set[str]) -> None:
        self._app = app
        self._own = list(own)
        self._others = others
        self._saved_theme: str | None = None
        self.taken: dict[str, set[str]] = {}
        """Action -> the keys the keymap gave to one of the main screen's bindings: the app's binding lost them."""

    def restore_theme(self) -> None:
        """Show the theme saved last (read before the first frame), and save each one chosen from now on."""
        app = self._app
        self._saved_theme = read_theme()
        if self._saved_theme in app.available_themes:
            app.theme = self._saved_theme
        app.theme_changed_signal.subscribe(app, self._theme_chosen)

    def _theme_chosen(self, theme: Theme) -> None:
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self._app.run_worker(lambda: self._save_theme(theme.name), group="config", thread=True, exit_on_error=False)

    def _save_theme(self, theme: str) -> None:
        try:
            save_theme(theme)
        except (OSError, JsonFileError) as error:
            app = self._app
            app.call_from_thread(app.notify, str(error), title="Theme not saved", severity="error", timeout=10)

    def apply_keymap(self, keymap: dict[str, str]) -> None:
        """Bind the keys as ``keymap`` says, redraw every hint naming keys, and tell the keys it takes twice."""
        app = self._app
        app.set_keymap(keymap)
        self.taken = keys_taken(self._own, keymap, self._others)
        for text in app.query(KeyText):
            text.refresh_keys()
        if keymap:  # it imports every pane's bindings (the engine's too): off the UI thread
            app.run_worker(self._tell_clashes, name="keymap clashes", group="config", thread=True, exit_on_error=False)

    def _tell_clashes(self) -> None:
        app = self._app
        told = clashes(app)
        if told:
            app.call_from_thread(
                app.notify,
                "\n".join(told)
                + "\nOne key cannot run both everywhere: give one of them another key in your settings.",
                title="Your keymap gives keys that are taken",
                severity="warning",
                timeout=20,
            )
