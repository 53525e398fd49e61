"""The app in a child process for the ``kill -9`` test: ``python -m tests.tui.crash_child WORKSPACE TEXT...``.

Runs the real app headless on the workspace, types each TEXT into the first step of a procedure (the first
procedures of the tree, in order), waits until the recovery journal holds them all, prints ``journaled`` and
then keeps running, unsaved, until it is killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import orjson

from tests.quick_pilot import quick_test
from tests.tui.conftest import open_item, settle
from tests.waiting import wait_until
from workbench.tui.app import WorkbenchApp

READY = "journaled"


def _journaled(app: WorkbenchApp, texts: list[str]) -> bool:
    journal = app.recovery.journal
    if journal is None or not journal.path.exists():
        return False
    content = journal.path.read_text(encoding="utf-8")
    return len(orjson.loads(content)["items"]) == len(texts) and all(text in content for text in texts)


async def main(root: Path, texts: list[str]) -> None:
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
        print(READY, flush=True)
        await asyncio.Event().wait()  # alive, unsaved, until killed


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2:]))
