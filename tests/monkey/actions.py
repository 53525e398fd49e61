"""What a monkey does: small named actions (their ``repr`` is code that replays them) and the weighted vocabulary
that picks the next one from the app's state.

An action is concrete: everything random was decided when it was picked, so a list of actions replays (and
shrinks) on a fresh app. To teach the monkey a new interaction, write an action and add a :class:`Choice` to
:data:`VOCABULARY`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea

from workbench.editing.edit_session import signature
from workbench.model.kinds import STEP_TYPES
from workbench.tui.messages import OpenEntry

if TYPE_CHECKING:
    from tests.monkey.walk import Walk

NEVER_PRESSED = frozenset({"ctrl+q", "ctrl+c"})
"""Bound keys the monkey leaves alone: quitting ends the walk rather than testing anything."""
WRITES_FILES = frozenset({"ctrl+s", "ctrl+r", "ctrl+p", "f7", "ctrl+n", "ctrl+t", "ctrl+y", "u"})
"""Keys that save, create or rename items, or update a scenario from its run (left out of a walk that undoes
everything and compares the files; nothing is typed into the run panel there either)."""
MOVES = ("tab", "shift+tab", "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "enter", "escape")
EDIT_KEYS = ("backspace", "delete", "enter", "space", "ctrl+a")
FRAGMENTS = (
    "hello",
    "@",
    "@call(",
    "@read(User > ",
    'inputs["temporary"]',
    "return inputs.get('x') == \"[/]\"",
    "[bold]x[/]",
    "[/]",
    "'single' \"double\"",
    "éß 漢字 😀",
    "{{env.base_url}}",
    "{",
    "}",
    '"X-Trace": ',
    "x = 1\nreturn x",
    " ",
    "ñ",
)
SIZES = ((80, 24), (100, 30), (120, 36), (160, 48), (200, 60))
SETTING_VALUES = (
    "512",
    "16",
    "0.2",
    "-1",
    "1e9",
    "OPENAI_API_KEY",
    "not a name",
    "shop",
    "crm [/]",
    "{{env.base_url}}/token",
    "data > access_token",
    "Bearer ",
    "",
)
"""What is typed into the workspace settings' fields: numbers in and out of range, variable names and not, token
names taken and free, paths and templates."""


def _big_json() -> str:
    return json.dumps({f"X-Header-{number}": f"value [{number}] ü" for number in range(150)}, indent=2)


PASTES = (
    _big_json(),  # a big object: about 150 lines
    '{\n  "X-Trace": ',  # JSON cut short
    "{'single': 'quotes'}",  # not JSON
    "curl -X GET 'http://127.0.0.1:9/x' -H 'Accept: application/json'",
    "[bold]pasted[/bold] [/] 😀 " * 200,  # about 6 KB of markup-like text
    "line one\nline two\n\tindented",
)


@dataclass(frozen=True)
class Action:
    """One thing a user does; :meth:`run` does it through the pilot."""

    async def run(self, walk: Walk) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Press(Action):
    """Press keys, one after the other."""

    keys: tuple[str, ...]

    async def run(self, walk: Walk) -> None:
        await walk.pilot.press(*self.keys)


@dataclass(frozen=True)
class Type(Action):
    """Type text where the focus is (a newline is Enter)."""

    text: str

    async def run(self, walk: Walk) -> None:
        await walk.pilot.press(*("enter" if char == "\n" else char for char in self.text))


@dataclass(frozen=True)
class Paste(Action):
    """Paste text where the focus is, as a terminal's bracketed paste delivers it."""

    text: str

    def __repr__(self) -> str:
        return f"Paste(PASTES[{PASTES.index(self.text)}])" if self.text in PASTES else f"Paste({self.text!r})"

    async def run(self, walk: Walk) -> None:
        walk.app.post_message(events.Paste(self.text))
        await walk.pilot.pause()


@dataclass(frozen=True)
class Resize(Action):
    """Resize the terminal."""

    width: int
    height: int

    async def run(self, walk: Walk) -> None:
        await walk.pilot.resize_terminal(self.width, self.height)


@dataclass(frozen=True)
class Focus(Action):
    """Click a control: ``selector`` is ``#id``, or ``Type@n`` for the n-th focusable control of that type."""

    selector: str

    async def run(self, walk: Walk) -> None:
        chain = walk.app.screen.focus_chain
        for widget in chain:
            if _selector(widget, chain) == self.selector:
                widget.focus()
                break
        await walk.pilot.pause()


@dataclass(frozen=True)
class Open(Action):
    """Open an item from the tree: F2, the cursor onto it, Enter."""

    kind: str
    name: str

    async def run(self, walk: Walk) -> None:
        session = walk.app.session
        entry = session.find(self.kind, self.name) if session else None
        if entry is None or walk.app.screen is not walk.app.screen_stack[0]:
            return
        await walk.pilot.press("f2")
        tree = walk.app.tree
        if walk.app.focused is not tree:
            return
        line = next((node.line for node in _tree_nodes(tree) if node.data is entry), None)
        if line is not None and line >= 0:
            tree.cursor_line = line
            await walk.pilot.press("enter")


@dataclass(frozen=True)
class OpenFirst(Action):
    """Open the first item of ``kind`` (``scenario``): where a walk that studies one editor starts."""

    kind: str

    async def run(self, walk: Walk) -> None:
        entries = walk.app.session.of_kind(self.kind) if walk.app.session else []
        if entries:
            await Open(self.kind, entries[0].name).run(walk)


@dataclass(frozen=True)
class OpenSettings(Action):
    """Open the workspace settings (workbench.json), as the palette's "Open settings" does."""

    async def run(self, walk: Walk) -> None:
        if walk.app.session is not None:
            walk.app.post_message(OpenEntry(walk.app.session.settings))
            await walk.pilot.pause()


@dataclass(frozen=True)
class StepEdit(Action):
    """In the open procedure's outline: the cursor onto ``line``, then ``key`` (``a`` add, ``t`` retype, ``x``
    remove, ``b`` add branch, ``e`` error path, ``ctrl+up``/``ctrl+down`` move); a step type picker that opens
    gets ``kind``, a question gets ``answer``; then ``typed`` is typed at once, as an author fills what was just
    made (it must land in a field, never run the outline's one-letter commands)."""

    line: int
    key: str
    kind: str = "instruction"
    answer: str = "y"
    typed: str = ""

    async def run(self, walk: Walk) -> None:
        from workbench.tui.screens.pickers import ConfirmScreen, StepTypeScreen
        from workbench.tui.widgets.step_outline import StepOutline

        editor = walk.app.current_editor
        outlines = list(editor.query(StepOutline)) if editor is not None else []
        if not outlines or walk.app.screen is not walk.app.screen_stack[0]:
            return
        outline = outlines[0]
        outline.focus()
        if outline.last_line >= 0:
            outline.cursor_line = min(self.line, outline.last_line)
        await walk.pilot.press(self.key)
        if isinstance(walk.app.screen, StepTypeScreen):
            await walk.pilot.press("home", *["down"] * STEP_TYPES.index(self.kind), "enter")
        elif isinstance(walk.app.screen, ConfirmScreen):
            await walk.pilot.press(self.answer)
        if self.typed:
            await Type(self.typed).run(walk)


@dataclass(frozen=True)
class Rename(Action):
    """F7 in the item in front, a new name typed over the old one, Enter."""

    name: str

    async def run(self, walk: Walk) -> None:
        from workbench.tui.screens.rename import RenameScreen

        await walk.pilot.press("f7")
        if isinstance(walk.app.screen, RenameScreen):
            await walk.pilot.press("ctrl+a", *self.name, "enter")
            if isinstance(walk.app.screen, RenameScreen):
                await walk.pilot.press("escape")


@dataclass(frozen=True)
class NewItem(Action):
    """Ctrl+N, a name, Enter: a new (unsaved) procedure."""

    name: str

    async def run(self, walk: Walk) -> None:
        from workbench.tui.screens.pickers import NewItemScreen

        await walk.pilot.press("ctrl+n")
        if isinstance(walk.app.screen, NewItemScreen):
            await walk.pilot.press(*self.name, "enter")
            if isinstance(walk.app.screen, NewItemScreen):
                await walk.pilot.press("escape")


@dataclass(frozen=True)
class DiskEdit(Action):
    """Change a file under the app, as an editor or ``git pull`` would: ``how`` is ``touch`` (same content,
    rewritten), ``change`` (a new description), ``break`` (not JSON), ``delete`` or ``restore`` (the walk's
    original bytes)."""

    path: str
    how: str

    async def run(self, walk: Walk) -> None:
        path = walk.root / self.path
        original = walk.original.get(self.path)
        if self.how == "delete":
            path.unlink(missing_ok=True)
        elif self.how == "restore" and original is not None:
            path.write_bytes(original)
        elif self.how == "break":
            path.write_text('{"name": "half', encoding="utf-8")
        elif path.exists() and self.how in ("touch", "change"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                return
            if self.how == "change" and isinstance(data, dict):
                data["description"] = f"changed on disk [/] {len(str(data))}"
            path.write_text(json.dumps(data, indent=4, ensure_ascii=False), encoding="utf-8")
        await walk.until_noticed(path)


RESULTS_PATHS = ("workbench.json", "missing.json", "scenarios/", "", "sim", "../", "[bold]x[/].json")
"""What the monkey gives the run panel's "Compare results" dialog: not results files, folders, nothing."""


@dataclass(frozen=True)
class CompareResults(Action):
    """Into the run panel (F6), its compare key, two paths (each → to take a completion), Enter; Escape if the
    dialog is still open (the files were no results files)."""

    before: str
    after: str

    async def run(self, walk: Walk) -> None:
        from workbench.tui.screens.compare_results import CompareResultsScreen

        if walk.app.screen is not walk.app.screen_stack[0]:
            return
        await walk.pilot.press("f6", "c")
        if isinstance(walk.app.screen, CompareResultsScreen):
            await walk.pilot.press(*self.before, "right", "enter", *self.after, "right", "enter")
            await walk.pilot.pause()
            if isinstance(walk.app.screen, CompareResultsScreen):
                await walk.pilot.press("escape")


SCENARIO_FIELDS: dict[str, tuple[str, ...]] = {
    "tab-scenario": (
        "#scenario-name",
        "#description",
        "#procedure",
        "#attributes .group",
        "#attributes .name",
        "#attributes .value",
        "#attributes .add",
        "#attributes .remove",
        "#replies .group",
        "#replies .name",
        "#replies .value",
        "#replies .add",
        "#replies .remove",
    ),
    "tab-mocks": (
        "#mock",
        "#mock-add",
        "#mock-remove",
        "#mock-status",
        "#mock-latency",
        "#mock-fault",
        "#mock-body JsonArea",
        "#mock-then JsonArea",
    ),
    "tab-expect": (
        "#expect-outcome",
        "#expect-path",
        "#expect-calls",
        "#expect-messages",
        "#expect-attributes JsonArea",
        "#expect-errors JsonArea",
        "#expect-criteria",
    ),
    "tab-simulation": (
        "#simulation-add",
        "#sim-persona",
        "#sim-goal",
        "#sim-turns",
        "#sim-facts JsonArea",
        "#sim-connectors JsonArea",
        "#simulation-remove",
    ),
    "tab-json": ("#document JsonArea",),
}
"""The scenario form's controls by tab: what :class:`FormField` goes to."""


@dataclass(frozen=True)
class FormField(Action):
    """In the scenario editor in front: show ``tab`` and click the control ``field`` (a selector inside it; a
    control not shown or disabled, e.g. a mock's status when there is no mock, is left alone)."""

    tab: str
    field: str

    async def run(self, walk: Walk) -> None:
        from workbench.tui.focus import give_focus
        from workbench.tui.widgets.scenario_editor import ScenarioEditor

        editor = walk.app.current_editor
        if not isinstance(editor, ScenarioEditor) or walk.app.screen is not walk.app.screen_stack[0]:
            return
        await editor.show_tab(self.tab)
        await walk.pilot.pause()
        found = editor.query(self.field)
        if found and found.first().focusable:
            give_focus(found.first())
        await walk.pilot.pause()


@dataclass(frozen=True)
class SettingsEdit(Action):
    """In the workspace settings in front: the control ``#id`` (a field, a choice, a button, the tokens table)
    focused, then a field's text typed over with ``text``, a choice moved ``downs`` options on, a button pressed,
    or the table's cursor moved ``downs`` rows on."""

    id: str
    text: str = ""
    downs: int = 0

    async def run(self, walk: Walk) -> None:
        from workbench.tui.widgets.fields import Select
        from workbench.tui.widgets.settings_editor import SettingsEditor

        editor = walk.app.current_editor
        found = editor.query(f"#{self.id}") if isinstance(editor, SettingsEditor) else None
        if not found or walk.app.screen is not walk.app.screen_stack[0]:
            return
        control = found.first()
        if not control.focusable:
            return
        control.focus()
        await walk.pilot.pause()
        if isinstance(control, Input):
            await walk.pilot.press("ctrl+a", *(self.text or ["backspace"]))
        elif isinstance(control, Select):
            await walk.pilot.press("enter", *["down"] * self.downs, "enter")
        else:
            await walk.pilot.press(*["down"] * self.downs, "enter")


@dataclass(frozen=True)
class UndoRedo(Action):
    """A run of Ctrl+Z, then a run of Ctrl+Y."""

    undos: int
    redos: int

    async def run(self, walk: Walk) -> None:
        await walk.pilot.press(*["ctrl+z"] * self.undos, *["ctrl+y"] * self.redos)


# -- the vocabulary --------------------------------------------------------------------------------------------

Make = Callable[["Walk", random.Random], Action | None]


@dataclass(frozen=True)
class Choice:
    """One kind of action, how often it is picked (``edit_weight`` in a round trip, which wants edits to undo),
    and whether a walk that compares files may pick it."""

    weight: float
    make: Make
    keeps_files: bool = True
    edit_weight: float | None = None


def _bound_key(walk: Walk, rng: random.Random) -> Action | None:
    keys = sorted(
        key
        for key, active in walk.app.screen.active_bindings.items()
        if active.enabled and key not in NEVER_PRESSED and not (walk.roundtrip and key in WRITES_FILES)
    )
    return Press((rng.choice(keys),)) if keys else None


def _move(walk: Walk, rng: random.Random) -> Action:
    return Press(tuple(rng.choice(MOVES) for _ in range(rng.randint(1, 3))))


def _edit_key(walk: Walk, rng: random.Random) -> Action:
    return Press((rng.choice(EDIT_KEYS),))


def _type(walk: Walk, rng: random.Random) -> Action | None:
    if walk.roundtrip and _in_run_panel(walk):
        return None
    return Type("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 3))))


def _paste(walk: Walk, rng: random.Random) -> Action:
    return Paste(rng.choice(PASTES))


def _select_all_and_paste(walk: Walk, rng: random.Random) -> Action:
    return Press(("ctrl+a",)) if rng.random() < 0.5 else Paste(rng.choice(PASTES))


def _resize(walk: Walk, rng: random.Random) -> Action:
    if rng.random() < 0.5:
        return Resize(*rng.choice(SIZES))
    return Resize(rng.randint(80, 200), rng.randint(24, 60))


def _focus(walk: Walk, rng: random.Random) -> Action | None:
    chain = walk.app.screen.focus_chain
    return Focus(_selector(rng.choice(chain), chain)) if chain else None


def _open(walk: Walk, rng: random.Random) -> Action | None:
    session = walk.app.session
    if session is None or not session.entries:
        return None
    if rng.random() < 0.1:
        return OpenSettings()
    entry = rng.choice(session.entries)
    return Open(entry.kind, entry.name)


def _step_edit(walk: Walk, rng: random.Random) -> Action:
    key = rng.choice(("a", "a", "a", "t", "t", "x", "b", "e", "ctrl+up", "ctrl+down"))
    typed = rng.choice(("", "", "", "the parcel is late", "Conversation > photo", 'inputs["temporary"]'))
    return StepEdit(rng.randint(0, 12), key, rng.choice(STEP_TYPES), rng.choice(("y", "escape")), typed)


def _compare_results(walk: Walk, rng: random.Random) -> Action:
    return CompareResults(rng.choice(RESULTS_PATHS), rng.choice(RESULTS_PATHS))


def _form_field(walk: Walk, rng: random.Random) -> Action | None:
    from workbench.tui.widgets.scenario_editor import ScenarioEditor

    if not isinstance(walk.app.current_editor, ScenarioEditor):
        return None
    tab = rng.choice(sorted(SCENARIO_FIELDS))
    return FormField(tab, rng.choice(SCENARIO_FIELDS[tab]))


def _settings_edit(walk: Walk, rng: random.Random) -> Action | None:
    from workbench.tui.widgets.settings_editor import SettingsEditor

    editor = walk.app.current_editor
    if not isinstance(editor, SettingsEditor):
        return OpenSettings() if rng.random() < 0.3 else None
    ids = sorted(widget.id for widget in editor.query("*") if widget.focusable and widget.id)
    if not ids:
        return None
    return SettingsEdit(rng.choice(ids), rng.choice(SETTING_VALUES), rng.randint(0, 3))


def _undo_redo(walk: Walk, rng: random.Random) -> Action:
    return UndoRedo(rng.randint(1, 6), rng.choice((0, 0, 1, 2, 4)))


def _save(walk: Walk, rng: random.Random) -> Action:
    return Press(("ctrl+s",))


def _rename(walk: Walk, rng: random.Random) -> Action:
    return Rename(rng.choice(("Renamed", "Renamed [bold]x[/] é", "x" * 70, "Order status")))


def _new_item(walk: Walk, rng: random.Random) -> Action:
    return NewItem(rng.choice(("New one", "Nouveau [/] ✓", "Order status")))


def _disk(walk: Walk, rng: random.Random) -> Action | None:
    paths = sorted(path for path in walk.original if path.endswith(".json"))
    if not paths:
        return None
    return DiskEdit(rng.choice(paths), rng.choice(("touch", "change", "change", "break", "delete", "restore")))


def _debug(walk: Walk, rng: random.Random) -> Action:
    return Press(tuple(rng.choice(("f5", "f10", "f10", "f9", "shift+f5", "f6")) for _ in range(rng.randint(1, 4))))


VOCABULARY: tuple[Choice, ...] = (
    Choice(14, _bound_key),
    Choice(10, _move),
    Choice(5, _edit_key),
    Choice(14, _type),
    Choice(3, _paste),
    Choice(2, _select_all_and_paste),
    Choice(2, _resize),
    Choice(8, _focus),
    Choice(8, _open, edit_weight=4),
    Choice(9, _step_edit, edit_weight=30),
    Choice(14, _form_field, edit_weight=20),
    Choice(4, _settings_edit, edit_weight=6),
    Choice(5, _undo_redo),
    Choice(3, _save, keeps_files=False),
    Choice(1, _rename, keeps_files=False),
    Choice(1, _new_item, keeps_files=False),
    Choice(2, _disk, keeps_files=False),
    Choice(4, _debug),
    Choice(1, _compare_results),
)


def pick(walk: Walk, rng: random.Random) -> Action:
    """The next action: a weighted choice from :data:`VOCABULARY` (those that keep files in a round trip)."""
    choices = [choice for choice in VOCABULARY if choice.keeps_files or not walk.roundtrip]
    weights = [
        choice.edit_weight if walk.roundtrip and choice.edit_weight is not None else choice.weight for choice in choices
    ]
    while True:
        choice = rng.choices(choices, weights=weights)[0]
        action = choice.make(walk, rng)
        if action is not None:
            return action


# -- helpers ---------------------------------------------------------------------------------------------------


def _in_run_panel(walk: Walk) -> bool:
    focused = walk.app.focused
    return focused is not None and any(node.id == "debug" for node in focused.ancestors_with_self)


def _selector(widget: Widget, chain: list[Widget]) -> str:
    if widget.id:
        return f"#{widget.id}"
    same = [other for other in chain if type(other) is type(widget)]
    return f"{type(widget).__name__}@{same.index(widget)}"


def _tree_nodes(tree: Any) -> list[Any]:
    pending, nodes = list(tree.root.children), []
    while pending:
        node = pending.pop(0)
        nodes.append(node)
        pending[:0] = list(node.children)
    return nodes


def field_text(widget: Widget | None) -> str | None:
    """The text of a text field (``None`` for anything else)."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return None


def noticed(walk: Walk, path: Path) -> bool:
    """Whether the app has caught up with ``path`` on disk (its entry's signature, or it is gone from the app)."""
    session = walk.app.session
    entry = session.by_path(path) if session else None
    return entry is None or entry.disk == signature(path) or walk.app.screen is not walk.app.screen_stack[0]
