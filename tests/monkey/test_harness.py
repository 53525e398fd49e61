"""The monkey's own checks: each invariant fails a walk that breaks it, and a failure shrinks and prints as a test."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.monkey import Press, Type, walk
from tests.monkey.actions import Action
from tests.monkey.walk import LagMonitor, Walk, ddmin, regression_test, shrink
from tests.monkey.workspaces import make_workspace, snapshot_files
from tests.starving import in_a_starved_thread
from workbench.editing.edit_session import EditSession
from workbench.watchdog import Stall, observing

pytestmark = pytest.mark.monkey

LIMIT = 0.5
"""The lag monitor's freeze limit in the test of its clock (five of its checks; a walk's is 5 s)."""


@dataclass(frozen=True)
class Raise(Action):
    """A handler of the app's that raises (what a bug in a key's action does)."""

    async def run(self, walk: Walk) -> None:
        walk.app.call_later(lambda: 1 / 0)
        await walk.pilot.pause()


def a_slow_handler(*seen: threading.Event) -> None:
    """Blocks the loop's thread (what a slow call on the UI thread does) until every one of ``seen`` is set."""
    for event in seen:
        event.wait(30)


@dataclass(frozen=True)
class Block(Action):
    """A handler that blocks the event loop until the walk's lag monitor and ``reported`` (the app's watchdog
    reported a stall) saw it blocked: as long as it takes both to notice, no longer."""

    reported: threading.Event

    async def run(self, walk: Walk) -> None:
        walk.monitor.froze.clear()  # a slow turn before this one (the app's start on a loaded machine) is not it
        walk.app.call_later(a_slow_handler, walk.monitor.froze, self.reported)


@dataclass(frozen=True)
class FocusDetached(Action):
    """Focus given to a field that a recompose then removed (issue 22's freeze after adding a condition)."""

    async def run(self, walk: Walk) -> None:
        field = Input(id="gone")
        await walk.app.screen.mount(field)
        await field.remove()
        walk.app.screen.set_focus(field)  # what a ``focus()`` queued before the removal does once it runs


async def test_an_exception_in_the_app_fails_the_walk_at_its_action(tmp_path: Path) -> None:
    outcome = await walk(tmp_path, "sample", actions=[Press(("f1",)), Press(("escape",)), Raise()], size=(80, 24))
    assert outcome.failure is not None
    assert outcome.failure.kind == "exception" and outcome.failure.step == 2
    assert "ZeroDivisionError" in outcome.failure.detail


async def test_a_blocked_event_loop_fails_the_walk_as_a_freeze(
    tmp_path: Path, stalls: list[Stall], quick_app_watchdog: float
) -> None:
    """A handler that blocks the loop longer than the walk's probe limit fails the walk as a freeze at the
    blocking call; the app's own watchdog reports it too. Both limits are half a second here, not the 5 s and 2 s
    of real walks, and the handler blocks only until both noticed, to block less."""
    reported = threading.Event()
    with observing(lambda _stall: reported.set()):
        outcome = await walk(tmp_path, "sample", actions=[Block(reported)], size=(80, 24), probe_s=quick_app_watchdog)
    assert outcome.failure is not None and outcome.failure.kind == "freeze"
    assert "in a_slow_handler" in outcome.failure.detail, "the freeze is the handler's, where it blocked"
    assert any("in a_slow_handler" in stall.loop_stack for stall in stalls), "the app's watchdog saw the stall too"
    stalls.clear()  # the stall is this test's own


def test_a_loop_waiting_for_a_cpu_is_no_freeze_but_a_blocked_one_is() -> None:
    """A loaded machine slows a walk down, but the time the loop's thread waits for a CPU is no lag; a handler
    blocked in a call that sleeps (no CPU used) is one, on a loaded machine too. The monitor's freeze limit is
    :data:`LIMIT` here: the starved handler holds the loop six times as long (counted in wall time, even the
    monitor's own late checks, slowed by the starved thread holding the GIL, add up past it), the blocked one
    until the monitor calls it a freeze (it never would if blocked time were left out)."""

    def slow(starve: Callable[[], None]) -> tuple[float, tuple[float, str], tuple[float, str]]:
        async def main() -> tuple[float, tuple[float, str], tuple[float, str]]:
            monitor = LagMonitor(asyncio.get_running_loop(), [], LIMIT)
            monitor.start()
            starve()
            end = time.monotonic() + 6 * LIMIT
            while time.monotonic() < end:  # one handler, busy on the CPU it gets: little, beside another process
                pass
            ran = time.thread_time()
            starved = await monitor.recorded()
            monitor.froze.wait(30)  # a handler blocked, until the monitor calls it a freeze
            blocked = await monitor.recorded()
            monitor.stop()
            return ran, starved, blocked

        return asyncio.run(main())

    ran, (starved, _), (blocked, stack) = in_a_starved_thread(slow)
    assert ran < LIMIT / 2, "the loop's thread was starved of CPU"
    assert starved < LIMIT
    assert blocked > LIMIT and "monitor.froze.wait(30)" in stack


async def test_focus_on_a_removed_field_fails_the_walk(tmp_path: Path) -> None:
    outcome = await walk(tmp_path, "sample", actions=[FocusDetached()], size=(80, 24))
    assert outcome.failure is not None and outcome.failure.kind == "dead focus"


async def test_a_failure_shrinks_to_its_cause_and_prints_as_a_test(tmp_path: Path) -> None:
    noise: list[Action] = [Press(("f2",)), Type("hello"), Press(("down", "up")), Press(("f1",)), Press(("escape",))]
    outcome = await walk(tmp_path / "walk", "sample", actions=[*noise, Raise(), Press(("f3",))], size=(80, 24))
    assert outcome.failure is not None and len(outcome.actions) == 6  # the walk stops at the failing action
    shrunk = await shrink(tmp_path / "shrink", outcome, budget_s=300)
    assert shrunk.actions == [Raise()]
    code = regression_test(shrunk, "test_found")
    assert "\nasync def test_found(tmp_path: Path) -> None:\n" in code
    compile(code, "regression_test", "exec")
    assert "        Raise(),\n" in code and "await replay(tmp_path, 'sample', actions, size=(80, 24))" in code


async def test_delta_debugging_finds_the_two_items_that_fail_together() -> None:
    tried: list[list[int]] = []

    async def fails(candidate: list[int]) -> list[int] | None:
        tried.append(candidate)
        return candidate if 3 in candidate and 17 in candidate else None

    assert await ddmin(list(range(40)), fails) == [3, 17]
    assert len(tried) < 120


async def test_delta_debugging_keeps_the_prefix_a_failure_stopped_at() -> None:
    async def fails(candidate: list[int]) -> list[int] | None:
        return candidate[: candidate.index(9) + 1] if 9 in candidate else None

    assert await ddmin(list(range(20)), fails) == [9]


def test_the_awkward_workspace_loads_whole_with_its_awkward_content(tmp_path: Path) -> None:
    root = make_workspace("awkward", tmp_path)
    session = EditSession.load(root)
    assert session.problems == {}
    names = [entry.name for entry in session.entries]
    assert any("[/]" in name for name in names) and any("[bold]" in name for name in names)
    assert any(len(name) > 100 for name in names)
    sizes = [len(data) for path, data in snapshot_files(root).items() if path.startswith("connectors")]
    assert min(sizes) > 6000


def test_every_action_is_importable_from_the_package_a_printed_test_imports_it_from() -> None:
    """A shrunk walk prints as a test importing its actions from ``tests.monkey``: each kind of action is there
    (seed 41001's printed test imported ``CompareResults``, which was not)."""
    import tests.monkey
    from tests.monkey import actions

    kinds = {
        name
        for name, value in vars(actions).items()
        if isinstance(value, type) and issubclass(value, Action) and value is not Action
    }
    assert kinds - set(tests.monkey.__all__) == set()
