"""An editor is never removed while it mounts or recomposes: a widget removed then is left half made (Textual mounts
nothing more into a widget being removed), and its Mount handler raises on its own parts, never mounted (a
Select's label, a table, a JSON field's area). Found by the monkey: seeds 40001 and 13518, the settings editor
closed while it mounted; here every kind of editor, closed or recomposed at moments spread over its mounting."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult

from tests.monkey.workspaces import make_workspace
from tests.quick_pilot import quick_test
from workbench.editing.edit_session import EditSession, Entry
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.editor_stack import EDITORS, EditorStack

CLOSED_AT = {"procedure": (0, 6), "workspace": (1, 3, 4, 6, 9), "connector": (2, 5, 8), "scenario": (2, 6, 9)}
"""The turns of the event loop tried between opening an editor and closing it, by kind: a sample spread over its
mounting (every turn there is a moment of the same phase, a few more or fewer widgets done). With the stack's wait
for a mounting editor removed, the settings editor fails when closed after 3, 4 or 6 turns, the connector's after
1 to 9, the scenario's after 5, 6, 7 or 9 (the procedure's mounting is over at once: never)."""

RECOMPOSED_AT = {"procedure": (0, 6), "workspace": (4, 9, 10, 11), "connector": (8,), "scenario": (8,)}
"""The turns tried between an editor's two recomposes (and again before it is closed), by kind. With recomposes
overlapping, or the stack not waiting for a recompose before it closes an editor, the settings editor fails (closed
while the second one mounts, 2 × 10 turns in); at no turn from 0 to 11 did the others fail (each kind is tried all
the same: the connector's and the scenario's, the costliest to recompose, once)."""


class StackHost(App[None]):
    """An editor stack on a workspace, alone."""

    CSS_PATH = WorkbenchApp.CSS_PATH

    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        stack = EditorStack()
        stack.session = self.session
        yield stack


def entries(root: Path) -> tuple[EditSession, list[Entry]]:
    session = EditSession.load(root)
    first = {entry.kind: entry for entry in reversed(list(session.all_entries()))}
    assert set(first) == set(EDITORS), "an editor of every kind"
    return session, list(first.values())


async def turns(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


async def test_an_editor_closed_at_any_moment_of_its_mounting(tmp_path: Path) -> None:
    session, opened = entries(make_workspace("awkward", tmp_path))
    app = StackHost(session)
    async with quick_test(app) as pilot:  # an exception in the app is raised as this ends
        stack = app.query_one(EditorStack)
        for entry in opened:
            for count in CLOSED_AT[entry.kind]:
                showing = asyncio.create_task(stack.show(entry))
                await turns(count)
                await stack.close(entry)
                await showing
                await pilot.pause()
                assert app.is_running, f"the {entry.kind} editor closed after {count} turns of its mounting"


async def test_an_editor_recomposed_twice_at_once_then_closed(tmp_path: Path) -> None:
    session, opened = entries(make_workspace("awkward", tmp_path))
    app = StackHost(session)
    async with quick_test(app) as pilot:
        stack = app.query_one(EditorStack)
        for entry in opened:
            for count in RECOMPOSED_AT[entry.kind]:
                editor = await stack.show(entry)
                assert editor is not None
                first = asyncio.create_task(editor.recompose())
                await turns(count)
                second = asyncio.create_task(editor.recompose())
                await turns(count)
                await stack.close(entry)
                await asyncio.gather(first, second)
                await pilot.pause()
                assert app.is_running, f"the {entry.kind} editor recomposed {count} turns apart"


def test_every_widget_that_recomposes_itself_does_it_one_at_a_time() -> None:
    """A class of the app calling ``self.recompose()`` takes :class:`SerialRecompose`: its recomposes never overlap."""
    import ast
    import importlib

    from workbench.tui.widgets.recomposing import SerialRecompose

    tui = Path(__file__).parents[2] / "workbench" / "tui"
    found = []
    for path in sorted(tui.rglob("*.py")):
        module = ".".join(path.relative_to(tui.parents[1]).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "recompose"
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id == "self"
                for call in ast.walk(node)
            ):
                found.append(getattr(importlib.import_module(module), node.name))
    assert found, "the rule sees the app's recomposing widgets"
    assert [cls.__name__ for cls in found if not issubclass(cls, SerialRecompose)] == []


async def test_a_select_removed_at_any_moment_of_its_mounting() -> None:
    """Any other way a Select is removed while it mounts: it sets nothing up (its overlay or label is missing)."""
    from textual.containers import Vertical

    from workbench.tui.widgets.fields import Select

    app = App[None]()
    async with quick_test(app) as pilot:
        for count in range(12):
            box = Vertical(Select([("a", "a"), ("b", "b")], value="b", allow_blank=False))
            app.screen.mount(box)  # not awaited: removed at each moment of it
            await turns(count)
            await box.remove()
            await pilot.pause()
            assert app.is_running, f"a Select removed after {count} turns of its mounting"
