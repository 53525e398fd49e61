"""Snapshots of the main screens (fixed terminal sizes, a private copy of the sample workspace).

Each test first asserts, in text, what its picture is there to show; the picture then pins how it looks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.style import Style
from textual.color import Color
from textual.pilot import Pilot

from tests.tui.conftest import (
    THEMES,
    Snapshot,
    front_editor,
    open_item,
    other_theme,
    segment_style,
    settle,
    theme_variables,
    workbench_of,
)
from tests.waiting import wait_until
from workbench.editing.step_ops import Slot
from workbench.tui.app import WorkbenchApp
from workbench.tui.colours import MIN_CONTRAST, Palette, contrast, palette
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.connector_editor import ConnectorEditor
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.procedure_editor import ProcedureEditor
from workbench.tui.widgets.step_outline import OutlineRef


def _app(root: Path) -> WorkbenchApp:
    return WorkbenchApp(root, lint_delay=0.01, watch_interval=3600)


async def _instruction(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await open_item(pilot, "procedure", "Order status")
    front_editor(workbench_of(pilot), ProcedureEditor).outline.select_ref(OutlineRef(step_id="lookup"))
    await pilot.press("enter")
    await wait_until(lambda: isinstance(pilot.app.focused, MentionArea), pilot, what="the step's text to have focus")
    await settle(pilot)


def test_welcome_with_the_run_panel_on_a_wide_terminal(snapshot: Snapshot, desk_copy: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        workbench_of(pilot).tree.focus()

    matches, screen = snapshot(_app(desk_copy), (160, 48), run_before)
    assert "Pick a connector, a procedure or a scenario" in screen
    assert "ready: F5 runs" in screen and "Run log" in screen  # the run panel is shown on a wide terminal
    assert matches


def test_procedure_editor_at_100x30(snapshot: Snapshot, desk_copy: Path) -> None:
    matches, screen = snapshot(_app(desk_copy), (100, 30), _instruction)
    assert "Step id" in screen and "lookup" in screen
    assert "@call(Get orders)" in screen  # the instruction text, wrapped to the narrow editor
    assert matches


def test_at_menu_reading_an_attribute(snapshot: Snapshot, desk_copy: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _instruction(pilot)
        area = pilot.app.focused
        area.move_cursor(area.document.end)
        await pilot.press("space", "@", "down", "enter", "t", "o", "t")

    matches, screen = snapshot(_app(desk_copy), (120, 36), run_before)
    found = re.search(r"Read an attribute · “tot” · (\d+) matches", screen)
    pager = re.search(r"1-\d+ of (\d+) · ↑↓ move", screen)
    assert found and pager and found.group(1) == pager.group(1)  # one count, in the header and the pager
    assert "total > amount" in screen and "not available at this step" in screen
    assert matches


@pytest.mark.parametrize("theme", THEMES)
def test_code_condition_branch(snapshot: Snapshot, desk_copy: Path, theme: str) -> None:
    shown: dict[str, Style] = {}

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "procedure", "Order status")
        editor = front_editor(workbench_of(pilot), ProcedureEditor)
        editor.outline.select_ref(OutlineRef(slot=Slot("big-order", "branch", 0)))
        await settle(pilot)
        editor.outline.focus()
        code = pilot.app.query_one(CodeArea)
        shown.update(keyword=segment_style(code, "and"), string=segment_style(code, '"temporary"'))

    app = _app(desk_copy)
    app.theme = theme
    matches, screen = snapshot(app, (120, 36), run_before)
    assert "Branch 1 of big-order" in screen and "code (Python over inputs)" in screen
    assert 'inputs["temporary"]["Get' in screen  # the branch's code, highlighted as Python
    # In the theme's colours: its own primary for keywords, a string colour readable on its surface; not the other's.
    given, colours, others = theme_variables(theme), palette(app), Palette(theme_variables(other_theme(theme)))
    keyword, string = (Color.from_rich_color(shown[token].color) for token in ("keyword", "string"))
    assert keyword == Color.parse(given["text-primary"]) != others.colour("keyword")
    assert string == colours.colour("string") != others.colour("string")
    assert contrast(string, Color.parse(given["surface"])) >= MIN_CONTRAST
    assert matches


def test_connector_mock_response(snapshot: Snapshot, desk_copy: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "connector", "Get orders")
        await front_editor(workbench_of(pilot), ConnectorEditor).show_tab("tab-response")
        await settle(pilot)

    matches, screen = snapshot(_app(desk_copy), (120, 36), run_before)
    header = next(line for line in screen.splitlines() if "Attribute" in line and "Type" in line)
    assert "Sample" in header  # the three columns of the attributes beside the body fit at 120 columns
    assert re.search(r"order_id +string +\"ORD-1001\"", screen) and "Example response body" in screen
    assert matches


def test_connector_request(snapshot: Snapshot, desk_copy: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "connector", "Get orders")

    matches, screen = snapshot(_app(desk_copy), (100, 30), run_before)
    assert "{{env.base_url}}/customers/{{email}}/orders/latest" in screen
    assert '"Accept": "application/json"' in screen and '"expand": "items,shipping"' in screen  # headers, query
    assert "^p palette" in screen.splitlines()[-1]  # the footer names the palette's key (in Textual's notation)
    assert matches


def test_scenario_form(snapshot: Snapshot, desk_copy: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_item(pilot, "scenario", "Stale billing token is refreshed")

    matches, screen = snapshot(_app(desk_copy), (120, 36), run_before)
    assert "Scenario  Mocks  Expect  Simulation  JSON" in screen  # the form's tabs, the file as JSON the last
    assert re.search(r"Procedure +Cancel subscription", screen)
    assert re.search(r"User +email +grace@example.com", screen)  # an attribute row
    assert re.search(r"answer +reason +Too expensive for me right now", screen)
    assert re.search(r"decision +state +false", screen)  # answers and decisions: rows of one table
    assert "Also in the file (the JSON tab edits them): stale_tokens" in screen  # nothing hidden
    assert matches
