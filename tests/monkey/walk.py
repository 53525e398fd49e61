"""A walk: the real app on a real workspace, driven by a list of actions (picked from a seed, or replayed), the
invariants checked after every action, and a failure shrunk to the few actions that still cause it."""

from __future__ import annotations

import _thread
import asyncio
import difflib
import random
import re
import sys
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import orjson
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from tests.monkey.actions import SIZES, Action, field_text, noticed, pick
from tests.monkey.workspaces import make_workspace, snapshot_files
from tests.quick_pilot import quick_test
from workbench.loop_clock import LoopClock
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenEntry
from workbench.tui.widgets.json_field import JsonArea

T = TypeVar("T")

PROBE_S = 5.0
"""The app must answer a probe this soon after every action."""
SETTLE_S = 5.0
"""At most this long is waited for background jobs after an action (a paused run's never ends)."""
HANG_S = 180.0
"""The loop blocked this long is stuck for good: the lag monitor prints the walk and interrupts it."""
CHECK_S = 0.1
"""How often the lag monitor probes the loop (and checks a probe not answered yet)."""
RECENT = 30
"""How many of the last actions a failure shows."""
LONG_LIVED = frozenset({"watch", "debug-run", "mock-server"})
"""Worker groups that may run across actions."""


@dataclass
class Failure(Exception):
    """An invariant that did not hold after action number ``step`` (0-based; the walk's length for the final
    round-trip check)."""

    kind: str
    detail: str
    step: int
    key: str = ""
    """What tells this failure from others of its kind (default: the detail's last line)."""

    def __str__(self) -> str:
        return f"{self.kind} after action {self.step}: {self.detail}"

    @property
    def signature(self) -> tuple[str, str]:
        """What a shrunk walk must reproduce: the kind and the detail's last line (an exception's type and
        message), without the numbers that change from run to run."""
        last = self.key or next((line for line in reversed(self.detail.splitlines()) if line.strip()), "")
        last = re.sub(r"\S*/\S*|\d+", "#", last)  # paths (of each walk's own folder) and numbers
        return self.kind, last[:160]


@dataclass
class Outcome:
    """What a walk did and whether an invariant broke."""

    workspace: str
    size: tuple[int, int]
    actions: list[Action]
    failure: Failure | None
    seconds: float
    roundtrip: bool = False
    seed: int | None = None
    notes: list[str] = field(default_factory=list)
    animations: bool = False
    """Whether the app animated (scrolls, tabs' underlines) as a user's does."""
    tolerated: list[Failure] = field(default_factory=list)
    """Failures of a tolerated kind met on the way (the walk went on)."""

    @property
    def per_second(self) -> float:
        """Actions per second of wall time (the app's start included)."""
        return len(self.actions) / self.seconds if self.seconds else 0.0


class Walk:
    """The app under a pilot, the workspace's original files and the actions done so far."""

    def __init__(self, pilot: Pilot[None], root: Path, *, roundtrip: bool, probe_s: float = PROBE_S) -> None:
        self.pilot = pilot
        self.root = root
        self.roundtrip = roundtrip
        self.probe_s = probe_s
        """How soon the app must answer a probe (:data:`PROBE_S` unless a test of the check itself asks less)."""
        self.original = snapshot_files(root)
        self.done: list[Action] = []
        self.monitor = LagMonitor(asyncio.get_running_loop(), self.done, probe_s)
        self.notes: list[str] = []
        self.tolerated: list[Failure] = []

    @property
    def app(self) -> WorkbenchApp:
        """The app walked."""
        app = self.pilot.app
        assert isinstance(app, WorkbenchApp), f"{app!r} is not the workbench app"
        return app

    async def do(self, action: Action) -> None:
        """Do ``action``, then check every invariant; raises :class:`Failure`."""
        step = len(self.done)
        self.done.append(action)
        focused = self.app.focused
        before = field_text(focused)
        try:
            await action.run(self)
            await self.settle()
        except Exception as error:
            self.check_alive(step)
            raise Failure("harness", _exception_text(error), step) from error
        self.check_alive(step)
        await self.probe(step)
        self.check_focus(step)
        self.check_typed(step, focused, before)
        self.check_rows(step)

    async def settle(self) -> None:
        """Let the screen catch up and background jobs finish (for at most :data:`SETTLE_S`)."""
        await self.pilot.pause()
        deadline = time.monotonic() + SETTLE_S
        while time.monotonic() < deadline and any(
            not worker.is_finished and worker.group not in LONG_LIVED for worker in self.app.workers
        ):
            await asyncio.sleep(0.02)  # the loop runs on meanwhile: the pause below catches the screen up once
        await self.pilot.pause()

    async def until_noticed(self, path: Path) -> None:
        """Wait (at most a few seconds) until the app's disk watch has seen ``path`` as it is now."""
        deadline = time.monotonic() + 4 * SETTLE_S
        while time.monotonic() < deadline and not noticed(self, path):
            await self.pilot.pause(0.05)

    # -- invariants ---------------------------------------------------------------------------------------

    def check_alive(self, step: int) -> None:
        """No exception reached Textual, and the app still runs."""
        error = self.app._exception  # what ``run_test`` re-raises: Textual's record of an unhandled exception
        if error is not None:
            raise Failure("exception", _exception_text(error), step)
        if self.app.return_code is not None or not self.app.is_running:
            raise Failure("exited", f"the app exited (return code {self.app.return_code})", step)

    async def probe(self, step: int) -> None:
        """The app answered every probe within :attr:`probe_s` (the lag monitor's, sent from another thread
        through the action, so a handler that blocks the loop is caught), and answers one now."""
        answered = asyncio.Event()
        self.app.call_later(answered.set)
        clock, waited = LoopClock(CHECK_S), 0.0
        while not answered.is_set():
            try:
                await asyncio.wait_for(answered.wait(), CHECK_S)
            except TimeoutError:
                waited += clock.tick()  # the time the loop's thread waited for a CPU is no freeze
                if waited > self.probe_s:
                    raise Failure("freeze", f"no answer to a probe within {self.probe_s:g} s", step) from None
        lag, stack = await self.monitor.recorded()
        if lag > self.probe_s:
            raise Failure("freeze", f"the event loop did not answer for {lag:.1f} s; it was at:\n{stack}", step)

    def check_focus(self, step: int) -> None:
        """Keys have somewhere to go: the focused control (if any) is on the screen and running."""
        focused = self.app.focused
        if focused is not None and not (focused.is_attached and focused.is_running):
            raise Failure("dead focus", f"the focus is on {focused!r}, which is not on the screen", step)

    def check_typed(self, step: int, focused: Widget | None, before: str | None) -> None:
        """Text typed into an item's field is kept: the item is marked unsaved (or the text was saved)."""
        from workbench.tui.widgets.entry_editor import EntryEditor

        action = self.done[-1]
        if before is None or type(action).__name__ not in ("Type", "Paste") or focused is None:
            return
        after = field_text(focused)
        editor = next((node for node in focused.ancestors if isinstance(node, EntryEditor)), None)
        if editor is None or after is None or after == before or not focused.is_attached:
            return
        if isinstance(focused, Input) and after.strip() == before.strip():
            return  # spaces at the ends of a one-line field (names, ids are kept trimmed): the next word's start
        if isinstance(focused, JsonArea) and same_json(before, after):
            return  # layout only (a space between two tokens): the value is the model's, written in the file's layout
        entry = editor.entry
        if not entry.dirty and editor.entry in (self.app.session.entries if self.app.session else []):
            raise Failure(
                "unsaved text lost",
                f"{focused!r} of {entry!r} changed ({before[:40]!r} → {after[:40]!r}) but is not marked unsaved",
                step,
                f"{type(focused).__name__} of a {entry.kind}",
            )

    def check_rows(self, step: int) -> None:
        """Every row typed into a table is in the item's model or in its draft: a table with a row refused is
        the item's draft, as typed, and the item is marked unsaved (see ``workbench/tui/widgets/row_form.py``)."""
        from workbench.tui.widgets.row_form import RowForm

        for editor in self.app.editors.editors():
            entry = editor.entry
            for form in editor.query(RowForm):
                if form.problem() is None:
                    continue
                if entry.drafts.text(form.id or "rows") != form.draft() or not entry.dirty:
                    raise Failure(
                        "unsaved text lost",
                        f"the table {form.id!r} of {entry!r} has a row refused that is not its draft",
                        step,
                        f"{type(form).__name__} of a {entry.kind}",
                    )

    # -- round trip ---------------------------------------------------------------------------------------

    async def undo_all_and_save(self) -> None:
        """Undo every edit of every item (Ctrl+Z in its editor), save (Ctrl+S), and compare every file with
        the walk's start byte for byte."""
        step = len(self.done)
        app = self.app
        for _ in range(5):
            if app.screen is app.screen_stack[0]:
                break
            await self.pilot.press("escape")
        assert app.session is not None
        for entry in list(app.session.all_entries()):
            if not entry.history.undo_stack:
                continue
            app.post_message(OpenEntry(entry))
            await self.settle()
            editor = app.editors.editor_for(entry)
            if editor is None or app.current_editor is not editor:
                raise Failure("roundtrip", f"{entry!r} did not open to be undone", step)
            editor.focus_default()
            edits = len(entry.history.undo_stack)
            for _ in range(edits + 50):
                if not entry.history.undo_stack:
                    break
                await self.pilot.press("ctrl+z")
            self.notes.append(f"undid {edits} edits of {entry.kind} {entry.name!r}")
            await self.settle()
            self.check_alive(step)
            if entry.history.undo_stack:
                raise Failure("roundtrip", f"Ctrl+Z left {len(entry.history.undo_stack)} edits of {entry!r}", step)
        await self.pilot.press("ctrl+s")
        await self.settle()
        self.check_alive(step)
        now = snapshot_files(self.root)
        if now != self.original:
            raise Failure("roundtrip", _files_diff(self.original, now), step)


# -- running walks ---------------------------------------------------------------------------------------------


def app_for(root: Path) -> WorkbenchApp:
    """The app a monkey walks: quick lint and transforms, and a disk watch quick enough to see its changes."""
    return WorkbenchApp(root, lint_delay=0.05, watch_interval=0.3, transform_delay=0.05)


async def walk(
    parent: Path,
    workspace: str,
    *,
    seed: int | None = None,
    steps: int = 0,
    actions: Sequence[Action] = (),
    size: tuple[int, int] | None = None,
    roundtrip: bool = False,
    tolerate: frozenset[str] = frozenset(),
    opening: Sequence[Action] = (),
    probe_s: float = PROBE_S,
    animations: bool = False,
) -> Outcome:
    """Walk the app on a fresh ``workspace`` under ``parent``: ``steps`` actions picked from ``seed`` (after the
    ``opening`` ones, e.g. opening an item to walk in), or the given ``actions``; with ``roundtrip``, then undo
    everything, save and compare the files. Failures of a kind
    in ``tolerate`` (one that leaves the app usable, e.g. ``unsaved text lost``) are kept in
    :attr:`Outcome.tolerated` and the walk goes on. The app must answer a probe within ``probe_s`` seconds.

    With ``animations``, the app animates as a user's does (the command line's walks); the suite's walks and
    replays take each animation's end at once, as every test does.

    The outcome holds the actions done (the last one is the one that failed) and the failure, if any.
    """
    rng = random.Random(seed)
    size = size or rng.choice(SIZES)
    root = make_workspace(workspace, parent)
    app = app_for(root)
    started = time.monotonic()
    failure: Failure | None = None
    current: Walk | None = None
    try:
        async with quick_test(app, size=size, animations=animations) as pilot:
            current = Walk(pilot, root, roundtrip=roundtrip, probe_s=probe_s)
            current.monitor.start()
            await current.settle()
            try:
                for action in () if actions else opening:
                    await current.do(action)
                for index in range(len(actions) if actions else steps):
                    try:
                        await current.do(actions[index] if actions else pick(current, rng))
                    except Failure as found:
                        if found.kind not in tolerate:
                            raise
                        current.tolerated.append(found)
                if roundtrip:
                    await current.undo_all_and_save()
            except Failure as found:
                failure = found
    except Exception as error:  # the app's own exception, re-raised by ``run_test`` as it closes
        if failure is None:
            failure = Failure("exception", _exception_text(error), len(current.done) if current else 0)
    finally:
        if current is not None:
            current.monitor.stop()
    done, notes, tolerated = (current.done, current.notes, current.tolerated) if current else ([], [], [])
    outcome = Outcome(workspace, size, done, failure, time.monotonic() - started, roundtrip, seed, notes, animations)
    outcome.tolerated = tolerated
    return outcome


class LagMonitor(threading.Thread):
    """Probes the event loop from a thread: the longest time it took to answer (and where the loop was while
    it did not), and the watchdog of a walk stuck for :data:`HANG_S`, which it prints and interrupts.

    A lag is the time the loop's thread was busy or blocked before it answered, not wall time: the time it
    waited for a CPU (other processes on a loaded machine) is left out (:class:`~workbench.loop_clock.LoopClock`
    tells them apart), so a slow machine makes a slow walk, not a false freeze."""

    def __init__(self, loop: asyncio.AbstractEventLoop, done: list[Action], probe_s: float = PROBE_S) -> None:
        """Watch ``loop`` (made on its thread); ``done`` is the walk's list of actions, printed on a hang; a lag
        past ``probe_s`` is a freeze, whose stack is kept."""
        super().__init__(name="monkey-lag-monitor", daemon=True)
        self._loop, self._done, self._probe_s = loop, done, probe_s
        self._loop_thread = threading.get_ident()
        self._loop_native = threading.get_native_id()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._worst, self._stack = 0.0, ""
        self.in_flight: float | None = None
        """When the probe on its way was sent (``None``: none is, every lag is recorded)."""
        self.froze = threading.Event()
        """Set once a lag passed the freeze limit (a test of the check holds the loop until then)."""

    def take(self) -> tuple[float, str]:
        """The longest lag since the last call, with the loop's stack when it passed the freeze limit."""
        with self._lock:
            worst, stack = self._worst, self._stack
            self._worst, self._stack = 0.0, ""
        return worst, stack

    async def recorded(self) -> tuple[float, str]:
        """:meth:`take`, once the lag of every probe sent before this call (on the loop's thread, which has turned
        to make it: the probe is answered) is recorded."""
        turned = time.monotonic()
        while (sent := self.in_flight) is not None and sent < turned:
            await asyncio.sleep(0.005)
        return self.take()

    def stop(self) -> None:
        """End the thread."""
        self._stopped.set()

    def run(self) -> None:
        while not self._stopped.wait(CHECK_S):
            answered = threading.Event()
            clock = LoopClock(CHECK_S, self._loop_native)
            self.in_flight = time.monotonic()
            try:
                self._loop.call_soon_threadsafe(answered.set)
            except RuntimeError:  # the loop closed
                return
            lag, stack = 0.0, ""
            while not answered.wait(CHECK_S) and not self._stopped.is_set():
                lag += clock.tick()
                if lag > self._probe_s and not stack:
                    frame = sys._current_frames().get(self._loop_thread)
                    stack = "".join(traceback.format_stack(frame)[-12:]) if frame else "(no stack)"
                    self.froze.set()
                if lag > HANG_S:
                    self._hung()
                    return
            lag += clock.tick()
            with self._lock:
                if lag > self._worst:
                    self._worst, self._stack = lag, stack or self._stack
                self.in_flight = None

    def _hung(self) -> None:
        print(f"\nmonkey: the event loop has not answered for {HANG_S:g} s; the last actions:", file=sys.stderr)
        print(recent_actions(self._done), file=sys.stderr)
        frame = sys._current_frames().get(self._loop_thread)
        print("".join(traceback.format_stack(frame)) if frame else "", file=sys.stderr)
        _thread.interrupt_main()


async def shrink(parent: Path, outcome: Outcome, *, budget_s: float = 600.0) -> Outcome:
    """The shortest walk found (delta debugging over the actions, within ``budget_s``) that fails the same way."""
    assert outcome.failure is not None
    wanted = outcome.failure.signature
    found = {len(outcome.actions): outcome}
    trials = 0

    async def fails(candidate: list[Action]) -> list[Action] | None:
        nonlocal trials
        trials += 1
        tried = await walk(
            parent / f"trial-{trials}",
            outcome.workspace,
            actions=candidate,
            size=outcome.size,
            roundtrip=outcome.roundtrip,
            animations=outcome.animations,
        )
        if tried.failure is None or tried.failure.signature != wanted:
            return None
        found[len(tried.actions)] = tried
        return tried.actions

    # The failing action is the last one done; the ones after it never ran.
    await ddmin(list(outcome.actions), fails, deadline=time.monotonic() + budget_s)
    best = found[min(found)]
    best.seed = outcome.seed
    best.notes.append(f"shrunk from {len(outcome.actions)} to {len(best.actions)} actions in {trials} trials")
    return best


async def ddmin(
    items: list[T], fails: Callable[[list[T]], Awaitable[list[T] | None]], *, deadline: float = float("inf")
) -> list[T]:
    """Delta debugging: a short sublist of ``items`` (which fail) that still fails; removes ever smaller chunks
    until no single item can go (or the deadline passes). ``fails(candidate)`` answers ``None`` when the
    candidate passes, else the part of it that failed (the actions up to the failing one)."""
    chunks = 2
    while len(items) >= 2 and time.monotonic() < deadline:
        size = -(-len(items) // chunks)
        for start in range(0, len(items), size):
            candidate = items[:start] + items[start + size :]
            if time.monotonic() >= deadline:
                return items
            failed = await fails(candidate)
            if failed is not None:
                items, chunks = failed, max(chunks - 1, 2)
                break
        else:
            if size == 1:
                break
            chunks = min(chunks * 2, len(items))
    return items


# -- reports ---------------------------------------------------------------------------------------------------


def recent_actions(actions: Sequence[Action], count: int = RECENT) -> str:
    """The last ``count`` actions, numbered."""
    first = max(0, len(actions) - count)
    return "\n".join(f"  {index:4}  {action!r}" for index, action in enumerate(actions[first:], first))


def report(outcome: Outcome) -> str:
    """What a failing walk prints: its seed, the failure, the last actions."""
    assert outcome.failure is not None
    mode = (", round trip" if outcome.roundtrip else "") + (", animated" if outcome.animations else "")
    return (
        f"monkey walk failed (seed {outcome.seed}, workspace {outcome.workspace}, size {outcome.size}{mode}):\n"
        f"{outcome.failure}\nlast actions:\n{recent_actions(outcome.actions)}"
    )


def regression_test(outcome: Outcome, name: str = "test_monkey_found") -> str:
    """The failing walk as a plain regression test (with its imports), ready to paste into a test module."""
    assert outcome.failure is not None
    names = sorted({type(action).__name__ for action in outcome.actions} | {"replay"})
    pastes = "from tests.monkey.actions import PASTES\n" if "PASTES[" in repr(outcome.actions) else ""
    lines = "".join(f"        {action!r},\n" for action in outcome.actions)
    options = (", roundtrip=True" if outcome.roundtrip else "") + (", animations=True" if outcome.animations else "")
    return (
        f"from pathlib import Path\n\nfrom tests.monkey import {', '.join(names)}\n{pastes}\n\n"
        f"async def {name}(tmp_path: Path) -> None:\n"
        f"    # seed {outcome.seed}: {outcome.failure.kind}: {outcome.failure.signature[1]}\n"
        f"    actions = [\n{lines}    ]\n"
        f"    await replay(tmp_path, {outcome.workspace!r}, actions, size={outcome.size!r}{options})\n"
    )


async def replay(
    parent: Path,
    workspace: str,
    actions: Sequence[Action],
    *,
    size: tuple[int, int],
    roundtrip: bool = False,
    animations: bool = False,
) -> None:
    """Replay ``actions`` on a fresh ``workspace``; fails (``AssertionError``) with the report of a broken
    invariant."""
    outcome = await walk(parent, workspace, actions=actions, size=size, roundtrip=roundtrip, animations=animations)
    if outcome.failure is not None:
        raise AssertionError(report(outcome))


def _exception_text(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()


def _files_diff(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    lines: list[str] = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if old is None or new is None:
            lines.append(f"{path}: {'created' if old is None else 'deleted'}")
            continue
        diff = difflib.unified_diff(
            old.decode("utf-8", "replace").splitlines(),
            new.decode("utf-8", "replace").splitlines(),
            path,
            path,
            n=1,
            lineterm="",
        )
        lines.extend(list(diff)[:12])
    return "the files differ after undoing everything and saving:\n" + "\n".join(lines)


def same_json(before: str, after: str) -> bool:
    """Whether two texts are JSON of the same value (they differ in layout only)."""
    try:
        return bool(orjson.loads(before) == orjson.loads(after))
    except orjson.JSONDecodeError:
        return False
