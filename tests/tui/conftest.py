"""Helpers for the app's tests: a private copy of the sample workspace and an app that has finished loading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot

from workbench.tui.app import WorkbenchApp

SIZE = (120, 36)


@asynccontextmanager
async def running(root: Path, size: tuple[int, int] = SIZE, **options: float) -> AsyncIterator[Pilot[None]]:
    """The app on ``root``, loaded and linted, driven by a pilot."""
    options.setdefault("lint_delay", 0.01)
    options.setdefault("watch_interval", 3600)
    app = WorkbenchApp(root, **options)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


async def settle(pilot: Pilot[None]) -> None:
    """Wait until workers (loading, lint, flattening) are done and the screen caught up."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def open_item(pilot: Pilot[None], kind: str, name: str) -> None:
    """Open an item through the tree, as a user would (cursor onto it, Enter)."""
    app: WorkbenchApp = pilot.app  # type: ignore[assignment]
    tree = app.tree
    tree.focus()
    entry = app.session.find(kind, name) if app.session else None
    assert entry is not None, f"no {kind} {name!r}"
    line = next(node.line for node in _nodes(tree) if node.data is entry)
    tree.cursor_line = line
    await pilot.press("enter")
    await settle(pilot)


def _nodes(tree):  # type: ignore[no-untyped-def]
    pending = list(tree.root.children)
    while pending:
        node = pending.pop(0)
        yield node
        pending[:0] = list(node.children)
