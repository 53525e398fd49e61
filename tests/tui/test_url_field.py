"""A URL wider than its field stays readable: it wraps, no scroll bar drawn over it (issue 22, bug 6)."""

from __future__ import annotations

from pathlib import Path

import orjson
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import screen_text, settle
from tests.tui.editor_host import hosting
from workbench.tui.widgets.template_field import TemplateField

GITHUB_URL = "{{env.base_url}}/repos/{{owner}}/{{repo}}/issues/{{issue_number}}"


def _shown(pilot: Pilot[None], field: TemplateField) -> str:
    """The text drawn on screen inside the field's content area, its rows joined."""
    lines = screen_text(pilot.app).splitlines()
    region = field.content_region
    return "".join(lines[y][region.x : region.right].rstrip() for y in range(region.y, region.bottom))


async def test_a_long_url_stays_readable_as_its_field_narrows(desk_copy: Path) -> None:
    """The URL fits its field, then the field narrowed a little, then much: at each width the whole URL is drawn
    (wrapped, no scroll bar over it), with the caret at its end and after the focus has left. The connector's
    editor alone, moved right as a wider tree beside it moves it (the whole app at 160 columns, its tree widened,
    once)."""
    path = desk_copy / "connectors" / "get-orders.json"
    data = orjson.loads(path.read_bytes())
    data["request"]["url"] = GITHUB_URL
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    async with hosting(desk_copy, "connector", "Get orders", size=(90, 30)) as (pilot, editor):
        field = editor.query_one("#url", TemplateField)
        widths = []
        for narrower in (0, 8, 40):  # fits, a little too wide, much too wide
            editor.styles.margin = (0, 0, 0, narrower)  # as a wider tree beside it moves it
            field.focus()
            await pilot.press("end")
            await settle(pilot)
            assert _shown(pilot, field) == GITHUB_URL, f"{narrower} columns narrower"
            widths.append(field.content_region.width)
            pilot.app.query_one("#after", Input).focus()
            await settle(pilot)
            assert _shown(pilot, field) == GITHUB_URL, f"{narrower} columns narrower, the focus gone"
        one_row, two_rows, three_rows = widths
        assert one_row >= len(GITHUB_URL) > two_rows and len(GITHUB_URL) > 2 * three_rows, f"the widths: {widths}"
