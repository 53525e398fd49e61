"""A small app that mounts the debug view alone, with the debugger's keys, for Pilot and snapshot tests."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent, Tree
from textual.widgets.tree import TreeNode

from tests.tui.editor_host import typed
from tests.waiting import TIMEOUT_S, wait_until
from workbench.store import Workspace, load_workspace
from workbench.tui.app import WorkbenchApp
from workbench.tui.debug import ContextInspector, DebugView, PathTaken, StepReached
from workbench.tui.debug.context_inspector import ContextNode

LATENCY = re.compile(rb'"latency_ms": *[0-9.]+')


def brisk(root: Path) -> Path:
    """The workspace at ``root`` (a copy a test may change) with its connectors' simulated latencies set to none.

    A debug run waits out each mocked call's latency (up to 1.5 s on the support desk): time a test idles for no
    point of its own. Latency changes no behaviour (scenarios skip it); the files keep their layout otherwise."""
    for path in (root / "connectors").glob("*.json"):
        path.write_bytes(LATENCY.sub(b'"latency_ms": 0', path.read_bytes()))
    return root


class DebugApp(App[None]):
    """The debug view on a workspace; ``selected`` stands for the step selected in the outline."""

    BINDINGS = [
        Binding("f5", "run", "Run / continue"),
        Binding("f10", "step", "Step"),
        Binding("f9", "breakpoint", "Breakpoint"),
        Binding("shift+f5", "stop", "Stop"),
    ]

    def __init__(self, root: Path, procedure: str) -> None:
        super().__init__()
        self.workspace: Workspace = load_workspace(root)
        self.procedure = procedure
        self.selected: str | None = None
        self.reached: list[tuple[str | None, str | None]] = []
        self.paths: list[list[tuple[str, str]]] = []

    def compose(self) -> ComposeResult:
        yield DebugView(lambda: self.workspace, id="debug")

    def on_mount(self) -> None:
        self.view.run_bar.procedure = self.procedure

    @property
    def view(self) -> DebugView:
        return self.query_one(DebugView)

    def action_run(self) -> None:
        self.view.run_or_continue()

    def action_step(self) -> None:
        self.view.step()

    def action_stop(self) -> None:
        self.view.stop()

    def action_breakpoint(self) -> None:
        if self.selected is not None:
            self.view.toggle_breakpoint(self.procedure, self.selected)

    def on_step_reached(self, message: StepReached) -> None:
        self.reached.append((message.procedure, message.step))

    def on_path_taken(self, message: PathTaken) -> None:
        self.paths.append(message.steps)


class FakeClock:
    """A ``time`` stand-in whose ``perf_counter`` advances one millisecond per call (deterministic timings)."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += 0.001
        return self.now


async def find(pilot: Pilot[None], tree: Tree[ContextNode], key: tuple[str, ...]) -> TreeNode[ContextNode]:
    """The node for ``key``, expanding the way to it. Each look starts again from the root: events reach the
    inspector in batches, and each batch can rebuild the tree (keeping what was expanded), so a node found
    earlier may since have been replaced."""
    found: TreeNode[ContextNode] | None = None

    def reached() -> bool:
        nonlocal found
        node = tree.root
        while True:
            child = next(
                (child for child in node.children if child.data and key[: len(child.data.key)] == child.data.key),
                None,
            )
            if child is None or child.data is None:
                return False
            if child.data.key == key:
                found = child
                return True
            if not child.is_expanded:
                child.expand()
            node = child

    await wait_until(reached, pilot, what=f"the context node {key}")
    assert found is not None
    return found


async def select(pilot: Pilot[None], inspector: ContextInspector, key: tuple[str, ...]) -> None:
    """Put the inspector's cursor on the node for ``key`` (once the tree has laid out the way to it)."""
    tree = inspector.tree

    def on_it() -> bool:
        node = tree.cursor_node
        return node is not None and node.data is not None and node.data.key == key

    for _ in range(100):
        if on_it():
            break
        tree.move_cursor(await find(pilot, tree, key))  # a node just expanded has no line until the tree is idle
        await pilot.pause()
    assert on_it(), f"the cursor never stayed on the context node {key}"
    tree.focus()
    await pilot.pause()


def from_palette(app: WorkbenchApp, title: str) -> None:
    """Run the command the palette lists as ``title`` over the screen in front, as choosing it there does
    (typing its name into the palette, key by key, is ``run_command``'s: tests/tui/conftest.py)."""
    commands = {command.title: command for command in app.main.palette_commands(app.screen)}
    assert title in commands, f"the palette does not offer {title!r}"
    commands[title].run()


def status(view: DebugView) -> str:
    return str(view.run_bar.query_one("#run-status").render())


def state(view: DebugView) -> str | None:
    return view.debug_run.state if view.debug_run is not None else None


async def finished(pilot: Pilot[None], view: DebugView, timeout: float = TIMEOUT_S) -> None:
    """Wait until the view has taken in the end of the run."""
    await wait_until(lambda: status(view).startswith("finished"), pilot, timeout=timeout)
    await pilot.pause()


def asked(view: DebugView) -> str | None:
    """What the conversation pane is asking: an input's name or a decision's text."""
    request = view.conversation.request
    return None if request is None else getattr(request, "name", None) or getattr(request, "describe", None)


async def answer(pilot: Pilot[None], view: DebugView, question: str, text: str) -> None:
    """Wait for ``question``, then type ``text`` into the reply field."""
    await wait_until(lambda: asked(view) == question, pilot)
    view.conversation.query_one("#reply", Input).focus()
    await typed(pilot, *text, "enter")


async def edit(pilot: Pilot[None], view: DebugView, key: tuple[str, ...], value: str) -> None:
    """Edit a context value in the Context tab (e, the new value, Enter)."""
    view.query_one(TabbedContent).active = "context"
    inspector = view.context_inspector
    await select(pilot, inspector, key)
    await pilot.press("e")
    inspector.query_one("#context-edit", Input).value = value
    await pilot.press("enter")
    await pilot.pause()
