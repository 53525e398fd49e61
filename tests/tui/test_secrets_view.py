"""The connector's Environment tab lists the secrets a live call needs (its token's too) and which are missing
(the editor tier: each connector's editor on its own, as the app makes it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import settle
from tests.tui.editor_host import hosting
from workbench.tui.widgets.tabbed_editor import TabbedEditor


async def _environment_rows(root: Path, connector: str) -> tuple[list[str], list[str]]:
    """The rows (what each secret's state is) and the labels (which secret) of ``connector``'s Environment tab."""
    async with hosting(root, "connector", connector) as (pilot, editor):
        assert isinstance(editor, TabbedEditor)
        await editor.show_tab("tab-environment")
        await settle(pilot)
        rows = [str(row.render()) for row in editor.query("#environment .env-row Static")]
        labels = [str(label.render()) for label in editor.query("#environment .env-row Label")]
        return rows, labels


async def test_the_environment_tab_shows_needed_and_missing_secrets(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("BILLING_API_KEY", "SHOP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (desk_copy / ".env").write_text("BILLING_API_KEY=from-the-dotenv-file\n")
    rows, labels = await _environment_rows(desk_copy, "Get subscription")
    assert "{{secret.BILLING_API_KEY}} (token billing)" in labels
    assert "*** set (.env)" in rows
    assert "from-the-dotenv-file" not in " ".join(rows)
    rows, _ = await _environment_rows(desk_copy, "Get orders")
    assert any(row.startswith("missing: add SHOP_TOKEN=") for row in rows)
