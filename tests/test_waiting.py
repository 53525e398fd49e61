"""The suite's way to wait holds for parts that mount late: a query that finds nothing yet is a state not reached."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from tests.quick_pilot import quick_test
from tests.waiting import mounted, wait_until


class LatePart(App[None]):
    """A pane whose part mounts a while after the pane (as the run panel's panes do on a busy machine)."""

    def compose(self) -> ComposeResult:
        yield Vertical(id="pane")

    def on_mount(self) -> None:
        self.set_timer(0.2, self._mount_part)

    async def _mount_part(self) -> None:
        await self.query_one("#pane").mount(Label("ready", id="part"))


async def test_waiting_for_a_part_waits_until_it_is_mounted_and_returns_it() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        assert not app.query("#part")  # the pane is there, its part not yet
        part = await mounted(lambda: app.query_one("#pane").query_one("#part", Label), pilot, what="the part")
        assert part.is_mounted and str(part.render()) == "ready"


async def test_a_state_read_from_a_part_not_mounted_yet_is_waited_for() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        await wait_until(lambda: str(app.query_one("#part", Label).render()) == "ready", pilot, what="the part")


async def test_a_part_that_never_mounts_times_out_naming_what_was_missing() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        with pytest.raises(AssertionError, match=r"waiting for the gauge \(never found: .*#gauge"):
            await mounted(lambda: app.query_one("#gauge"), pilot, timeout=0.3, what="the gauge")


class Turns:
    """Counts the event loop's turns while it runs: a task that does nothing but yield, once per turn (a wait that
    sleeps lets it count hundreds of turns in 10 ms)."""

    def __init__(self) -> None:
        self.count = 0
        self._task = asyncio.create_task(self._turn())

    async def _turn(self) -> None:
        while True:
            self.count += 1
            await asyncio.sleep(0)

    def stop(self) -> int:
        """Stop counting; the turns counted."""
        self._task.cancel()
        return self.count


async def test_a_state_reached_in_one_turn_of_the_loop_is_seen_at_once() -> None:
    """A poll that sleeps a fixed 10 ms costs that much for a state the loop reaches in a turn (a focus moved
    by a key): the wait sees it after a turn or two, not hundreds."""
    reached: list[bool] = []
    turns = Turns()
    asyncio.get_running_loop().call_soon(reached.append, True)  # reached on the loop's next turn
    await wait_until(lambda: reached, what="the state")
    assert turns.stop() <= 2


async def test_with_a_pilot_a_state_reached_in_one_turn_is_seen_once_the_app_has_handled_its_work() -> None:
    app = LatePart()
    async with quick_test(app) as pilot:
        await pilot.pause()
        reached: list[bool] = []
        turns = Turns()
        asyncio.get_running_loop().call_soon(reached.append, True)
        await wait_until(lambda: reached, pilot, what="the state")
        assert turns.stop() <= 10
