"""What opening an item costs: CPU to bring each kind of editor to the front, against a minimal Textual app's start.

Each item is opened in the real app on a copy of the sample desk, with the tests' settings (10 ms lint and
transform delays, 120x36), as the tree's Enter opens it; timed from the open to the app idle again (the editor
drawn, its background jobs and the lint done). "every tab" then shows each tab of a tabbed editor in turn, the
first visit to each, as a user looking at all of them would. The baseline, measured in the same run and interleaved
with it, is the start of a minimal Textual app (header, one line, footer) under ``run_test()``. CPU is the
process's (every thread's); the ratio is an open's CPU over the baseline's.

    python bench/editor_open.py [--runs 5] [--item connector ...] [--profile out.prof] [--top N]

With ``--profile`` each item is opened once more under cProfile (the UI thread's CPU time) and the statistics of
the last one are written there (read them with ``python -m pstats out.prof``, or ``--top N`` prints the slowest
functions, cumulative).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import inspect
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app_start import (  # (bench/ is the script's folder: on the path)
    add_profile_options,
    idle,
    loaded,
    median_ms,
    minimal,
    save_profile,
    thread_profiler,
)
from textual.widgets import TabPane

from workbench.tui.widgets.tabbed_editor import TabbedEditor

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Item:
    """An item to open: its kind and name in the sample desk (the settings have no name)."""

    kind: str
    name: str


ITEMS = {
    "connector": Item("connector", "Get orders"),
    "scenario": Item("scenario", "Order in transit shows tracking"),
    "settings": Item("workspace", ""),
    "procedure": Item("procedure", "Order status"),
}

Run = tuple[float, float]
"""CPU seconds to open the editor, and then to show each of its other tabs once (0 for an editor without tabs)."""


async def workbench(root: Path, item: Item, profiler: cProfile.Profile | None = None) -> Run:
    """Open ``item`` in the app on ``root``, then visit each of its tabs."""
    async with loaded(root) as (app, pilot):
        await pilot.pause()
        session = app.session
        assert session is not None
        entry = session.settings if item.kind == "workspace" else session.find(item.kind, item.name)
        assert entry is not None, f"no {item.kind} {item.name!r} in the workspace"
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        await app.main.open_entry(entry, focus=True)
        await pilot.pause()
        await idle(app)
        if profiler is not None:
            profiler.disable()
        opened = time.process_time()
        editor = app.current_editor
        assert editor is not None and editor.entry is entry
        panes = [pane.id or "" for pane in editor.query(TabPane)] if isinstance(editor, TabbedEditor) else []
        for pane in panes[1:]:
            assert isinstance(editor, TabbedEditor)
            shown = editor.show_tab(pane)
            if inspect.isawaitable(shown):  # (the tab is built when first shown)
                await shown
            await pilot.pause()
            await idle(app)
        return opened - started, time.process_time() - opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--item", action="append", choices=list(ITEMS), help="only these kinds")
    parser.add_argument("--workspace", type=Path, default=ROOT / "sample_data" / "support-desk")
    add_profile_options(parser, "one more open of each item (the last one's)")
    args = parser.parse_args()
    names = [name for name in ITEMS if not args.item or name in args.item]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(shutil.copytree(args.workspace, Path(folder) / "workspace"))  # opening edits nothing
        asyncio.run(minimal())  # warm: imports, the file cache
        asyncio.run(workbench(root, ITEMS[names[0]]))
        base: list[float] = []
        runs: dict[str, list[Run]] = {name: [] for name in names}
        for _ in range(args.runs):  # interleaved, so drifts in the machine's load hit both alike
            for name in names:
                base.append(asyncio.run(minimal())[2])
                runs[name].append(asyncio.run(workbench(root, ITEMS[name])))
        baseline = median_ms(base)
        print(f"{'baseline (minimal app)':<24} {baseline:6.0f} ms CPU   ({len(base)} runs)")
        for name, values in runs.items():
            opened = median_ms([run[0] for run in values])
            tabs = median_ms([run[1] for run in values])
            every = f"   then every tab {tabs:5.0f} ms" if tabs else ""
            print(f"open {name:<19} {opened:6.0f} ms CPU   ratio {opened / baseline:5.2f}x{every}")
        if args.profile:
            for name in names:
                profiler = thread_profiler()
                asyncio.run(workbench(root, ITEMS[name], profiler))
                save_profile(profiler, args.profile, args.top, f"opening the {name}")


if __name__ == "__main__":
    main()
