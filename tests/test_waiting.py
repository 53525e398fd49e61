"""The suite's way to wait holds for parts that mount late: a query that finds nothing yet is a state not reached;
it sees a state reached soon at once; and it is the suite's one way to poll for a state."""

from __future__ import annotations

import ast
import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Label, Static

from tests.quick_pilot import quick_test
from tests.source_rules import broken_in_tests
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


class GrowingNote(App[None]):
    """A note above a button: the note grows when its text does, moving the button down."""

    def compose(self) -> ComposeResult:
        yield Static("one line", id="note")
        yield Button("Create", id="create")


async def test_with_a_pilot_the_wait_returns_with_the_change_that_reached_the_state_laid_out() -> None:
    """The state a test waits for is often set with a change the screen has yet to lay out (an import preview
    shown, its dialog's button moved down): a click by position right after the wait must land on the button
    where it now is (it missed, now and then, on a loaded machine)."""
    app = GrowingNote()
    async with quick_test(app) as pilot:
        await pilot.pause()
        note = app.query_one("#note", Static)
        note.update("three\nlines\nnow")  # the state below holds at once; the new layout is still to come
        await wait_until(lambda: "three" in str(note.render()), pilot, what="the note's new text")
        assert app.query_one("#create", Button).region.y == 3
        assert await pilot.click("#create")


HAND_MADE_POLLS_ALLOWED = {
    ("monkey/walk.py", "settle"): "the monkey's pacing: its seeds must keep replaying the same actions",
    ("monkey/walk.py", "until_noticed"): "the monkey's pacing (see above)",
    ("monkey/walk.py", "recorded"): "waits for the lag monitor's thread to record a probe: the monkey's pacing",
    ("sandbox/test_sandbox_workers.py", "tick"): "a ticker counting the loop's turns while a call runs: no wait",
}


def hand_made_polls(module: str, source: str) -> list[str]:
    """Where ``module`` polls for a state itself: a ``while`` loop that sleeps (or pauses a pilot) a fixed time,
    instead of :func:`~tests.waiting.wait_until` (whose steps grow from none, and whose timeout names the state)."""
    found: list[str] = []

    def visit(node: ast.AST, function: str, polling: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function, polling = node.name, False
        polling = polling or isinstance(node, ast.While)
        allowed = (module, function) in HAND_MADE_POLLS_ALLOWED
        if polling and not allowed and isinstance(node, ast.Call) and fixed_sleep(node):
            found.append(f"{module}:{node.lineno}: {ast.unparse(node)}: wait with tests.waiting.wait_until")
        for child in ast.iter_child_nodes(node):
            visit(child, function, polling)

    visit(ast.parse(source), "", False)
    return found


def fixed_sleep(node: ast.Call) -> bool:
    """Whether ``node`` sleeps, or pauses a pilot, for a fixed time."""
    return (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in ("sleep", "pause")
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and bool(node.args[0].value)
    )


def test_the_suite_polls_for_a_state_only_through_wait_until() -> None:
    assert broken_in_tests(hand_made_polls) == []


def test_the_poll_rule_finds_a_poll_made_by_hand() -> None:
    source = (
        "async def waits(pilot):\n"
        "    while not done():\n"
        "        await asyncio.sleep(0.01)\n"
        "    while not done():\n"
        "        await pilot.pause(0.05)\n"
        "    while not done():\n"
        "        await asyncio.sleep(0)\n"
        "def waits_sync():\n"
        "    while not done():\n"
        "        time.sleep(0.01)\n"
    )
    assert hand_made_polls("tui/test_x.py", source) == [
        "tui/test_x.py:3: asyncio.sleep(0.01): wait with tests.waiting.wait_until",
        "tui/test_x.py:5: pilot.pause(0.05): wait with tests.waiting.wait_until",
        "tui/test_x.py:10: time.sleep(0.01): wait with tests.waiting.wait_until",
    ]
