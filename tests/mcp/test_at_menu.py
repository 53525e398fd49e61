"""The step editor's ``@`` menu treats MCP connectors as HTTP ones: listed to call, and their response
attributes (from the example, with their types, the transform hint on arrays) listed to read, available once
called — headless (the candidates) and in the app (the menu, with the keyboard)."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from tests.conftest import SUPPORT_DESK
from tests.mcp.build import LOOKUP, mcp_connector, stdio_server
from tests.tui.conftest import front_editor, open_item, running, settle, workbench_of
from workbench.attributes import AttributeCatalog
from workbench.editing.completion import mention_indexes
from workbench.store import load_workspace
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef

ITEMS = mcp_connector(
    "List items",
    "list_items",
    response={"mode": "example", "example": {"body": [{"sku": "SKU-1"}]}},
    inputs=[],
)


def desk_with_mcp(root: Path) -> Path:
    """The support desk with two MCP connectors (an object and an array result) on a stdio server; ``Order
    status``'s first step calls ``Lookup order``."""
    shutil.copytree(SUPPORT_DESK, root)
    for data in (LOOKUP, ITEMS):
        (root / "connectors" / f"{str(data['name']).lower().replace(' ', '-')}.json").write_bytes(orjson.dumps(data))
    settings = orjson.loads((root / "workbench.json").read_bytes())
    settings["mcp_servers"] = {"orders": stdio_server()}
    (root / "workbench.json").write_bytes(orjson.dumps(settings))
    procedure_file = root / "procedures" / "order-status.json"
    procedure = orjson.loads(procedure_file.read_bytes())
    lookup = next(step for step in procedure["steps"] if step["id"] == "lookup")
    lookup["text"] = "@call(Lookup order) " + lookup["text"]
    procedure_file.write_bytes(orjson.dumps(procedure))
    return root


def test_mcp_connectors_and_their_attributes_are_candidates_like_http_ones(tmp_path: Path) -> None:
    workspace = load_workspace(desk_with_mcp(tmp_path / "desk"))
    assert workspace.problems == []
    catalog = AttributeCatalog(workspace.connector_models(), workspace.procedure_models(), workspace.settings.model)
    lists = mention_indexes(catalog, "Order status", "tracking")
    calls = {candidate.label: candidate for candidate in lists.calls.candidates}
    assert calls["Lookup order"].insert == "@call(Lookup order)" and "Get orders" in calls
    assert calls["List items"].insert == "@call(List items)"
    reads = {candidate.label: candidate for candidate in lists.reads.candidates}
    status = reads["Lookup order > status"]
    assert status.available and status.insert == "@read(Lookup order > status)" and status.detail == "string"
    assert reads["Get orders > status"].available  # the HTTP one, alike
    items = reads["List items"]
    assert not items.available and items.reason == "not called before this step"
    assert items.detail == "array" and items.transform_of == "List items"


async def test_the_at_menu_offers_an_mcp_connector_to_call_and_its_attributes_to_read(tmp_path: Path) -> None:
    async with running(desk_with_mcp(tmp_path / "desk")) as pilot:
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(workbench_of(pilot), ProcedureEditor)
        editor.outline.select_ref(OutlineRef(step_id="tracking"))
        await pilot.press("enter")
        await settle(pilot)
        area = editor.query_one(MentionArea)
        area.move_cursor(area.document.end)
        await pilot.press("space", "@", "enter")  # "Call data connector"
        assert area.menu.title == "Call data connector"
        area.insert("list ite")
        await pilot.press("m")
        assert area.menu.selected().label == "List items"
        await pilot.press("enter")
        assert area.text.endswith(" @call(List items)")
        await pilot.press("space", "@", "down", "enter")  # "Read an attribute"
        area.insert("lookup order > custo")
        await pilot.press("m")
        chosen = area.menu.selected()
        assert chosen.label == "Lookup order > customer > email" and chosen.available
        await pilot.press("enter")
        assert area.text.endswith(" @call(List items) @read(Lookup order > customer > email)")
