"""Helpers for the app's tests: an app that has finished loading, opening items, snapshots that say what they show."""

from __future__ import annotations

import io
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.console import Console
from rich.style import Style
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget
from textual.widgets import Button, Input, Tabs, TextArea, Tree
from textual.widgets._tabs import Underline
from textual.widgets.tree import TreeNode

from tests.quick_pilot import quick, quick_test, timers_due
from tests.waiting import wait_until
from workbench.tui.app import WorkbenchApp
from workbench.tui.focus import observing
from workbench.tui.widgets.entry_editor import EntryEditor

SIZE = (120, 36)
EditorT = TypeVar("EditorT", bound=EntryEditor)

RunBefore = Callable[[Pilot[None]], Awaitable[None]]
Snapshot = Callable[[App[Any], tuple[int, int], RunBefore], tuple[bool, str]]


@pytest.fixture(autouse=True)
def focus_dead_ends() -> Iterator[list[str]]:
    """Every key an app sent to a focus dead end (a detached or hidden widget) fails the test, with the evidence.

    A test that makes one on purpose asks for this list and empties it once it has checked the repair."""
    seen: list[str] = []
    with observing(seen.append):
        yield seen
    if seen:
        pytest.fail("a key reached a focus dead end:\n" + "\n".join(seen), pytrace=False)


_TOLD: weakref.WeakKeyDictionary[App[Any], list[str]] = weakref.WeakKeyDictionary()


def record_notices(app: App[Any]) -> None:
    """Keep every notification ``app`` gives from now on, for :func:`told` (the app's own list drops each one
    after its timeout: on a busy machine, before a test polling for it has looked)."""
    said = _TOLD.setdefault(app, [])
    notify = app.notify

    def recorded(message: str, **options: Any) -> None:
        said.append(str(message))
        notify(message, **options)

    app.notify = recorded  # type: ignore[method-assign]  # the app's own notify still runs, unchanged


def told(app: App[Any]) -> str:
    """The message of every notification ``app`` gave since it started under :func:`running`, shown or since
    timed out, one after the other."""
    assert app in _TOLD, "the app's notices are recorded only under running()"
    return "\n".join(_TOLD[app])


@asynccontextmanager
async def running(root: Path, size: tuple[int, int] = SIZE, **options: float) -> AsyncIterator[Pilot[None]]:
    """The app on ``root``, loaded and linted, driven by a pilot."""
    options.setdefault("lint_delay", 0.01)
    options.setdefault("watch_interval", 3600)
    options.setdefault("transform_delay", 0.01)
    app = WorkbenchApp(root, **options)
    record_notices(app)
    async with quick_test(app, size=size) as pilot:
        await settle(pilot)
        yield pilot
        await pilot.pause()  # what the test's last key set off lands while the app is still whole


def workbench_of(pilot: Pilot[Any]) -> WorkbenchApp:
    """The app a pilot drives, typed as the workbench app it is (a test of another app fails here)."""
    app = pilot.app
    assert isinstance(app, WorkbenchApp), f"{app!r} is not the workbench app"
    return app


def front_editor(app: WorkbenchApp, kind: type[EditorT]) -> EditorT:
    """The editor in front, of the ``kind`` the test expects (it fails here when another or none is in front)."""
    editor = app.current_editor
    assert isinstance(editor, kind), f"the editor in front is {editor!r}, not a {kind.__name__}"
    return editor


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the timers due soon (a test's lint and transform delays) have fired, the workers (loading, lint,
    flattening) are done and the screen caught up, until none of them sets off another."""
    app = pilot.app

    def working() -> bool:
        # Not ``workers.wait_for_complete()``: it raises when an exclusive job was cancelled by a newer one.
        # The disk watch is left out: it starts a scan every ``watch_interval``, for as long as the app runs.
        return any(not worker.is_finished and worker.group != "watch" for worker in app.workers)

    quiet = 0
    while quiet < 2:  # twice in a row: Textual's own pilot (a snapshot's) runs what a refresh queued at the next pause
        await pilot.pause()
        busy = await timers_due(app) or working()
        await wait_until(lambda: not working(), pilot, what="background jobs")
        quiet = 0 if busy else quiet + 1


async def open_item(pilot: Pilot[None], kind: str, name: str) -> None:
    """Open an item through the tree, as a user would (cursor onto it, Enter)."""
    app = workbench_of(pilot)
    tree = app.tree
    tree.focus()
    entry = app.session.find(kind, name) if app.session else None
    assert entry is not None, f"no {kind} {name!r}"
    line = next(node.line for node in _nodes(tree) if node.data is entry)
    tree.cursor_line = line
    await pilot.press("enter")
    await settle(pilot)


async def steady(pilot: Pilot[None]) -> None:
    """Stop every cursor blinking (a blinking cursor is drawn or not depending on when the picture is taken).

    Does not wait for workers: a paused run's never completes."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
            if isinstance(widget, TextArea):  # its blink may have hidden the cursor just before: show it steadily
                widget._cursor_visible = widget.has_focus
    await pilot.pause()
    # A tab row places its underline a refresh after a layout, and not again when a later layout moves its tabs:
    # place it now, where the next resize would, and wait until it is drawn there.
    for tabs in pilot.app.screen.query(Tabs):
        tabs._highlight_active(animate=False)
        await wait_until(partial(_underlined, tabs), pilot, what="the tabs' underline under the active tab")


def _underlined(tabs: Tabs) -> bool:
    """Whether the tab row's underline is under its active tab (or it has none)."""
    active = tabs.active_tab
    if active is None or not tabs.display:
        return True
    start, end = active.virtual_region.shrink(active.styles.gutter).column_span
    underline = tabs.query_one(Underline)
    return end <= start or (underline.highlight_start, underline.highlight_end) == (start, end)


def screen_text(app: App[Any]) -> str:
    """The text on the app's screen, line by line, as a snapshot would draw it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


THEMES = ("textual-dark", "textual-light")
"""A dark and a light theme: snapshots of colours are taken in both."""


def theme_variables(theme: str) -> dict[str, str]:
    """The CSS variables of a built-in theme, as Textual derives them."""
    return BUILTIN_THEMES[theme].to_color_system().generate()


def other_theme(theme: str) -> str:
    """The one of :data:`THEMES` that ``theme`` is not."""
    return next(other for other in THEMES if other != theme)


def segment_style(widget: Widget, needle: str) -> Style:
    """The style a line-drawn widget (a log, a text area) draws ``needle`` in: of the first segment holding it."""
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if needle in segment.text:
                return segment.style or Style()
    raise AssertionError(f"{needle!r} is not drawn in {widget!r}")


@pytest.fixture
def snapshot(snap_compare: Callable[..., bool]) -> Snapshot:
    """``snapshot(app, size, run_before)``: whether the picture matches the stored one, and the screen's text.

    ``run_before`` drives the app to the state to show and settles focus; animations are off and the cursors
    stop blinking, so the picture does not depend on when it is taken.
    Assert on the text first, so that a wrong picture cannot be accepted by regenerating it.
    """

    def take(app: App[Any], size: tuple[int, int], run_before: RunBefore) -> tuple[bool, str]:
        shown: list[str] = []

        async def prepared(snapshot_pilot: Pilot[None]) -> None:
            pilot = quick(snapshot_pilot)
            await run_before(pilot)
            await steady(pilot)
            shown.append(screen_text(pilot.app))

        app.animation_level = (
            "none"  # e.g. a tab's underline sliding in: drawn wherever it is when the picture is taken
        )
        matches = snap_compare(app, terminal_size=size, run_before=prepared)
        assert shown, "the app never reached the state to show"
        return matches, shown[-1]

    return take


async def click_button(pilot: Pilot[None], selector: str) -> None:
    """Click a button as a person would: after it has shown its last press (Textual ignores a click on a button
    still drawn pressed, so a second click made at test speed did nothing)."""
    button = pilot.app.screen.query_one(selector, Button)
    await wait_until(lambda: not button.has_class("-active"), pilot, what=f"{selector} shown released")
    assert await pilot.click(selector), f"{selector} was not under the pointer"


async def run_command(pilot: Pilot[None], command: str) -> None:
    """Run a palette command as a user would: Ctrl+P, type ``command``, Enter once the palette highlights it (its
    search runs in the background: a fixed pause is too short on a busy machine and too long on a quiet one)."""
    await pilot.press("ctrl+p", *command)

    def highlighted() -> bool:
        screen = pilot.app.screen
        if not isinstance(screen, CommandPalette):
            return False
        found = screen.query_one(CommandList)
        index = found.highlighted
        return index is not None and command in str(found.get_option_at_index(index).prompt)

    await wait_until(highlighted, pilot, what=f"the palette's {command!r} highlighted")
    await pilot.press("enter")


def _nodes(tree: Tree[Any]) -> Iterator[TreeNode[Any]]:
    """Every node under the tree's root, depth first, in the order drawn."""
    pending = list(tree.root.children)
    while pending:
        node = pending.pop(0)
        yield node
        pending[:0] = list(node.children)
