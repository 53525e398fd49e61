"""The command palette (Ctrl+P): every action of the app and of the focused pane, and every item to open."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


@dataclass(frozen=True)
class Command:
    """One palette entry."""

    title: str
    help: str
    run: Callable[[], Any]


class WorkbenchCommands(Provider):
    """Commands from :meth:`WorkbenchApp.palette_commands` (app actions, focused-pane keys, open items)."""

    def _commands(self) -> list[Command]:
        app: WorkbenchApp = self.app  # type: ignore[assignment]
        return app.palette_commands(self.screen, self.focused)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)


def pane_title(node: object) -> str:
    """A widget class's name as words: ``StepOutline`` -> ``Step outline``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(node).__name__).capitalize()


def run_action(app: Any, action: str, namespace: Any) -> Callable[[], Any]:
    """A callback running ``action`` on ``namespace`` (for palette entries made from key bindings)."""
    return partial(app.run_action, action, namespace)
