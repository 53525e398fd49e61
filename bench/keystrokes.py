"""What the app itself costs per key typed into an editor's field: CPU per keystroke, against a bare Input.

Each field is typed into in the real app on a copy of the sample desk, with the tests' settings (10 ms lint and
transform delays, 120x36), one key at a time as a pilot presses them, waiting for the app to be idle after the
last one (its lint and the debounced work included). The baseline, measured in the same run and interleaved with
it, is a minimal Textual app with one Input of the same size under the same pilot. CPU is the process's (every
thread's); the ratio is the app's CPU per key over the baseline's.

    python bench/keystrokes.py [--runs 3] [--keys 40] [--field scenario-name ...] [--profile out.prof] [--top N]

With ``--profile`` each field is typed into once more under cProfile (the UI thread's CPU time) and the
statistics of the last one are written there (read them with ``python -m pstats out.prof``, or ``--top N``
prints the slowest functions, cumulative).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app_start import (  # (bench/ is the script's folder: on the path)
    SIZE,
    add_profile_options,
    idle,
    loaded,
    median_ms,
    save_profile,
    thread_profiler,
)
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from workbench.tui.app import WorkbenchApp

ROOT = Path(__file__).resolve().parent.parent
TEXT = "abcdefghij"


@dataclass(frozen=True)
class Field:
    """A field to type into: the item whose editor holds it and the field's id in that editor."""

    name: str
    kind: str
    item: str
    widget_id: str


FIELDS = (
    Field("connector-name", "connector", "Get orders", "name"),
    Field("connector-description", "connector", "Get orders", "description"),
    Field("scenario-name", "scenario", "Order in transit shows tracking", "scenario-name"),
    Field("step-text", "procedure", "Order status", "text"),
    Field("settings-name", "workspace", "", "workspace-name"),
)


class Minimal(App[None]):
    """The baseline: one Input, the least a typed key costs a Textual app under a pilot."""

    def compose(self) -> ComposeResult:
        yield Input(id="field")


async def _type(pilot: Pilot[None], keys: int, profiler: cProfile.Profile | None) -> float:
    """Type ``keys`` characters into the focused widget and wait for idle; the CPU seconds per key."""
    await idle(pilot.app)
    started = time.process_time()
    if profiler is not None:
        profiler.enable()
    for index in range(keys):
        await pilot.press(TEXT[index % len(TEXT)])
    await idle(pilot.app)
    if profiler is not None:
        profiler.disable()
    return (time.process_time() - started) / keys


async def minimal(keys: int) -> float:
    """CPU seconds per key typed into the minimal app's Input."""
    async with Minimal().run_test(size=SIZE) as pilot:
        pilot.app.query_one("#field").focus()
        return await _type(pilot, keys, None)


async def _focus_field(pilot: Pilot[None], app: WorkbenchApp, field: Field) -> Widget:
    session = app.session
    assert session is not None
    entry = session.settings if field.kind == "workspace" else session.find(field.kind, field.item)
    assert entry is not None, f"no {field.kind} {field.item!r} in the workspace"
    await app.main.open_entry(entry)
    editor = app.current_editor
    assert editor is not None and editor.entry is entry
    for _ in range(100):  # a procedure's step form is filled a frame after the outline selects its first step
        found = editor.query(f"#{field.widget_id}")
        if found:
            break
        await pilot.pause()
    target = found.first()
    target.focus()
    return target


async def workbench(root: Path, field: Field, keys: int, profiler: cProfile.Profile | None = None) -> float:
    """CPU seconds per key typed into ``field`` of the app on ``root``."""
    async with loaded(root) as (app, pilot):
        target = await _focus_field(pilot, app, field)
        await pilot.pause()
        assert app.focused is target, f"{field.name}: the focus is on {app.focused!r}, not {target!r}"
        return await _type(pilot, keys, profiler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=40, help="characters typed per field and run")
    parser.add_argument("--field", action="append", choices=[field.name for field in FIELDS], help="only these")
    parser.add_argument("--workspace", type=Path, default=ROOT / "sample_data" / "support-desk")
    add_profile_options(parser, "one more typing run in each field (the last one's)")
    args = parser.parse_args()
    fields = [field for field in FIELDS if not args.field or field.name in args.field]
    with tempfile.TemporaryDirectory() as folder:
        source = args.workspace

        def fresh(run: int, field: Field) -> Path:  # a new copy each time: typing leaves the items edited
            return Path(shutil.copytree(source, Path(folder) / f"{field.name}-{run}"))

        asyncio.run(minimal(args.keys))  # warm: imports, the file cache
        asyncio.run(workbench(fresh(-1, fields[0]), fields[0], 3))
        base: list[float] = []
        per_field: dict[str, list[float]] = {field.name: [] for field in fields}
        for run in range(args.runs):  # interleaved, so drifts in the machine's load hit both alike
            for field in fields:
                base.append(asyncio.run(minimal(args.keys)))
                per_field[field.name].append(asyncio.run(workbench(fresh(run, field), field, args.keys)))
        baseline = median_ms(base) if base else float("nan")
        print(f"{'baseline (one Input)':<24} {baseline:7.1f} ms/key   ({len(base)} runs of {args.keys} keys)")
        for name, values in per_field.items() if base else ():
            ms = median_ms(values)
            print(f"{name:<24} {ms:7.1f} ms/key   ratio {ms / baseline:6.1f}x   (min {min(values) * 1000:.1f})")
        if args.profile:
            for field in fields:
                profiler = thread_profiler()
                asyncio.run(workbench(fresh(args.runs, field), field, args.keys, profiler))
                save_profile(profiler, args.profile, args.top, field.name)


if __name__ == "__main__":
    main()
