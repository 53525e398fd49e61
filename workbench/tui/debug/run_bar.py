"""The run bar: which procedure to run, in which mode and environment, who plays the agent, and where the run is."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from workbench.agent.players import MODEL, SCRIPTED, YOU
from workbench.model.connector import ResponseMode
from workbench.tui.colours import on_theme_change, palette
from workbench.tui.keys import KeyText
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Select
from workbench.visible import literal

MODES: list[tuple[str, str]] = [
    ("connector modes", ""),
    ("all example", "example"),
    ("all dynamic", "dynamic"),
    ("all live", "live"),
]


class RunBar(Container):
    """Procedure, mode, environment and agent pickers, and the run's status."""

    DEFAULT_CSS = """
    RunBar { layout: grid; grid-size: 2; grid-columns: 1fr 1fr; grid-gutter: 0 1; height: auto; }
    RunBar > #run-procedure { column-span: 2; }
    RunBar > #run-agent { column-span: 2; }
    RunBar > #run-status { column-span: 2; height: auto; padding: 0 1; }
    """

    def __init__(
        self,
        procedures: Iterable[str],
        environments: Iterable[str],
        default_environment: str | None,
        *,
        scenarios: Iterable[str] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._scenarios = sorted(scenarios, key=str.lower)
        self._procedures = sorted(procedures, key=str.lower)
        self._environments = list(environments)
        self._default_environment = default_environment
        self._status: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Select(
            [(literal(name), name) for name in self._procedures],
            prompt="procedure",
            id="run-procedure",
            compact=True,
            value=self._procedures[0] if self._procedures else Select.NULL,
        )
        yield Select(MODES, allow_blank=False, id="run-mode", compact=True)
        environment = self._default_environment or Select.NULL
        yield Select(
            [(literal(name), name) for name in self._environments],
            prompt=_blank_environment(self._default_environment),
            id="run-environment",
            compact=True,
            value=environment,
        )
        yield Select(self._agents(), allow_blank=False, id="run-agent", compact=True)
        yield KeyText("ready: {debug.run} runs, {debug.step} steps, {debug.tab} tabs", style="dim", id="run-status")

    def _agents(self) -> list[tuple[Text, str]]:
        return [
            (literal("agent: you answer and decide"), YOU),
            (literal("agent: model (workbench.json agent)"), MODEL),
            *((literal(f"agent: scripted by {name}"), SCRIPTED + name) for name in self._scenarios),
        ]

    @property
    def agent(self) -> str:
        """Who plays the agent: ``you``, ``model`` or ``scenario:NAME``."""
        value = self.query_one("#run-agent", Select).value
        return value if isinstance(value, str) else YOU

    def set_scenarios(self, names: Iterable[str]) -> None:
        """Offer these scenarios' scripts as agents (keeping the choice when it still exists)."""
        select = self.query_one("#run-agent", Select)
        chosen = select.value
        self._scenarios = sorted(names, key=str.lower)
        options = self._agents()
        select.set_options(options)
        select.value = chosen if chosen in {value for _, value in options} else YOU

    @property
    def procedure(self) -> str | None:
        """The procedure chosen (``None`` too while the bar is not composed, or no longer: the app closing)."""
        select = next(iter(self.query("#run-procedure").results(Select)), None)
        value = select.value if select is not None else None
        return value if isinstance(value, str) else None

    @procedure.setter
    def procedure(self, name: str) -> None:
        select = self.query_one("#run-procedure", Select)
        if name not in self._procedures:
            self.set_procedures([*self._procedures, name])
        select.value = name

    @property
    def mode(self) -> ResponseMode | None:
        """The transport forced on every connector (``None``: each connector's own)."""
        value = self.query_one("#run-mode", Select).value
        return value if value in ("example", "dynamic", "live") else None

    @property
    def environment(self) -> str | None:
        """The environment chosen."""
        value = self.query_one("#run-environment", Select).value
        return value if isinstance(value, str) else None

    def set_procedures(self, names: Iterable[str]) -> None:
        """Offer these procedures (keeping the choice when it still exists)."""
        select = self.query_one("#run-procedure", Select)
        chosen = select.value
        self._procedures = sorted(names, key=str.lower)
        select.set_options([(literal(name), name) for name in self._procedures])
        if chosen in self._procedures:
            select.value = chosen
        elif self._procedures:
            select.value = self._procedures[0]

    def set_environments(self, names: Iterable[str], default: str | None) -> None:
        """Offer these environments (keeping the choice when it still exists, else the default)."""
        select = self.query_one("#run-environment", Select)
        chosen = select.value
        self._environments = list(names)
        select.prompt = _blank_environment(default)
        select.set_options([(literal(name), name) for name in self._environments])
        for candidate in (chosen, default):
            if candidate in self._environments:
                select.value = candidate
                break

    def set_status(self, text: str, style: str = "") -> None:
        """Show where the run is; ``style`` is a spec of roles (:mod:`workbench.tui.colours`), e.g. ``"bold error"``."""
        self._status = (text, style)
        self._draw_status()

    def on_mount(self) -> None:
        on_theme_change(self, self._draw_status)

    def _draw_status(self) -> None:
        if self._status is None:  # the first hint, drawn without colour
            return
        text, style = self._status
        show_text(self.query_one("#run-status", Static), palette(self.app).text(text, style))


def _blank_environment(default: str | None) -> str:
    """What choosing no environment runs with: the workspace's default one, if it has one (not named: a prompt
    is read as markup, and the name is the workspace's text)."""
    return "default environment" if default else "no environment"
