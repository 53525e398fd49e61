"""The user's settings in the app: a keymap from the settings file moves the debugger's keys (and every hint
follows), a broken file still starts the app with defaults and says where it is wrong, the theme persists."""

from __future__ import annotations

import ast
import functools
import importlib
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.quick_pilot import quick_test
from tests.source_rules import broken
from tests.tui.conftest import front_editor, open_item, running, settle, told, workbench_of
from tests.tui.debug.harness import brisk, finished, state, status
from tests.waiting import mounted, wait_until
from workbench.settings.config_file import config_path
from workbench.settings.keymaps import BINDING_IDS, BUILTIN_KEYMAPS
from workbench.tui import preferences
from workbench.tui.app import WorkbenchApp
from workbench.tui.keys import BINDING_HOMES, binding_keys, clashes
from workbench.tui.screens.help import HelpScreen, help_sections
from workbench.tui.widgets.procedure_editor import ProcedureEditor

WIDE = (160, 48)
REMAP = {"debug.run": "ctrl+l", "debug.step": "ctrl+underscore", "debug.breakpoint": "ctrl+backslash"}
TUI = Path(__file__).resolve().parents[2] / "workbench" / "tui"
OLD_KEYS = r"(?<!Shift\+)\bF(5|9|10)\b"  # the remapped ones (Shift+F5, stop, is not)
KEY_NAME = re.compile(r"(?<![#\w])F\d{1,2}\b|\b([Cc]trl|[Aa]lt|[Ss]hift)\+")  # not a colour (#F90)


def write_config(data: Any) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


async def run_status(pilot: Pilot[None]) -> str:
    """The run bar's status, once the run panel has mounted its view (after the first frames)."""
    app = workbench_of(pilot)
    await mounted(lambda: app.main.debugger.run_bar.query_one("#run-status"), pilot, what="the run bar's status")
    await pilot.pause()
    return status(app.main.debugger)


def notes(app: WorkbenchApp) -> str:
    return told(app)


async def to_breakpoint(pilot: Pilot[None], keys: tuple[str, str]) -> WorkbenchApp:
    """Open Order status, select big-order, press the breakpoint key then the run key."""
    app = workbench_of(pilot)
    await open_item(pilot, "procedure", "Order status")
    await front_editor(app, ProcedureEditor).select_step("big-order")
    front_editor(app, ProcedureEditor).outline.focus()
    await pilot.press(*keys)
    return app


async def test_a_key_a_keymap_gives_twice_is_told_found_off_the_ui_thread_and_what_lost_it(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keymap giving Ctrl+S (save) to the debugger's run: the clash is found off the UI thread and told, naming
    what lost the key, and Ctrl+S runs. (Two tests with this keymap once, each starting the app.)"""
    on_the_ui_thread: list[bool] = []
    find = clashes

    def found(app: Any) -> list[str]:  # importing every pane's bindings (the engine's too) would freeze the UI
        on_the_ui_thread.append(threading.current_thread() is threading.main_thread())
        return find(app)

    monkeypatch.setattr(preferences, "clashes", found)
    write_config({"keymap": {"bindings": {"debug.run": "ctrl+s"}}})
    async with running(brisk(desk_copy), WIDE) as pilot:
        app = workbench_of(pilot)
        await wait_until(lambda: "One key cannot run both everywhere" in told(app), pilot, what="the clash told")
        assert "Ctrl+S: debug.run, app.save" in told(app) and on_the_ui_thread == [False]
        await to_breakpoint(pilot, ("f9", "ctrl+s"))
        await wait_until(lambda: state(app.main.debugger) == "paused", pilot)


async def test_a_keymap_in_the_settings_moves_the_debugger_keys_and_every_hint(desk_copy: Path) -> None:
    write_config({"keymap": {"bindings": REMAP}})
    async with running(brisk(desk_copy), WIDE) as pilot:
        app = workbench_of(pilot)
        assert await run_status(pilot) == "ready: Ctrl+L runs, Ctrl+_ steps, F6 tabs"
        panel_help = app.main.debug_panel.HELP
        assert "Ctrl+L runs or continues, Ctrl+_ steps, Ctrl+\\ sets a breakpoint" in panel_help
        assert not re.search(OLD_KEYS, panel_help)
        await to_breakpoint(pilot, ("f9", "f5"))  # the old keys do nothing now
        await pilot.pause()
        assert state(app.main.debugger) is None and app.current_editor.outline.markers == {}
        await pilot.press("ctrl+r")  # recording before a run says which key runs
        await wait_until(lambda: "Finish a run first (Ctrl+L)" in notes(app), pilot)
        await pilot.press("ctrl+backslash", "ctrl+l")
        await wait_until(
            lambda: state(app.main.debugger) == "paused" and app.main.debugger.current_step is not None, pilot
        )
        await wait_until(lambda: status(app.main.debugger).endswith("Ctrl+L continue, Ctrl+_ step"), pilot)
        await pilot.press("ctrl+underscore")
        await wait_until(lambda: app.main.debugger.current_step == ("Order status", "tracking"), pilot)
        await pilot.press("ctrl+l")
        await finished(pilot, app.main.debugger)
        assert status(app.main.debugger).endswith("(Ctrl+L runs again)")
        app.main.debug_panel.focus()
        await pilot.press("f1")
        await wait_until(lambda: isinstance(app.screen, HelpScreen), pilot)
        shown = "\n".join(f"{section.text}\n{section.keys}" for section in help_sections(app, app.main.debug_panel))
        assert "Ctrl+L runs" in shown and "Ctrl+_ steps" in shown and not re.search(OLD_KEYS, shown)


async def test_the_portable_keymap_reaches_the_debugger_without_function_keys(desk_copy: Path) -> None:
    write_config({"keymap": {"name": "portable"}})
    portable = BUILTIN_KEYMAPS["portable"]
    async with running(brisk(desk_copy), WIDE) as pilot:
        app = await to_breakpoint(pilot, (portable["debug.breakpoint"], portable["debug.run"]))
        await wait_until(lambda: state(app.main.debugger) == "paused", pilot)
        # The status line is redrawn after the state changes: wait for it (under load it can lag a frame).
        await wait_until(lambda: status(app.main.debugger).endswith("Ctrl+R continue, Ctrl+L step"), pilot)
        await pilot.press(portable["debug.stop"])
        await wait_until(lambda: state(app.main.debugger) != "paused", pilot)


async def test_a_broken_settings_file_starts_the_app_with_defaults_and_says_where(desk_copy: Path) -> None:
    """Each bad part of the file is told with its line and column, and keeps its default (the keymap's: F5 and
    F9 reach the debugger). A file that is not JSON at all gives the defaults and its place the same way
    (tests/settings/test_user_config.py::test_a_file_that_is_not_json_gives_the_defaults_and_its_place, without
    the app: once a second app here)."""
    keymap = '  "keymap": {"name": "tmux", "bindings": {"debug.go": "f12"}},'
    path = write_config(f'{{\n{keymap}\n  "lint_delay": "x"\n}}')
    async with running(brisk(desk_copy), WIDE) as pilot:
        app = workbench_of(pilot)
        said = notes(app)
        name, binding = (keymap.index(f'"{key}"') + 1 for key in ("name", "debug.go"))
        assert f"{path}:2:{name}: keymap.name:" in said and f'{path}:2:{binding}: keymap.bindings["debug.go"]:' in said
        assert f"{path}:3:3: lint_delay:" in said
        assert await run_status(pilot) == "ready: F5 runs, F10 steps, F6 tabs"  # the default keymap
        await to_breakpoint(pilot, ("f9", "f5"))
        await wait_until(lambda: state(app.main.debugger) == "paused", pilot)


async def test_an_unknown_theme_is_reported_and_the_theme_chosen_in_the_palette_persists(desk_copy: Path) -> None:
    """An unknown theme is told, the default kept and the file not rewritten without a choice; a theme chosen in
    the palette is written beside the other settings (the next start uses a theme the file names: the delays'
    test starts with one; this test once started a second app for it, the unknown theme's a third)."""
    path = write_config({"keymap": {"name": "portable"}, "panes": {"tree": 40}, "theme": "no-such-theme"})
    written = path.read_bytes()
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        assert "no theme 'no-such-theme'" in notes(app) and app.theme == "textual-dark"
        await settle(pilot)
        assert path.read_bytes() == written  # not rewritten without a choice
        await pilot.press("ctrl+p")
        await pilot.press(*"theme", "enter")
        await settle(pilot)
        await pilot.press(*"nord", "enter")
        await wait_until(lambda: app.theme == "nord", pilot)
        await wait_until(lambda: json.loads(config_path().read_text()).get("theme") == "nord", pilot)
    assert json.loads(config_path().read_text()) == {
        "keymap": {"name": "portable"},
        "panes": {"tree": 40},
        "theme": "nord",
    }


@functools.cache
def tui_modules() -> list[tuple[Path, ast.Module]]:
    """Every module of the app's TUI, parsed once for the rules below (read-only: each only walks the trees)."""
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(TUI.rglob("*.py"))]


def test_every_binding_has_a_known_id() -> None:
    """Each binding of the app's source has an id, the ids are those the settings accept, and each is used."""
    found: set[str] = set()
    for path, tree in tui_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                ids = [keyword.value for keyword in node.keywords if keyword.arg == "id"]
                assert ids and isinstance(ids[0], ast.Constant), f"{path.name}:{node.lineno}: a binding without an id"
                found.add(str(ids[0].value))
    assert found == BINDING_IDS


def unregistered_bindings(module: str, source: str) -> list[str]:
    """Where a module of the app writes a binding outside the homes :data:`BINDING_HOMES` lists (a class's
    ``BINDINGS`` or a list of bindings at the top of the module): the hints could not find its keys."""
    if not module.startswith("tui/"):
        return []
    dotted = "workbench." + module.removesuffix(".py").replace("/", ".")
    found: list[str] = []
    for top in ast.parse(source).body:
        targets = top.targets if isinstance(top, ast.Assign) else [top.target] if isinstance(top, ast.AnnAssign) else []
        names = [top.name] if isinstance(top, ast.ClassDef) else [getattr(target, "id", "") for target in targets]
        if any(f"{dotted}:{name}" in BINDING_HOMES for name in names):
            continue
        found.extend(
            f"{module}:{node.lineno}: a binding outside the homes keys.BINDING_HOMES lists"
            for node in ast.walk(top)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding"
        )
    return found


def test_every_binding_is_written_in_a_registered_home() -> None:
    assert broken(unregistered_bindings) == []
    for home in BINDING_HOMES:  # and each home still has bindings there
        module, _, name = home.partition(":")
        assert binding_keys(getattr(importlib.import_module(module), name)), f"{home}: no bindings"


def test_the_binding_rule_finds_one_in_a_new_module() -> None:
    source = (
        "class NewPane(Widget):\n"
        "    BINDINGS = [Binding('f2', 'go', 'Go', id='pane.go')]\n"
        "KEYS = [Binding('f3', 'stop', 'Stop', id='pane.stop')]\n"
        "class StepOutline(Tree):\n"
        "    BINDINGS = [Binding('a', 'add', 'Add', id='outline.add_step')]\n"
    )
    assert unregistered_bindings("tui/widgets/new_pane.py", source) == [
        "tui/widgets/new_pane.py:2: a binding outside the homes keys.BINDING_HOMES lists",
        "tui/widgets/new_pane.py:3: a binding outside the homes keys.BINDING_HOMES lists",
        "tui/widgets/new_pane.py:5: a binding outside the homes keys.BINDING_HOMES lists",
    ]
    assert unregistered_bindings("tui/widgets/step_outline.py", source) == [
        "tui/widgets/step_outline.py:2: a binding outside the homes keys.BINDING_HOMES lists",
        "tui/widgets/step_outline.py:3: a binding outside the homes keys.BINDING_HOMES lists",
    ]


def test_no_text_of_the_app_names_a_key_by_hand() -> None:
    """Strings that reach the user name keys through the active keymap (docstrings and the bindings aside)."""
    offenders: list[str] = []
    for path, tree in tui_modules():
        skipped: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                skipped.update(id(arg) for arg in ast.walk(node))
            if isinstance(node, ast.Expr):
                skipped.add(id(node.value))  # a docstring, of a module, a class, a function or an attribute
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and id(node) not in skipped else None
            if isinstance(node, ast.Constant) and isinstance(text, str) and KEY_NAME.search(text):
                offenders.append(f"{path.name}:{node.lineno}: {text!r}")
    assert offenders == []


def test_the_portable_keys_collide_with_no_other_binding() -> None:
    """The portable keymap's keys are bound to nothing else, by the app or by Textual's text fields."""
    from textual.widgets import Input, TextArea

    from workbench.tui.keys import default_keys

    taken = {key for binding_id in BINDING_IDS for key in default_keys(binding_id).split(",")}
    taken |= {key for widget in (Input, TextArea) for binding in widget.BINDINGS for key in binding.key.split(",")}
    portable = {key for keys in BUILTIN_KEYMAPS["portable"].values() for key in keys.split(",")}
    assert portable.isdisjoint(taken - {BUILTIN_KEYMAPS["portable"]["debug.run"]}), portable & taken
    assert default_keys("debug.record") == BUILTIN_KEYMAPS["portable"]["debug.run"]  # which the keymap moves away


async def test_the_delays_pane_sizes_and_theme_come_from_the_settings_and_hints_drawn_before_follow_them(
    desk_copy: Path,
) -> None:
    """The delays, pane sizes and theme come from the settings file, a delay the test gives wins over it; hints
    drawn before the settings were read follow them once they are. (Three apps once: each delay given or not in
    one; the hints in an app of their own; the theme chosen, at the next start.)"""
    from workbench.settings.user_config import UserConfig

    write_config({"lint_delay": 1.5, "transform_delay": 0.7, "panes": {"debug": 50, "tree": 40}, "theme": "nord"})
    app = WorkbenchApp(desk_copy, watch_interval=3600, lint_delay=0.01)  # the lint delay given, not the other
    async with quick_test(app, size=WIDE) as pilot:
        await settle(pilot)
        assert (app.linter.delay, app.transform_delay, app.main._sizes["debug"]) == (0.01, 0.7, 50)
        assert app.main.debug_panel.styles.width is not None and app.main.debug_panel.styles.width.value == 50
        assert app.theme == "nord" and app.query_one("#tree").styles.width.value == 40
        assert (await run_status(pilot)).startswith("ready: F5 runs")  # no keymap in the file: the default
        app._configured(UserConfig.model_validate({"keymap": {"bindings": {**REMAP, "app.help": "f12"}}}), [])
        await pilot.pause()
        assert status(app.main.debugger).startswith("ready: Ctrl+L runs, Ctrl+_ steps")
        assert "F12  the keys of the focused pane" in str(app.query_one("#welcome").render())


def test_a_key_the_keymap_gives_to_the_main_screen_is_taken_from_the_app_binding_that_had_it() -> None:
    from textual.binding import Binding

    from workbench.tui.keys import keys_taken

    app_bindings = [
        Binding("ctrl+s", "save", "Save", id="app.save"),
        Binding("ctrl+q,ctrl+w", "quit", "Quit", id="app.quit"),
        Binding("f1", "help", "Help", id="app.help"),
    ]
    keymap = {"debug.run": "ctrl+s", "debug.step": "ctrl+w,f12", "app.help": "ctrl+s", "editor.undo": "ctrl+q"}
    assert keys_taken(app_bindings, keymap, {"debug.run", "debug.step"}) == {"save": {"ctrl+s"}, "quit": {"ctrl+w"}}
