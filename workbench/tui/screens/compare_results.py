"""The run panel's "Compare results" dialog: two simulation results files (``workbench simulate --results``),
before and after, each a path field that completes from the workspace's folder; the files are read and
compared off the UI loop, and a file that cannot be read or is not a results file is named with what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from workbench.agent.comparison import Comparison, compare_files
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.path_field import PathInput
from workbench.visible import literal


@dataclass(frozen=True)
class ComparedFiles:
    """Two results files and their comparison."""

    before: Path
    after: Path
    comparison: Comparison


class CompareResultsScreen(ModalScreen[ComparedFiles | None]):
    """Dismisses with the comparison (``None`` on Cancel or Escape)."""

    DEFAULT_CSS = """
    CompareResultsScreen { align: center middle; }
    CompareResultsScreen > Vertical {
        width: 90; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 1 2;
    }
    CompareResultsScreen .title { text-style: bold; margin-bottom: 1; }
    CompareResultsScreen .field { height: 1; margin-bottom: 1; }
    CompareResultsScreen .field > Label { width: 8; }
    CompareResultsScreen .field > Input { width: 1fr; }
    CompareResultsScreen #compare-message { height: auto; max-height: 8; color: $text-muted; }
    CompareResultsScreen #compare-message.error { color: $text-error; }
    CompareResultsScreen .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    CompareResultsScreen .buttons > Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, base: Path) -> None:
        """``base``: where relative paths start (the workspace's folder)."""
        super().__init__()
        self.base = base
        self._generation = 0  # bumped on every edit: a comparison of older paths is dropped

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Compare simulation results (workbench simulate --results FILE)", classes="title")
            with Horizontal(classes="field"):
                yield Label("Before")
                yield PathInput(self.base, id="compare-before", compact=True, placeholder="OLD.json")
            with Horizontal(classes="field"):
                yield Label("After")
                yield PathInput(self.base, id="compare-after", compact=True, placeholder="NEW.json")
            yield Static(literal("→ or End takes the completion; Enter compares."), id="compare-message")
            with Horizontal(classes="buttons"):
                yield Button("Compare", id="compare", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        give_focus(self.query_one("#compare-before", PathInput))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._generation += 1

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        after = self.query_one("#compare-after", PathInput)
        if event.input.id == "compare-before" and not after.value.strip():
            give_focus(after)
        else:
            self.action_compare()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "compare":
            self.action_compare()
        elif event.button.id == "cancel":
            self.dismiss(None)

    def action_compare(self) -> None:
        """Read and compare the two files (in a thread: results files can be large)."""
        before = self.query_one("#compare-before", PathInput).path()
        after = self.query_one("#compare-after", PathInput).path()
        if before is None or after is None:
            self._say("Give both files: the results before and after.", error=True)
            return
        self._say(f"Reading {before.name} and {after.name}…")
        self._compare(before, after, self._generation)

    @work(thread=True, exclusive=True, group="compare-results", exit_on_error=False)
    def _compare(self, before: Path, after: Path, generation: int) -> None:
        try:
            found: ComparedFiles | str = ComparedFiles(before, after, compare_files(before, after))
        except ValueError as error:
            found = str(error)
        self.app.call_from_thread(self._done, found, generation)

    def _done(self, found: ComparedFiles | str, generation: int) -> None:
        if generation != self._generation or not self.is_attached:
            return
        if isinstance(found, str):
            self._say(found, error=True)
        else:
            self.dismiss(found)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#compare-message", Static)
        message.set_class(error, "error")
        show_text(message, literal(text))
