"""Snapshots of the main screens (fixed terminal sizes, a private copy of the sample workspace)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import open_item, settle
from workbench.editing.step_ops import Slot
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.step_outline import OutlineRef


def _app(root: Path) -> WorkbenchApp:
    return WorkbenchApp(root, lint_delay=0.01, watch_interval=3600)


async def _instruction(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await open_item(pilot, "procedure", "Order status")
    pilot.app.current_editor.outline.select_ref(OutlineRef(step_id="lookup"))  # type: ignore[union-attr]
    await pilot.press("enter")
    await settle(pilot)


def test_welcome_with_the_run_panel_on_a_wide_terminal(snap_compare, desk_copy: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        # The run panel mounts its view after the first frame; whether the models had loaded by then
        # depends on the machine's load, so let it take them in now.
        pilot.app.debugger.refresh_choices()  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(_app(desk_copy), terminal_size=(160, 48), run_before=run_before)


def test_procedure_editor_at_100x30(snap_compare, desk_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(desk_copy), terminal_size=(100, 30), run_before=_instruction)


def test_at_menu_reading_an_attribute(snap_compare, desk_copy: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _instruction(pilot)
        area = pilot.app.focused
        area.move_cursor(area.document.end)  # type: ignore[union-attr]
        await pilot.press("space", "@", "down", "enter", "t", "o", "t")

    assert snap_compare(_app(desk_copy), terminal_size=(120, 36), run_before=run_before)


def test_code_condition_branch(snap_compare, desk_copy: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "procedure", "Order status")
        pilot.app.current_editor.outline.select_ref(OutlineRef(slot=Slot("big-order", "branch", 0)))  # type: ignore[union-attr]
        await settle(pilot)

    assert snap_compare(_app(desk_copy), terminal_size=(120, 36), run_before=run_before)


def test_connector_mock_response(snap_compare, desk_copy: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "connector", "Get orders")
        pilot.app.current_editor.show_tab("tab-response")  # type: ignore[union-attr]
        await settle(pilot)

    assert snap_compare(_app(desk_copy), terminal_size=(120, 36), run_before=run_before)


def test_connector_request(snap_compare, desk_copy: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "connector", "Get orders")

    assert snap_compare(_app(desk_copy), terminal_size=(100, 30), run_before=run_before)
