"""The connector's Environment tab lists the secrets a live call needs (its token's too) and which are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import open_item, running, settle, workbench_of


async def test_the_environment_tab_shows_needed_and_missing_secrets(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("BILLING_API_KEY", "SHOP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (desk_copy / ".env").write_text("BILLING_API_KEY=from-the-dotenv-file\n")
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "connector", "Get subscription")
        editor = app.current_editor
        editor.show_tab("tab-environment")
        await settle(pilot)
        rows = [str(row.render()) for row in editor.query("#environment .env-row Static")]
        labels = [str(label.render()) for label in editor.query("#environment .env-row Label")]
        assert "{{secret.BILLING_API_KEY}} (token billing)" in labels
        assert "*** set (.env)" in rows
        assert "from-the-dotenv-file" not in " ".join(rows)
        await open_item(pilot, "connector", "Get orders")
        editor = app.current_editor
        editor.show_tab("tab-environment")
        await settle(pilot)
        rows = [str(row.render()) for row in editor.query("#environment .env-row Static")]
        assert any(row.startswith("missing: add SHOP_TOKEN=") for row in rows)
