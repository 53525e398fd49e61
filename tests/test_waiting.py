"""The suite's way to wait holds for parts that mount late: a query that finds nothing yet is a state not reached."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from tests.quick_pilot import quick_test
from tests.waiting import mounted, wait_until


class LatePart(App[None]):
    """A pane whose part mounts after the pane, once :meth:`mount_part_later` is called (as the run panel's
    panes' parts do, frames later on a busy machine)."""

    def compose(self) -> ComposeResult:
        yield Vertical(id="pane")

    def mount_part_later(self) -> None:
        """Mount the part at a later turn of the loop: not yet when this returns."""
        self.call_later(self._mount_part)

    async def _mount_part(self) -> None:
        await self.query_one("#pane").mount(Label("ready", id="part"))


async def test_waiting_for_a_part_waits_until_it_is_mounted_and_returns_it() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        app.mount_part_later()
        assert not app.query("#part")  # the pane is there, its part not yet
        part = await mounted(lambda: app.query_one("#pane").query_one("#part", Label), pilot, what="the part")
        assert part.is_mounted and str(part.render()) == "ready"


async def test_a_state_read_from_a_part_not_mounted_yet_is_waited_for() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        app.mount_part_later()
        assert not app.query("#part")
        await wait_until(lambda: str(app.query_one("#part", Label).render()) == "ready", pilot, what="the part")


async def test_a_part_that_never_mounts_times_out_naming_what_was_missing() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        with pytest.raises(AssertionError, match=r"waiting for the gauge \(never found: .*#gauge"):
            await mounted(lambda: app.query_one("#gauge"), pilot, timeout=0.1, what="the gauge")
