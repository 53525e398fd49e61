"""Where the keys go: focus is only given to a widget that is on screen, and a dead end is repaired.

Every focus change the app's code makes goes through :func:`give_focus` (a rule test forbids calling
``Widget.focus`` or ``Screen.set_focus`` elsewhere). Textual's ``Widget.focus`` is deferred: a recompose that
removes the widget in between leaves the focus on a detached widget, whose message pump no longer runs, so
every key is lost and not even the App's bindings fire (issue 22, bug 1). :func:`give_focus` checks at the
moment the focus moves that the widget is mounted, not being removed and shown, and does nothing otherwise.

:class:`FocusGuard` is the second line: the app asks it before each key is routed; when the focus sits on a
dead end (detached, being removed, hidden, on another screen) it moves the focus to a live widget the app
names, writes what happened to the app's log, and tells the observers of :func:`observing` (the test suite
fails a test that hit one, with the evidence).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget

from workbench.state_files import append_log

_observers: list[Callable[[str], None]] = []


@contextlib.contextmanager
def observing(observer: Callable[[str], None]) -> Iterator[None]:
    """Tell ``observer`` (too) of every focus dead end any app repairs meanwhile: one line of evidence each."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


def dead_end(widget: Widget, app: App[Any]) -> str | None:
    """Why keys sent to ``widget`` would reach nothing the user sees (``None`` when they would not be lost)."""
    if not widget.is_attached or widget.parent is None:
        return "detached"
    nodes = [node for node in widget.ancestors_with_self if isinstance(node, Widget)]
    if any(node._pruning for node in nodes):
        return "being removed"
    if widget.screen is not app.screen:
        return "on another screen"
    if not all(node.display for node in nodes):
        return "hidden"
    if not widget.focusable:
        return "not focusable"
    return None


def give_focus(widget: Widget, *, now: bool = False, scroll_visible: bool = True) -> None:
    """Focus ``widget`` if it is still mounted and shown when the focus moves: after the messages already queued
    (like ``Widget.focus``), or at once with ``now``. Never focuses a widget a recompose removed meanwhile."""

    def move() -> None:
        try:
            app = widget.app
        except Exception:  # no app any more (it closed): nothing to focus
            return
        if dead_end(widget, app) is None:
            widget.screen.set_focus(widget, scroll_visible=scroll_visible)

    if now:
        move()
    else:
        widget.app.call_later(move)


class FocusGuard:
    """Repairs the focus when it sits on a dead end, and says so (the app's log, :func:`observing`)."""

    def __init__(self, app: App[Any], fallback: Callable[[], Widget | None]) -> None:
        """``fallback`` names the widget that takes the focus back (the open editor's first control)."""
        self.app = app
        self.fallback = fallback

    def check(self, event: events.Key) -> bool:
        """Before ``event`` is routed: repair a dead-end focus. Returns whether the key must be dropped (a
        printable key typed for a field that is gone must not run a one-letter command where the focus lands)."""
        focused = self.app.focused
        if focused is None:
            return False
        why = dead_end(focused, self.app)
        if why is None:
            return False
        target = self._target()
        if target is not None:
            target.screen.set_focus(target)
        else:
            self.app.screen.set_focus(None)
        line = f"key {event.key!r} reached {focused!r} ({why}); focus moved to {target!r}"
        self.app.log.warning("focus dead end:", line)
        with contextlib.suppress(OSError):  # the repair matters, its record less (one short line, rarely)
            append_log("a key reached a focus dead end", line)
        for observer in list(_observers):
            observer(line)
        return event.is_printable

    def _target(self) -> Widget | None:
        """The fallback when it is live on the active screen, else the screen's first focusable widget."""
        wanted = self.fallback()
        if wanted is not None and dead_end(wanted, self.app) is None:
            return wanted
        return next((widget for widget in self.app.screen.focus_chain if dead_end(widget, self.app) is None), None)
