"""Intercom status, pull and push from the command palette: each shows its diff before anything happens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.intercom.fake_intercom import TOKEN, Fake, desk_with_token_ids, running
from tests.tui.conftest import run_command, told, workbench_of
from tests.tui.conftest import running as app_running
from tests.tui.debug.harness import from_palette
from tests.waiting import wait_until
from workbench.tui.screens.pickers import ChoiceScreen


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fake]:
    with running() as served:
        monkeypatch.setenv("INTERCOM_TOKEN", TOKEN)
        monkeypatch.setenv("INTERCOM_BASE_URL", served.url)
        yield served


def _notes(pilot: Pilot[None]) -> str:
    return told(pilot.app)


async def _palette(pilot: Pilot[None], command: str) -> ChoiceScreen:
    """The dialog of the palette's ``command`` (typed into the palette for the first push: the palette's search
    is Textual's, and each key of a command's name redrew the screen)."""
    from_palette(workbench_of(pilot), command)
    await wait_until(lambda: isinstance(pilot.app.screen, ChoiceScreen), pilot, what=f"the {command} dialog")
    screen = pilot.app.screen
    assert isinstance(screen, ChoiceScreen)
    return screen


async def test_push_waits_for_unsaved_edits_status_lists_push_sends_and_pull_shows_before_it_writes(
    fake: Fake, tmp_path: Path
) -> None:
    """In one app (four tests once, each starting it; the terminal too narrow for the run panel, which none needs):

    - push with an edit unsaved asks to save first and sends nothing;
    - status lists each connector and writes nothing;
    - push shows what it sends, then sends it;
    - pull shows the changes (a connector new on the server), Escape writes nothing, Enter writes it and the
      workspace takes it in."""
    root = desk_with_token_ids(tmp_path)
    async with app_running(root) as pilot:
        session = workbench_of(pilot).session
        entry = session.find("connector", "Get orders")
        entry.model.description = "edited, not saved"
        entry.touch()
        await run_command(pilot, "Intercom: push")
        await wait_until(lambda: "Save your edits first" in _notes(pilot), pilot, what="the notice")
        assert not isinstance(pilot.app.screen, ChoiceScreen)
        assert fake.requests == []
        await pilot.press("ctrl+s")
        await wait_until(lambda: not entry.dirty, pilot, what="the edit saved")
        screen = await _palette(pilot, "Intercom: status")
        assert "Get orders: only here" in screen.message
        await _escape(pilot)
        screen = await _palette(pilot, "Intercom: push")
        assert "Get orders: create (draft)" in screen.message
        assert "'Get order history': stays local:" in screen.message and "its transform" in screen.message
        assert fake.writes() == []
        await pilot.press("enter")  # the focused button: Push
        await wait_until(lambda: len(fake.writes()) == 6, pilot, what="six creates")
        await wait_until(lambda: "Pushed: 6 files updated." in _notes(pilot), pilot, what="the notice")
        data = json.loads((root / "connectors" / "get-orders.json").read_text())
        assert data["intercom"]["id"] in fake.connectors and data["description"] == "edited, not saved"

        fake.add(name="Lookup", url="https://a.example.com/x/{{id}}", data_inputs=[{"name": "id", "type": "string"}])
        screen = await _palette(pilot, "Intercom: pull")
        assert "Lookup: new connectors/lookup.json" in screen.message
        await _escape(pilot)
        assert not (root / "connectors" / "lookup.json").exists()
        screen = await _palette(pilot, "Intercom: pull")
        await pilot.press("enter")
        await wait_until(lambda: (root / "connectors" / "lookup.json").exists(), pilot, what="the pulled file")
        await wait_until(lambda: session.find("connector", "Lookup") is not None, pilot, what="the entry")


async def _escape(pilot: Pilot[None]) -> None:
    """Escape the dialog in front, and wait until it has closed."""
    await pilot.press("escape")
    await wait_until(lambda: not isinstance(pilot.app.screen, ChoiceScreen), pilot, what="the dialog to close")
