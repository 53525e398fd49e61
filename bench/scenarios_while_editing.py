"""Key-press latency in the editor while the Scenarios tab re-runs many scenarios, against idle in the same run.

Run: python bench/scenarios_while_editing.py [--count 500] [--keys 40]

The app runs headless (Textual's Pilot) on a copy of the sample support desk with ``--count`` generated
scenarios. Typing goes into the text of an instruction step: first with nothing else running (the baseline),
then right after asking every scenario to run again, as a save that touches them all does. Each figure is the
time from a key press until the app has handled it and is idle again. Aim: busy p50 and p90 within 1.5x idle.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import SAMPLE, generate

from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.mention_area import MentionArea


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


async def type_keys(area: MentionArea, count: int, until: Callable[[], bool] = lambda: True) -> list[float]:
    """Seconds from a key reaching the text field's queue until the text has it, for up to ``count`` keys
    while ``until()`` holds; a human pace (30 ms) between keys."""
    times = []
    for _ in range(count):
        if not until():
            break
        before = len(area.text)
        started = time.perf_counter()
        area.post_message(events.Key("x", "x"))
        while len(area.text) == before:
            await asyncio.sleep(0.0005)
        times.append(time.perf_counter() - started)
        await asyncio.sleep(0.03)
    return times


async def measure(root: Path, keys: int) -> tuple[list[float], list[float], int, float]:
    app = WorkbenchApp(root, lint_delay=0.3, watch_interval=3600)
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
        idle = await type_keys(area, keys)
        pane = app.debugger.scenarios
        pane.sync()
        rows = list(pane.board.rows.values())
        started = time.perf_counter()
        pane.run_rows(rows)
        busy = await type_keys(area, keys, lambda: any(row.status == "queued" for row in rows))
        still_running = sum(row.status == "queued" for row in rows)
        while any(row.status == "queued" for row in rows):
            await pilot.pause(0.05)
        took = time.perf_counter() - started
        await settle(pilot)
    return idle, busy, still_running, took


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="how many scenarios (default 500)")
    parser.add_argument("--keys", type=int, default=40, help="key presses per measurement (default 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(shutil.copytree(SAMPLE, Path(temp) / "support-desk"))
        generate(root, args.count)
        idle, busy, still_running, took = asyncio.run(measure(root, args.keys))
    for name, share in (("p50", 0.5), ("p90", 0.9)):
        base, loaded = percentile(idle, share), percentile(busy, share)
        print(
            f"key press {name}: idle {base * 1000:6.1f} ms   re-running {loaded * 1000:6.1f} ms   {loaded / base:4.2f}x"
        )
    print(f"{args.count} scenarios re-ran in {took:.1f} s; {len(busy)} keys were typed while they ran")
    if still_running == 0 and len(busy) < args.keys // 2:
        print("warning: few keys were typed while scenarios ran; use more --count for a fair measure")


if __name__ == "__main__":
    main()
