"""The command palette (Ctrl+P): every action of the app and of the focused pane, and every item to open."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen

from workbench.visible import visible


@dataclass(frozen=True)
class Command:
    """One palette entry."""

    title: str
    help: str
    run: Callable[[], Any]


@runtime_checkable
class PaletteSource(Protocol):
    """What lists the palette's commands: the app's main screen."""

    def palette_commands(self, screen: Screen[Any]) -> list[Command]:
        """Every command for the palette opened over ``screen``."""
        ...


class WorkbenchCommands(Provider):
    """Commands from the main screen's ``palette_commands`` (app actions, focused-pane keys, open items)."""

    def _commands(self) -> list[Command]:
        source = main_screen(self.app)
        return source.palette_commands(self.screen) if isinstance(source, PaletteSource) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(Content(visible(command.title)), command.run, help=escape(visible(command.help)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            title = visible(command.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, _highlight(matcher, title), command.run, help=escape(visible(command.help)))


def _highlight(matcher: Matcher, title: str) -> Content:
    """``title`` as written, the query's letters marked. Textual's ``Matcher.highlight`` (and a hit's string
    help) read the text as markup: "Open procedure Refund [/] EU" failed the palette's search worker and with it
    the app, and "Refund [bold]EU" lost its brackets. ``title`` is already :func:`visible`."""
    content = Content(visible(title))
    for offset in matcher.fuzzy_search.match(matcher.query, title)[1]:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def binding_commands(app: App[Any], screen: Screen[Any]) -> list[Command]:
    """A command for each key binding active on ``screen`` (where the focus is, up to the app)."""
    commands: list[Command] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in seen or binding.action == "command_palette":
            continue
        seen.add(binding.action)
        commands.append(
            Command(
                binding.description,
                f"{app.get_key_display(binding)} · {pane_title(binding_owner(app, active.node))}",
                partial(app.run_action, binding.action, active.node),
            )
        )
    return commands


def pane_title(node: object) -> str:
    """A widget class's name as words: ``StepOutline`` -> ``Step outline``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(node).__name__).capitalize()


def main_screen(app: App[Any]) -> Screen[Any]:
    """The app's main screen: the one under every other (its bindings work wherever the focus is)."""
    return app.screen_stack[0]


def binding_owner(app: App[Any], node: object) -> object:
    """Where a binding is said to be from: the main screen's are the app's, the others their pane's."""
    return app if node is main_screen(app) else node
