"""Run-log benchmark: 50,000 run events streamed into the debugger's RunLog, against Textual's plain ``Log``
fed the same lines, in the same run.

Run: python bench/run_log.py [--events N] [--batch N]

Both widgets sit in a headless app (120x40) and receive the stream in batches (as a run delivers them),
the app painting after each batch. Printed per widget: the time the UI loop spent in the widget's ingest
calls (total and worst batch), the CPU time of the whole stream (paints and worker threads included), the
mean time to render one full screen at a random scroll position, and the memory the widget holds afterwards
(tracemalloc, in a separate pass). The events (and the Log's lines) are built before anything is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Log

from workbench.engine import Event
from workbench.tui.debug.run_log import RunLog, event_text

BODY = {"order_id": "ORD-1001", "status": "processing", "items": [{"name": "Wireless Mouse", "quantity": 1}]}
CYCLE: list[tuple[str, dict[str, Any]]] = [
    ("step_started", {"procedure": "Order status", "step": "lookup", "step_type": "instruction"}),
    (
        "connector_called",
        {
            "procedure": "Order status",
            "step": "lookup",
            "connector": "Get orders",
            "method": "GET",
            "url": "http://127.0.0.1:8787/customers/ada%40example.com/orders",
            "inputs": {"email": "ada@example.com"},
            "mode": "example",
        },
    ),
    (
        "connector_responded",
        {
            "procedure": "Order status",
            "step": "lookup",
            "connector": "Get orders",
            "status": 200,
            "elapsed_ms": 12.5,
            "bytes": 120,
            "source": "example",
            "body": BODY,
        },
    ),
    (
        "attributes_available",
        {
            "procedure": "Order status",
            "step": "lookup",
            "connector": "Get orders",
            "attributes": {"Get orders > order_id": "ORD-1001", "Get orders > status": "processing"},
        },
    ),
    (
        "message",
        {"procedure": "Order status", "step": "lookup", "text": "Your order ORD-1001 is processing.", "reads": {}},
    ),
    (
        "condition_evaluated",
        {
            "procedure": "Order status",
            "step": "big-order",
            "branch": None,
            "tests": [{"branch": 0, "kind": "code", "expression": "len(items) >= 4", "result": False}],
        },
    ),
    ("warning", {"procedure": "Order status", "step": "lookup", "code": "connector_reused", "message": "reusing"}),
]


def make_events(count: int) -> list[Event]:
    """``count`` events shaped like a real run's, numbered from 1 (built from their JSON form)."""
    return [
        Event.from_json(
            {"seq": seq, "t": seq * 0.0005, "type": CYCLE[seq % len(CYCLE)][0], **CYCLE[seq % len(CYCLE)][1]}
        )
        for seq in range(1, count + 1)
    ]


class Host(App[None]):
    """A headless app holding one widget."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


Feed = Callable[[int, int], object]


async def stream(widget: Widget, feed: Feed, total: int, batch: int) -> dict[str, float]:
    """Feed ``total`` items in batches, letting the app paint after each one; figures in seconds."""
    app = Host(widget)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        blocking = slowest = 0.0
        cpu = time.process_time()
        wall = time.perf_counter()
        for start in range(0, total, batch):
            started = time.perf_counter()
            feed(start, min(total, start + batch))
            spent = time.perf_counter() - started
            blocking += spent
            slowest = max(slowest, spent)
            await pilot.pause(0)
        await app.workers.wait_for_complete()
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        paint = random_screens(widget, total)
    return {"blocking": blocking, "slowest": slowest, "wall": wall, "cpu": cpu, "paint": paint}


def random_screens(widget: Widget, total: int, screens: int = 200) -> float:
    """Mean seconds to render every line of the visible screen at random scroll positions."""
    rows = widget.size.height
    positions = random.Random(7).sample(range(max(1, total - rows)), screens)
    started = time.perf_counter()
    for top in positions:
        widget.scroll_to(y=top, animate=False, immediate=True)
        for y in range(rows):
            widget.render_line(y)
    return (time.perf_counter() - started) / screens


async def held(make: Callable[[], Widget], fill: Callable[[Widget], None]) -> int:
    """Bytes still allocated by a widget after it took the whole stream (measured in its own app run)."""
    widget = make()
    app = Host(widget)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        fill(widget)
        await pilot.pause()
        await app.workers.wait_for_complete()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    return after - before


def report(name: str, figures: dict[str, float], memory: int, base: dict[str, float], base_memory: int) -> None:
    """One line of results, with ratios against the baseline."""

    def cell(key: str, label: str) -> str:
        return f"{label} {figures[key] * 1000:8.1f} ms ({figures[key] / base[key]:.2f}x)"

    print(
        f"{name:7} {cell('blocking', 'ingest')}  {cell('slowest', 'worst batch')}  {cell('cpu', 'cpu')}  "
        f"{cell('paint', 'screen')}  held {memory / 1e6:6.2f} MB ({memory / base_memory:.2f}x)"
    )


async def main(count: int, batch: int) -> None:
    events = make_events(count)
    lines = [event_text(event).plain for event in events]

    def run_log_feed(log: RunLog) -> Feed:
        return lambda start, end: log.add_events(events[start:end])

    def log_feed(log: Log) -> Feed:
        return lambda start, end: log.write_lines(lines[start:end])

    run_log = RunLog()
    ours = await stream(run_log, run_log_feed(run_log), count, batch)
    plain = Log()
    theirs = await stream(plain, log_feed(plain), count, batch)
    ours_memory = await held(RunLog, lambda widget: widget.add_events(events))  # type: ignore[attr-defined]
    theirs_memory = await held(Log, lambda widget: widget.write_lines(lines))  # type: ignore[attr-defined]
    print(f"{count:,} events in batches of {batch} (Textual Log = baseline, 1.00x)")
    report("Log", theirs, theirs_memory, theirs, theirs_memory)
    report("RunLog", ours, ours_memory, theirs, theirs_memory)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.batch))
