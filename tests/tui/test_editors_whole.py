"""An editor is reached from outside only when whole: the open procedure's file changing or going on disk, a
worker's result arriving after a recompose, never query a widget that is not there (issue 22, bug 2)."""

from __future__ import annotations

import ast
from pathlib import Path

import orjson

from tests.tui.conftest import front_editor, open_item, running, settle, told, workbench_of
from tests.waiting import wait_until
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.procedure_editor import ProcedureEditor

TUI = Path(__file__).parents[2] / "workbench" / "tui"


def _notified(app: WorkbenchApp, text: str) -> bool:
    return text in told(app)


async def test_the_open_procedure_changed_on_disk_is_reloaded_in_front(desk_copy: Path) -> None:
    async with running(desk_copy, watch_interval=0.05) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        before = app.current_editor
        app.session.breakpoints.toggle("Order status", "lookup")
        path = desk_copy / "procedures" / "order-status.json"
        data = orjson.loads(path.read_bytes())
        data["description"] = "Changed in another editor."
        path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        await wait_until(
            lambda: isinstance(app.current_editor, ProcedureEditor) and app.current_editor is not before,
            pilot,
            what="the reloaded procedure in front",
        )
        await settle(pilot)
        editor = front_editor(app, ProcedureEditor)
        assert editor.query_one("#procedure-description", Input).value == "Changed in another editor."
        await wait_until(lambda: editor.outline.markers.get("lookup") == "●", pilot, what="the breakpoint marker")


async def test_the_open_procedure_deleted_on_disk_closes_and_an_edited_one_stays(desk_copy: Path) -> None:
    async with running(desk_copy, watch_interval=0.05) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Refund request")
        edited = front_editor(app, ProcedureEditor)
        edited.query_one("#procedure-description").focus()
        await pilot.press("end", *" (mine)")
        await open_item(pilot, "procedure", "Order status")
        (desk_copy / "procedures" / "order-status.json").unlink()
        (desk_copy / "procedures" / "refund-request.json").unlink()
        await wait_until(lambda: _notified(app, "order-status.json was deleted on disk."), pilot, what="the close")
        await wait_until(lambda: _notified(app, "saving recreates it"), pilot, what="the kept edits")
        await settle(pilot)
        assert app.session is not None and app.session.find("procedure", "Order status") is None
        kept = app.session.find("procedure", "Refund request")
        assert kept is not None and kept.dirty and kept.model.description.endswith(" (mine)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert orjson.loads((desk_copy / "procedures" / "refund-request.json").read_bytes())["description"].endswith(
            " (mine)"
        )


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == name
    ]


def test_no_worker_queries_widgets_from_its_thread() -> None:
    """``call_from_thread(self.query_one(...).method, ...)`` looks the widget up in the worker's thread, where
    the editor may be recomposing: results go through ``from_worker`` (or a method of the UI thread)."""
    offenders = []
    for path in TUI.rglob("*.py"):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8")), "call_from_thread"):
            for argument in call.args:
                if any(_calls(argument, name) for name in ("query_one", "query")):
                    offenders.append(f"{path.name}:{call.lineno}")
    assert offenders == []


def test_only_the_editor_stack_holds_editors() -> None:
    """Editors are handed out by :class:`EditorStack` only, which gives no editor that is not whole."""
    offenders = [
        f"{path.name}:{node.lineno}"
        for path in TUI.rglob("*.py")
        if path.name != "editor_stack.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "_editors"
    ]
    assert offenders == []
