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
    """Focus ``field`` and type ``text`` over its value (the form takes each key in as it comes: no worker).

    Values are short: each key is an edit of the whole settings, and what is shown is that a value typed is
    kept, refused or saved, not how long it is."""
    give_focus(editor.query_one(f"#{field}", Input))
    await typed(pilot, "ctrl+a", *text)


async def _press(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await pilot.pause()


async def test_limits_agent_and_tokens_are_forms_a_refused_value_a_located_draft(desk_copy: Path) -> None:
    """The settings editor as the desk has it (three tests once, each hosting it):

    - limits are fields; a refused value is a located draft, kept through a recompose, not saved, undone and
      redone with Ctrl+Z and Ctrl+Y, and saved once valid;
    - the agent is a form whose API key is the name of an environment variable (one that is no name is refused);
    - tokens are a table and a form by type: a token added, its type changed, a name taken refused, saved."""
    path = desk_copy / "workbench.json"
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        await _limits(pilot, editor, path)
        await _agent(pilot, editor)
        await _tokens(pilot, editor)
        await _press(pilot, "ctrl+s")
    saved = json.loads(path.read_text())
    assert saved["limits"] == {"sandbox_memory_mb": 64}
    assert saved["agent"] == {"model": "phi", "api_key": "{{secret.A_KEY}}", "temperature": 0.2}
    tokens = saved["tokens"]
    assert tokens["billing"]["token_path"] == "d > t"
    assert tokens["crm"] == {
        "type": "oauth_client_credentials",
        "token_url": "{{env.base_url}}/oauth/token",
        "client_id": "{{secret.CLIENT_ID}}",
        "client_secret": "{{secret.CS}}",
    }


async def _limits(pilot: Pilot[None], editor: SettingsEditor, path: Path) -> None:
    entry = editor.entry
    await _type_over(pilot, editor, "limits-sandbox_memory_mb", "512")
    assert entry.model.limits.sandbox_memory_mb == 512 and not entry.drafts.texts
    await _type_over(pilot, editor, "limits-sandbox_memory_mb", "16")
    assert entry.model.limits.sandbox_memory_mb == 512
    assert entry.drafts.text("limits.sandbox_memory_mb") == "16"
    error = str(editor.query_one("#settings-error", ErrorLine).render())
    assert "limits.sandbox_memory_mb" in error and "32" in error
    await _press(pilot, "ctrl+s")
    assert "limits" not in json.loads(path.read_text())  # not saved while the value is refused
    await editor.recompose()
    await settle(pilot)
    assert editor.query_one("#limits-sandbox_memory_mb", Input).value == "16"
    give_focus(editor.query_one("#limits-sandbox_memory_mb", Input))
    await _press(pilot, "ctrl+z")
    assert entry.model.limits.sandbox_memory_mb == 256 and not entry.drafts.texts
    assert editor.query_one("#limits-sandbox_memory_mb", Input).value == ""
    await _press(pilot, "ctrl+y")
    await _type_over(pilot, editor, "limits-sandbox_memory_mb", "64")


async def _agent(pilot: Pilot[None], editor: SettingsEditor) -> None:
    await _type_over(pilot, editor, "agent-model", "phi")
    await _type_over(pilot, editor, "agent-api_key", "A KEY")
    assert editor.entry.drafts.text("agent.api_key") == "A KEY"  # not a variable name: kept, refused
    await _type_over(pilot, editor, "agent-api_key", "A_KEY")
    await _type_over(pilot, editor, "agent-temperature", "0.2")
    assert not editor.entry.drafts.texts


async def _pick_token(pilot: Pilot[None], editor: SettingsEditor, name: str) -> None:
    table = editor.query_one("#tokens-table", DataTable)
    give_focus(table)
    table.move_cursor(row=list(editor.entry.model.tokens).index(name))
    await settle(pilot)


async def _tokens(pilot: Pilot[None], editor: SettingsEditor) -> None:
    assert editor.query_one("#tokens-table", DataTable).row_count == 3
    assert editor.query_one("#token-value", Input).value == "SHOP_TOKEN"  # the variable's name, not a value
    await _pick_token(pilot, editor, "billing")
    assert editor.query_one("#token-request--url", Input).value == "{{env.base_url}}/auth/token"
    await _type_over(pilot, editor, "token-token_path", "d > t")
    give_focus(editor.query_one("#token-add", Button))
    await pilot.press("enter")
    await settle(pilot)
    assert list(editor.entry.model.tokens) == ["shop", "billing", "payments", "token"]
    editor.query_one("#token-type", Select).value = "oauth_client_credentials"
    await settle(pilot)
    await _type_over(pilot, editor, "token-client_secret", "CS")
    await _type_over(pilot, editor, "token-name", "shop")
    assert editor.entry.drafts.text("tokens.sho.name") == "shop"  # taken: kept, refused ("sho" was free)
    assert "another token is called 'shop'" in str(editor.query_one("#settings-error", ErrorLine).render())
    await _type_over(pilot, editor, "token-name", "crm")
    assert list(editor.entry.model.tokens) == ["shop", "billing", "payments", "crm"]
    assert not editor.entry.drafts.texts


async def test_secrets_written_out_in_the_file_never_show_and_are_kept_and_removing_a_token_is_undone(
    desk_copy: Path,
) -> None:
    """A settings file with an agent key and a token's client secret written out (two tests once, each hosting
    the editor): neither shows, in its field or anywhere on screen, and both are kept when the file is saved
    after other edits; removing a token is undone with Ctrl+Z."""
    path = desk_copy / "workbench.json"
    data = json.loads(path.read_text())
    data["agent"] = {"model": "m", "api_key": "sk-written-out-1234"}
    data["tokens"]["payments"]["client_secret"] = "literal-secret-999"
    path.write_text(json.dumps(data, indent=2) + "\n")
    async with hosting(desk_copy, "workspace", size=(120, 60)) as (pilot, editor):
        assert isinstance(editor, SettingsEditor)
        field = editor.query_one("#agent-api_key", Input)
        assert field.value == "" and "sk-written" not in screen_text(pilot.app)
        await _type_over(pilot, editor, "agent-model", "m2")
        await _pick_token(pilot, editor, "payments")
        assert editor.query_one("#token-client_secret", Input).value == ""
        assert "literal-secret" not in screen_text(pilot.app)
        await _type_over(pilot, editor, "token-scope", "read")
        await _pick_token(pilot, editor, "shop")
        give_focus(editor.query_one("#token-remove", Button))
        await pilot.press("enter")
        await settle(pilot)
        assert list(editor.entry.model.tokens) == ["billing", "payments"]
        await _press(pilot, "ctrl+z")
        assert list(editor.entry.model.tokens) == ["shop", "billing", "payments"]
        await _press(pilot, "ctrl+s")
    saved = json.loads(path.read_text())
    assert saved["agent"] == {"model": "m2", "api_key": "sk-written-out-1234"}
    payments = saved["tokens"]["payments"]
    assert payments["client_secret"] == "literal-secret-999" and payments["scope"] == "read"
