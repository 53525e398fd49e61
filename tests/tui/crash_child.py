"""The app in a child process for the ``kill -9`` test: :func:`run` in a process forked from the test's.

Runs the real app headless on the workspace, types each text into the first step of a procedure (the first
procedures of the tree, in order), waits until the recovery journal holds them all, says :data:`READY` and then
keeps running, unsaved, until it is killed. Forked, not started anew: the child has the app's modules imported
already (a new interpreter spent more time importing them than the rest of the test took).
"""

from __future__ import annotations

import asyncio
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import orjson

from tests.quick_pilot import quick_test
from tests.tui.conftest import open_item, settle
from tests.waiting import wait_until
from workbench.tui import app as app_module
from workbench.tui.app import WorkbenchApp
from workbench.tui.recovery_glue import Recovery

READY = "journaled"
JOURNAL_DELAY_S = 0.05
"""The app journals its unsaved edits this soon (a second in use): the child is killed once they are journaled."""


def _journaled(app: WorkbenchApp, texts: list[str]) -> bool:
    journal = app.recovery.journal
    if journal is None or not journal.path.exists():
        return False
    content = journal.path.read_text(encoding="utf-8")
    return len(orjson.loads(content)["items"]) == len(texts) and all(text in content for text in texts)


def run(root: Path, texts: list[str], tell: Connection) -> None:
    """The child's body: the app on ``root``, ``texts`` typed, :data:`READY` sent on ``tell`` once journaled."""
    asyncio.run(_main(root, texts, tell))


async def _main(root: Path, texts: list[str], tell: Connection) -> None:
    # The app's own recovery, journaling sooner:
    app_module.Recovery = partial(Recovery, delay=JOURNAL_DELAY_S)  # type: ignore[attr-defined,assignment]
    app = WorkbenchApp(root, lint_delay=0.01, watch_interval=3600)
    async with quick_test(app, size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.session is not None
        procedures = sorted(entry.name for entry in app.session.of_kind("procedure"))
        for name, text in zip(procedures, texts, strict=False):
            await open_item(pilot, "procedure", name)
            await pilot.press("enter")  # the outline's first step: its text, caret at the start
            await settle(pilot)
            await pilot.press(*text)
        await wait_until(lambda: _journaled(app, texts), pilot, what="the edits in the journal")
        tell.send(READY)
        await asyncio.Event().wait()  # alive, unsaved, until killed
