"""The Import dialog (Ctrl+N offers it), "Import from curl" and "Copy as curl", driven like a user would."""

from __future__ import annotations

from pathlib import Path

import orjson
import yaml
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from tests.tui.conftest import click_button, open_item, running, settle, workbench_of
from tests.tui.editor_host import typed
from tests.waiting import wait_until
from workbench.tui.screens.import_dialog import ImportScreen
from workbench.tui.screens.pickers import NewItemScreen


async def _preview(pilot: Pilot[None]) -> str:
    """Press Preview and wait until the preview shown is of the fields as they are (it is worked out in a thread)."""
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    await click_button(pilot, "#preview")
    await wait_until(lambda: screen.previewed == screen.fields(), pilot, what="the preview of the fields")
    return str(screen.query_one("#import-preview", Static).render())


async def test_ctrl_n_offers_import_and_a_pasted_curl_line_becomes_an_open_linted_connector(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewItemScreen)
        await pilot.click("#import")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-format", Select).value = "curl"
        await pilot.pause()
        screen.query_one(
            "#import-text", TextArea
        ).text = "curl -H 'Authorization: Bearer sk-live-9' 'https://api.shop.example.com/v2/returns/RMA-77?full=1'"
        inputs = screen.query_one("#import-inputs", Input)
        inputs.value = "return_id=RMA-77"
        preview = await _preview(pilot)
        assert "create connectors/get-v2-returns-return-id.json" in preview
        assert "return_id: string" in preview and "secret  SHOP_TOKEN: set it to the Bearer credential" in preview
        assert str(screen.query_one("#create", Button).label) == "Create 1 connector sending 1 secret"
        await pilot.click("#create")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        path = desk_copy / "connectors" / "get-v2-returns-return-id.json"
        assert path.exists() and "sk-live-9" not in path.read_text()
        entry = app.current_editor.entry
        assert entry.name == "GET /v2/returns/{return_id}" and not entry.dirty
        assert app.session.by_path(path) is entry


async def test_an_openapi_file_by_path_clashes_reported_created_ones_linted(desk_copy: Path, tmp_path: Path) -> None:
    settings = orjson.loads((desk_copy / "workbench.json").read_bytes())
    settings["limits"] = {"large_response_attributes": 2}
    (desk_copy / "workbench.json").write_bytes(orjson.dumps(settings))
    created = {"content": {"application/json": {"example": {"id": 1, "status": "open", "amount": 5}}}}
    spec = tmp_path / "shop.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "openapi": "3.0.0",
                "info": {"title": "Shop", "version": "1"},
                "servers": [{"url": "https://api.shop.example.com"}],
                "paths": {
                    "/orders": {"get": {"summary": "Get orders", "responses": {"200": {"description": "ok"}}}},
                    "/refunds": {"post": {"summary": "New refund", "responses": {"201": created}}},
                },
            }
        )
    )
    async with running(desk_copy) as pilot:
        workbench_of(pilot).main.action_import()
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#import-path", Input).value = str(spec)
        preview = await _preview(pilot)
        assert "skip    'Get orders'" in preview and "create connectors/new-refund.json" in preview
        assert str(screen.query_one("#create", Button).label) == "Create 1 connector, skip 1"
        screen.query_one("#import-replace", Checkbox).value = True
        preview = await _preview(pilot)
        assert "replace connectors/get-orders.json" in preview
        await pilot.click("#create")
        await settle(pilot)
        refund = workbench_of(pilot).session.find("connector", "New refund")
        assert (
            refund is not None and workbench_of(pilot).current_editor.entry.name == "Get orders"
        )  # the first one opens
        assert [item.rule for item in workbench_of(pilot).findings if item.path == refund.path] == ["large-response"]
        assert (
            workbench_of(pilot).session.find("connector", "Get orders").model.request.url == "{{env.base_url}}/orders"
        )
        environments = workbench_of(pilot).session.workspace_settings.environments
        assert environments["api.shop.example.com"] == {"base_url": "https://api.shop.example.com"}
        assert not workbench_of(pilot).session.settings.dirty


async def test_a_curl_line_pasted_into_the_url_field_becomes_the_request(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#new-kind", Select).value = "connector"
        await typed(pilot, *"Track parcel", "enter")
        await settle(pilot)
        editor = app.current_editor
        url = editor.query_one("#url")
        line = "curl -H 'X-Api-Key: k-55' 'https://api.parcels.example.com/track?carrier=dhl' -G -d limit=3"
        url.replace(line, (0, 0), url.document.end)  # paste over the starter URL
        await settle(pilot)
        model = app.session.find("connector", "Track parcel").model
        assert model.request.url == "https://api.parcels.example.com/track"
        assert model.request.query == {"carrier": "dhl", "limit": "3"}
        assert model.request.headers == {"X-Api-Key": "{{secret.PARCELS_X_API_KEY}}"}
        assert app.current_editor.query_one("#url").value == "https://api.parcels.example.com/track"
        url = app.current_editor.query_one("#url")
        url.replace("curl -F a=@b https://x.example.com", (0, 0), url.document.end)
        await settle(pilot)
        assert model.request.url == "https://api.parcels.example.com/track"


async def test_the_import_dialog_and_copy_as_curl_in_one_app(desk_copy: Path) -> None:
    """One app (four tests once, each starting it):

    - a bad source shows where (the curl word and why) with Create disabled, and Escape creates nothing;
    - Replace ticked and Preview pressed in one turn: the checkbox's Changed message comes after the preview was
      asked for, with the new value. The preview of the fields as they are is shown, not dropped as stale
      (before, it stayed at "Reading…" and Create stayed disabled);
    - the dialog names a curl import and types its inputs from the values marked;
    - the palette offers the import and curl commands, and Copy as curl puts a runnable line on the clipboard."""
    before = sorted(path.name for path in (desk_copy / "connectors").iterdir())
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        app.main.action_import("curl", "curl -F file=@x https://a.example.com")
        await pilot.pause()
        preview = await _preview(pilot)
        assert "curl word 1 (-F)" in preview and "multipart" in preview
        assert pilot.app.screen.query_one("#create", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert sorted(path.name for path in (desk_copy / "connectors").iterdir()) == before

        app.main.action_import("curl", "curl https://api.shop.example.com/orders")
        await pilot.pause()
        early = pilot.app.screen
        assert isinstance(early, ImportScreen)
        early.query_one("#import-replace", Checkbox).value = True
        early.action_preview()
        await wait_until(lambda: early.plan is not None, pilot, what="the plan of the fields as they are")
        assert early.previewed == early.fields() and early.previewed.replace
        assert not early.query_one("#create", Button).disabled
        await pilot.press("escape")
        await settle(pilot)

        app.main.action_import(
            "curl", "curl -X PATCH https://api.github.com/repos/o/r/issues/5 --json '{\"locked\": true}'"
        )
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#import-name", Input).value = "Lock issue"
        screen.query_one("#import-inputs", Input).value = "issue_number=5 locked=true"
        preview = await _preview(pilot)
        assert "create connectors/lock-issue.json  'Lock issue'" in preview
        assert "inputs: issue_number: integer, locked: boolean" in preview
        await pilot.click("#create")
        await settle(pilot)
        model = app.session.find("connector", "Lock issue").model
        assert model.request.url == "https://api.github.com/repos/o/r/issues/{{issue_number}}"
        assert [(item.name, item.type) for item in model.inputs] == [("issue_number", "integer"), ("locked", "boolean")]

        await open_item(pilot, "connector", "Get orders")
        titles = [command.title for command in app.main.palette_commands(pilot.app.screen)]
        assert {"Import connectors…", "Import from curl", "Copy as curl"} <= set(titles)
        app.main.action_copy_as_curl()
        await pilot.pause()
        line = pilot.app.clipboard
        assert line.startswith("curl ") and '"$SHOP_TOKEN"' in line and '"$email"' in line
