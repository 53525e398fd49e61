"""The command palette shows item names and help as written: a name is data, never markup (found by the monkey on
its awkward workspace: searching the palette for a procedure named with ``[/]`` crashed the app)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.kit import write_workspace
from tests.tui.conftest import running, screen_text, workbench_of
from tests.waiting import wait_until

NAME = "Refund [bold]EU[/bold] now"


async def test_the_palette_finds_a_name_that_looks_like_markup_and_shows_it_as_written(tmp_path: Path) -> None:
    procedure = {"name": NAME, "steps": [{"id": "done", "type": "end", "outcome": "resolved"}]}
    root = write_workspace(tmp_path, procedures=[procedure])
    async with running(root, size=(120, 36)) as pilot:
        app = workbench_of(pilot)
        await pilot.press("ctrl+p", *"refund")
        await wait_until(lambda: f"Open procedure {NAME}" in screen_text(app), pilot, what="the command, as written")
        await pilot.press("escape")
        assert app.return_code is None
