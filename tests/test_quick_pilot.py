"""The suite's pilot waits as Textual's does, for state instead of time: every message queued on the screen is
handled (a handler still running included), one key after the other, with the animations a key starts and the
refresh it asks for; only the widgets with work are asked. Its timer wait covers the one-shot timers due soon.
Every test drives its app with it: none starts one with Textual's ``run_test`` or makes Textual's pilot itself."""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.pilot import WaitForScreenTimeout
from textual.widgets import Input, Static

import tests
from tests.quick_pilot import busy_pumps, idle, quick_test, timers_due
from tests.source_rules import broken_in_tests
from tests.starving import in_a_starved_thread
from tests.waiting import wait_until

TESTS = Path(tests.__file__).parent
PILOT_HOME = "quick_pilot.py"
"""The one module of the tests that starts an app with ``run_test`` (:func:`~tests.quick_pilot.quick_test`)."""


class Ping(Message):
    """Handled slowly: the handler awaits before it records the message."""


class Finish(Message):
    """Asks a widget to end the app."""


class Slow(Static):
    """A widget whose handler takes a while, awaiting (the loop runs on meanwhile), then passes the ping on."""

    def __init__(self, then: Slow | None = None) -> None:
        super().__init__("slow")
        self.handled = 0
        self.then = then

    def on_finish(self, message: Finish) -> None:
        self.app.exit()

    async def on_ping(self, message: Ping) -> None:
        await asyncio.sleep(0.05)  # the app's slow work, not the test's wait
        self.handled += 1
        if self.then is not None:
            self.then.post_message(Ping())


class Screenful(App[None]):
    """Many quiet widgets, two fields, a chain of slow widgets, and keys that set them going."""

    CSS = "#grows { width: auto; }"
    BINDINGS = [  # Textual's own class attribute
        Binding("ctrl+o", "other", "focus the other field (Textual focuses on a callback after the key)"),
        Binding("ctrl+r", "relay", "ping the first slow widget: each passes it on after a while"),
        Binding("ctrl+f", "fade", "fade the first quiet widget out, animated"),
        Binding("ctrl+l", "later", "widen a widget, and note something after the refresh"),
        Binding("ctrl+q", "leave", "have the last slow widget end the app"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.last = Slow()
        self.first = Slow(Slow(self.last))
        self.refreshed = False
        self.widened = 0

    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")
        for number in range(60):
            yield Static(f"quiet {number}", classes="quiet")
        yield self.first
        yield self.first.then or Static()
        yield self.last
        yield Static("narrow", id="grows")

    def action_other(self) -> None:
        self.query_one("#two").focus()

    def action_relay(self) -> None:
        self.first.post_message(Ping())

    def action_fade(self) -> None:
        self.query(".quiet").first().styles.animate("opacity", 0.0, duration=0.3)

    def action_leave(self) -> None:
        self.last.post_message(Finish())

    def action_later(self) -> None:
        self.widened += 1
        self.query_one("#grows", Static).update(f"wider {'and wider ' * self.widened}")  # laid out on the refresh
        self.call_after_refresh(setattr, self, "refreshed", True)


async def test_the_wait_returns_once_a_queued_or_running_handler_is_done() -> None:
    app = Screenful()
    async with quick_test(app) as pilot:
        await pilot.pause()
        slow = app.first
        nodes = [app, *app.screen.walk_children(with_self=True)]
        assert len(nodes) > 60 and all(idle(node) for node in nodes), "a quiet screen: nobody is asked"

        slow.post_message(Ping())  # queued
        assert not idle(slow)
        await pilot._wait_for_screen()
        assert slow.handled == 1

        slow.then = None
        slow.post_message(Ping())
        # the handler has taken it and is running: nothing is queued
        await wait_until(slow._message_queue.empty, what="the handler to take the message")
        assert not idle(slow)
        await pilot._wait_for_screen()
        assert slow.handled == 2


async def test_each_key_is_handled_before_the_next_is_sent() -> None:
    """Textual moves the focus on a callback queued after the key: had the next key been sent with it, it would
    reach the field the focus left."""
    app = Screenful()
    async with quick_test(app) as pilot:
        assert app.focused is app.query_one("#one")
        await pilot.press("ctrl+o", "x", "y")
        assert app.query_one("#two", Input).value == "xy"
        assert app.query_one("#one", Input).value == ""


async def test_a_press_returns_once_what_the_key_set_off_is_handled() -> None:
    """What a key sets off, message after message, is handled before ``press`` returns: no widget on the screen
    has a message queued or in hand then; so are the callbacks after the refresh it asked for, and the animation
    it started."""
    app = Screenful()
    async with quick_test(app) as pilot:
        await pilot.press("ctrl+r")
        assert app.last.handled == 1, "the third widget of the relay has its ping"
        assert busy_pumps(app) == []

        for widened in (1, 2):  # the second time, the screen's own refresh would come a frame after the first
            await pilot.press("ctrl+l")
            assert app.query_one("#grows").size.width == len(f"wider {'and wider ' * widened}"), "laid out anew"
        assert app.refreshed

        faded = app.query(".quiet").first()
        await pilot.press("ctrl+f")
        assert faded.styles.opacity == 0.0

        await pilot.press("ctrl+q")
        assert not app.is_running, "a key that quits: the app has closed"


async def test_the_wait_for_given_nodes_waits_for_them_only_and_for_what_they_pass_on_among_them() -> None:
    """Given nodes, the wait returns once those have handled their messages, including the ones they post to each
    other meanwhile; the others' work goes on after it."""
    app = Screenful()
    async with quick_test(app) as pilot:
        await pilot.pause()
        middle = app.first.then
        assert middle is not None
        app.first.post_message(Ping())
        await pilot.handled(nodes=[app.first])
        assert (app.first.handled, middle.handled) == (1, 0)
        await pilot.pause()

        app.first.post_message(Ping())
        await pilot.handled(nodes=[app.first, middle])
        assert (app.first.handled, middle.handled, app.last.handled) == (2, 2, 1)
        await pilot.pause()
        assert app.last.handled == 2


class Timed(App[None]):
    """Timers armed at mount: one due soon, one due late, and an interval."""

    def __init__(self) -> None:
        super().__init__()
        self.fired: list[str] = []

    def on_mount(self) -> None:
        self.set_timer(0.05, self._soon)
        self.set_timer(30, lambda: self.fired.append("late"))
        self.set_interval(0.01, lambda: None)

    async def _soon(self) -> None:
        await asyncio.sleep(0.02)  # the callback's own work, awaited too
        self.fired.append("soon")


async def test_the_timer_wait_waits_for_the_timers_due_soon_only() -> None:
    app = Timed()
    async with quick_test(app) as pilot:
        assert await timers_due(app)
        await pilot.pause()
        assert app.fired == ["soon"], "the soon timer fired and its callback ran; the late one is not waited for"
        assert not await timers_due(app), "no one-shot timer due soon is left (an interval never is one)"


def textual_pilots(module: str, source: str) -> list[str]:
    """Where a test module starts an app with Textual's ``run_test`` or makes a Textual ``Pilot`` itself: its keys
    and pauses would sleep instead of waiting for the app (a snapshot's app is started by ``snap_compare`` with
    Textual's pilot; ``snapshot`` in tests/tui/conftest.py drives it through :func:`~tests.quick_pilot.quick`)."""
    if module == PILOT_HOME:
        return []
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "run_test":
            found.append(f"{module}:{node.lineno}: run_test(): use tests.quick_pilot.quick_test")
        elif name == "Pilot":
            found.append(f"{module}:{node.lineno}: a Textual Pilot made by hand: use tests.quick_pilot.quick_test")
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def test_every_test_drives_its_app_with_the_quick_pilot() -> None:
    assert broken_in_tests(textual_pilots) == []


def test_the_pilot_rule_finds_textual_s_own_pilot() -> None:
    source = (
        "async with app.run_test(size=(80, 24)) as pilot:\n    pass\n"
        "async with WorkbenchApp(root).run_test() as pilot:\n    pass\n"
        "pilot = Pilot(app)\n"
        "other = textual.pilot.Pilot(app)\n"
        "async with quick_test(app, size=(80, 24)) as pilot:\n    pass\n"
    )
    assert textual_pilots("tui/test_x.py", source) == [
        "tui/test_x.py:1: run_test(): use tests.quick_pilot.quick_test",
        "tui/test_x.py:3: run_test(): use tests.quick_pilot.quick_test",
        "tui/test_x.py:5: a Textual Pilot made by hand: use tests.quick_pilot.quick_test",
        "tui/test_x.py:6: a Textual Pilot made by hand: use tests.quick_pilot.quick_test",
    ]
    assert textual_pilots(PILOT_HOME, source) == []


LIMIT = 0.2
"""The pilot's timeout in the tests of how it counts time: a starved handler runs four times as long."""


class Toiling(App[None]):
    """A widget whose handler works for a while, yielding to the loop as it goes, and one stuck until released."""

    def __init__(self) -> None:
        super().__init__()
        self.released = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield Worker(self.released, id="toiling")
        yield Worker(self.released, id="stuck")


class Toil(Message):
    """Work for ``seconds``, busy on the CPU the loop's thread gets (``0``: wait until the app is released)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds


class Worker(Static):
    """Does the work it is asked for."""

    def __init__(self, released: asyncio.Event, *, id: str) -> None:
        super().__init__(id=id)
        self.released = released

    async def on_toil(self, message: Toil) -> None:
        if not message.seconds:
            await self.released.wait()
        end = time.monotonic() + message.seconds
        while time.monotonic() < end:
            await asyncio.sleep(0)


def test_a_wait_starved_of_cpu_does_not_time_out_but_a_stuck_one_does() -> None:
    """On a loaded machine the app's loop gets little CPU: a handler at work takes many times as long in wall
    time. The pilot's timeout counts the loop's own time (ran, or idle with nothing to run), not its wait for a
    CPU, so that wait does not fail; a handler stuck waiting for good (the loop idle) still times out."""

    def waits(starve: Callable[[], None]) -> tuple[float, BaseException | None, BaseException | None]:
        async def main() -> tuple[float, BaseException | None, BaseException | None]:
            app = Toiling()
            async with quick_test(app) as pilot:
                starve()
                ran = time.thread_time()
                app.query_one("#toiling").post_message(Toil(4 * LIMIT))
                toiled = await outcome(pilot.handled(LIMIT))
                ran = time.thread_time() - ran
                app.query_one("#stuck").post_message(Toil(0))
                stuck = await outcome(pilot.handled(LIMIT))
                app.released.set()
            return ran, toiled, stuck

        return asyncio.run(main())

    ran, toiled, stuck = in_a_starved_thread(waits)
    assert ran < LIMIT / 2, "the loop's thread was starved of CPU"
    assert toiled is None
    assert isinstance(stuck, WaitForScreenTimeout)


async def outcome(wait: Awaitable[None]) -> BaseException | None:
    """What ``wait`` raised (``None``: it returned)."""
    try:
        await wait
    except Exception as error:
        return error
    return None


WAIT_HOMES = ("quick_pilot.py", "waiting.py")
"""The modules of the suite's waits: their timeouts count the loop's time."""
WALL_CLOCK_ALLOWED = {
    "LoopBudget": "the one home of a wait's timeout: the wall clock bounds the loop's time, which it then reads",
    "wait_until_sync": "waits outside an event loop (threads, child processes): there is no loop's time to count",
}


def wall_clock_waits(module: str, source: str) -> list[str]:
    """Where a wait of ``module`` times out by the wall clock (``time.monotonic``, ``asyncio.wait_for``,
    ``asyncio.wait(timeout=…)``) instead of through :class:`~tests.waiting.LoopBudget`: a loaded machine would
    fail it."""
    found: list[str] = []
    for top in ast.parse(source).body:
        if getattr(top, "name", None) in WALL_CLOCK_ALLOWED:
            continue
        for node in ast.walk(top):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            name = node.func.attr
            timed = name == "wait" and any(keyword.arg == "timeout" for keyword in node.keywords)
            if name in ("monotonic", "wait_for") or timed:
                found.append(f"{module}:{node.lineno}: {name}(): time the wait with LoopBudget")
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def test_the_suite_s_waits_time_out_by_the_loop_s_time() -> None:
    problems = [
        problem
        for module in WAIT_HOMES
        for problem in wall_clock_waits(module, (TESTS / module).read_text(encoding="utf-8"))
    ]
    assert problems == []


def test_the_wait_rule_finds_a_wait_timed_by_the_wall_clock() -> None:
    source = (
        "async def handled(self):\n"
        "    deadline = time.monotonic() + 30\n"
        "    await asyncio.wait_for(event.wait(), 30)\n"
        "    await asyncio.wait(tasks, timeout=30)\n"
        "    await asyncio.wait(tasks)\n"
        "class LoopBudget:\n"
        "    def left(self):\n"
        "        return time.monotonic()\n"
    )
    assert wall_clock_waits("quick_pilot.py", source) == [
        "quick_pilot.py:2: monotonic(): time the wait with LoopBudget",
        "quick_pilot.py:3: wait_for(): time the wait with LoopBudget",
        "quick_pilot.py:4: wait(): time the wait with LoopBudget",
    ]
