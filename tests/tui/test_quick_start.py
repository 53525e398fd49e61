"""The tree's names drawn before the models load, and an item chosen meanwhile opening once they have."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.quick_pilot import quick_test
from tests.tui.conftest import settle
from tests.waiting import wait_until
from workbench.editing.edit_session import EditSession
from workbench.quick_index import QuickItem, quick_index
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import WorkspaceLoaded


def test_quick_index_reads_names_without_the_models(desk_copy: Path) -> None:
    (desk_copy / "procedures" / "broken.json").write_text('{"name": ')
    items = quick_index(desk_copy)
    by_path = {item.path.name: item for item in items}
    assert by_path["order-status.json"] == QuickItem(
        "procedure", "Order status", desk_copy / "procedures" / "order-status.json"
    )
    assert by_path["broken.json"].name == "broken"  # unreadable: the file name stands in
    assert sum(1 for item in items if item.kind == "scenario") == len(list((desk_copy / "scenarios").glob("*.json")))


def slow_loading(monkeypatch) -> threading.Event:
    """The models load once the event returned is set (the test has looked at the tree drawn meanwhile)."""
    load = EditSession.load
    loading = threading.Event()

    def slow_load(root: Path) -> EditSession:
        loading.wait(timeout=30)
        return load(root)

    monkeypatch.setattr(EditSession, "load", staticmethod(slow_load))
    return loading


async def test_an_item_chosen_while_loading_opens_once_loaded(desk_copy: Path, monkeypatch) -> None:
    loading = slow_loading(monkeypatch)
    app = WorkbenchApp(desk_copy, lint_delay=0.01, watch_interval=3600)
    async with quick_test(app, size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.session is None and str(app.tree.root.children[1].label) == "Procedures (5)"
        app.tree.cursor_line = 10  # Procedures > Order status (the groups above it are expanded)
        assert app.tree.cursor_node.data.name == "Order status"
        await pilot.press("enter")
        loading.set()
        await wait_until(lambda: app.session is not None, pilot, what="the workspace to load")
        await settle(pilot)
        assert app.session is not None and app.current_editor is not None
        assert app.current_editor.entry.name == "Order status"


async def test_the_app_hears_when_the_models_have_loaded(desk_copy: Path) -> None:
    heard: list[EditSession] = []

    class Listening(WorkbenchApp):
        def on_workspace_loaded(self, message: WorkspaceLoaded) -> None:
            heard.append(message.session)

    app = Listening(desk_copy, lint_delay=0.01, watch_interval=3600)
    async with quick_test(app, size=(120, 36)) as pilot:
        await settle(pilot)
        assert heard == [app.session]


async def test_the_tree_drawn_while_loading_keeps_its_nodes_once_the_items_have_loaded(
    desk_copy: Path, monkeypatch
) -> None:
    """The tree drawn from the index while the models load keeps its nodes when they have loaded: each takes its
    loaded item (Enter opens it, its badges are drawn on it); drawing the tree anew laid the whole screen out once
    more at every start."""
    loading = slow_loading(monkeypatch)
    app = WorkbenchApp(desk_copy, lint_delay=0.01, watch_interval=3600)
    async with quick_test(app, size=(120, 36)) as pilot:
        await pilot.pause()
        nodes = [node for group in app.tree.root.children for node in (group, *group.children)]
        assert app.session is None and any(isinstance(node.data, QuickItem) for node in nodes)
        loading.set()
        await wait_until(lambda: app.session is not None, pilot, what="the workspace to load")
        await settle(pilot)
        assert [node for group in app.tree.root.children for node in (group, *group.children)] == nodes
        assert not any(isinstance(node.data, QuickItem) for node in nodes)
        order = next(node for node in nodes if getattr(node.data, "name", "") == "Order status")
        app.tree.set_badges({order.data: "✗2"})
        await pilot.pause()
        assert str(order.label) == "✗2 Order status"
        app.tree.move_cursor(order)
        app.tree.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_editor is not None and app.current_editor.entry is order.data
