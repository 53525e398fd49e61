"""Key-press latency in the editor while the Scenarios tab re-runs many scenarios, against idle in the same run.

Run: python bench/scenarios_while_editing.py [--count 500] [--keys 40] [--rounds 3]

The app runs headless (Textual's Pilot) on a copy of the sample support desk with ``--count`` generated
scenarios. Typing goes into the text of an instruction step: first with nothing else running (the baseline),
then right after asking every scenario to run again, as a save that touches them all does; ``--rounds`` times
each, alternating, pooled. Each figure is the time from a key press until the app has drawn a frame with the
key's letter in it. Aim: busy p50 and p90 within 1.5x idle.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rich.console import RenderableType
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import SAMPLE, generate

from workbench.scenarios.board import Row
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.mention_area import MentionArea


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


class FrameClock:
    """When the app drew a frame, and how long the typed text was in it (headless: the compositor's update,
    made but not written out)."""

    def __init__(self, app: WorkbenchApp) -> None:
        self.text: MentionArea | None = None
        self.length = 0
        """The text's length in the last frame."""
        self.when = 0.0
        """When the last frame was drawn."""
        display = app._display

        def timed(screen: Screen[object], renderable: RenderableType | None) -> None:
            display(screen, renderable)
            if renderable is not None and self.text is not None:
                self.length, self.when = len(self.text.text), time.perf_counter()

        app._display = timed  # type: ignore[method-assign]


async def type_keys(frames: FrameClock, count: int, until: Callable[[], bool] = lambda: True) -> list[float]:
    """Seconds from a key reaching the text field's queue until a frame shows it, for up to ``count`` keys
    while ``until()`` holds; a human pace (30 ms) between keys."""
    area = frames.text
    assert area is not None
    times = []
    for _ in range(count):
        if not until():
            break
        before = len(area.text)
        started = time.perf_counter()
        area.post_message(events.Key("x", "x"))
        while frames.length <= before:
            await asyncio.sleep(0.0005)
        times.append(frames.when - started)
        await asyncio.sleep(0.03)
    return times


def running(rows: list[Row]) -> bool:
    """Whether some of these scenarios still run."""
    return any(row.status == "queued" for row in rows)


async def measure(root: Path, keys: int, rounds: int) -> tuple[list[float], list[float], list[float], int]:
    """Key latencies idle and while every scenario re-runs, pooled over ``rounds`` alternations; the seconds
    each re-run took; how many re-runs outlasted their keys."""
    app = WorkbenchApp(root, lint_delay=0.3, watch_interval=3600)
    frames = FrameClock(app)
    idle: list[float] = []
    busy: list[float] = []
    took: list[float] = []
    outlasted = 0
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.pause(0.5)  # the debugger loads after the first frame
        await settle(pilot)
        entry = app.session.find("procedure", "Order status")  # type: ignore[union-attr]
        assert entry is not None
        await app.editors.show(entry)
        await settle(pilot)
        editor = app.current_editor
        await editor.select_step("lookup")  # type: ignore[union-attr]
        await settle(pilot)
        area = app.query_one(MentionArea)
        area.focus()
        await pilot.pause()
        frames.text = area
        pane = app.main.debugger.scenarios
        for _ in range(rounds):
            idle += await type_keys(frames, keys)
            pane.sync()
            rows = list(pane.board.rows.values())
            started = time.perf_counter()
            pane.run_rows(rows)
            busy += await type_keys(frames, keys, partial(running, rows))
            outlasted += running(rows)
            while running(rows):
                await pilot.pause(0.05)
            took.append(time.perf_counter() - started)
            await settle(pilot)
    return idle, busy, took, outlasted


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="how many scenarios (default 500)")
    parser.add_argument("--keys", type=int, default=40, help="key presses per measurement (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="idle/re-running alternations (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(shutil.copytree(SAMPLE, Path(temp) / "support-desk"))
        generate(root, args.count)
        idle, busy, took, outlasted = asyncio.run(measure(root, args.keys, args.rounds))
    for name, share in (("p50", 0.5), ("p90", 0.9)):
        base, loaded = percentile(idle, share), percentile(busy, share)
        print(
            f"key press {name}: idle {base * 1000:6.1f} ms   re-running {loaded * 1000:6.1f} ms   {loaded / base:4.2f}x"
        )
    runs = ", ".join(f"{seconds:.1f}" for seconds in took)
    print(f"{args.count} scenarios re-ran in {runs} s; {len(busy)} keys were typed while they ran")
    if outlasted == 0 and len(busy) < args.rounds * args.keys // 2:
        print("warning: few keys were typed while scenarios ran; use more --count for a fair measure")


if __name__ == "__main__":
    main()
