"""The context inspector: a tree of the run's context whose values can be edited while paused."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.quick_pilot import quick_test
from tests.tui.debug.harness import find, select
from workbench.engine import ProcedureContext
from workbench.tui.debug.context_inspector import ContextInspector, edit_text, parse_edit


def context() -> ProcedureContext:
    result = ProcedureContext({"User": {"email": "ada@example.com", "vip": True}})
    result.temporary["Get orders"] = {
        "status": "processing",
        "total": {"amount": 64.98},
        "items": [{"name": "Mouse", "quantity": 1}, {"name": "Stand", "quantity": 2}],
    }
    return result


class InspectorApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.edits: list[tuple[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield ContextInspector()

    def on_context_inspector_edit_submitted(self, message: ContextInspector.EditSubmitted) -> None:
        self.edits.append((message.attribute, message.value))


def test_edit_text_round_trips_through_parse_edit() -> None:
    for value in ["plain words", "123", "true", 42, 1.5, None, False, {"a": [1]}, ["x"]]:
        assert parse_edit(edit_text(value)) == value
    assert edit_text("cancelled") == "cancelled"


async def test_the_tree_shows_namespaces_and_connectors() -> None:
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        inspector.show_context(context(), editable=False)
        await pilot.pause()
        labels = [str(node.label) for node in inspector.tree.root.children]
        assert labels == ["User", "Company", "Conversation", "Temporary attributes"]
        user = inspector.tree.root.children[0]
        assert [str(node.label) for node in user.children] == ['email: "ada@example.com"', "vip: true"]
        items = await find(pilot, inspector.tree, ("Temporary attributes", "Get orders", "items"))
        assert str(items.label) == "items [2]"
        items.expand()
        await pilot.pause()
        assert [str(node.label) for node in items.children] == ["[0] {2}", "[1] {2}"]


async def test_a_value_is_edited_while_paused() -> None:
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        inspector.show_context(context(), editable=True)
        await select(pilot, inspector, ("Temporary attributes", "Get orders", "status"))
        await pilot.press("e")
        edit = inspector.query_one("#context-edit", Input)
        assert edit.has_focus and edit.value == "processing"
        edit.value = ""
        await pilot.press(*"cancelled", "enter")
        await pilot.pause()
        assert app.edits == [("Get orders > status", "cancelled")]


async def test_an_array_element_edits_the_whole_array() -> None:
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        inspector.show_context(context(), editable=True)
        await select(pilot, inspector, ("Temporary attributes", "Get orders", "items", "[1]", "quantity"))
        await pilot.press("enter")
        edit = inspector.query_one("#context-edit", Input)
        assert edit.border_title == "Get orders > items ="
        assert parse_edit(edit.value) == context().temporary["Get orders"]["items"]
        edit.value = '[{"name": "Mouse", "quantity": 5}]'
        await pilot.press("enter")
        await pilot.pause()
        assert app.edits == [("Get orders > items", [{"name": "Mouse", "quantity": 5}])]


async def test_editing_is_refused_while_running() -> None:
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        inspector.show_context(context(), editable=False)
        await select(pilot, inspector, ("User", "email"))
        await pilot.press("e")
        assert not inspector.has_class("-editing")
        assert "Pause the run" in str(inspector.query_one("#context-hint").render())


async def test_a_rebuild_keeps_expansion_and_cursor() -> None:
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        inspector.show_context(context(), editable=True)
        await select(pilot, inspector, ("Temporary attributes", "Get orders", "total", "amount"))
        changed = context()
        changed.temporary["Get orders"]["total"]["amount"] = 10
        inspector.show_context(changed, editable=True)
        await pilot.pause()
        cursor = inspector.tree.cursor_node
        assert cursor is not None and str(cursor.label) == "amount: 10"


async def test_redacted_attributes_show_masked_and_cannot_be_edited() -> None:
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        redacted = context()
        redacted.redacted.update({"Get orders > total", "User > email"})
        inspector.show_context(redacted, editable=True)
        await pilot.pause()
        user = inspector.tree.root.children[0]
        assert [str(node.label) for node in user.children] == ["email: ***", "vip: true"]
        total = await find(pilot, inspector.tree, ("Temporary attributes", "Get orders", "total"))
        assert str(total.label) == "total: ***" and not total.allow_expand
        await select(pilot, inspector, ("Temporary attributes", "Get orders", "total"))
        await pilot.press("e")
        await pilot.pause()
        assert not inspector.query_one("#context-edit", Input).has_focus


def nodes_of(inspector: ContextInspector) -> list[int]:
    """Every node of the tree (folded ones' children too), by identity."""
    found, pending = [], list(inspector.tree.root.children)
    while pending:
        node = pending.pop()
        found.append(id(node))
        pending += node.children
    return found


async def test_a_context_drawn_as_the_tree_draws_it_keeps_the_nodes_which_take_the_new_values() -> None:
    """A context the tree already draws (a step that changed nothing, the pause after a resume) keeps the tree's
    nodes: clearing and refilling it laid the whole screen out for nothing at each run event. The nodes take the
    new context's values all the same: here a note differing only past the cut of what is drawn, whose edit then
    starts from the value now. A context drawn otherwise is drawn anew."""
    note = "x" * 300
    app = InspectorApp()
    async with quick_test(app) as pilot:
        inspector = app.query_one(ContextInspector)
        before = context()
        before.attributes["User"]["note"] = note + "a"
        inspector.show_context(before, editable=False)
        await select(pilot, inspector, ("User", "note"))
        nodes = nodes_of(inspector)

        now = context()
        now.attributes["User"]["note"] = note + "b"
        inspector.show_context(now, editable=True)
        await pilot.pause()
        assert nodes_of(inspector) == nodes, "the tree was filled again with what it drew"
        await pilot.press("e")
        edit = inspector.query_one("#context-edit", Input)
        assert edit.has_focus and edit.value == note + "b"

        now.temporary["Get orders"]["status"] = "shipped"
        inspector.show_context(now, editable=True)
        await pilot.pause()
        status = await find(pilot, inspector.tree, ("Temporary attributes", "Get orders", "status"))
        assert str(status.label) == 'status: "shipped"'
