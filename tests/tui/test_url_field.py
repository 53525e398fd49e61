"""A URL wider than its field stays readable: it wraps, no scroll bar drawn over it (issue 22, bug 6)."""

from __future__ import annotations

from pathlib import Path

import orjson
from textual.pilot import Pilot

from tests.tui.conftest import open_item, running, screen_text, settle, workbench_of
from workbench.tui.widgets.template_field import TemplateField

GITHUB_URL = "{{env.base_url}}/repos/{{owner}}/{{repo}}/issues/{{issue_number}}"


def _shown(pilot: Pilot[None], field: TemplateField) -> str:
    """The text drawn on screen inside the field's content area, its rows joined."""
    lines = screen_text(pilot.app).splitlines()
    region = field.content_region
    return "".join(lines[y][region.x : region.right].rstrip() for y in range(region.y, region.bottom))


async def test_a_long_url_stays_readable_at_160_columns(desk_copy: Path) -> None:
    """The URL fits its field, then the tree widened a little, then much: at each width the whole URL is drawn
    (wrapped, no scroll bar over it), with the caret at its end and after the focus has left. One app, its tree
    widened step by step (three apps once)."""
    path = desk_copy / "connectors" / "get-orders.json"
    data = orjson.loads(path.read_bytes())
    data["request"]["url"] = GITHUB_URL
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    async with running(desk_copy, size=(160, 48)) as pilot:
        await open_item(pilot, "connector", "Get orders")
        editor = workbench_of(pilot).current_editor
        assert editor is not None
        field = editor.query_one("#url", TemplateField)
        widths = []
        for wider_tree in (0, 2, 4):  # fits, a little too wide, much too wide
            field.focus()
            await pilot.press(*["alt+right"] * wider_tree, "end")
            await settle(pilot)
            assert _shown(pilot, field) == GITHUB_URL, f"the tree {wider_tree} wider"
            widths.append(field.content_region.width)
            workbench_of(pilot).tree.focus()
            await settle(pilot)
            assert _shown(pilot, field) == GITHUB_URL, f"the tree {wider_tree} wider, the focus gone"
        assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1], f"the field never narrowed: {widths}"
