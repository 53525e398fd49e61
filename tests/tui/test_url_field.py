"""A URL wider than its field stays readable: it wraps, no scroll bar drawn over it (issue 22, bug 6)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from textual.pilot import Pilot

from tests.tui.conftest import open_item, running, screen_text, settle, workbench_of
from workbench.tui.widgets.template_field import TemplateField

GITHUB_URL = "{{env.base_url}}/repos/{{owner}}/{{repo}}/issues/{{issue_number}}"


def _shown(pilot: Pilot[None], field: TemplateField) -> str:
    """The text drawn on screen inside the field's content area, its rows joined."""
    lines = screen_text(pilot.app).splitlines()
    region = field.content_region
    return "".join(lines[y][region.x : region.right].rstrip() for y in range(region.y, region.bottom))


@pytest.mark.parametrize("wider_tree", [0, 2, 6], ids=["fits", "a little too wide", "much too wide"])
async def test_a_long_url_stays_readable_at_160_columns(desk_copy: Path, wider_tree: int) -> None:
    path = desk_copy / "connectors" / "get-orders.json"
    data = orjson.loads(path.read_bytes())
    data["request"]["url"] = GITHUB_URL
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    async with running(desk_copy, size=(160, 48)) as pilot:
        await open_item(pilot, "connector", "Get orders")
        await pilot.press(*["alt+right"] * wider_tree)
        editor = workbench_of(pilot).current_editor
        assert editor is not None
        field = editor.query_one("#url", TemplateField)
        field.focus()
        await pilot.press("end")
        await settle(pilot)
        assert _shown(pilot, field) == GITHUB_URL
        workbench_of(pilot).tree.focus()
        await settle(pilot)
        assert _shown(pilot, field) == GITHUB_URL
