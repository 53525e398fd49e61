"""The workspace settings' model agent and limits are forms (issue 22, machinery 5): each field an operation
undone with Ctrl+Z, a value the file refuses named with where and kept as a draft, a secret edited as the name of
its environment variable (its value, or a key written out in the file, never on screen). The editor tier: the
settings editor on its own (tests/tui/editor_host.py), saved with Ctrl+S as in the app."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, DataTable

from tests.tui.conftest import screen_text, settle
from tests.tui.editor_host import hosting, typed
from workbench.tui.focus import give_focus
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.settings_editor import SettingsEditor


async def _type_over(pilot: Pilot[None], editor: SettingsEditor, field: str, text: str) -> None:
    give_focus(editor.query_one(f"#{field}", Input))
    await pilot.pause()
    await typed(pilot, "ctrl+a", *text)
    await settle(pilot)


async def test_limits_are_fields_and_a_refused_value_is_a_located_draft(desk_copy: Path) -> None:
    path = desk_copy / "workbench.json"
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        entry = editor.entry
        await _type_over(pilot, editor, "limits-sandbox_memory_mb", "512")
        assert entry.model.limits.sandbox_memory_mb == 512 and not entry.drafts.texts
        await _type_over(pilot, editor, "limits-sandbox_memory_mb", "16")
        assert entry.model.limits.sandbox_memory_mb == 512
        assert entry.drafts.text("limits.sandbox_memory_mb") == "16"
        error = str(editor.query_one("#settings-error", ErrorLine).render())
        assert "limits.sandbox_memory_mb" in error and "32" in error
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "limits" not in json.loads(path.read_text())  # not saved while the value is refused
        await editor.recompose()
        await settle(pilot)
        assert editor.query_one("#limits-sandbox_memory_mb", Input).value == "16"
        give_focus(editor.query_one("#limits-sandbox_memory_mb", Input))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert entry.model.limits.sandbox_memory_mb == 256 and not entry.drafts.texts
        assert editor.query_one("#limits-sandbox_memory_mb", Input).value == ""
        await pilot.press("ctrl+y")
        await settle(pilot)
        await _type_over(pilot, editor, "limits-sandbox_memory_mb", "64")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert json.loads(path.read_text())["limits"] == {"sandbox_memory_mb": 64}


async def test_the_agent_is_a_form_whose_api_key_is_an_environment_variable(desk_copy: Path) -> None:
    path = desk_copy / "workbench.json"
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        await _type_over(pilot, editor, "agent-model", "llama3.1")
        await _type_over(pilot, editor, "agent-api_key", "OPENAI KEY")
        assert editor.entry.drafts.text("agent.api_key") == "OPENAI KEY"  # not a variable name: kept, refused
        await _type_over(pilot, editor, "agent-api_key", "OPENAI_API_KEY")
        await _type_over(pilot, editor, "agent-temperature", "0.2")
        assert not editor.entry.drafts.texts
        await pilot.press("ctrl+s")
        await settle(pilot)
    agent = json.loads(path.read_text())["agent"]
    assert agent == {"model": "llama3.1", "api_key": "{{secret.OPENAI_API_KEY}}", "temperature": 0.2}


async def test_a_key_written_out_in_the_file_is_never_shown_and_kept(desk_copy: Path) -> None:
    path = desk_copy / "workbench.json"
    data = json.loads(path.read_text())
    data["agent"] = {"model": "m", "api_key": "sk-written-out-1234"}
    path.write_text(json.dumps(data, indent=2) + "\n")
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        field = editor.query_one("#agent-api_key", Input)
        assert field.value == "" and "sk-written" not in screen_text(pilot.app)
        await _type_over(pilot, editor, "agent-model", "m2")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert json.loads(path.read_text())["agent"] == {"model": "m2", "api_key": "sk-written-out-1234"}


async def _pick_token(pilot: Pilot[None], editor: SettingsEditor, name: str) -> None:
    table = editor.query_one("#tokens-table", DataTable)
    give_focus(table)
    table.move_cursor(row=list(editor.entry.model.tokens).index(name))
    await settle(pilot)


async def test_tokens_are_a_table_and_a_form_by_type(desk_copy: Path) -> None:
    path = desk_copy / "workbench.json"
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        assert editor.query_one("#tokens-table", DataTable).row_count == 3
        assert editor.query_one("#token-value", Input).value == "SHOP_TOKEN"  # the variable's name, not a value
        await _pick_token(pilot, editor, "billing")
        assert editor.query_one("#token-request--url", Input).value == "{{env.base_url}}/auth/token"
        await _type_over(pilot, editor, "token-token_path", "data > access_token")
        give_focus(editor.query_one("#token-add", Button))
        await pilot.press("enter")
        await settle(pilot)
        assert list(editor.entry.model.tokens) == ["shop", "billing", "payments", "token"]
        editor.query_one("#token-type", Select).value = "oauth_client_credentials"
        await settle(pilot)
        await _type_over(pilot, editor, "token-client_secret", "CRM_SECRET")
        await _type_over(pilot, editor, "token-name", "shop")
        assert editor.entry.drafts.text("tokens.sho.name") == "shop"  # taken: kept, refused ("sho" was free)
        assert "another token is called 'shop'" in str(editor.query_one("#settings-error", ErrorLine).render())
        await _type_over(pilot, editor, "token-name", "crm")
        assert list(editor.entry.model.tokens) == ["shop", "billing", "payments", "crm"]
        assert not editor.entry.drafts.texts
        await pilot.press("ctrl+s")
        await settle(pilot)
    tokens = json.loads(path.read_text())["tokens"]
    assert tokens["billing"]["token_path"] == "data > access_token"
    assert tokens["crm"] == {
        "type": "oauth_client_credentials",
        "token_url": "{{env.base_url}}/oauth/token",
        "client_id": "{{secret.CLIENT_ID}}",
        "client_secret": "{{secret.CRM_SECRET}}",
    }


async def test_removing_a_token_is_undone_and_a_secret_written_out_never_shows(desk_copy: Path) -> None:
    path = desk_copy / "workbench.json"
    data = json.loads(path.read_text())
    data["tokens"]["payments"]["client_secret"] = "literal-secret-999"
    path.write_text(json.dumps(data, indent=2) + "\n")
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        await _pick_token(pilot, editor, "payments")
        assert editor.query_one("#token-client_secret", Input).value == ""
        assert "literal-secret" not in screen_text(pilot.app)
        await _type_over(pilot, editor, "token-scope", "refunds:read")
        await _pick_token(pilot, editor, "shop")
        give_focus(editor.query_one("#token-remove", Button))
        await pilot.press("enter")
        await settle(pilot)
        assert list(editor.entry.model.tokens) == ["billing", "payments"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert list(editor.entry.model.tokens) == ["shop", "billing", "payments"]
        await pilot.press("ctrl+s")
        await settle(pilot)
    payments = json.loads(path.read_text())["tokens"]["payments"]
    assert payments["client_secret"] == "literal-secret-999" and payments["scope"] == "refunds:read"
