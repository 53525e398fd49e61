"""The palette's "Reload from disk" and "Lint now" reach the app's lint and disk controls
(:class:`~workbench.tui.lint_glue.LintRunner`, :class:`~workbench.tui.disk_glue.DiskWatch`) through the app."""

from __future__ import annotations

import inspect
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import front_editor, open_item, running, settle, workbench_of
from tests.waiting import wait_until
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.procedure_editor import ProcedureEditor


async def _run_command(pilot: Pilot[None], title: str) -> None:
    """Run a palette command as the palette does (awaiting what it returns)."""
    app = workbench_of(pilot)
    commands = {command.title: command for command in app.main.palette_commands(app.screen)}
    result = commands[title].run()
    if inspect.isawaitable(result):
        await result


async def test_reload_from_disk_drops_the_unsaved_edits_of_the_item_in_front(desk_copy: Path) -> None:
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(app, ProcedureEditor)
        editor.query_one("#procedure-description").focus()
        await pilot.press("end", *" (mine)")
        await wait_until(lambda: editor.entry.dirty, pilot, what="the unsaved edit")
        await _run_command(pilot, "Reload from disk")
        await wait_until(lambda: not editor.entry.dirty, pilot, what="the item reloaded")
        await settle(pilot)
        description = front_editor(app, ProcedureEditor).query_one("#procedure-description", Input)
        assert not description.value.endswith(" (mine)")


async def test_lint_now_draws_the_findings_again(desk_copy: Path) -> None:
    async with running(desk_copy, lint_delay=3600) as pilot:  # no lint but the first, unless asked
        app = workbench_of(pilot)
        found = list(app.findings)
        app.findings = [*found, found[0] if found else "stale"]  # type: ignore[list-item]  # not what a lint finds
        await _run_command(pilot, "Lint now")
        await wait_until(lambda: app.findings == found, pilot, what="the findings linted again")
