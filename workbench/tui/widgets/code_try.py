"""A code step's Try panel: a field per attribute its code reads (pre-filled from the samples), Run, and the
attributes the result would create, or the failure with its line. The sandbox runs off the UI thread."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from workbench.attributes import AttributeCatalog, flatten_values
from workbench.code_trial import run_trial, trial_values
from workbench.engine.values import display
from workbench.model import CodeStep
from workbench.sandbox import SandboxError, SandboxLimits
from workbench.tui.widgets.error_line import ErrorLine, show_text
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.visible import literal


@dataclass(frozen=True)
class TrialSources:
    """What a Try panel needs: the attribute catalog, the sandbox limits, and where a trial's outputs go (the
    ``@`` menu offers them until the code changes)."""

    catalog: Callable[[], AttributeCatalog]
    limits: Callable[[], SandboxLimits]
    remember: Callable[[CodeStep, dict[str, Any]], None]


class CodeTry(Vertical):
    """The Try panel of one code step, following its code as it is typed (:meth:`follow`)."""

    DEFAULT_CSS = """
    CodeTry { height: auto; border-top: solid $foreground 20%; }
    CodeTry .row { height: auto; }
    CodeTry .row > Label { width: 30; }
    CodeTry #try-result { height: auto; }
    """

    def __init__(self, step: CodeStep, sources: TrialSources, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step = step
        self.sources = sources
        self.paths = list(trial_values(sources.catalog(), step))
        self._typed: dict[str, str] = {}

    def follow(self, step: CodeStep) -> None:
        """The step as it is now (its code typed since the panel was drawn): Run runs that code, and the fields
        are those of the attributes it reads (values typed in fields that stay are kept)."""
        self.step = step
        paths = list(trial_values(self.sources.catalog(), step))
        if paths == self.paths:
            return
        self._typed.update(self._field_texts())
        self.paths = paths
        self.refresh(recompose=True)

    def _field_texts(self) -> dict[str, str]:
        """The text of each attribute's field shown now, by path."""
        return {
            path: field.value
            for index, path in enumerate(self.paths)
            for field in self.query(f"#try-{index}").results(Input)
        }

    def compose(self) -> ComposeResult:
        yield Label("Try")
        values = trial_values(self.sources.catalog(), self.step)
        for index, path in enumerate(self.paths):
            with Horizontal(classes="row"):
                yield Label(literal(path))
                yield Input(self._typed.get(path, json.dumps(values.get(path))), id=f"try-{index}", compact=True)
        yield Button("Run", id="try-run", compact=True)
        yield ErrorLine(id="try-error")
        yield Static("", id="try-result")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "try-run":
            return
        event.stop()
        values = {path: parse_default(text) for path, text in self._field_texts().items()}
        show_text(self.query_one("#try-result", Static), "running…")
        self._run(values)

    @work(thread=True, exclusive=True, group="code-try", exit_on_error=False)
    def _run(self, values: dict[str, Any]) -> None:
        try:
            outputs = run_trial(self.sources.catalog(), self.step, values, self.sources.limits())
        except (SandboxError, ValueError) as error:
            self.app.call_from_thread(self._show, None, f"✗ {error}")
            return
        self.app.call_from_thread(self._show, outputs, "")

    def _show(self, outputs: dict[str, Any] | None, error: str) -> None:
        self.query_one("#try-error", ErrorLine).update(literal(error))
        result = self.query_one("#try-result", Static)
        if outputs is None:
            show_text(result, "")
            return
        lines = [f"{path} = {display(value)}" for path, value in flatten_values(self.step.name, outputs).items()]
        show_text(result, literal("\n".join(lines) or "(no attributes: the dict is empty)"))
        self.sources.remember(self.step, outputs)
