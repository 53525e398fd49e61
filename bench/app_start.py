"""What one full-app test pays for the app itself: ``WorkbenchApp(...).run_test()`` from entry to ready and out.

"Ready" is what the tests' ``running()`` waits for: the workspace loaded and linted, every background job done
(the disk watch excepted) and the screen caught up. The baseline, measured in the same run and interleaved with
it, is a minimal Textual app (header, one line, footer) under ``run_test()``; both are timed in one warm process,
as the suite runs them, so imports are paid once and not counted.

    python bench/app_start.py [--runs 9] [--workspace sample_data/support-desk] [--profile out.prof]

With ``--profile`` one more start of the workbench runs under cProfile (the UI thread's CPU time) and its statistics
are written there
(read them with ``python -m pstats out.prof``, or ``--top N`` prints the slowest functions).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import shutil
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Header, Static

from workbench.tui.app import WorkbenchApp

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 36)
"""The tests' terminal size (tests/tui/conftest.py)."""


class Minimal(App[None]):
    """The baseline: the least a Textual app under a pilot costs."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("minimal app ready")
        yield Footer()


async def idle(app: App[None]) -> None:
    """Until every background job but the disk watch is done, twice in a row a frame apart."""
    calm = 0
    while calm < 2:
        await asyncio.sleep(0.005)
        busy = any(not worker.is_finished and worker.group != "watch" for worker in app.workers)
        calm = 0 if busy else calm + 1


@asynccontextmanager
async def loaded(root: Path) -> AsyncIterator[tuple[WorkbenchApp, Pilot[None]]]:
    """The workbench on ``root`` with the tests' settings (10 ms lint and transform delays, no disk watch, 120x36),
    once its workspace is loaded, linted and its background jobs are done."""
    app = WorkbenchApp(root, lint_delay=0.01, watch_interval=3600, transform_delay=0.01)
    async with app.run_test(size=SIZE) as pilot:
        while app.session is None:  # its lint job starts with it
            await asyncio.sleep(0.005)
        await idle(app)
        yield app, pilot


def add_profile_options(parser: argparse.ArgumentParser, what: str) -> None:
    """``--profile PATH`` (cProfile statistics of ``what``, run once more) and ``--top N``."""
    parser.add_argument("--profile", type=Path, help=f"write cProfile statistics of {what} here")
    parser.add_argument("--top", type=int, default=0, help="with --profile: print the N slowest (cumulative)")


def thread_profiler() -> cProfile.Profile:
    """A profiler of the UI thread's CPU time: waits for the GIL do not count."""
    return cProfile.Profile(time.thread_time)


def save_profile(profiler: cProfile.Profile, path: Path, top: int, what: str = "") -> None:
    """Write ``profiler``'s statistics to ``path``; print the ``top`` slowest functions (cumulative)."""
    profiler.dump_stats(path)
    if what:
        print(f"-- profile of {what} written to {path}")
    if top:
        pstats.Stats(str(path)).sort_stats("cumulative").print_stats(top)


def median_ms(values: list[float]) -> float:
    """The median of ``values`` (seconds), in milliseconds."""
    return statistics.median(values) * 1000


Run = tuple[float, float, float]
"""Seconds to ready, seconds to close, and the CPU seconds (every thread's) of the whole."""


async def minimal() -> Run:
    """One start of the minimal app."""
    started, cpu = time.perf_counter(), time.process_time()
    async with Minimal().run_test(size=SIZE) as pilot:
        await idle(pilot.app)
        ready = time.perf_counter()
    return ready - started, time.perf_counter() - ready, time.process_time() - cpu


async def workbench(root: Path) -> Run:
    """One start of the workbench, ready when loaded, linted and its background jobs are done."""
    started, cpu = time.perf_counter(), time.process_time()
    async with loaded(root):
        ready = time.perf_counter()
    return ready - started, time.perf_counter() - ready, time.process_time() - cpu


def report(name: str, runs: list[Run]) -> tuple[float, float]:
    """Print the medians of ``runs``; the median wall time (to ready and closed) and CPU time."""
    ready, close, cpu = (statistics.median(run[part] for run in runs) for part in range(3))
    print(
        f"{name:<12}  to ready: median {ready * 1000:6.0f} ms (min {min(r[0] for r in runs) * 1000:5.0f})   "
        f"close: {close * 1000:5.0f} ms   CPU: {cpu * 1000:5.0f} ms   ({len(runs)} runs)"
    )
    return ready + close, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--workspace", type=Path, default=ROOT / "sample_data" / "support-desk")
    add_profile_options(parser, "one more start")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(shutil.copytree(args.workspace, Path(folder) / "workspace"))
        asyncio.run(minimal())  # warm: imports, the file cache
        asyncio.run(workbench(root))
        times: dict[str, list[Run]] = {"minimal": [], "workbench": []}
        for _ in range(args.runs):  # interleaved, so drifts in the machine's load hit both alike
            times["minimal"].append(asyncio.run(minimal()))
            times["workbench"].append(asyncio.run(workbench(root)))
        (base, base_cpu), (total, cpu) = report("minimal", times["minimal"]), report("workbench", times["workbench"])
        print(f"ratio workbench / minimal: wall (ready + close) {total / base:.2f}x, CPU {cpu / base_cpu:.2f}x")
        if args.profile:
            profiler = thread_profiler()
            profiler.runcall(asyncio.run, workbench(root))
            save_profile(profiler, args.profile, args.top)


if __name__ == "__main__":
    main()
