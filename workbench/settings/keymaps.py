"""The ids of the app's key bindings and the built-in keymaps (data only: the app binds, the settings validate).

Every binding of the app has an id (``scope.name``); a keymap maps ids to keys in Textual's notation
(``ctrl+r``, ``f5``, several keys separated by commas). A user's keymap starts from a built-in one and
overrides single ids.
"""

from __future__ import annotations

from typing import Literal

APP_IDS = (
    "app.save",
    "app.quit",
    "app.select_all",
    "app.help",
    "app.command_palette",
    "app.new_item",
    "app.focus_tree",
    "app.focus_editor",
    "app.focus_problems",
    "app.toggle_tree",
    "app.toggle_run_panel",
    "app.toggle_problems",
    "app.next_problem",
    "app.previous_problem",
    "app.narrow_tree",
    "app.widen_tree",
    "app.taller_problems",
    "app.shorter_problems",
    "app.widen_run_panel",
    "app.narrow_run_panel",
)
DEBUG_IDS = (
    "debug.run",
    "debug.step",
    "debug.breakpoint",
    "debug.stop",
    "debug.tab",
    "debug.test_request",
    "debug.record",
)
PANE_IDS = (
    "run_log.previous",
    "run_log.next",
    "run_log.page_up",
    "run_log.page_down",
    "run_log.first",
    "run_log.last",
    "scenarios.run_all",
    "scenarios.run_procedure",
    "scenarios.go_to_step",
    "scenarios.debug_failure",
    "scenarios.accept",
    "scenarios.toggle_watch",
    "scenarios.undo_accept",
    "context.edit",
    "context.cancel_edit",
    "live_request.close",
    "live_request.save",
    "outline.add_step",
    "outline.retype",
    "outline.remove",
    "outline.move_up",
    "outline.move_down",
    "outline.add_branch",
    "outline.error_path",
    "editor.undo",
    "editor.redo",
    "editor.rename",
    "code.leave",
    "connector.next_tab",
    "connector.previous_tab",
    "json.format",
    "problems.fix",
    "inputs.add",
    "completion.open_transform",
    "dialog.cancel",
    "dialog.choose",
    "dialog.yes",
    "dialog.previous_button",
    "dialog.next_button",
    "help.close",
)
BINDING_IDS: frozenset[str] = frozenset((*APP_IDS, *DEBUG_IDS, *PANE_IDS))
"""Every binding id of the app (a test checks this against the app's bindings)."""

KeymapName = Literal["default", "portable"]

BUILTIN_KEYMAPS: dict[KeymapName, dict[str, str]] = {
    "default": {},
    # For terminals that keep function keys, Alt+arrows and Ctrl+PgUp/PgDn for themselves (macOS Terminal,
    # tmux): the debugger and the connector's tabs move to control keys that every terminal passes on and
    # that neither the app nor text editing uses. The panes' sizes can be set in the settings file instead.
    "portable": {
        "debug.run": "ctrl+r",
        "debug.step": "ctrl+l",
        "debug.breakpoint": "ctrl+backslash",
        "debug.stop": "ctrl+underscore",
        "debug.record": "ctrl+circumflex_accent",
        "connector.next_tab": "ctrl+right_square_bracket",
    },
}
"""The keymaps shipped with the app: overrides of the bindings' own keys."""
