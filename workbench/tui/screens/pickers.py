"""Small modal dialogs: confirm, choose among buttons, pick a step type, name a new item."""

from __future__ import annotations

from typing import ClassVar, get_args

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.model.kinds import STEP_TYPES, StepType, require_every_kind
from workbench.store import Kind, name_key, name_problem
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input, Select
from workbench.visible import literal

STEP_TYPE_HELP: dict[str, str] = {
    "instruction": "text the agent follows; @ calls connectors and reads attributes",
    "condition": "branches tried in order (code, attribute or described test), then else",
    "collect": "ask the customer for a value and keep it as an attribute",
    "subprocedure": "run another procedure, sharing the context",
    "end": "finish: resolved, handoff or escalated",
    "code": "Python over the attributes; the dict it returns becomes attributes",
}
require_every_kind("tui.screens.pickers.STEP_TYPE_HELP", STEP_TYPE_HELP)

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .buttons > Button {{ margin-left: 1; }}
"""


_BUTTON_KEYS = [
    Binding("left", "app.focus_previous", "Previous button", show=False, id="dialog.previous_button"),
    Binding("right", "app.focus_next", "Next button", show=False, id="dialog.next_button"),
]


class ChoiceScreen(ModalScreen[str | None]):
    """A message with buttons; dismisses with the chosen button's id (``None`` on Escape)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ChoiceScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        *_BUTTON_KEYS,
    ]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]]) -> None:
        """``choices``: ``(id, label)`` pairs; the first is the default (focused)."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.title_text), classes="title")
            yield Static(literal(self.message), markup=False)
            with Horizontal(classes="buttons"):
                for index, (choice, label) in enumerate(self.choices):
                    yield Button(literal(label), id=choice, variant="primary" if index == 0 else "default")

    def on_mount(self) -> None:
        give_focus(self.query(Button).first())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question (Escape: no)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", "Cancel", id="dialog.cancel"),
        Binding("y", "dismiss(True)", "Yes", show=False, id="dialog.yes"),
        *_BUTTON_KEYS,
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question), markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="error")
                yield Button("No", id="no", variant="primary")

    def on_mount(self) -> None:
        give_focus(self.query_one("#no", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class StepTypeScreen(ModalScreen[StepType | None]):
    """Pick a step type from a list (Enter picks, Escape cancels)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="StepTypeScreen") + "StepTypeScreen OptionList { height: auto; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("enter", "choose", "Choose", priority=True, id="dialog.choose"),
    ]

    def __init__(self, title: str, current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.title_text), classes="title")
            yield OptionList(*(Option(literal(f"{kind:<13} {STEP_TYPE_HELP[kind]}"), id=kind) for kind in STEP_TYPES))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = STEP_TYPES.index(self.current) if self.current in STEP_TYPES else 0
        give_focus(options)

    def action_choose(self) -> None:
        """Enter: close at once with the highlighted type, so that keys typed right after it reach the new step
        (the list's selection message would close the picker only after them)."""
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)  # type: ignore[arg-type]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)  # type: ignore[arg-type]


IMPORT = "import"
"""What :class:`NewItemScreen` answers when the user would rather import connectors."""


class NewItemScreen(ModalScreen[tuple[Kind, str] | str | None]):
    """Ask for the kind and the name of a new workspace item (or answer :data:`IMPORT` to import instead)."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="NewItemScreen")
        + """
    NewItemScreen .field { height: 1; margin-bottom: 1; }
    NewItemScreen .field > Label { width: 8; }
    NewItemScreen .field > Input, NewItemScreen .field > Select { width: 1fr; }
    NewItemScreen #new-error { color: $text-error; height: auto; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, kind: Kind = "procedure", taken: dict[str, set[str]] | None = None) -> None:
        """``taken``: names already used, by kind."""
        super().__init__()
        self.kind = kind
        self.taken = taken or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New item", classes="title")
            with Horizontal(classes="field"):
                yield Label("Kind")
                yield Select(
                    [(literal(kind), kind) for kind in get_args(Kind)],
                    value=self.kind,
                    allow_blank=False,
                    id="new-kind",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Name")
                yield Input(id="new-name", compact=True, placeholder="e.g. Get orders")
            yield Static("", id="new-error")
            with Horizontal(classes="buttons"):
                yield Button("Import…", id="import")
                yield Button("Create", id="create", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        give_focus(self.query_one("#new-name", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "create":
            self._create()
        elif event.button.id == "import":
            self.dismiss(IMPORT)
        else:
            self.dismiss(None)

    def _create(self) -> None:
        kind = self.query_one("#new-kind", Select).value
        name = " ".join(self.query_one("#new-name", Input).value.split())
        error = self.query_one("#new-error", Static)
        if not name:
            show_text(error, "Give it a name.")
        elif any(char in name for char in "()>") and kind != "scenario":
            show_text(error, "Names may not hold (, ) or >.")
        elif twin := next(
            (other for other in self.taken.get(str(kind), ()) if name_key(other) == name_key(name)), None
        ):
            show_text(error, literal(f"A {kind} called {twin!r} already exists."))
        elif problem := name_problem(str(kind), name):
            show_text(error, literal(problem[0].upper() + problem[1:] + "."))
        else:
            self.dismiss((kind, name))  # type: ignore[arg-type]
